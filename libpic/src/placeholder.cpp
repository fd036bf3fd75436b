// Placeholder until the PIC model lands.
namespace picsec::pic { [[maybe_unused]] static int placeholder = 0; }
