// SK payload (RFC 7296 3.14): an opaque body here.
#include <picsec/ike/v2/payload_sk.h>

#include "wire.h"

namespace picsec::ike::v2 {

SkPayload decode_sk(codec::Reader& r, PayloadType first_inner) {
    // At least one byte: a cipher's IV, padding length and ICV come on top,
    // checked by the crypto layer that knows their sizes.
    return SkPayload{first_inner, detail::read_data(r, "Encrypted IKE Payloads", 1, 0xffff)};
}

void encode(codec::Writer& w, const SkPayload& p) { w.bytes(p.body); }

std::string describe(const SkPayload& p) {
    return "SK(" + name(p.first_inner) + ", " + std::to_string(p.body.size()) + " bytes)";
}

}  // namespace picsec::ike::v2
