// Certificate subjects and peer identities reach logs, IkeSaInfo and show
// output as one escaped line: a peer's certificate or ID with a newline
// cannot forge log lines (codec::printable).
#include "cert_test_pki.h"

#include <botan/auto_rng.h>

#include <catch2/catch.hpp>

#include <string>

using namespace picsec::ike;
using namespace picsec::ike::crypto;

namespace {

constexpr const char* k_forged = "evil\n[info] phase 1 established";

PeerIdentity name_id(PeerIdentity::Type t, const std::string& n) { return {t, Bytes(n.begin(), n.end())}; }

Bytes dn_der(const std::string& cn)
{
    Botan::X509_DN dn;
    dn.add_attribute("X520.Country", "US");
    dn.add_attribute("X520.CommonName", cn);
    return dn.BER_encode();
}

}  // namespace

TEST_CASE("FQDN and USER_FQDN peer identities describe as one escaped line", "[ike][crypto][x509][printable]")
{
    CHECK(describe(name_id(PeerIdentity::Type::Fqdn, k_forged)) == "evil\\x0a[info] phase 1 established");
    CHECK(describe(name_id(PeerIdentity::Type::UserFqdn, "a\\b@example.org\r\n")) == "a\\x5cb@example.org\\x0d\\x0a");
    CHECK(describe(name_id(PeerIdentity::Type::Fqdn, "r1.example.net")) == "r1.example.net");
    CHECK(describe(PeerIdentity{PeerIdentity::Type::Ipv4, {192, 0, 2, 1}}) == "192.0.2.1");
}

TEST_CASE("a DER DN identity with control bytes in a value describes escaped", "[ike][crypto][x509][printable]")
{
    CHECK(describe(PeerIdentity{PeerIdentity::Type::DerAsn1Dn, dn_der(k_forged)}) ==
          "C=US, CN=evil\\x0a[info] phase 1 established");
    CHECK(describe(PeerIdentity{PeerIdentity::Type::DerAsn1Dn, dn_der("r1")}) == "C=US, CN=r1");
}

TEST_CASE("a peer certificate whose subject holds a newline is named escaped in the check result",
          "[ike][crypto][x509][printable]")
{
    const auto ca = test::TestCa::root("Test CA");
    const auto mine = ca.issue("r1", "r1.picsec.test");
    const auto peer = ca.issue(k_forged, "r2.picsec.test");
    const auto auth = test::authenticator(mine, {ca});

    const Bytes hash(32, 0x42);
    Botan::AutoSeeded_RNG rng;
    const auto sig = sign_raw_pkcs1(*peer.key, hash, rng);
    const auto ok = auth->verify_peer({peer.cert.BER_encode()}, name_id(PeerIdentity::Type::Fqdn, "r2.picsec.test"),
                                      hash, sig);
    REQUIRE(ok.verdict == PeerVerdict::Accepted);
    CHECK(ok.subject == "CN=evil\\x0a[info] phase 1 established, C=US, O=picsec test");
    CHECK(ok.detail.find('\n') == std::string::npos);
    CHECK(ok.detail.find("CN=evil\\x0a[info]") != std::string::npos);
    CHECK(auth->describe_dn(peer.cert.raw_subject_dn()) == ok.subject);

    // The ID mismatch line names both the peer's ID and the subject, escaped.
    const auto mismatch = auth->verify_peer({peer.cert.BER_encode()},
                                            name_id(PeerIdentity::Type::Fqdn, "x\n[info] y"), hash, sig);
    CHECK(mismatch.verdict == PeerVerdict::IdMismatch);
    CHECK(mismatch.detail ==
          "peer ID x\\x0a[info] y is neither the subject nor a subjectAltName of certificate "
          "CN=evil\\x0a[info] phase 1 established, C=US, O=picsec test");
}
