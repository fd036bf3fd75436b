// Extended sequence numbers (RFC 4303 2.2.1 and Appendix A, RFC 4304, RFC
// 4106 5): the receiver's inference of the high half, ICVs checked against
// Botan alone over the RFC-defined input, the window across a 2^32 boundary,
// replays and forgeries, and the 2^64 - 1 stop.
#include <catch2/catch.hpp>

#include <botan/aead.h>
#include <botan/mac.h>

#include "picsec/sadb/esp.h"
#include "picsec/sadb/replay_window.h"
#include "picsec/sadb/sa_crypto.h"
#include "picsec/sadb/sadb.h"
#include "sadb_test_support.h"

using namespace picsec::sadb;
using namespace picsec::sadb::test;
using Verdict = ReplayWindow::Verdict;

namespace {

constexpr std::uint64_t k_2_32 = std::uint64_t{1} << 32;

// check() then commit() of the full number, as the SADB does once the ICV verified.
ReplayWindow::Check receive(ReplayWindow& w, std::uint32_t low) {
    const auto c = w.check(low);
    if (c.verdict == Verdict::Ok) w.commit(c.sequence);
    return c;
}

SaSpec esn_spec(Protocol protocol, Direction direction, std::optional<EncryptionAlgorithm> encryption,
                std::optional<AuthenticationAlgorithm> authentication) {
    SaSpec s;
    s.name = "esn";
    s.spi = 0x3001;
    s.protocol = protocol;
    s.direction = direction;
    s.mode = Mode::Tunnel;
    s.encryption = encryption;
    if (encryption) s.encryption_key = pattern_key(info(*encryption).key_bytes, 0x51);
    s.authentication = authentication;
    if (authentication) s.authentication_key = pattern_key(info(*authentication).key_bytes, 0x61);
    s.local_address = k_gw_a;
    s.peer_address = k_gw_b;
    s.extended_sequence_numbers = true;
    return s;
}

struct EsnCase {
    const char* name;
    Protocol protocol;
    std::optional<EncryptionAlgorithm> encryption;
    std::optional<AuthenticationAlgorithm> authentication;
};

const EsnCase k_cases[] = {
    {"ESP aes-128-cbc hmac-sha-256-128", Protocol::Esp, EncryptionAlgorithm::Aes128Cbc,
     AuthenticationAlgorithm::HmacSha256_128},
    {"ESP 3des-cbc hmac-sha1-96", Protocol::Esp, EncryptionAlgorithm::TripleDesCbc, AuthenticationAlgorithm::HmacSha1_96},
    {"ESP aes-256-gcm", Protocol::Esp, EncryptionAlgorithm::Aes256Gcm16, std::nullopt},
    {"AH hmac-sha-512-256", Protocol::Ah, std::nullopt, AuthenticationAlgorithm::HmacSha512_256},
};

std::vector<std::uint8_t> be32(std::uint32_t v) {
    return {static_cast<std::uint8_t>(v >> 24), static_cast<std::uint8_t>(v >> 16), static_cast<std::uint8_t>(v >> 8),
            static_cast<std::uint8_t>(v)};
}

}  // namespace

TEST_CASE("an ESN window infers the high half as RFC 4303 A2.1 gives it", "[sadb][esn][replay]") {
    ReplayWindow w(64, true);
    // Case B with Th = 0: a low number at or above the wrapped bottom would
    // belong to a subspace before the first, so it is too old.
    CHECK(w.check(0).verdict == Verdict::Zero);
    CHECK(w.check(0xffffffffU).verdict == Verdict::TooOld);
    REQUIRE(receive(w, 5).sequence == 5);
    // Case A: T = 2^32 - 10, window [2^32 - 73, 2^32 - 10].
    w.commit(k_2_32 - 10);
    CHECK(w.check(0xfffffff0U).sequence == k_2_32 - 16);             // in the window: Seqh = Th
    CHECK(w.check(0xfffffffeU).sequence == k_2_32 - 2);              // right of it, same subspace
    CHECK(w.check(3).sequence == k_2_32 + 3);                        // below the bottom: Seqh = Th + 1
    CHECK(w.check(0xffffffffU - 73).sequence == k_2_32 + 0xffffffffU - 73);  // just below: the next subspace
    // Across the boundary: T = 2^32 + 3, Tl = 3 < W - 1, case B.
    REQUIRE(receive(w, 3).verdict == Verdict::Ok);
    CHECK(w.highest() == k_2_32 + 3);
    const auto late = w.check(0xfffffff0U);  // at or above the wrapped bottom: Seqh = Th - 1
    CHECK(late.verdict == Verdict::Ok);
    CHECK(late.sequence == k_2_32 - 16);
    CHECK(w.check(0xfffffff6U).verdict == Verdict::Duplicate);      // 2^32 - 10 was received
    CHECK(w.check(0).sequence == k_2_32);                            // low 0 is valid with ESN
    CHECK(w.check(0).verdict == Verdict::Ok);
    CHECK(w.check(100).sequence == k_2_32 + 100);                    // ahead, Seqh = Th
    REQUIRE(receive(w, 0xfffffff0U).verdict == Verdict::Ok);
    CHECK(w.check(0xfffffff0U).verdict == Verdict::Duplicate);
}

TEST_CASE("a wide ESN window keeps its bitmap across the 2^32 boundary", "[sadb][esn][replay]") {
    for (unsigned size : {64U, 1024U, 4096U}) {
        CAPTURE(size);
        ReplayWindow w(size, true);
        w.commit(k_2_32 - 100);
        for (std::uint32_t low = 0xffffffa0U; low != 50; ++low) REQUIRE(receive(w, low).verdict == Verdict::Ok);
        CHECK(w.highest() == k_2_32 + 49);
        // Everything in the window was received: every number is a duplicate now.
        for (std::uint32_t low = 0xffffffa0U; low != 50; ++low) {
            const std::uint64_t full = low >= 0x80000000U ? low : k_2_32 + low;
            const bool inside = k_2_32 + 49 - full < size;
            // Outside the window a low half maps to the far future (its ICV
            // would then fail), never back to the number already received.
            const auto c = w.check(low);
            REQUIRE(c.verdict == (inside ? Verdict::Duplicate : Verdict::Ok));
            if (!inside) REQUIRE(c.sequence > w.highest());
        }
        CHECK(w.check(50).verdict == Verdict::Ok);
    }
}

TEST_CASE("an ESP ESN packet's HMAC covers the high half after the trailer (RFC 4303 2.2.1)", "[sadb][esn][kat]") {
    const auto auth_key = pattern_key(32, 7);
    SaCrypto crypto(EncryptionAlgorithm::Aes128Cbc, pattern_key(16, 9), AuthenticationAlgorithm::HmacSha256_128,
                    auth_key);
    crypto.set_esn(true);
    const std::uint64_t sequence = 0x0000000700000005ULL;
    const auto payload = icmp_payload(40);
    const auto iv = hex("000102030405060708090a0b0c0d0e0f");
    const auto packet = esp::encapsulate(crypto, 0x1234, sequence, 4, payload, iv);
    // The wire carries the low 32 bits only.
    CHECK(ipv4::load32(packet, 4) == 5);
    // Botan alone: HMAC-SHA-256 over SPI .. Next Header || Seq-hi, first 16 bytes.
    const std::size_t covered = packet.size() - 16;
    auto mac = Botan::MessageAuthenticationCode::create_or_throw("HMAC(SHA-256)");
    mac->set_key(auth_key);
    mac->update(packet.data(), covered);
    mac->update(be32(7));
    const auto full = mac->final();
    CHECK(std::vector<std::uint8_t>(packet.end() - 16, packet.end()) ==
          std::vector<std::uint8_t>(full.begin(), full.begin() + 16));
    // The receiver must use the same high half.
    SaCrypto receiver(EncryptionAlgorithm::Aes128Cbc, pattern_key(16, 9), AuthenticationAlgorithm::HmacSha256_128,
                      auth_key);
    receiver.set_esn(true);
    CHECK_FALSE(esp::verify(receiver, packet, 7).has_value());
    CHECK(esp::verify(receiver, packet, 8).has_value());
    CHECK(esp::verify(receiver, packet, 0).has_value());
}

TEST_CASE("an ESP ESN AES-GCM packet has IV = the 64-bit number and AAD SPI || seq-hi || seq-lo (RFC 4106 5)",
          "[sadb][esn][gcm][kat]") {
    const auto keying = pattern_key(36, 0x33);  // AES-256 key || 4-byte salt
    SaCrypto crypto(EncryptionAlgorithm::Aes256Gcm16, keying, std::nullopt, {});
    crypto.set_esn(true);
    const std::uint64_t sequence = 0x00000002fffffffeULL;
    FixedRng rng;
    const auto payload = icmp_payload(61);
    const auto packet = esp::encapsulate(crypto, 0xabcdef01, sequence, 4, payload, rng);
    CHECK(std::vector<std::uint8_t>(packet.begin() + 8, packet.begin() + 16) == hex("00000002fffffffe"));
    // Botan alone: nonce salt || IV, AAD SPI || Seq-hi || Seq-lo.
    auto gcm = Botan::AEAD_Mode::create_or_throw("AES-256/GCM(16)", Botan::DECRYPTION);
    gcm->set_key(keying.data(), 32);
    std::vector<std::uint8_t> nonce(keying.end() - 4, keying.end());
    nonce.insert(nonce.end(), packet.begin() + 8, packet.begin() + 16);
    const auto aad = hex("abcdef01 00000002 fffffffe");
    gcm->set_associated_data(aad.data(), aad.size());
    gcm->start(nonce.data(), nonce.size());
    Botan::secure_vector<std::uint8_t> body(packet.begin() + 16, packet.end());
    REQUIRE_NOTHROW(gcm->finish(body));
    CHECK(std::vector<std::uint8_t>(body.begin(), body.begin() + 61) == payload);
    // The same packet does not open under the 8-byte AAD of an SA without ESN.
    SaCrypto plain(EncryptionAlgorithm::Aes256Gcm16, keying, std::nullopt, {});
    CHECK_FALSE(esp::decapsulate(plain, packet).has_value());
    SaCrypto with_esn(EncryptionAlgorithm::Aes256Gcm16, keying, std::nullopt, {});
    with_esn.set_esn(true);
    CHECK(esp::decapsulate(with_esn, packet, 2).has_value());
    CHECK_FALSE(esp::decapsulate(with_esn, packet, 3).has_value());
}

TEST_CASE("ESN SAs carry traffic across 2^32 and refuse replays and forgeries", "[sadb][esn]") {
    for (const auto& c : k_cases) {
        CAPTURE(c.name);
        Sadb sender;
        Sadb receiver;
        auto out = sender.add(esn_spec(c.protocol, Direction::Outbound, c.encryption, c.authentication));
        auto in = receiver.add(esn_spec(c.protocol, Direction::Inbound, c.encryption, c.authentication));
        REQUIRE(out);
        REQUIRE(in);
        FixedRng rng;
        // Halfway first: a receiver still at 0 takes 2^31 as ahead, while
        // 2^32 - 19 would be behind it in a subspace that does not exist.
        REQUIRE(sender.set_last_sequence_sent(*out, 0x7fffffffU));
        auto halfway = sender.protect(*out, make_packet(k_host_a, k_host_b, ipv4::k_protocol_icmp, icmp_payload(20)), rng);
        REQUIRE(halfway);
        REQUIRE(receiver.unprotect(*halfway));
        REQUIRE(sender.set_last_sequence_sent(*out, k_2_32 - 20));
        std::vector<std::vector<std::uint8_t>> sent;
        for (int i = 0; i < 40; ++i) {
            auto p = sender.protect(*out, make_packet(k_host_a, k_host_b, ipv4::k_protocol_icmp, icmp_payload(20 + i)), rng);
            REQUIRE(p);
            sent.push_back(std::move(*p));
        }
        CHECK(sender.get(*out)->primary.last_sequence_sent == k_2_32 + 20);
        // Delivered out of order around the boundary: the late ones map to Th - 1.
        for (std::size_t i = 0; i < sent.size(); i += 2) REQUIRE(receiver.unprotect(sent[i]));
        for (std::size_t i = 1; i < sent.size(); i += 2) REQUIRE(receiver.unprotect(sent[i]));
        CHECK(receiver.get(*in)->primary.window.highest() == k_2_32 + 20);
        // Replays, from either side of the boundary.
        for (std::size_t i : {std::size_t{3}, std::size_t{39}}) {
            auto again = receiver.unprotect(sent[i]);
            REQUIRE_FALSE(again);
            CHECK(again.error().reason == DropReason::Replay);
        }
        // A packet from 2^32 numbers ahead (its low half fits the window's
        // next numbers) is inferred as Th and fails its ICV; the window stays.
        REQUIRE(sender.set_last_sequence_sent(*out, 2 * k_2_32 + 24));
        auto far = sender.protect(*out, make_packet(k_host_a, k_host_b, ipv4::k_protocol_icmp, icmp_payload(20)), rng);
        REQUIRE(far);
        auto refused = receiver.unprotect(*far);
        REQUIRE_FALSE(refused);
        CHECK(refused.error().reason == DropReason::BadIcv);
        CHECK(receiver.get(*in)->primary.window.highest() == k_2_32 + 20);
        // A forged ICV does not move the window either.
        REQUIRE(sender.set_last_sequence_sent(*out, k_2_32 + 29));
        auto next = sender.protect(*out, make_packet(k_host_a, k_host_b, ipv4::k_protocol_icmp, icmp_payload(20)), rng);
        REQUIRE(next);
        auto forged = *next;
        forged.back() ^= 1;
        CHECK_FALSE(receiver.unprotect(forged));
        CHECK(receiver.get(*in)->primary.window.highest() == k_2_32 + 20);
        CHECK(receiver.unprotect(*next));
        CHECK(receiver.get(*in)->primary.window.highest() == k_2_32 + 30);
        CHECK(receiver.get(*in)->counters.auth_failures == 2);
        CHECK(receiver.get(*in)->counters.replay_drops == 2);
    }
}

TEST_CASE("an ESN SA stops at 2^64 - 1 and a GCM SA with ESN goes past 2^32 - 1", "[sadb][esn][sequence]") {
    Sadb db;
    auto id = db.add(esn_spec(Protocol::Esp, Direction::Outbound, EncryptionAlgorithm::Aes128Gcm16, std::nullopt));
    REQUIRE(id);
    FixedRng rng;
    const auto packet = make_packet(k_host_a, k_host_b, ipv4::k_protocol_icmp, icmp_payload(20));
    REQUIRE(db.set_last_sequence_sent(*id, 0xffffffffU));
    auto past = db.protect(*id, packet, rng);
    REQUIRE(past);
    CHECK(ipv4::load32(*past, 24) == 0);  // the low half wrapped; the IV did not
    CHECK(std::vector<std::uint8_t>(past->begin() + 28, past->begin() + 36) == hex("0000000100000000"));
    REQUIRE(db.set_last_sequence_sent(*id, ~std::uint64_t{0} - 1));
    REQUIRE(db.protect(*id, packet, rng));
    auto refused = db.protect(*id, packet, rng);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().reason == DropReason::SequenceOverflow);
    CHECK(db.get(*id)->counters.sequence_overflows == 1);
}

TEST_CASE("ESN needs an ICV and a window, and no bundle; windows go up to 4096", "[sadb][esn][validate]") {
    auto spec = esn_spec(Protocol::Esp, Direction::Inbound, EncryptionAlgorithm::Aes128Cbc,
                         AuthenticationAlgorithm::HmacSha1_96);
    CHECK(validate(spec).empty());
    auto no_icv = spec;
    no_icv.authentication.reset();
    no_icv.authentication_key.clear();
    CHECK(validate(no_icv).find("need an ICV") != std::string::npos);
    auto no_window = spec;
    no_window.replay_window = 0;
    CHECK(validate(no_window).find("anti-replay window") != std::string::npos);
    auto bundle = spec;
    bundle.protocol = Protocol::Bundle;
    bundle.auxiliary_spi = 0x4001;
    CHECK(validate(bundle).find("bundle") != std::string::npos);
    for (unsigned w : {32U, 64U, 65U, 128U, 4096U}) {
        spec.replay_window = w;
        CHECK(validate(spec).empty());
    }
    for (unsigned w : {16U, 33U, 63U, 4097U}) {
        spec.replay_window = w;
        CHECK(validate(spec).find("replay-window-size") != std::string::npos);
    }
}
