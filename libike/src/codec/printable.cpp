// Escaping of peer-supplied text for logs and show output (see printable.h).
#include <picsec/ike/codec/printable.h>

namespace picsec::ike::codec {

std::string printable(std::string_view text) {
    // RFC 2407 4.6.2.3 names ID_FQDN / ID_USER_FQDN data as strings but does
    // not limit their bytes: a peer can send CR, LF, ESC or NUL in them.
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        const auto b = static_cast<unsigned char>(c);
        if (b >= 0x20 && b <= 0x7e && b != '\\') {
            out += c;
        } else {
            out += "\\x";
            out += digits[b >> 4];
            out += digits[b & 0x0f];
        }
    }
    return out;
}

}  // namespace picsec::ike::codec
