// IKEv2 RSA-PSS signing (RFC 7427 auth method 14) between two engines: the
// policy's signature scheme picks PKCS#1 v1.5 or RSASSA-PSS, the peer
// verifies either, and PSS is used only once the peer announced SHA2-256 in
// SIGNATURE_HASH_ALGORITHMS (RFC 7427 4).
#include "cert_test_pki.h"
#include "exchange_harness.h"

#include "picsec/ike/v2/crypto/auth.h"
#include "picsec/ike/v2/header.h"
#include "picsec/ike/v2/message.h"
#include "picsec/ike/v2/payload.h"
#include "picsec/ike/v2/raw_payload.h"

#include <catch2/catch.hpp>

using namespace picsec::ike;
using namespace picsec::ike::test;
namespace k2 = picsec::ike::v2::crypto;
namespace c2 = picsec::ike::v2;

namespace {

/// Forwards to an X509Authenticator and keeps every method-14 AUTH it signed.
class RecordingAuthenticator : public crypto::SignatureAuthenticator {
public:
    explicit RecordingAuthenticator(std::shared_ptr<const crypto::SignatureAuthenticator> inner)
        : m_inner(std::move(inner))
    {
    }
    std::vector<crypto::Bytes> local_chain() const override { return m_inner->local_chain(); }
    crypto::Bytes local_subject() const override { return m_inner->local_subject(); }
    crypto::Bytes encode_dn(std::string_view t) const override { return m_inner->encode_dn(t); }
    std::vector<crypto::Bytes> authorities() const override { return m_inner->authorities(); }
    crypto::Bytes sign(crypto::ByteView hash) const override { return m_inner->sign(hash); }
    crypto::PeerCheck verify_peer(const std::vector<crypto::Bytes>& c, const crypto::PeerIdentity& id,
                                  crypto::ByteView h, crypto::ByteView s) const override
    {
        return m_inner->verify_peer(c, id, h, s);
    }
    std::vector<crypto::Bytes> authority_key_hashes() const override { return m_inner->authority_key_hashes(); }
    crypto::Bytes sign_v2(crypto::ByteView octets, k2::SignatureScheme scheme) const override
    {
        auto data = m_inner->sign_v2(octets, scheme);
        if (tamper && !data.empty()) data.back() ^= 0x01;
        signed_auth.push_back(data);
        return data;
    }
    crypto::PeerCheck verify_peer_v2(const std::vector<crypto::Bytes>& c, const crypto::PeerIdentity& id,
                                     std::uint8_t method, crypto::ByteView auth, crypto::ByteView octets) const override
    {
        verified_auth.emplace_back(auth.begin(), auth.end());
        return m_inner->verify_peer_v2(c, id, method, auth, octets);
    }
    std::string describe_dn(crypto::ByteView der) const override { return m_inner->describe_dn(der); }

    mutable std::vector<crypto::Bytes> signed_auth, verified_auth;
    bool tamper = false;  ///< flip the last bit of each signature

private:
    std::shared_ptr<const crypto::SignatureAuthenticator> m_inner;
};

struct PssRouters {
    TestCa ca = TestCa::root("picsec PSS Root");
    Issued r1 = ca.issue("r1", "r1.example.net", "10.0.0.1");
    Issued r2 = ca.issue("r2", "r2.example.net", "10.0.0.2");
};

PssRouters& routers()
{
    static PssRouters r;
    return r;
}

EngineConfig v2_cert(const char* self, const char* peer, bool initiator,
                     std::shared_ptr<const crypto::SignatureAuthenticator> auth, k2::SignatureScheme scheme)
{
    auto c = make_config(self, peer, initiator);
    auto& ip = c.ike_policies.front();
    ip.pre_shared_key.clear();
    ip.version = IkeVersion::V2;
    ip.proposals.front().auth_method = crypto::AuthMethod::RsaSignatures;
    ip.authenticator = std::move(auth);
    ip.signature_scheme = scheme;
    return c;
}

k2::SignatureScheme scheme_of(const crypto::Bytes& auth) { return k2::digital_signature_scheme(auth).value(); }

}  // namespace

TEST_CASE("IKEv2 signature-scheme rsa-pss signs both AUTHs with RSASSA-PSS and each side verifies the other's",
          "[ike][ikev2][cert][pss]")
{
    auto& r = routers();
    auto a = std::make_shared<RecordingAuthenticator>(authenticator(r.r1, {r.ca}));
    auto b = std::make_shared<RecordingAuthenticator>(authenticator(r.r2, {r.ca}));
    Pair p(v2_cert("10.0.0.1", "10.0.0.2", true, a, k2::SignatureScheme::RsaPssSha256),
           v2_cert("10.0.0.2", "10.0.0.1", false, b, k2::SignatureScheme::RsaPssSha256));
    p.tick(0);
    p.settle();
    REQUIRE(p.na.installed.size() == 1);
    REQUIRE(p.nb.installed.size() == 1);
    REQUIRE(a->signed_auth.size() == 1);
    REQUIRE(b->signed_auth.size() == 1);
    CHECK(scheme_of(a->signed_auth[0]) == k2::SignatureScheme::RsaPssSha256);
    CHECK(scheme_of(b->signed_auth[0]) == k2::SignatureScheme::RsaPssSha256);
    // What each verified is what the other signed.
    REQUIRE(b->verified_auth.size() == 1);
    CHECK(b->verified_auth[0] == a->signed_auth[0]);
    REQUIRE(a->verified_auth.size() == 1);
    CHECK(a->verified_auth[0] == b->signed_auth[0]);
}

TEST_CASE("IKEv2 signs with PKCS#1 v1.5 by default and verifies a PSS peer", "[ike][ikev2][cert][pss]")
{
    auto& r = routers();
    auto a = std::make_shared<RecordingAuthenticator>(authenticator(r.r1, {r.ca}));
    auto b = std::make_shared<RecordingAuthenticator>(authenticator(r.r2, {r.ca}));
    CHECK(IkePolicy{}.signature_scheme == k2::SignatureScheme::RsaPkcs1Sha256);
    Pair p(v2_cert("10.0.0.1", "10.0.0.2", true, a, k2::SignatureScheme::RsaPssSha256),
           v2_cert("10.0.0.2", "10.0.0.1", false, b, k2::SignatureScheme::RsaPkcs1Sha256));
    p.tick(0);
    p.settle();
    REQUIRE(p.na.installed.size() == 1);
    REQUIRE(p.nb.installed.size() == 1);
    CHECK(scheme_of(a->signed_auth.at(0)) == k2::SignatureScheme::RsaPssSha256);
    CHECK(scheme_of(b->signed_auth.at(0)) == k2::SignatureScheme::RsaPkcs1Sha256);
}

TEST_CASE("a tampered PSS signature fails IKE_AUTH with AUTHENTICATION_FAILED", "[ike][ikev2][cert][pss]")
{
    auto& r = routers();
    auto a = std::make_shared<RecordingAuthenticator>(authenticator(r.r1, {r.ca}));
    auto b = std::make_shared<RecordingAuthenticator>(authenticator(r.r2, {r.ca}));
    a->tamper = true;
    Pair p(v2_cert("10.0.0.1", "10.0.0.2", true, a, k2::SignatureScheme::RsaPssSha256),
           v2_cert("10.0.0.2", "10.0.0.1", false, b, k2::SignatureScheme::RsaPssSha256));
    p.tick(0);
    p.settle();
    CHECK(p.na.installed.empty());
    CHECK(p.nb.installed.empty());
    REQUIRE(p.nb.p1_failed.size() == 1);
    CHECK(p.nb.p1_failed[0].reason == FailureReason::AuthenticationFailed);
    REQUIRE(p.na.p1_failed.size() == 1);
}

TEST_CASE("without the peer's SIGNATURE_HASH_ALGORITHMS naming SHA2-256, rsa-pss falls back to PKCS#1 v1.5",
          "[ike][ikev2][cert][pss]")
{
    auto& r = routers();
    auto a = std::make_shared<RecordingAuthenticator>(authenticator(r.r1, {r.ca}));
    auto b = std::make_shared<RecordingAuthenticator>(authenticator(r.r2, {r.ca}));
    Pair p(v2_cert("10.0.0.1", "10.0.0.2", true, a, k2::SignatureScheme::RsaPssSha256),
           v2_cert("10.0.0.2", "10.0.0.1", false, b, k2::SignatureScheme::RsaPssSha256));
    p.tick(0);
    p.a_to_b();
    // B's IKE_SA_INIT response loses its SIGNATURE_HASH_ALGORITHMS on the way to A.
    auto& d = p.nb.outbox.front().bytes;
    const auto h = c2::decode_header(d).value();
    auto chain = c2::split_chain(h.next, std::span(d).subspan(c2::header_size));
    REQUIRE(chain);
    std::vector<c2::Payload> kept;
    for (const auto& raw : chain.value().payloads) {
        auto payload = c2::decode_payload(raw).value();
        const auto* n = std::get_if<c2::NotifyPayload>(&payload);
        if (n && n->notify() == c2::NotifyType::SignatureHashAlgorithms) continue;
        kept.push_back(std::move(payload));
    }
    REQUIRE(kept.size() + 1 == chain.value().payloads.size());
    d = c2::encode_message(h, kept);
    p.settle();
    REQUIRE_FALSE(a->signed_auth.empty());
    CHECK(scheme_of(a->signed_auth[0]) == k2::SignatureScheme::RsaPkcs1Sha256);
    CHECK(p.log_text.str().find("announced no SHA2-256 in SIGNATURE_HASH_ALGORITHMS") != std::string::npos);
    // B got A's IKE_SA_INIT as sent, so A's PKCS#1 AUTH verifies there and B signs PSS.
    REQUIRE(b->verified_auth.size() == 1);
    CHECK(b->verified_auth[0] == a->signed_auth[0]);
    REQUIRE_FALSE(b->signed_auth.empty());
    CHECK(scheme_of(b->signed_auth[0]) == k2::SignatureScheme::RsaPssSha256);
}
