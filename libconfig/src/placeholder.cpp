// Placeholder until the configuration parser lands.
namespace picsec::config { [[maybe_unused]] static int placeholder = 0; }
