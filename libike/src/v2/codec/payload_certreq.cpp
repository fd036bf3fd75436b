// CERTREQ payload (RFC 7296 3.7) decode, encode and summary.
#include <picsec/ike/v2/payload_certreq.h>

#include "wire.h"

namespace picsec::ike::v2 {
namespace {

constexpr std::size_t sha1_size = 20;

}  // namespace

std::vector<std::vector<std::uint8_t>> CertReqPayload::ca_hashes() const {
    std::vector<std::vector<std::uint8_t>> out;
    if (encoding != cert_x509_signature) return out;
    for (std::size_t i = 0; i + sha1_size <= data.size(); i += sha1_size)
        out.emplace_back(data.begin() + static_cast<std::ptrdiff_t>(i),
                         data.begin() + static_cast<std::ptrdiff_t>(i + sha1_size));
    return out;
}

CertReqPayload decode_certreq(codec::Reader& r) {
    CertReqPayload p;
    p.encoding = r.u8("Cert Encoding");
    if (!r.ok()) return p;
    p.data = r.rest_vec();
    if (p.encoding == cert_x509_signature && p.data.size() % sha1_size != 0) {
        detail::fail(r, "Certification Authority", "not a list of 20-byte SHA-1 hashes",
                     std::to_string(p.data.size()) + " bytes", "a multiple of 20");
    }
    return p;
}

void encode(codec::Writer& w, const CertReqPayload& p) {
    w.u8(p.encoding);
    w.bytes(p.data);
}

std::string describe(const CertReqPayload& p) {
    std::string s = "CERTREQ(" + std::to_string(p.encoding);
    for (const auto& h : p.ca_hashes()) s += " " + detail::hex(h, 4);
    return s + ")";
}

}  // namespace picsec::ike::v2
