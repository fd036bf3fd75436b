// KE payload (RFC 7296 3.4) decode, encode and summary.
#include <picsec/ike/v2/payload_ke.h>

#include "wire.h"

namespace picsec::ike::v2 {

KePayload decode_ke(codec::Reader& r) {
    KePayload p;
    p.group = r.u16("Diffie-Hellman Group Num");
    r.u16("RESERVED");
    if (r.ok()) p.data = detail::read_data(r, "Key Exchange Data", 1, 0xffff);
    return p;
}

void encode(codec::Writer& w, const KePayload& p) {
    w.u16(p.group);
    w.u16(0);
    w.bytes(p.data);
}

std::string describe(const KePayload& p) {
    return "KE(" + std::to_string(p.group) + ", " + std::to_string(p.data.size()) + " bytes)";
}

}  // namespace picsec::ike::v2
