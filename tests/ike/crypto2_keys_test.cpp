// IKEv2 prf+, IKE SA key derivation and Child SA KEYMAT (RFC 7296 2.13, 2.14,
// 2.17, 2.18), with known answers from strongSwan's LOGLEVEL 4 log.
#include "crypto2_sample.h"
#include "picsec/ike/crypto/types.h"
#include "picsec/ike/v2/crypto/keys.h"

#include <catch2/catch.hpp>

#include <utility>

using namespace picsec;
using namespace picsec::ike::v2::crypto;
using namespace picsec::ike::v2::crypto::test;

namespace {

const Suite k_psk_suite{algo::EncryptionAlgorithm::Aes256Cbc, algo::HashAlgorithm::Sha256,
                        algo::AuthenticationAlgorithm::HmacSha256_128, algo::DhGroup::Modp2048};

Bytes concat(std::initializer_list<std::span<const std::uint8_t>> parts) {
    Bytes out;
    for (const auto p : parts) out.insert(out.end(), p.begin(), p.end());
    return out;
}

}  // namespace

TEST_CASE("prf+ starts with prf(K, S | 0x01) and chains T(n-1) | S | n", "[ike][v2][crypto][prf]") {
    const Bytes key = hex("000102030405060708090a0b0c0d0e0f");
    const Bytes seed = hex("a0a1a2a3a4a5");
    for (const auto h : {algo::HashAlgorithm::Md5, algo::HashAlgorithm::Sha1, algo::HashAlgorithm::Sha256}) {
        const std::size_t block = algo::info(h).output_bytes;
        const auto stream = prf_plus(h, key, seed, 2 * block + 3);
        REQUIRE(stream.size() == 2 * block + 3);
        const Bytes one{0x01}, two{0x02}, three{0x03};
        const auto t1 = prf(h, key, concat({seed, one}));
        const auto t2 = prf(h, key, concat({t1, seed, two}));
        const auto t3 = prf(h, key, concat({t2, seed, three}));
        CHECK(Bytes(stream.begin(), stream.begin() + block) == Bytes(t1.begin(), t1.end()));
        CHECK(Bytes(stream.begin() + block, stream.begin() + 2 * block) == Bytes(t2.begin(), t2.end()));
        CHECK(Bytes(stream.begin() + 2 * block, stream.end()) == Bytes(t3.begin(), t3.begin() + 3));
        const auto shorter = prf_plus(h, key, seed, 5);
        CHECK(Bytes(shorter.begin(), shorter.end()) == Bytes(stream.begin(), stream.begin() + 5));
    }
}

TEST_CASE("prf+ yields at most 255 PRF outputs, its counter being one octet", "[ike][v2][crypto][prf]") {
    const Bytes key(32, 0x11), seed(8, 0x22);
    CHECK(prf_plus(algo::HashAlgorithm::Sha256, key, seed, 255 * 32).size() == 255 * 32);
    CHECK_THROWS_AS(prf_plus(algo::HashAlgorithm::Sha256, key, seed, 255 * 32 + 1), ike::crypto::CryptoError);
    CHECK_THROWS_WITH(prf_plus(algo::HashAlgorithm::Sha1, key, seed, 255 * 20 + 1),
                      "prf+: output too long (got 5101 bytes, need at most 5100)");
    CHECK(prf_plus(algo::HashAlgorithm::Sha1, key, seed, 0).empty());
}

TEST_CASE("IKE SA keys reproduce strongSwan's SK_d, SK_ai/ar, SK_ei/er and SK_pi/pr (AES-256, SHA-256, MODP 2048)",
          "[ike][v2][crypto][kat]") {
    const V2Transcript t("v2-psk-modp2048", k_psk_suite);
    const auto& s = t.sample;
    CHECK(t.ni.size() == 32);
    CHECK(to_hex(t.ni) + to_hex(t.nr) == s.text("log.seed.1"));
    const auto skeyseed =
        prf(algo::HashAlgorithm::Sha256, concat({t.ni, t.nr}), s.bytes("log.shared_Diffie_Hellman_secret.1"));
    CHECK(to_hex(skeyseed) == s.text("log.SKEYSEED.1"));
    CHECK(to_hex(t.keys.sk_d) == s.text("log.Sk_d_secret.1"));
    CHECK(to_hex(t.keys.sk_ai) == s.text("log.Sk_ai_secret.1"));
    CHECK(to_hex(t.keys.sk_ar) == s.text("log.Sk_ar_secret.1"));
    CHECK(to_hex(t.keys.sk_ei) == s.text("log.Sk_ei_secret.1"));
    CHECK(to_hex(t.keys.sk_er) == s.text("log.Sk_er_secret.1"));
    CHECK(to_hex(t.keys.sk_pi) == s.text("log.Sk_pi_secret.1"));
    CHECK(to_hex(t.keys.sk_pr) == s.text("log.Sk_pr_secret.1"));
}

TEST_CASE("IKE SA keys reproduce strongSwan's with AES-128 keys of another length than the PRF's",
          "[ike][v2][crypto][kat]") {
    // v2-cert-rsa negotiated ECP 256; the group does not enter the derivation.
    const Suite suite{algo::EncryptionAlgorithm::Aes128Cbc, algo::HashAlgorithm::Sha256,
                      algo::AuthenticationAlgorithm::HmacSha256_128, algo::DhGroup::Modp2048};
    const V2Transcript t("v2-cert-rsa", suite);
    const auto& s = t.sample;
    CHECK(to_hex(t.keys.sk_d) == s.text("log.Sk_d_secret.1"));
    CHECK(to_hex(t.keys.sk_ai) == s.text("log.Sk_ai_secret.1"));
    CHECK(to_hex(t.keys.sk_ar) == s.text("log.Sk_ar_secret.1"));
    CHECK(to_hex(t.keys.sk_ei) == s.text("log.Sk_ei_secret.1"));
    CHECK(to_hex(t.keys.sk_er) == s.text("log.Sk_er_secret.1"));
    CHECK(to_hex(t.keys.sk_pi) == s.text("log.Sk_pi_secret.1"));
    CHECK(to_hex(t.keys.sk_pr) == s.text("log.Sk_pr_secret.1"));
}

TEST_CASE("the first Child SA's KEYMAT reproduces strongSwan's ESP keys (no PFS)", "[ike][v2][crypto][kat]") {
    const std::pair<const char*, algo::EncryptionAlgorithm> scenarios[] = {
        {"v2-psk-modp2048", algo::EncryptionAlgorithm::Aes256Cbc},
        {"v2-cert-rsa", algo::EncryptionAlgorithm::Aes128Cbc},
    };
    for (const auto& [name, encr] : scenarios) {
        const Suite suite{encr, algo::HashAlgorithm::Sha256, algo::AuthenticationAlgorithm::HmacSha256_128,
                          algo::DhGroup::Modp2048};
        const V2Transcript t(name, suite);
        const auto& s = t.sample;
        // AES-GCM-16 ESP: each direction's key is the AES key and 4 octets of salt, no integrity key.
        const std::string ki = s.text("log.encryption_initiator_key.1");
        const std::string kr = s.text("log.encryption_responder_key.1");
        const auto keymat =
            child_keymat(algo::HashAlgorithm::Sha256, t.keys.sk_d, {}, t.ni, t.nr, (ki.size() + kr.size()) / 2);
        CHECK(to_hex(keymat) == ki + kr);
    }
}

TEST_CASE("a Child SA's KEYMAT with PFS puts the new g^ir before the nonces", "[ike][v2][crypto]") {
    const Bytes sk_d(32, 0x01), g(256, 0x02), ni(32, 0x03), nr(32, 0x04);
    const auto with_pfs = child_keymat(algo::HashAlgorithm::Sha256, sk_d, g, ni, nr, 100);
    const auto expected = prf_plus(algo::HashAlgorithm::Sha256, sk_d, concat({g, ni, nr}), 100);
    CHECK(with_pfs == expected);
    CHECK(child_keymat(algo::HashAlgorithm::Sha256, sk_d, {}, ni, nr, 100) != with_pfs);
}

TEST_CASE("KEYMAT splits into the initiator's encryption and integrity keys, then the responder's",
          "[ike][v2][crypto]") {
    using algo::AuthenticationAlgorithm;
    using algo::EncryptionAlgorithm;
    CHECK(child_keymat_size(EncryptionAlgorithm::Aes128Cbc, AuthenticationAlgorithm::HmacSha1_96) == 2 * (16 + 20));
    CHECK(child_keymat_size(EncryptionAlgorithm::TripleDesCbc, AuthenticationAlgorithm::HmacSha256_128) ==
          2 * (24 + 32));
    Bytes keymat(2 * (16 + 20));
    for (std::size_t i = 0; i < keymat.size(); ++i) keymat[i] = static_cast<std::uint8_t>(i);
    const auto k = split_child_keymat(EncryptionAlgorithm::Aes128Cbc, AuthenticationAlgorithm::HmacSha1_96, keymat);
    CHECK(Bytes(k.encr_i.begin(), k.encr_i.end()) == Bytes(keymat.begin(), keymat.begin() + 16));
    CHECK(Bytes(k.integ_i.begin(), k.integ_i.end()) == Bytes(keymat.begin() + 16, keymat.begin() + 36));
    CHECK(Bytes(k.encr_r.begin(), k.encr_r.end()) == Bytes(keymat.begin() + 36, keymat.begin() + 52));
    CHECK(Bytes(k.integ_r.begin(), k.integ_r.end()) == Bytes(keymat.begin() + 52, keymat.end()));
    keymat.pop_back();
    CHECK_THROWS_WITH(split_child_keymat(EncryptionAlgorithm::Aes128Cbc, AuthenticationAlgorithm::HmacSha1_96, keymat),
                      "Child SA KEYMAT: wrong length (got 71 bytes, need 72)");
}

TEST_CASE("a rekeyed IKE SA seeds prf+ of the new PRF from prf(old SK_d, g^ir | Ni | Nr) of the old PRF",
          "[ike][v2][crypto]") {
    const Suite next{algo::EncryptionAlgorithm::Aes128Cbc, algo::HashAlgorithm::Sha1,
                     algo::AuthenticationAlgorithm::HmacSha1_96, algo::DhGroup::Modp1024};
    const Bytes old_sk_d(32, 0x5a), g(128, 0x33), ni(16, 0x44), nr(24, 0x55);
    const Bytes spi_i = hex("0102030405060708"), spi_r = hex("1112131415161718");
    const std::span<const std::uint8_t, 8> si(spi_i.data(), 8), sr(spi_r.data(), 8);
    const auto k = derive_rekeyed_ike_keys(next, algo::HashAlgorithm::Sha256, old_sk_d, g, ni, nr, si, sr);

    const auto skeyseed = prf(algo::HashAlgorithm::Sha256, old_sk_d, concat({g, ni, nr}));
    const auto stream = prf_plus(algo::HashAlgorithm::Sha1, skeyseed, concat({ni, nr, spi_i, spi_r}),
                                 3 * 20 + 2 * 20 + 2 * 16);
    Bytes all;
    for (const auto* part : {&k.sk_d, &k.sk_ai, &k.sk_ar, &k.sk_ei, &k.sk_er, &k.sk_pi, &k.sk_pr})
        all.insert(all.end(), part->begin(), part->end());
    CHECK(all == Bytes(stream.begin(), stream.end()));
    CHECK(k.sk_d.size() == 20);
    CHECK(k.sk_ai.size() == 20);
    CHECK(k.sk_ei.size() == 16);
}
