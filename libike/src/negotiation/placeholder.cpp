// Placeholder so the negotiation library has a translation unit until its first source lands.
namespace picsec::ike { [[maybe_unused]] static int negotiation_placeholder = 0; }
