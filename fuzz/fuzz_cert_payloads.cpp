// libFuzzer target: CERT, CERTREQ, SIG and ID payload bodies as they come off
// the wire, and the certificate / DN parsing they reach (RFC 2409 5.1).
// The first byte picks the path; the rest is the payload body. Path 4 hands a
// chain of CERT bodies to the X509Authenticator's peer check (path
// validation, CRL, key usage, ID match, signature) as a responder would.
#include "picsec/ike/codec/payload_cert.h"
#include "picsec/ike/codec/payload_certreq.h"
#include "picsec/ike/codec/payload_id.h"
#include "picsec/ike/codec/payload_sig.h"
#include "picsec/ike/crypto/x509.h"

#include <botan/auto_rng.h>
#include <botan/rsa.h>
#include <botan/x509self.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

using namespace picsec::ike;

namespace {

// One trusted CA that is also our own certificate, made once per process.
const crypto::X509Authenticator& authenticator()
{
    static const crypto::X509Authenticator a = [] {
        Botan::AutoSeeded_RNG rng;
        auto key = std::make_shared<Botan::RSA_PrivateKey>(rng, 1024);
        Botan::X509_Cert_Options o("fuzz CA/US/picsec fuzz");
        o.CA_key();
        const auto ca = Botan::X509::create_self_signed_cert(o, *key, "SHA-256", rng);
        crypto::X509Settings s;
        s.local_chain = {ca};
        s.key = key;
        s.authorities = {crypto::TrustedAuthority{"fuzz", ca, std::nullopt}};
        s.clock = [] { return std::chrono::system_clock::now(); };
        return crypto::X509Authenticator(std::move(s));
    }();
    return a;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size < 1)
        return 0;
    const std::span<const std::uint8_t> body(data + 1, size - 1);
    codec::Reader r(body, "fuzz");
    switch (data[0] % 5) {
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
    case 4: {
        // Up to 3 CERT payload bodies, each behind a 2-byte length; the rest is SIG.
        std::vector<crypto::Bytes> chain;
        std::size_t at = 0;
        while (chain.size() < 3 && at + 2 <= body.size()) {
            const std::size_t len = std::min<std::size_t>((std::size_t{body[at]} << 8) | body[at + 1], body.size() - at - 2);
            codec::Reader one(body.subspan(at + 2, len), "CERT");
            auto c = codec::decode_cert(one);
            if (one.ok())
                chain.push_back(c.data);
            at += 2 + len;
        }
        const crypto::Bytes hash(20, 0x5a);
        const auto check = authenticator().verify_peer(chain, {crypto::PeerIdentity::Type::Ipv4, {10, 0, 0, 1}},
                                                       hash, body.subspan(at));
        (void)check;
        break;
    }
    }
    return 0;
}
