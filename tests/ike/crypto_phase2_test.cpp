// Known-answer tests of the Quick Mode / Informational derivations against
// strongSwan 5.9.8 samples: IVs, HASH(1)/(2)/(3), KEYMAT, Delete HASH.
#include "crypto_sample.h"

#include "picsec/ike/crypto/phase2.h"
#include "picsec/ike/crypto/prf.h"

#include <catch2/catch.hpp>

#include <array>

using namespace picsec::ike::crypto;
using namespace picsec::ike::crypto::test;
namespace sadb = picsec::sadb;

namespace {

Bytes rest_after_hash(const RawMessage& m) {
    // RFC 2409 5.5: the HASH covers the message after the HASH payload, up to
    // the end of the payload chain (the CBC padding is not hashed).
    const std::size_t hash_len = m.payloads.at(0).whole.size();
    return Bytes(m.plaintext.begin() + long(hash_len), m.plaintext.begin() + long(m.chain_length));
}

struct ChildAlgorithms {
    std::optional<sadb::EncryptionAlgorithm> enc;
    std::optional<sadb::AuthenticationAlgorithm> auth;
};

ChildAlgorithms child_of(const Scenario& sc) {
    // esp_proposals of the samples: 3des-sha1, des-md5, aes128-sha1.
    if (sc.hash == HashAlgorithm::Md5) return {sadb::EncryptionAlgorithm::DesCbc, sadb::AuthenticationAlgorithm::HmacMd5_96};
    return {sc.cipher, sadb::AuthenticationAlgorithm::HmacSha1_96};
}

}  // namespace

TEST_CASE("the first Quick Mode IV is hash(last phase-1 block | M-ID) as strongSwan logged",
          "[ike][crypto][phase2][cbc]") {
    for (const auto& sc : psk_scenarios()) {
        INFO(sc.name);
        const auto t = load_transcript(sc);
        const auto mid = t.quick.at(0).message_id;
        const auto block = picsec::algo::info(sc.cipher).block_bytes;
        const auto iv = exchange_iv(sc.hash, t.last_phase1_block, mid, block);
        CHECK(iv == t.qm_iv);
        CHECK(to_hex(iv) == t.sample.text("log.next_IV_for_MID_" + std::to_string(mid) + ".1"));
        // Then the chain follows the Quick Mode's own ciphertext.
        CHECK(to_hex(t.quick.at(0).next_iv) == t.sample.text("log.next_IV_for_MID_" + std::to_string(mid) + ".2"));
        CHECK(to_hex(t.quick.at(1).next_iv) == t.sample.text("log.next_IV_for_MID_" + std::to_string(mid) + ".3"));
        CHECK(to_hex(t.quick.at(2).next_iv) == t.sample.text("log.next_IV_for_MID_" + std::to_string(mid) + ".4"));
    }
}

TEST_CASE("Quick Mode HASH(1), HASH(2) and HASH(3) equal the HASH payloads on the wire",
          "[ike][crypto][phase2]") {
    for (const auto& sc : psk_scenarios()) {
        INFO(sc.name);
        const auto t = load_transcript(sc);
        const auto& q1 = t.quick.at(0);
        const auto& q2 = t.quick.at(1);
        const auto& q3 = t.quick.at(2);
        REQUIRE(q1.payloads.at(0).type == HASH);
        const auto ni_b = q1.first(NONCE).body;
        const auto nr_b = q2.first(NONCE).body;
        const auto mid = q1.message_id;
        const auto h1 = quick_mode_hash1(sc.hash, t.keys.skeyid_a, mid, rest_after_hash(q1));
        const auto h2 = quick_mode_hash2(sc.hash, t.keys.skeyid_a, mid, ni_b, rest_after_hash(q2));
        const auto h3 = quick_mode_hash3(sc.hash, t.keys.skeyid_a, mid, ni_b, nr_b);
        CHECK(constant_time_equal(h1, q1.payloads.at(0).body));
        CHECK(constant_time_equal(h2, q2.payloads.at(0).body));
        CHECK(constant_time_equal(h3, q3.payloads.at(0).body));
        CHECK(to_hex(h1) == t.sample.text("log.Hash(1).1"));
        CHECK(to_hex(h2) == t.sample.text("log.Hash(2).1"));
        CHECK(to_hex(h3) == t.sample.text("log.Hash(3).1"));
        // A different message ID must change the hash.
        CHECK_FALSE(constant_time_equal(quick_mode_hash3(sc.hash, t.keys.skeyid_a, mid + 1, ni_b, nr_b), h3));
    }
}

TEST_CASE("KEYMAT with PFS gives the child SA keys strongSwan installed", "[ike][crypto][phase2][keymat]") {
    for (const auto& sc : psk_scenarios()) {
        INFO(sc.name);
        const auto t = load_transcript(sc);
        const auto& q1 = t.quick.at(0);
        const auto& q2 = t.quick.at(1);
        const auto ni_b = q1.first(NONCE).body;
        const auto nr_b = q2.first(NONCE).body;
        const auto g_qm_xy = t.sample.bytes("log.DH_secret.1");
        CHECK(g_qm_xy.size() == info(sc.group).secret_bytes);
        const auto algs = child_of(sc);
        // Traffic from the initiator uses the SPI the responder chose (its SA
        // payload in QM message 2), and vice versa (RFC 2409 5.5).
        const auto spi_r = proposal_spi(q2.first(SA).body);
        const auto spi_i = proposal_spi(q1.first(SA).body);
        REQUIRE(spi_r.size() == 4);
        const KeymatInputs out_i{sc.hash, t.keys.skeyid_d, g_qm_xy, sadb::Protocol::Esp, spi_r, ni_b, nr_b};
        const KeymatInputs out_r{sc.hash, t.keys.skeyid_d, g_qm_xy, sadb::Protocol::Esp, spi_i, ni_b, nr_b};
        const auto keys_i = derive_sa_keys(out_i, algs.enc, algs.auth);
        const auto keys_r = derive_sa_keys(out_r, algs.enc, algs.auth);
        CHECK(to_hex(keys_i.encryption_key) == t.sample.text("log.encryption_initiator_key.1"));
        CHECK(to_hex(keys_i.authentication_key) == t.sample.text("log.integrity_initiator_key.1"));
        CHECK(to_hex(keys_r.encryption_key) == t.sample.text("log.encryption_responder_key.1"));
        CHECK(to_hex(keys_r.authentication_key) == t.sample.text("log.integrity_responder_key.1"));

        // The PRF input is g(qm)^xy | protocol | SPI | Ni_b | Nr_b, byte for
        // byte what strongSwan logged as the SA seed.
        const std::array<std::uint8_t, 1> esp{3};
        Bytes seed = g_qm_xy;
        seed.insert(seed.end(), esp.begin(), esp.end());
        seed.insert(seed.end(), spi_r.begin(), spi_r.end());
        seed.insert(seed.end(), ni_b.begin(), ni_b.end());
        seed.insert(seed.end(), nr_b.begin(), nr_b.end());
        CHECK(to_hex(seed) == t.sample.text("log.initiator_SA_seed.1"));
    }
}

TEST_CASE("KEYMAT is expanded as K1 | K2 with Kn = prf(SKEYID_d, Kn-1 | seed)", "[ike][crypto][phase2][keymat]") {
    const Bytes skeyid_d(20, 0x11), spi{1, 2, 3, 4}, ni(16, 0xaa), nr(16, 0xbb);
    const KeymatInputs in{HashAlgorithm::Sha1, skeyid_d, {}, sadb::Protocol::Ah, spi, ni, nr};
    const auto km = keymat(in, 44);
    const std::array<std::uint8_t, 1> ah{2};
    const auto k1 = prf(HashAlgorithm::Sha1, skeyid_d, {ah, spi, ni, nr});
    const auto k2 = prf(HashAlgorithm::Sha1, skeyid_d, {k1, ah, spi, ni, nr});
    const auto k3 = prf(HashAlgorithm::Sha1, skeyid_d, {k2, ah, spi, ni, nr});
    Bytes expected(k1.begin(), k1.end());
    expected.insert(expected.end(), k2.begin(), k2.end());
    expected.insert(expected.end(), k3.begin(), k3.begin() + 4);
    CHECK(Bytes(km.begin(), km.end()) == expected);
    // A prefix of a longer KEYMAT is the shorter one.
    const auto short_km = keymat(in, 16);
    CHECK(Bytes(short_km.begin(), short_km.end()) == Bytes(expected.begin(), expected.begin() + 16));
}

TEST_CASE("KEYMAT is split encryption key first, then authentication key", "[ike][crypto][phase2][keymat]") {
    Bytes km(60);
    for (std::size_t i = 0; i < km.size(); ++i) km[i] = std::uint8_t(i);
    const auto esp = split_keymat(km, sadb::EncryptionAlgorithm::TripleDesCbc, sadb::AuthenticationAlgorithm::HmacSha1_96);
    CHECK(esp.encryption_key.size() == 24);
    CHECK(esp.encryption_key.front() == 0);
    CHECK(esp.authentication_key.size() == 20);
    CHECK(esp.authentication_key.front() == 24);
    const auto ah = split_keymat(km, std::nullopt, sadb::AuthenticationAlgorithm::HmacMd5_96);
    CHECK(ah.encryption_key.empty());
    CHECK(ah.authentication_key.size() == 16);
    CHECK(ah.authentication_key.front() == 0);
    CHECK(keymat_length(sadb::EncryptionAlgorithm::Aes256Cbc, sadb::AuthenticationAlgorithm::HmacSha1_96) == 52);
    CHECK_THROWS_AS(split_keymat(Bytes(43), sadb::EncryptionAlgorithm::TripleDesCbc,
                                 sadb::AuthenticationAlgorithm::HmacSha1_96),
                    CryptoError);
    const KeymatInputs bundle{HashAlgorithm::Sha1, km, {}, sadb::Protocol::Bundle, km, km, km};
    CHECK_THROWS_AS(keymat(bundle, 20), CryptoError);
}

TEST_CASE("the Informational HASH(1) of a Delete matches strongSwan", "[ike][crypto][phase2][informational]") {
    for (const auto& sc : psk_scenarios()) {
        INFO(sc.name);
        const auto t = load_transcript(sc);
        // The samples end with two Delete messages the capture did not keep;
        // rebuild the D payloads from the log (RFC 2408 3.15): first the ESP
        // SA (SPI as sent in QM message 1), then the ISAKMP SA (the cookies).
        const auto ids = t.sample.logged_message_ids();
        const auto mid_of = [&](int which) {
            std::vector<std::uint32_t> info_ids;
            for (auto id : ids)
                if (id != t.quick.at(0).message_id) info_ids.push_back(id);
            REQUIRE(info_ids.size() == 2);
            return info_ids.at(std::size_t(which));
        };
        // Which of the two IDs belongs to which Delete: the file keeps the
        // log's order per key, so find the one whose hash matches.
        const auto spi = proposal_spi(t.quick.at(0).first(SA).body);
        Bytes d_esp{0, 0, 0, 16, 0, 0, 0, 1, 3, 4, 0, 1};
        d_esp.insert(d_esp.end(), spi.begin(), spi.end());
        Bytes d_ike{0, 0, 0, 28, 0, 0, 0, 1, 1, 16, 0, 1};
        d_ike.insert(d_ike.end(), t.cky_i.begin(), t.cky_i.end());
        d_ike.insert(d_ike.end(), t.cky_r.begin(), t.cky_r.end());
        const auto logged_esp = t.sample.text("log.Hash.1");
        const auto logged_ike = t.sample.text("log.Hash.2");
        int matched = 0;
        for (int which = 0; which < 2; ++which) {
            const auto mid = mid_of(which);
            if (to_hex(informational_hash(sc.hash, t.keys.skeyid_a, mid, d_esp)) == logged_esp) ++matched;
            if (to_hex(informational_hash(sc.hash, t.keys.skeyid_a, mid, d_ike)) == logged_ike) ++matched;
            // Each Informational exchange starts its own IV chain from the last phase-1 block.
            const auto iv = exchange_iv(sc.hash, t.last_phase1_block, mid, picsec::algo::info(sc.cipher).block_bytes);
            CHECK(to_hex(iv) == t.sample.text("log.next_IV_for_MID_" + std::to_string(mid) + ".1"));
        }
        CHECK(matched == 2);
    }
}
