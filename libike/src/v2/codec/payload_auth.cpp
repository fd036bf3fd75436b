// AUTH payload (RFC 7296 3.8) decode, encode and summary.
#include <picsec/ike/v2/payload_auth.h>

#include "wire.h"

namespace picsec::ike::v2 {

AuthPayload decode_auth(codec::Reader& r) {
    AuthPayload p;
    p.method = static_cast<AuthMethod>(r.u8("Auth Method"));
    r.bytes(3, "RESERVED");
    if (r.ok()) p.data = detail::read_data(r, "Authentication Data", 1, 0xffff);
    return p;
}

void encode(codec::Writer& w, const AuthPayload& p) {
    w.u8(static_cast<std::uint8_t>(p.method));
    w.u8(0);
    w.u16(0);
    w.bytes(p.data);
}

std::string describe(const AuthPayload& p) {
    return "AUTH(" + name(p.method) + ", " + std::to_string(p.data.size()) + " bytes)";
}

}  // namespace picsec::ike::v2
