// libFuzzer target: CERT, CERTREQ, SIG and ID payload bodies as they come off
// the wire, and the certificate / DN parsing they reach (RFC 2409 5.1).
// The first byte picks the path; the rest is the payload body.
#include "picsec/ike/codec/payload_cert.h"
#include "picsec/ike/codec/payload_certreq.h"
#include "picsec/ike/codec/payload_id.h"
#include "picsec/ike/codec/payload_sig.h"
#include "picsec/ike/crypto/x509.h"

#include <cstddef>
#include <cstdint>
#include <span>

using namespace picsec::ike;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size < 1)
        return 0;
    const std::span<const std::uint8_t> body(data + 1, size - 1);
    codec::Reader r(body, "fuzz");
    switch (data[0] % 4) {
    case 0: {
        auto c = codec::decode_cert(r);
        if (r.ok() && c.encoding == codec::CertEncoding::X509Signature) {
            try {
                auto cert = crypto::parse_certificate(c.data);
                (void)crypto::identity_matches(cert, {crypto::PeerIdentity::Type::Fqdn, {'a'}});
            } catch (const crypto::CryptoError&) {
            }
        }
        break;
    }
    case 1: (void)codec::decode_certreq(r); break;
    case 2: (void)codec::decode_sig(r); break;
    case 3: {
        auto id = codec::decode_id(r);
        if (r.ok()) {
            if (const auto* dn = std::get_if<codec::DerAsn1Dn>(&id.data))
                (void)crypto::describe(crypto::PeerIdentity{crypto::PeerIdentity::Type::DerAsn1Dn, dn->der});
            (void)codec::describe(id);
        }
        break;
    }
    }
    return 0;
}
