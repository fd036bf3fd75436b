// Phase 1 with RSA signatures (RFC 2409 5.1) between two in-memory engines:
// valid chains, intermediates, and every refusal with its log reason.
#include "cert_test_pki.h"
#include "exchange_harness.h"

#include "picsec/ike/codec/constants.h"

#include <catch2/catch.hpp>

using namespace picsec::ike;
using namespace picsec::ike::test;

namespace {

std::shared_ptr<const crypto::SignatureAuthenticator> none;

EngineConfig cert_config(const char* self, const char* peer, bool initiator,
                         std::shared_ptr<const crypto::SignatureAuthenticator> auth,
                         ExchangeMode mode = ExchangeMode::Main, std::string local_id = "")
{
    auto c = make_config(self, peer, initiator);
    auto& ip = c.ike_policies.front();
    ip.pre_shared_key.clear();
    ip.proposals.front().auth_method = crypto::AuthMethod::RsaSignatures;
    ip.mode = mode;
    ip.authenticator = std::move(auth);
    ip.local_id = std::move(local_id);
    return c;
}

struct Routers {
    TestCa ca = TestCa::root("picsec Test Root");
    Issued r1 = ca.issue("r1", "r1.example.net", "10.0.0.1", "ops@r1.example.net");
    Issued r2 = ca.issue("r2", "r2.example.net", "10.0.0.2");
};

Routers& routers()
{
    static Routers r;
    return r;
}

bool nothing_installed(const Pair& p) { return p.na.installed.empty() && p.nb.installed.empty(); }

/// Runs A (initiator, 10.0.0.1) against B (10.0.0.2) to the end.
std::unique_ptr<Pair> run(EngineConfig a, EngineConfig b)
{
    auto p = std::make_unique<Pair>(std::move(a), std::move(b));
    p->tick(0);
    p->settle();
    return p;
}

/// Signs correctly, then flips one bit of the signature (a tampered SIG).
class TamperingAuthenticator : public crypto::SignatureAuthenticator {
public:
    explicit TamperingAuthenticator(std::shared_ptr<const crypto::SignatureAuthenticator> inner) : m_inner(std::move(inner)) {}
    std::vector<crypto::Bytes> local_chain() const override { return m_inner->local_chain(); }
    crypto::Bytes local_subject() const override { return m_inner->local_subject(); }
    crypto::Bytes encode_dn(std::string_view t) const override { return m_inner->encode_dn(t); }
    std::vector<crypto::Bytes> authorities() const override { return m_inner->authorities(); }
    crypto::Bytes sign(crypto::ByteView hash) const override
    {
        auto s = m_inner->sign(hash);
        s[s.size() / 2] ^= 0x01;
        return s;
    }
    crypto::PeerCheck verify_peer(const std::vector<crypto::Bytes>& c, const crypto::PeerIdentity& id,
                                  crypto::ByteView h, crypto::ByteView s) const override
    {
        return m_inner->verify_peer(c, id, h, s);
    }
    std::string describe_dn(crypto::ByteView der) const override { return m_inner->describe_dn(der); }

private:
    std::shared_ptr<const crypto::SignatureAuthenticator> m_inner;
};

}  // namespace

TEST_CASE("main mode with rsa-signatures installs SAs when both certificates chain to the CA",
          "[ike][v1][main][cert]")
{
    auto& r = routers();
    Pair p(cert_config("10.0.0.1", "10.0.0.2", true, authenticator(r.r1, {r.ca})),
           cert_config("10.0.0.2", "10.0.0.1", false, authenticator(r.r2, {r.ca})));
    p.tick(0);
    // HDR, SA, VID, VID -->  and  <-- HDR, SA, VID, VID
    REQUIRE(p.a_to_b());
    REQUIRE(p.b_to_a());
    // HDR, KE, Ni, CERTREQ, NAT-D, NAT-D -->
    REQUIRE(p.a_to_b());
    // <-- HDR, KE, Nr, CERTREQ, NAT-D, NAT-D
    REQUIRE(p.b_to_a());
    // HDR*, IDii, CERT, SIG_I, N(INITIAL-CONTACT) -->
    REQUIRE(p.a_to_b());
    REQUIRE(p.nb.p1_up.size() == 1);
    // <-- HDR*, IDir, CERT, SIG_R
    REQUIRE(p.b_to_a());
    REQUIRE(p.na.p1_up.size() == 1);
    p.settle();
    CHECK(p.na.installed.size() == 1);
    CHECK(p.nb.installed.size() == 1);
    const auto a_view = p.ea->ike_security_associations().at(0);
    CHECK(a_view.peer_certificate_subject == "CN=r2, C=US, O=picsec test");
    CHECK(a_view.peer_certificate_ca.find("CN=picsec Test Root") != std::string::npos);
    CHECK(a_view.peer_identity == "CN=r2, C=US, O=picsec test");
    const auto b_view = p.eb->ike_security_associations().at(0);
    CHECK(b_view.peer_certificate_subject == "CN=r1, C=US, O=picsec test");
    CHECK(p.log_text.str().find("SIG_I verified") != std::string::npos);
    CHECK(p.log_text.str().find("SIG_R verified") != std::string::npos);
}

TEST_CASE("aggressive mode with rsa-signatures installs SAs", "[ike][v1][aggressive][cert]")
{
    auto& r = routers();
    auto p = run(cert_config("10.0.0.1", "10.0.0.2", true, authenticator(r.r1, {r.ca}), ExchangeMode::Aggressive),
                 cert_config("10.0.0.2", "10.0.0.1", false, authenticator(r.r2, {r.ca}), ExchangeMode::Aggressive));
    REQUIRE(p->na.p1_up.size() == 1);
    REQUIRE(p->nb.p1_up.size() == 1);
    CHECK(p->na.p1_up[0].mode == ExchangeMode::Aggressive);
    CHECK(p->na.installed.size() == 1);
    CHECK(p->nb.installed.size() == 1);
    CHECK(p->eb->ike_security_associations().at(0).peer_certificate_subject == "CN=r1, C=US, O=picsec test");
}

TEST_CASE("ID types IPV4_ADDR, FQDN and USER_FQDN are accepted when the certificate names them",
          "[ike][v1][cert][id]")
{
    auto& r = routers();
    for (const char* id : {"10.0.0.1", "r1.example.net", "ops@r1.example.net", "CN=r1, C=US, O=picsec test"}) {
        auto p = run(cert_config("10.0.0.1", "10.0.0.2", true, authenticator(r.r1, {r.ca}), ExchangeMode::Main, id),
                     cert_config("10.0.0.2", "10.0.0.1", false, authenticator(r.r2, {r.ca})));
        INFO(id);
        CHECK(p->nb.p1_up.size() == 1);
        CHECK(p->nb.installed.size() == 1);
    }
}

TEST_CASE("a chain through an intermediate CA validates, sent by the peer or known locally",
          "[ike][v1][cert][chain]")
{
    auto& r = routers();
    const auto sub = r.ca.intermediate("picsec Sub CA");
    const auto r2 = sub.issue("r2", "r2.example.net", "10.0.0.2");
    SECTION("the peer sends the intermediate after its certificate")
    {
        auto p = run(cert_config("10.0.0.1", "10.0.0.2", true, authenticator(r.r1, {r.ca})),
                     cert_config("10.0.0.2", "10.0.0.1", false, authenticator(r2, {r.ca}, {sub.self.cert})));
        REQUIRE(p->na.p1_up.size() == 1);
        CHECK(p->na.installed.size() == 1);
        CHECK(p->ea->ike_security_associations().at(0).peer_certificate_ca.find("picsec Test Root") !=
              std::string::npos);
    }
    SECTION("the intermediate is loaded locally and the peer sends only its own certificate")
    {
        crypto::X509Settings s;
        s.local_chain = {r.r1.cert};
        s.key = r.r1.key;
        s.authorities = {{"root", r.ca.self.cert, std::nullopt}};
        s.intermediates = {sub.self.cert};
        s.clock = [] { return T; };
        auto p = run(cert_config("10.0.0.1", "10.0.0.2", true, std::make_shared<crypto::X509Authenticator>(s)),
                     cert_config("10.0.0.2", "10.0.0.1", false, authenticator(r2, {r.ca})));
        REQUIRE(p->na.p1_up.size() == 1);
        CHECK(p->na.installed.size() == 1);
    }
    SECTION("without the intermediate the issuer is unknown")
    {
        auto p = run(cert_config("10.0.0.1", "10.0.0.2", true, authenticator(r.r1, {r.ca})),
                     cert_config("10.0.0.2", "10.0.0.1", false, authenticator(r2, {r.ca})));
        CHECK(p->na.p1_up.empty());
        REQUIRE(p->na.p1_failed.size() == 1);
        CHECK(p->na.p1_failed[0].detail.find("unknown issuer") != std::string::npos);
        CHECK(nothing_installed(*p));
    }
}

TEST_CASE("a certificate that fails validation never yields an SA and the log names the reason",
          "[ike][v1][cert][refuse]")
{
    auto& r = routers();
    // A is the initiator; B (the responder) judges A's certificate in main mode 5.
    auto b_ok = [&](std::optional<Botan::X509_CRL> crl = std::nullopt) {
        return cert_config("10.0.0.2", "10.0.0.1", false, authenticator(r.r2, {r.ca}, {}, crl));
    };
    std::string expect;
    codec::NotifyType notify{};
    std::unique_ptr<Pair> p;
    SECTION("expired")
    {
        const auto old = r.ca.issue("r1", "r1.example.net", "10.0.0.1", "", T - 90 * k_day, T - k_day);
        p = run(cert_config("10.0.0.1", "10.0.0.2", true, authenticator(old, {r.ca})), b_ok());
        expect = "expired: certificate CN=r1, C=US, O=picsec test has expired";
        notify = codec::NotifyType::InvalidCertificate;
    }
    SECTION("not yet valid")
    {
        const auto early = r.ca.issue("r1", "r1.example.net", "10.0.0.1", "", T + k_day, T + 90 * k_day);
        p = run(cert_config("10.0.0.1", "10.0.0.2", true, authenticator(early, {r.ca})), b_ok());
        expect = "not yet valid";
        notify = codec::NotifyType::InvalidCertificate;
    }
    SECTION("unknown CA")
    {
        const auto rogue_ca = TestCa::root("Rogue Root");
        const auto rogue = rogue_ca.issue("r1", "r1.example.net", "10.0.0.1");
        p = run(cert_config("10.0.0.1", "10.0.0.2", true, authenticator(rogue, {rogue_ca})), b_ok());
        expect = "unknown issuer";
        notify = codec::NotifyType::InvalidCertAuthority;
    }
    SECTION("revoked per CRL")
    {
        p = run(cert_config("10.0.0.1", "10.0.0.2", true, authenticator(r.r1, {r.ca})), b_ok(r.ca.crl({r.r1.cert})));
        expect = "revoked: certificate CN=r1, C=US, O=picsec test is revoked";
        notify = codec::NotifyType::InvalidCertificate;
    }
    SECTION("ID not matching the certificate")
    {
        p = run(cert_config("10.0.0.1", "10.0.0.2", true, authenticator(r.r1, {r.ca}), ExchangeMode::Main,
                            "r9.example.net"),
                b_ok());
        expect = "ID mismatch: peer ID r9.example.net is neither the subject nor a subjectAltName";
        notify = codec::NotifyType::InvalidIdInformation;
    }
    SECTION("tampered signature")
    {
        auto bad = std::make_shared<TamperingAuthenticator>(authenticator(r.r1, {r.ca}));
        p = run(cert_config("10.0.0.1", "10.0.0.2", true, bad), b_ok());
        expect = "bad signature: SIG does not verify";
        notify = codec::NotifyType::InvalidSignature;
    }
    SECTION("a key usage without digitalSignature")
    {
        Botan::X509_Cert_Options o;
        o.common_name = "r1";
        o.ip = "10.0.0.1";
        o.constraints = Botan::KEY_ENCIPHERMENT;
        auto key = new_key();
        auto req = Botan::X509::create_cert_req(o, *key, "SHA-256", pki_rng());
        Botan::X509_CA signer(r.ca.self.cert, *r.ca.self.key, "SHA-256", pki_rng());
        Issued enc{key, signer.sign_request(req, pki_rng(), Botan::X509_Time(T - k_day), Botan::X509_Time(T + k_day))};
        p = run(cert_config("10.0.0.1", "10.0.0.2", true, authenticator(enc, {r.ca})), b_ok());
        expect = "key usage";
        notify = codec::NotifyType::InvalidCertificate;
    }
    INFO(p->log_text.str());
    CHECK(nothing_installed(*p));
    CHECK(p->nb.p1_up.empty());
    CHECK(p->na.p1_up.empty());
    REQUIRE(p->nb.p1_failed.size() == 1);
    CHECK(p->nb.p1_failed[0].reason == FailureReason::AuthenticationFailed);
    CHECK(p->nb.p1_failed[0].notify == static_cast<std::uint16_t>(notify));
    CHECK(p->nb.p1_failed[0].detail.find(expect) != std::string::npos);
    // The initiator holds the same keys, so it is told in a protected
    // Informational (RFC 2409 5.7), reads it and gives up at once.
    REQUIRE(p->na.p1_failed.size() == 1);
    CHECK(p->na.p1_failed[0].reason == FailureReason::PeerNotify);
    CHECK(p->na.p1_failed[0].notify == static_cast<std::uint16_t>(notify));
    CHECK(p->log_text.str().find("informational: --> N(" + codec::to_string(notify) + ")") != std::string::npos);
    CHECK(p->log_text.str().find("phase 1 failed: authentication failed: peer certificate refused: " +
                                 p->nb.p1_failed[0].detail.substr(std::string("peer certificate refused: ").size())) !=
          std::string::npos);
}

TEST_CASE("the initiator refuses a responder whose certificate is revoked, in both modes", "[ike][v1][cert][refuse]")
{
    auto& r = routers();
    for (auto mode : {ExchangeMode::Main, ExchangeMode::Aggressive}) {
        auto p = run(cert_config("10.0.0.1", "10.0.0.2", true, authenticator(r.r1, {r.ca}, {}, r.ca.crl({r.r2.cert})),
                                 mode),
                     cert_config("10.0.0.2", "10.0.0.1", false, authenticator(r.r2, {r.ca}), mode));
        INFO(to_string(mode));
        CHECK(p->na.p1_up.empty());
        REQUIRE(p->na.p1_failed.size() == 1);
        CHECK(p->na.p1_failed[0].detail.find("CN=r2, C=US, O=picsec test is revoked") != std::string::npos);
        CHECK(nothing_installed(*p));
    }
}

TEST_CASE("a responder without a certificate refuses an rsa-signatures offer at message 1, naming authentication-method",
          "[ike][v1][cert][refuse]")
{
    auto& r = routers();
    for (const auto mode : {ExchangeMode::Main, ExchangeMode::Aggressive}) {
        INFO(to_string(mode));
        Pair p(cert_config("10.0.0.1", "10.0.0.2", true, authenticator(r.r1, {r.ca}), mode),
               cert_config("10.0.0.2", "10.0.0.1", false, none, mode));
        p.tick(0);
        // HDR, SA [, KE, Ni, IDii] -->  <-- HDR, N(NO-PROPOSAL-CHOSEN): B never chooses the proposal.
        REQUIRE(p.a_to_b());
        REQUIRE(p.nb.p1_failed.size() == 1);
        CHECK(p.nb.p1_failed[0].reason == FailureReason::NoProposalChosen);
        CHECK(p.nb.p1_failed[0].notify == static_cast<std::uint16_t>(codec::NotifyType::NoProposalChosen));
        CHECK(p.nb.p1_failed[0].detail.find("authentication-method theirs rsa-signatures ours rsa-signatures "
                                            "without a local certificate") != std::string::npos);
        CHECK(p.eb->ike_security_associations().empty());
        p.settle();
        CHECK(p.na.p1_up.empty());
        CHECK(p.nb.p1_up.empty());
        CHECK(nothing_installed(p));
        CHECK(p.log_text.str().find("no certificate configured to check the peer's SIG_I") == std::string::npos);
    }
}

/// Adds a pre-shared-key proposal after the policy's rsa-signatures one, with its key.
static void offer_psk_second(EngineConfig& c)
{
    c.ike_policies.front().proposals.push_back(ike_proposal("psk"));
    c.ike_policies.front().pre_shared_key = psk("juniper123");
}

TEST_CASE("a main mode responder without a certificate chooses the initiator's pre-shared-key proposal after its rsa-signatures one",
          "[ike][v1][main][cert]")
{
    auto& r = routers();
    {
        const auto mode = ExchangeMode::Main;
        // Both sides list an rsa-signatures proposal first and a pre-shared-key one second.
        auto a = cert_config("10.0.0.1", "10.0.0.2", true, authenticator(r.r1, {r.ca}), mode);
        auto b = cert_config("10.0.0.2", "10.0.0.1", false, none, mode);
        for (auto* c : {&a, &b})
            offer_psk_second(*c);
        auto p = run(std::move(a), std::move(b));
        INFO(p->log_text.str());
        REQUIRE(p->nb.p1_up.size() == 1);
        REQUIRE(p->na.p1_up.size() == 1);
        REQUIRE(p->nb.p1_up[0].proposal);
        CHECK(p->nb.p1_up[0].proposal->auth_method == crypto::AuthMethod::PreSharedKeys);
        CHECK(p->na.p1_up[0].proposal->auth_method == crypto::AuthMethod::PreSharedKeys);
        CHECK(p->na.installed.size() == 1);
        CHECK(p->nb.installed.size() == 1);
    }
}

TEST_CASE("an aggressive mode initiator offering rsa-signatures then pre-shared-keys accepts the responder's pre-shared-key choice",
          "[ike][v1][aggressive][cert]")
{
    auto& r = routers();
    const auto mode = ExchangeMode::Aggressive;
    // A offers [rsa-signatures, pre-shared-keys]; B has only the pre-shared-key proposal and no certificate.
    auto a = cert_config("10.0.0.1", "10.0.0.2", true, authenticator(r.r1, {r.ca}), mode);
    offer_psk_second(a);
    auto b = make_config("10.0.0.2", "10.0.0.1", false);
    b.ike_policies.front().mode = mode;
    b.ike_policies.front().proposals = {ike_proposal("psk")};
    Pair p(std::move(a), std::move(b));
    p.tick(0);
    // HDR, SA, KE, Ni, IDii, CERTREQ, VID, VID -->
    REQUIRE(p.a_to_b());
    // <-- HDR, SA, KE, Nr, IDir, HASH_R, VID, VID: the second transform, pre-shared-keys.
    REQUIRE(p.b_to_a());
    INFO(p.log_text.str());
    CHECK(p.log_text.str().find("unexpected payload") == std::string::npos);
    CHECK(p.na.p1_failed.empty());
    REQUIRE(p.na.p1_up.size() == 1);
    REQUIRE(p.na.p1_up[0].proposal);
    CHECK(p.na.p1_up[0].proposal->auth_method == crypto::AuthMethod::PreSharedKeys);
    CHECK(p.na.p1_up[0].mode == ExchangeMode::Aggressive);
    // HDR*, HASH_I, N(INITIAL-CONTACT) -->
    REQUIRE(p.a_to_b());
    REQUIRE(p.nb.p1_up.size() == 1);
    REQUIRE(p.nb.p1_up[0].proposal);
    CHECK(p.nb.p1_up[0].proposal->auth_method == crypto::AuthMethod::PreSharedKeys);
    p.settle();
    CHECK(p.na.installed.size() == 1);
    CHECK(p.nb.installed.size() == 1);
}

TEST_CASE("an aggressive mode initiator offering rsa-signatures then pre-shared-keys accepts the responder's rsa-signatures choice",
          "[ike][v1][aggressive][cert]")
{
    auto& r = routers();
    const auto mode = ExchangeMode::Aggressive;
    // A offers [rsa-signatures, pre-shared-keys]; B has only rsa-signatures, with a certificate.
    auto a = cert_config("10.0.0.1", "10.0.0.2", true, authenticator(r.r1, {r.ca}), mode);
    offer_psk_second(a);
    auto b = cert_config("10.0.0.2", "10.0.0.1", false, authenticator(r.r2, {r.ca}), mode);
    auto p = run(std::move(a), std::move(b));
    INFO(p->log_text.str());
    REQUIRE(p->na.p1_up.size() == 1);
    REQUIRE(p->nb.p1_up.size() == 1);
    REQUIRE(p->na.p1_up[0].proposal);
    CHECK(p->na.p1_up[0].proposal->auth_method == crypto::AuthMethod::RsaSignatures);
    CHECK(p->nb.p1_up[0].proposal->auth_method == crypto::AuthMethod::RsaSignatures);
    CHECK(p->na.installed.size() == 1);
    CHECK(p->nb.installed.size() == 1);
    CHECK(p->eb->ike_security_associations().at(0).peer_certificate_subject == "CN=r1, C=US, O=picsec test");
    CHECK(p->ea->ike_security_associations().at(0).peer_certificate_subject == "CN=r2, C=US, O=picsec test");
}

TEST_CASE("a fourth router enrolled with the CA negotiates with three others that change nothing",
          "[ike][v1][cert][enrol]")
{
    // Three routers with certificates from one CA; each answers any peer that
    // proves itself with a certificate from that CA (policy 0.0.0.0).
    const auto ca = TestCa::root("picsec Network CA");
    const char* addrs[] = {"10.0.1.1", "10.0.1.2", "10.0.1.3"};
    std::vector<EngineConfig> existing;
    for (const char* a : addrs) {
        auto c = cert_config(a, "0.0.0.0", false, authenticator(ca.issue(a, "", a), {ca}));
        c.ipsec_policies.front().name = "any-router";
        existing.push_back(c);
    }
    const auto existing_before = existing;

    // Later: r4 gets a key pair and a certificate; only r4 is configured.
    const auto r4_cert = ca.issue("10.0.1.4", "", "10.0.1.4");
    for (std::size_t i = 0; i < 3; ++i) {
        auto r4 = cert_config("10.0.1.4", addrs[i], true, authenticator(r4_cert, {ca}));
        r4.ipsec_policies.front().name = std::string("to-") + addrs[i];
        auto p = run(std::move(r4), existing[i]);
        INFO(addrs[i] << "\n" << p->log_text.str());
        REQUIRE(p->na.p1_up.size() == 1);
        REQUIRE(p->nb.p1_up.size() == 1);
        CHECK(p->na.installed.size() == 1);
        REQUIRE(p->nb.installed.size() == 1);
        CHECK(p->nb.installed.begin()->second.peer == addr("10.0.1.4"));
        CHECK(p->eb->ike_security_associations().at(0).peer_certificate_subject.find("CN=10.0.1.4") !=
              std::string::npos);
    }
    // The three configurations are exactly what they were before r4 existed.
    for (std::size_t i = 0; i < 3; ++i) {
        CHECK(existing[i].ike_policies.front().authenticator == existing_before[i].ike_policies.front().authenticator);
        CHECK(existing[i].ike_policies.front().peer == existing_before[i].ike_policies.front().peer);
    }
    // A router from another CA is still refused by them.
    const auto rogue_ca = TestCa::root("Rogue Root");
    auto rogue = cert_config("10.0.1.5", addrs[0], true, authenticator(rogue_ca.issue("r5", "", "10.0.1.5"), {rogue_ca}));
    auto p = run(std::move(rogue), existing[0]);
    CHECK(p->nb.p1_up.empty());
    CHECK(nothing_installed(*p));
}

TEST_CASE("first messages to a 0.0.0.0 policy are answered at most ten times a second per source address",
          "[ike][v1][cert][hostile]")
{
    // Each answered first message costs the responder a half-open SA, and in
    // Aggressive Mode a DH and a signature (RFC 2408 2.5.3 anti-clogging).
    const auto ca = TestCa::root("picsec Network CA");
    auto any = cert_config("10.0.1.1", "0.0.0.0", false, authenticator(ca.issue("10.0.1.1", "", "10.0.1.1"), {ca}));
    Pair p(cert_config("10.0.1.4", "10.0.1.1", true, authenticator(ca.issue("10.0.1.4", "", "10.0.1.4"), {ca})),
           any);
    p.tick(0);
    const Datagram first = p.na.outbox.front();  // HDR, SA, VID, VID -->
    auto copy_with_cookie = [&](std::uint8_t n) {
        auto bytes = first.bytes;
        bytes[7] = n;  // a distinct initiator cookie: a new negotiation each time
        return bytes;
    };
    for (std::uint8_t n = 0; n < 25; ++n)
        p.eb->received_datagram(copy_with_cookie(n), first.from, first.to);
    CHECK(p.nb.sent == 10);
    CHECK(p.log_text.str().find("more than 10 first messages this second to the 0.0.0.0 policy") != std::string::npos);
    // Another source address has its own allowance; the next second, so does this one.
    p.eb->received_datagram(copy_with_cookie(100), Endpoint{addr("10.0.1.5"), 500}, first.to);
    CHECK(p.nb.sent == 11);
    p.eb->tick(1000);
    p.eb->received_datagram(copy_with_cookie(101), first.from, first.to);
    CHECK(p.nb.sent == 12);
}

TEST_CASE("IKEv2 with rsa-signatures authenticates both certificates and installs the Child SA", "[ike][ikev2][cert]")
{
    auto& r = routers();
    auto a = cert_config("10.0.0.1", "10.0.0.2", true, authenticator(r.r1, {r.ca}));
    auto b = cert_config("10.0.0.2", "10.0.0.1", false, authenticator(r.r2, {r.ca}));
    a.ike_policies.front().version = IkeVersion::V2;
    b.ike_policies.front().version = IkeVersion::V2;
    auto p = run(std::move(a), std::move(b));
    REQUIRE(p->na.installed.size() == 1);
    REQUIRE(p->nb.installed.size() == 1);
    const auto a_view = p->ea->ike_security_associations().at(0);
    CHECK(a_view.version == IkeVersion::V2);
    CHECK(a_view.peer_certificate_subject == "CN=r2, C=US, O=picsec test");
    CHECK(a_view.peer_certificate_ca.find("CN=picsec Test Root") != std::string::npos);
    CHECK(a_view.peer_identity == "CN=r2, C=US, O=picsec test");
    CHECK(p->eb->ike_security_associations().at(0).peer_certificate_subject == "CN=r1, C=US, O=picsec test");
}

TEST_CASE("IKEv2 refuses a certificate from a CA it does not trust and installs nothing", "[ike][ikev2][cert]")
{
    auto& r = routers();
    static TestCa other = TestCa::root("Other Root");
    static Issued stranger = other.issue("r1", "r1.example.net", "10.0.0.1");
    auto a = cert_config("10.0.0.1", "10.0.0.2", true, authenticator(stranger, {r.ca}));
    auto b = cert_config("10.0.0.2", "10.0.0.1", false, authenticator(r.r2, {r.ca}));
    a.ike_policies.front().version = IkeVersion::V2;
    b.ike_policies.front().version = IkeVersion::V2;
    auto p = run(std::move(a), std::move(b));
    CHECK(nothing_installed(*p));
    REQUIRE(p->nb.p1_failed.size() == 1);
    CHECK(p->nb.p1_failed[0].reason == FailureReason::AuthenticationFailed);
    CHECK(p->nb.p1_failed[0].detail.find("CN=r1") != std::string::npos);
    CHECK(p->na.p1_failed.size() == 1);
}
