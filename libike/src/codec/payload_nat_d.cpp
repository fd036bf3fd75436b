// NAT-D payload: opaque body of 1..65531 bytes.
#include <picsec/ike/codec/payload_nat_d.h>

#include "blob.h"

namespace picsec::ike::codec {

NatDPayload decode_nat_d(Reader& body) {
    return NatDPayload{detail::read_blob(body, "Hash Data", 1, 65531, NotifyType::PayloadMalformed)};
}

void encode(Writer& w, const NatDPayload& p) { w.bytes(p.data); }

std::string describe(const NatDPayload& p) { return "NAT-D(" + detail::hex(p.data, 32) + ")"; }

}  // namespace picsec::ike::codec
