// Placeholder so the exchange library has a translation unit until its first source lands.
namespace picsec::ike { [[maybe_unused]] static int exchange_placeholder = 0; }
