// CERT payload (RFC 7296 3.6) decode, encode and summary.
#include <picsec/ike/v2/payload_cert.h>

#include "wire.h"

namespace picsec::ike::v2 {

CertPayload decode_cert(codec::Reader& r) {
    CertPayload p;
    p.encoding = r.u8("Cert Encoding");
    if (r.ok()) p.data = detail::read_data(r, "Certificate Data", 1, 0xffff);
    return p;
}

void encode(codec::Writer& w, const CertPayload& p) {
    w.u8(p.encoding);
    w.bytes(p.data);
}

std::string describe(const CertPayload& p) {
    return "CERT(" + std::to_string(p.encoding) + ", " + std::to_string(p.data.size()) + " bytes)";
}

}  // namespace picsec::ike::v2
