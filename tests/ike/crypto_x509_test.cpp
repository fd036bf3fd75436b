// RSA signatures and X.509 checks against a real strongSwan Main Mode with
// certificates (sample v1-cert-rsa): its HASH_I / HASH_R from the key log, the
// decrypted MM5 / MM6 payload chains, and the lab PKI that made them.
#include "picsec/ike/crypto/x509.h"

#include <botan/auto_rng.h>
#include <botan/hex.h>

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <map>
#include <sstream>

using namespace picsec::ike::crypto;

namespace {

Bytes read(const std::string& name)
{
    std::ifstream f(std::string(PICSEC_TEST_DATA) + "/crypto/strongswan-pki/" + name, std::ios::binary);
    REQUIRE(f.good());
    return Bytes(std::istreambuf_iterator<char>(f), {});
}

Bytes hex(const std::string& s) { return Botan::hex_decode(s); }

/// The decrypted payload chain of a real message (codec vectors file), as
/// payload type -> bodies, walked by the generic header (RFC 2408 3.2).
std::multimap<int, Bytes> chain(const std::string& name)
{
    std::ifstream f(std::string(PICSEC_TEST_DATA) + "/codec/real_messages.txt");
    REQUIRE(f.good());
    std::string line, hexs, first;
    bool in = false;
    while (std::getline(f, line)) {
        if (line == "[" + name + "]")
            in = true;
        else if (in && line.rfind("first: ", 0) == 0)
            first = line.substr(7);
        else if (in && line.rfind("hex: ", 0) == 0) {
            hexs = line.substr(5);
            break;
        }
    }
    REQUIRE(!hexs.empty());
    const auto b = hex(hexs);
    std::multimap<int, Bytes> out;
    int type = std::stoi(first);
    std::size_t at = 0;
    while (type != 0 && at + 4 <= b.size()) {
        const int next = b[at];
        const std::size_t len = (std::size_t{b[at + 2]} << 8) | b[at + 3];
        REQUIRE(len >= 4);
        REQUIRE(at + len <= b.size());
        out.emplace(type, Bytes(b.begin() + at + 4, b.begin() + at + len));
        at += len;
        type = next;
    }
    return out;
}

// From the initiator's LOGLEVEL 4 log of the sample (A.log.gz).
const Bytes k_hash_i = hex("E394D60DE18CE2A7539459D0529FD69E425E73FD1671336699D717DD3A1A1F61");
const Bytes k_hash_r = hex("A4F3B0BE3E39D7E7258778894F923F0535507CE5D9AEB0BC3AF63071B1E9CB2B");

constexpr int k_cert = 6, k_sig = 9;

// The sample ran on 2026-11-25 around 20:41 UTC.
const auto k_sample_time = std::chrono::system_clock::from_time_t(1795639260);

X509Settings a_settings()
{
    X509Settings s;
    s.local_chain = {parse_certificate(read("a.lab.crt"))};
    s.key = parse_private_key(read("a.lab.key"));
    s.authorities = {{"lab-ca", parse_certificate(read("ca.crt")), std::nullopt}};
    s.clock = [] { return k_sample_time; };
    return s;
}

PeerIdentity fqdn(const std::string& n) { return {PeerIdentity::Type::Fqdn, Bytes(n.begin(), n.end())}; }

}  // namespace

TEST_CASE("SIG_I is PKCS#1 type 1 over the raw HASH_I, byte for byte as strongSwan signed it",
          "[ike][crypto][x509][real]")
{
    const auto mm5 = chain("v1-cert-rsa#5");
    const auto sig = mm5.find(k_sig)->second;
    const auto key = parse_private_key(read("a.lab.key"));
    Botan::AutoSeeded_RNG rng;
    // PKCS#1 v1.5 signatures are deterministic: ours must equal strongSwan's.
    CHECK(sign_raw_pkcs1(*key, k_hash_i, rng) == sig);
    const auto& cert_body = mm5.find(k_cert)->second;  // encoding octet, then the DER
    const auto cert = parse_certificate(Bytes(cert_body.begin() + 1, cert_body.end()));
    CHECK(verify_raw_pkcs1(*cert.load_subject_public_key(), k_hash_i, sig));
    auto other = k_hash_i;
    other[0] ^= 1;
    CHECK_FALSE(verify_raw_pkcs1(*cert.load_subject_public_key(), other, sig));
    CHECK(key_matches(cert, *key));
}

TEST_CASE("the responder's certificate and SIG_R from the sample validate to the lab CA", "[ike][crypto][x509][real]")
{
    const auto mm6 = chain("v1-cert-rsa#6");
    const auto& cert_body = mm6.find(k_cert)->second;
    REQUIRE(cert_body.at(0) == 4);  // RFC 2408 3.9: X.509 Certificate - Signature
    const Bytes der(cert_body.begin() + 1, cert_body.end());
    const auto sig = mm6.find(k_sig)->second;
    const X509Authenticator auth(a_settings());

    const auto ok = auth.verify_peer({der}, fqdn("b.lab"), k_hash_r, sig);
    CHECK(ok.verdict == PeerVerdict::Accepted);
    CHECK(ok.subject == "C=CH, O=IKE Lab, CN=b.lab");
    CHECK(ok.ca.find("CN=IKE Lab Root CA") != std::string::npos);
    CHECK(ok.ca.find("lab-ca") != std::string::npos);

    CHECK(auth.verify_peer({der}, fqdn("c.lab"), k_hash_r, sig).verdict == PeerVerdict::IdMismatch);
    CHECK(auth.verify_peer({der}, fqdn("b.lab"), k_hash_i, sig).verdict == PeerVerdict::BadSignature);
    CHECK(auth.verify_peer({}, fqdn("b.lab"), k_hash_r, sig).verdict == PeerVerdict::NoCertificate);
    auto broken = der;
    broken.resize(broken.size() / 2);
    CHECK(auth.verify_peer({broken}, fqdn("b.lab"), k_hash_r, sig).verdict == PeerVerdict::BadCertificate);

    auto later = a_settings();
    later.clock = [] { return k_sample_time + std::chrono::hours(24 * 365 * 6); };
    const auto expired = X509Authenticator(later).verify_peer({der}, fqdn("b.lab"), k_hash_r, sig);
    CHECK(expired.verdict == PeerVerdict::Expired);
    CHECK(expired.detail.find("has expired") != std::string::npos);

    auto self_only = a_settings();
    self_only.authorities.clear();
    CHECK(X509Authenticator(self_only).verify_peer({der}, fqdn("b.lab"), k_hash_r, sig).verdict ==
          PeerVerdict::UnknownIssuer);
}

TEST_CASE("DN identities encode from text and match the certificate subject in any attribute order",
          "[ike][crypto][x509]")
{
    const X509Authenticator auth(a_settings());
    const auto der = auth.encode_dn("C=CH, O=IKE Lab, CN=a.lab");
    REQUIRE_FALSE(der.empty());
    CHECK(auth.describe_dn(der) == "C=CH, O=IKE Lab, CN=a.lab");
    const auto cert = parse_certificate(read("a.lab.crt"));
    CHECK(identity_matches(cert, {PeerIdentity::Type::DerAsn1Dn, der}));
    CHECK(identity_matches(cert, {PeerIdentity::Type::DerAsn1Dn, auth.encode_dn("CN=a.lab/O=IKE Lab/C=CH")}));
    CHECK_FALSE(identity_matches(cert, {PeerIdentity::Type::DerAsn1Dn, auth.encode_dn("C=CH, O=IKE Lab, CN=b.lab")}));
    CHECK(auth.local_subject() == cert.raw_subject_dn());
    CHECK(auth.encode_dn("no equals sign").empty());
}

TEST_CASE("an authenticator refuses a key pair that does not belong to its certificate", "[ike][crypto][x509]")
{
    auto s = a_settings();
    s.local_chain = {parse_certificate(read("b.lab.crt"))};
    CHECK_THROWS_AS(X509Authenticator(s), CryptoError);
    CHECK_THROWS_AS(parse_certificate(Bytes{0x30, 0x03, 0x02, 0x01}), CryptoError);
    CHECK_THROWS_AS(parse_private_key(Bytes{'x'}), CryptoError);
}
