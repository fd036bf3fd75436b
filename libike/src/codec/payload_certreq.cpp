// Certificate Request payload (RFC 2408 3.10) decode, encode and summary.
#include <picsec/ike/codec/payload_certreq.h>

#include "blob.h"

namespace picsec::ike::codec {

CertReqPayload decode_certreq(Reader& r) {
    CertReqPayload p;
    const auto t = r.u8("Cert. Type");
    if (!r.ok()) return p;
    p.cert_type = static_cast<CertEncoding>(t);
    if (!is_known(p.cert_type) || p.cert_type == CertEncoding::None) {
        r.fail(NotifyType::CertTypeUnsupported, "Cert. Type", "unknown", std::to_string(t), "1..10");
        return p;
    }
    p.authority = r.rest_vec();
    return p;
}

void encode(Writer& w, const CertReqPayload& p) {
    w.u8(static_cast<std::uint8_t>(p.cert_type));
    w.bytes(p.authority);
}

std::string describe(const CertReqPayload& p) {
    return "CR(" + to_string(p.cert_type) + (p.authority.empty() ? "" : " ca=" + detail::hex(p.authority, 16)) +
           ")";
}

}  // namespace picsec::ike::codec
