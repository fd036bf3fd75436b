// Placeholder so the crypto library has a translation unit until its first source lands.
namespace picsec::ike { [[maybe_unused]] static int crypto_placeholder = 0; }
