// Placeholder so the codec library has a translation unit until its first source lands.
namespace picsec::ike { [[maybe_unused]] static int codec_placeholder = 0; }
