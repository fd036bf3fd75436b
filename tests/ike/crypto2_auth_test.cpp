// IKEv2 AUTH (RFC 7296 2.15, RFC 7427): strongSwan's shared-key MICs and RSA
// signatures reproduced and verified, sign/verify round trips, refusals.
#include "crypto2_sample.h"
#include "picsec/ike/crypto/types.h"
#include "picsec/ike/v2/crypto/auth.h"
#include "picsec/ike/v2/crypto/sk.h"

#include <botan/asn1_obj.h>
#include <botan/auto_rng.h>
#include <botan/ber_dec.h>
#include <botan/pubkey.h>
#include <botan/ec_group.h>
#include <botan/ecdsa.h>
#include <botan/rsa.h>
#include <botan/x509cert.h>

#include <catch2/catch.hpp>

using namespace picsec;
using namespace picsec::ike::v2::crypto;
using namespace picsec::ike::v2::crypto::test;

namespace {

const Suite k_psk_suite{algo::EncryptionAlgorithm::Aes256Cbc, algo::HashAlgorithm::Sha256,
                        algo::AuthenticationAlgorithm::HmacSha256_128, algo::DhGroup::Modp2048};
// v2-cert-rsa negotiated ECP 256, which does not enter these computations.
const Suite k_cert_suite{algo::EncryptionAlgorithm::Aes128Cbc, algo::HashAlgorithm::Sha256,
                         algo::AuthenticationAlgorithm::HmacSha256_128, algo::DhGroup::Modp2048};

// The inner payloads of an IKE_AUTH message sent as SKF fragments by one side.
std::vector<Payload> open_fragments(const V2Transcript& t, std::initializer_list<const char*> keys, SkKeys sk) {
    Bytes inner;
    std::uint8_t first = 0;
    for (const char* key : keys) {
        const Bytes fragment = t.sample.bytes(key);
        if (first == 0) first = fragment.at(k_header);
        const auto part = sk_open(t.suite, sk, fragment, k_header + 8);
        if (!part) throw std::runtime_error(part.error());
        inner.insert(inner.end(), part->begin(), part->end());
    }
    return walk(first, inner);
}

const Botan::RSA_PrivateKey& test_key(int which) {
    static Botan::AutoSeeded_RNG rng;
    static const Botan::RSA_PrivateKey a(rng, 1024), b(rng, 1024);
    return which == 0 ? a : b;
}

}  // namespace

TEST_CASE("psk_auth reproduces the AUTH strongSwan sent as initiator and as responder",
          "[ike][v2][crypto][auth][kat]") {
    const V2Transcript t("v2-psk-modp2048", k_psk_suite);
    const auto& s = t.sample;
    const Bytes psk = s.bytes("psk");
    const Bytes request = s.bytes("msg3"), response = s.bytes("msg4");
    const auto req = sk_open(t.suite, {t.keys.sk_ei, t.keys.sk_ai}, request, k_header + 4);
    const auto resp = sk_open(t.suite, {t.keys.sk_er, t.keys.sk_ar}, response, k_header + 4);
    REQUIRE(req.ok());
    REQUIRE(resp.ok());
    const auto req_payloads = walk(request.at(k_header), *req);
    const auto resp_payloads = walk(response.at(k_header), *resp);

    // Initiator: its IKE_SA_INIT request | Nr | prf(SK_pi, IDi body).
    const auto octets_i = signed_octets(algo::HashAlgorithm::Sha256, t.init_i, t.nr, t.keys.sk_pi,
                                        first_of(req_payloads, IDi).body);
    CHECK(to_hex(octets_i) == s.text("log.octets_=_message_+_nonce_+_prf(Sk_px,_IDx').1"));
    const Bytes auth_i = first_of(req_payloads, AUTH).body;
    REQUIRE(auth_i.at(0) == 2);  // Shared Key Message Integrity Code
    const Bytes mic_i(auth_i.begin() + 4, auth_i.end());
    CHECK(to_hex(psk_auth(algo::HashAlgorithm::Sha256, psk, octets_i)) == to_hex(mic_i));
    CHECK(to_hex(mic_i) == s.text("log.AUTH_=_prf(prf(secret,_keypad),_octets).1"));
    CHECK(psk_auth_matches(algo::HashAlgorithm::Sha256, psk, octets_i, mic_i));

    // Responder: its IKE_SA_INIT response | Ni | prf(SK_pr, IDr body).
    const auto octets_r = signed_octets(algo::HashAlgorithm::Sha256, t.init_r, t.ni, t.keys.sk_pr,
                                        first_of(resp_payloads, IDr).body);
    CHECK(to_hex(octets_r) == s.text("log.octets_=_message_+_nonce_+_prf(Sk_px,_IDx').2"));
    const Bytes auth_r = first_of(resp_payloads, AUTH).body;
    const Bytes mic_r(auth_r.begin() + 4, auth_r.end());
    CHECK(psk_auth_matches(algo::HashAlgorithm::Sha256, psk, octets_r, mic_r));
    CHECK(to_hex(mic_r) == s.text("log.AUTH_=_prf(prf(secret,_keypad),_octets).2"));

    // A wrong key, a cut MIC or the other side's octets do not match.
    Bytes wrong_psk = psk;
    wrong_psk.back() ^= 1;
    CHECK_FALSE(psk_auth_matches(algo::HashAlgorithm::Sha256, wrong_psk, octets_r, mic_r));
    CHECK_FALSE(psk_auth_matches(algo::HashAlgorithm::Sha256, psk, octets_r, Bytes(mic_r.begin(), mic_r.end() - 1)));
    CHECK_FALSE(psk_auth_matches(algo::HashAlgorithm::Sha256, psk, octets_i, mic_r));
}

TEST_CASE("rsa_verify accepts strongSwan's RFC 7427 sha256WithRSAEncryption AUTHs with the peers' certificates",
          "[ike][v2][crypto][auth][kat]") {
    const V2Transcript t("v2-cert-rsa", k_cert_suite);
    const auto& s = t.sample;
    struct Side {
        std::initializer_list<const char*> fragments;
        SkKeys keys;
        std::uint8_t id;
        const Bytes& init;
        const Bytes& nonce_peer;
        const Botan::secure_vector<std::uint8_t>& sk_p;
        const char* logged_octets;
    };
    const Side sides[] = {
        {{"msg3", "msg4"}, {t.keys.sk_ei, t.keys.sk_ai}, IDi, t.init_i, t.nr, t.keys.sk_pi,
         "log.octets_=_message_+_nonce_+_prf(Sk_px,_IDx').1"},
        {{"msg5", "msg6"}, {t.keys.sk_er, t.keys.sk_ar}, IDr, t.init_r, t.ni, t.keys.sk_pr,
         "log.octets_=_message_+_nonce_+_prf(Sk_px,_IDx').2"},
    };
    std::vector<std::unique_ptr<Botan::Public_Key>> keys;
    std::vector<Bytes> auths, octets;
    for (const auto& side : sides) {
        const auto payloads = open_fragments(t, side.fragments, side.keys);
        const auto octs = signed_octets(algo::HashAlgorithm::Sha256, side.init, side.nonce_peer, side.sk_p,
                                        first_of(payloads, side.id).body);
        CHECK(to_hex(octs) == s.text(side.logged_octets));
        const Bytes cert = first_of(payloads, CERT).body;
        REQUIRE(cert.at(0) == 4);  // X.509 Certificate - Signature
        const Botan::X509_Certificate x509(cert.data() + 1, cert.size() - 1);
        auto key = x509.load_subject_public_key();
        const Bytes auth = first_of(payloads, AUTH).body;
        REQUIRE(auth.at(0) == 14);  // Digital Signature
        const Bytes data(auth.begin() + 4, auth.end());
        CHECK(digital_signature_scheme(data).value() == SignatureScheme::RsaPkcs1Sha256);
        CHECK(rsa_verify(14, data, *key, octs));
        CHECK_FALSE(rsa_verify(1, data, *key, octs));  // the same bytes are no method-1 signature
        keys.push_back(std::move(key));
        auths.push_back(data);
        octets.push_back(octs);
    }
    // Each side's AUTH fails with the other's certificate and over the other's octets.
    CHECK_FALSE(rsa_verify(14, auths[0], *keys[1], octets[0]));
    CHECK_FALSE(rsa_verify(14, auths[1], *keys[1], octets[0]));
}

TEST_CASE("rsa_sign and rsa_verify round trip for each scheme, and a wrong key or message fails",
          "[ike][v2][crypto][auth]") {
    Botan::AutoSeeded_RNG rng;
    const Bytes octets = hex("00112233445566778899aabbccddeeff0123");
    for (const auto scheme :
         {SignatureScheme::RsaPkcs1Sha1, SignatureScheme::RsaPkcs1Sha256, SignatureScheme::RsaPssSha256}) {
        const auto data = rsa_sign(scheme, test_key(0), octets, rng);
        const std::uint8_t method = auth_method(scheme);
        CHECK(rsa_verify(method, data, test_key(0), octets));
        CHECK_FALSE(rsa_verify(method, data, test_key(1), octets));
        Bytes other = octets;
        other[0] ^= 1;
        CHECK_FALSE(rsa_verify(method, data, test_key(0), other));
        Bytes flipped = data;
        flipped.back() ^= 1;
        CHECK_FALSE(rsa_verify(method, flipped, test_key(0), octets));
        CHECK_FALSE(rsa_verify(2, data, test_key(0), octets));  // a shared-key method is no signature
        if (method == 14) CHECK(digital_signature_scheme(data).value() == scheme);
    }
    CHECK(auth_method(SignatureScheme::RsaPkcs1Sha1) == 1);
    CHECK(auth_method(SignatureScheme::RsaPssSha256) == 14);
}

TEST_CASE("method-14 AUTH data carries the RFC 7427 AlgorithmIdentifier DER after its length octet",
          "[ike][v2][crypto][auth]") {
    Botan::AutoSeeded_RNG rng;
    const Bytes octets(10, 0x77);
    const auto pkcs1 = rsa_sign(SignatureScheme::RsaPkcs1Sha256, test_key(0), octets, rng);
    // RFC 7427 A.3.3: sha256WithRSAEncryption with NULL parameters.
    CHECK(to_hex(Bytes(pkcs1.begin(), pkcs1.begin() + 16)) == "0f300d06092a864886f70d01010b0500");
    CHECK(pkcs1.size() == 16 + 128);
    const auto pss = rsa_sign(SignatureScheme::RsaPssSha256, test_key(0), octets, rng);
    CHECK(pss.at(0) == 0x43);
    CHECK(to_hex(Bytes(pss.begin() + 1, pss.begin() + 14)) == "304106092a864886f70d01010a");
}

TEST_CASE("rsa_verify rejects unknown or malformed AlgorithmIdentifiers and accepts an explicit PSS trailer field",
          "[ike][v2][crypto][auth]") {
    Botan::AutoSeeded_RNG rng;
    const Bytes octets(10, 0x66);
    const auto pss = rsa_sign(SignatureScheme::RsaPssSha256, test_key(0), octets, rng);
    const Bytes signature(pss.begin() + 1 + 0x43, pss.end());

    // RSASSA-PSS with salt 20: a valid encoding we do not support.
    Bytes salt20 = pss;
    REQUIRE(salt20.at(0x43) == 0x20);
    salt20[0x43] = 0x14;
    CHECK_FALSE(digital_signature_scheme(salt20).ok());
    CHECK_FALSE(rsa_verify(14, salt20, test_key(0), octets));

    // The trailerField [3] 1 spelled out (as BER allows and some peers send).
    Bytes trailer = {0x48, 0x30, 0x46};
    trailer.insert(trailer.end(), pss.begin() + 3, pss.begin() + 14);   // OID
    trailer.insert(trailer.end(), {0x30, 0x39});
    trailer.insert(trailer.end(), pss.begin() + 16, pss.begin() + 1 + 0x43);  // [0] [1] [2]
    trailer.insert(trailer.end(), {0xa3, 0x03, 0x02, 0x01, 0x01});
    trailer.insert(trailer.end(), signature.begin(), signature.end());
    CHECK(digital_signature_scheme(trailer).value() == SignatureScheme::RsaPssSha256);
    CHECK(rsa_verify(14, trailer, test_key(0), octets));

    // sha1WithRSAEncryption (1.2.840.113549.1.1.5) is not on our list.
    Bytes sha1 = rsa_sign(SignatureScheme::RsaPkcs1Sha256, test_key(0), octets, rng);
    sha1[13] = 0x05;
    const auto named = digital_signature_scheme(sha1);
    REQUIRE_FALSE(named.ok());
    CHECK(named.error().rfind("AUTH: unsupported signature algorithm 1.2.840.113549.1.1.5", 0) == 0);
    CHECK_FALSE(rsa_verify(14, sha1, test_key(0), octets));

    // Lengths that do not add up, and garbage, never crash.
    CHECK_FALSE(rsa_verify(14, Bytes{}, test_key(0), octets));
    CHECK(digital_signature_scheme(Bytes{0x20, 0x30}).error() ==
          "AUTH: AlgorithmIdentifier truncated (got 1 bytes, need 32)");
    for (std::size_t len = 0; len < 1 + 0x43; ++len)
        CHECK_FALSE(
            rsa_verify(14, Bytes(pss.begin(), pss.begin() + static_cast<std::ptrdiff_t>(len)), test_key(0), octets));
    CHECK_FALSE(digital_signature_scheme(Bytes{0x02, 0xff, 0xff}).ok());
}

TEST_CASE("SIGNATURE_HASH_ALGORITHMS offers SHA2-256 and parses a peer's list", "[ike][v2][crypto][auth]") {
    CHECK(signature_hash_algorithms_data() == Bytes{0x00, 0x02});
    // strongSwan's IKE_SA_INIT notify: sha256 sha384 sha512 identity.
    CHECK(parse_signature_hash_algorithms(hex("0002000300040005")).value() == std::vector<std::uint16_t>{2, 3, 4, 5});
    CHECK(parse_signature_hash_algorithms(Bytes{}).value().empty());
    CHECK(parse_signature_hash_algorithms(Bytes{0, 2, 0}).error() ==
          "SIGNATURE_HASH_ALGORITHMS: odd length (got 3 bytes, need a multiple of 2)");
}

TEST_CASE("RSA AUTH refuses keys of other types", "[ike][v2][crypto][auth]") {
    Botan::AutoSeeded_RNG rng;
    const Botan::ECDSA_PrivateKey ecdsa(rng, Botan::EC_Group("secp256r1"));
    const Bytes octets(10, 0x55);
    CHECK_THROWS_AS(rsa_sign(SignatureScheme::RsaPkcs1Sha256, ecdsa, octets, rng), picsec::ike::crypto::CryptoError);
    for (const auto scheme :
         {SignatureScheme::RsaPkcs1Sha1, SignatureScheme::RsaPkcs1Sha256, SignatureScheme::RsaPssSha256}) {
        const auto data = rsa_sign(scheme, test_key(0), octets, rng);
        CHECK_FALSE(rsa_verify(auth_method(scheme), data, ecdsa, octets));
    }
}

TEST_CASE("an RSA-PSS AUTH carries RFC 7427 A.4.3's AlgorithmIdentifier and verifies with Botan's PSS verifier alone",
          "[ike][v2][crypto][auth][pss]") {
    // RFC 7427 Appendix A.4.3, "RSASSA-PSS with SHA-256": RFC 8017's
    // id-RSASSA-PSS with RSASSA-PSS-params {SHA-256, MGF1 with SHA-256, salt 32}, 67 octets.
    const Bytes rfc7427_a43 = hex(
        "304106092a864886f70d01010a3034a00f300d06096086480165030402010500"
        "a11c301a06092a864886f70d010108300d06096086480165030402010500a203020120");
    REQUIRE(rfc7427_a43.size() == 67);
    Botan::AutoSeeded_RNG rng;
    const Bytes octets = hex("5369676e6564206f637465747320666f72206120504b4353233120747374");
    const auto data = rsa_sign(SignatureScheme::RsaPssSha256, test_key(0), octets, rng);
    REQUIRE(data.size() == 1 + 67 + 128);  // the 1024-bit test key
    CHECK(data[0] == 67);
    CHECK(Bytes(data.begin() + 1, data.begin() + 68) == rfc7427_a43);
    const Bytes signature(data.begin() + 68, data.end());

    // Botan's own verifier, not rsa_verify(): PSS with SHA-256, MGF1 and 32 octets of salt.
    const Botan::Public_Key& key = test_key(0);
    CHECK(Botan::PK_Verifier(key, "PSSR(SHA-256,MGF1,32)").verify_message(octets, signature));
    CHECK_FALSE(Botan::PK_Verifier(key, "EMSA3(SHA-256)").verify_message(octets, signature));
    Bytes other = octets;
    other.back() ^= 1;
    CHECK_FALSE(Botan::PK_Verifier(key, "PSSR(SHA-256,MGF1,32)").verify_message(other, signature));
    // PSS is randomized (its salt): two signatures differ, both verify.
    const auto again = rsa_sign(SignatureScheme::RsaPssSha256, test_key(0), octets, rng);
    CHECK(again != data);
    CHECK(rsa_verify(14, again, key, octets));

    // The AlgorithmIdentifier decodes as RFC 4055 3.1 says.
    Botan::AlgorithmIdentifier alg;
    Botan::BER_Decoder(rfc7427_a43).decode(alg).verify_end();
    CHECK(alg.get_oid().to_string() == "1.2.840.113549.1.1.10");
    CHECK(digital_signature_scheme(data).value() == SignatureScheme::RsaPssSha256);
}
