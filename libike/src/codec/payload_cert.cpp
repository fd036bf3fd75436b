// Certificate payload (RFC 2408 3.9) decode, encode and summary.
#include <picsec/ike/codec/payload_cert.h>

#include "blob.h"

namespace picsec::ike::codec {

CertPayload decode_cert(Reader& r) {
    CertPayload p;
    const auto enc = r.u8("Cert Encoding");
    if (!r.ok()) return p;
    p.encoding = static_cast<CertEncoding>(enc);
    if (!is_known(p.encoding) || p.encoding == CertEncoding::None) {
        r.fail(NotifyType::InvalidCertEncoding, "Cert Encoding", "unknown", std::to_string(enc), "1..10");
        return p;
    }
    p.data = detail::read_blob(r, "Certificate Data", 1, 65530, NotifyType::InvalidCertificate);
    return p;
}

void encode(Writer& w, const CertPayload& p) {
    w.u8(static_cast<std::uint8_t>(p.encoding));
    w.bytes(p.data);
}

std::string describe(const CertPayload& p) {
    return "CERT(" + to_string(p.encoding) + " " + std::to_string(p.data.size()) + " bytes)";
}

}  // namespace picsec::ike::codec
