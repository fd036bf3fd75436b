// CBC IVs from the per-SA generator (SaCrypto::next_iv) and the batch calls
// Sadb::protect_batch / unprotect_batch.
#include <catch2/catch.hpp>

#include <set>

#include "picsec/sadb/esp.h"
#include "picsec/sadb/sa_crypto.h"
#include "picsec/sadb/sadb.h"
#include "sadb_test_support.h"

using namespace picsec::sadb;
using namespace picsec::sadb::test;

namespace {

/// Counts the bytes asked of it (and returns FixedRng's pattern).
class CountingRng final : public Botan::RandomNumberGenerator {
public:
    void randomize(std::uint8_t output[], std::size_t length) override {
        ++calls;
        m_inner.randomize(output, length);
    }
    bool accepts_input() const override { return false; }
    void add_entropy(const std::uint8_t[], std::size_t) override {}
    std::string name() const override { return "CountingRng"; }
    void clear() override {}
    bool is_seeded() const override { return true; }
    std::size_t calls = 0;

private:
    FixedRng m_inner;
};

SaSpec esp_spec(EncryptionAlgorithm cipher, Direction direction, Mode mode = Mode::Tunnel) {
    SaSpec s;
    s.name = "speed";
    s.spi = 0x1001;
    s.protocol = Protocol::Esp;
    s.direction = direction;
    s.mode = mode;
    s.encryption = cipher;
    s.encryption_key = pattern_key(info(cipher).key_bytes, 5);
    s.authentication = AuthenticationAlgorithm::HmacSha1_96;
    s.authentication_key = pattern_key(20, 11);
    s.local_address = k_gw_a;
    s.peer_address = k_gw_b;
    return s;
}

std::vector<std::uint8_t> iv_of(const std::vector<std::uint8_t>& esp_packet, std::size_t iv_bytes) {
    const std::size_t at = 20 + esp::k_header_bytes;  // outer IPv4 header, SPI, sequence
    return {esp_packet.begin() + static_cast<std::ptrdiff_t>(at),
            esp_packet.begin() + static_cast<std::ptrdiff_t>(at + iv_bytes)};
}

std::vector<std::vector<std::uint8_t>> packets(std::size_t n) {
    std::vector<std::vector<std::uint8_t>> out;
    for (std::size_t i = 0; i < n; ++i)
        out.push_back(make_packet(k_host_a, k_host_b, ipv4::k_protocol_icmp, icmp_payload(40 + 13 * i),
                                  static_cast<std::uint16_t>(0x100 + i)));
    return out;
}

std::vector<std::span<const std::uint8_t>> spans(const std::vector<std::vector<std::uint8_t>>& v) {
    return {v.begin(), v.end()};
}

}  // namespace

TEST_CASE("consecutive ESP packets of an SA carry different IVs that are not a counter in clear",
          "[sadb][esp][iv]") {
    for (const auto cipher : {EncryptionAlgorithm::DesCbc, EncryptionAlgorithm::TripleDesCbc,
                              EncryptionAlgorithm::Aes128Cbc, EncryptionAlgorithm::Aes256Cbc}) {
        CAPTURE(keyword(cipher));
        Sadb db;
        auto id = db.add(esp_spec(cipher, Direction::Outbound));
        REQUIRE(id);
        FixedRng rng;
        const std::size_t iv_bytes = info(cipher).block_bytes;
        const auto plain = make_packet(k_host_a, k_host_b, ipv4::k_protocol_icmp, icmp_payload(64));
        std::set<std::vector<std::uint8_t>> seen;
        std::vector<std::uint8_t> previous;
        for (std::uint64_t n = 0; n < 200; ++n) {
            auto out = db.protect(*id, plain, rng);
            REQUIRE(out);
            const auto iv = iv_of(*out, iv_bytes);
            CHECK(seen.insert(iv).second);  // never repeats
            // Not the counter (or the sequence number) itself, big-endian at the start.
            std::vector<std::uint8_t> clear_counter(iv_bytes, 0), clear_sequence(iv_bytes, 0);
            for (std::size_t i = 0; i < 8; ++i) {
                clear_counter[i] = static_cast<std::uint8_t>(n >> (56 - 8 * i));
                clear_sequence[i] = static_cast<std::uint8_t>((n + 1) >> (56 - 8 * i));
            }
            CHECK(iv != clear_counter);
            CHECK(iv != clear_sequence);
            // Consecutive IVs share no fixed prefix a counter would leave.
            if (!previous.empty())
                CHECK(!std::equal(iv.begin(), iv.begin() + 4, previous.begin()));
            previous = iv;
        }
    }
}

TEST_CASE("the IV generator draws its key from the RNG once per SA leg, not per packet", "[sadb][esp][iv]") {
    SaCrypto crypto(EncryptionAlgorithm::TripleDesCbc, pattern_key(24, 1), std::nullopt, {});
    CountingRng rng;
    std::vector<std::uint8_t> iv(8);
    for (int i = 0; i < 50; ++i) crypto.next_iv(iv, rng);
    CHECK(rng.calls == 1);
    CHECK(crypto.ivs_issued() == 50);

    // A second leg with the same SA keys but its own generator key gives other IVs.
    SaCrypto a(EncryptionAlgorithm::Aes128Cbc, pattern_key(16, 1), std::nullopt, {});
    SaCrypto b(EncryptionAlgorithm::Aes128Cbc, pattern_key(16, 1), std::nullopt, {});
    FixedRng rng_a(std::vector<std::uint8_t>(16, 0x11)), rng_b(std::vector<std::uint8_t>(16, 0x22));
    std::vector<std::uint8_t> iv_a(16), iv_b(16);
    a.next_iv(iv_a, rng_a);
    b.next_iv(iv_b, rng_b);
    CHECK(iv_a != iv_b);
}

TEST_CASE("a batch gives the same packets as one-by-one protect for a fixed RNG", "[sadb][esp][batch]") {
    for (const auto mode : {Mode::Tunnel, Mode::Transport}) {
        CAPTURE(to_string(mode));
        Sadb one_by_one, batched, receiver;
        auto id1 = one_by_one.add(esp_spec(EncryptionAlgorithm::Aes128Cbc, Direction::Outbound, mode));
        auto id2 = batched.add(esp_spec(EncryptionAlgorithm::Aes128Cbc, Direction::Outbound, mode));
        auto in = receiver.add(esp_spec(EncryptionAlgorithm::Aes128Cbc, Direction::Inbound, mode));
        REQUIRE(id1);
        REQUIRE(id2);
        REQUIRE(in);
        const auto plain = packets(12);
        FixedRng rng1, rng2;
        std::vector<BatchPacket> results;
        CHECK(batched.protect_batch(*id2, spans(plain), rng2, results) == plain.size());
        REQUIRE(results.size() == plain.size());
        for (std::size_t i = 0; i < plain.size(); ++i) {
            auto single = one_by_one.protect(*id1, plain[i], rng1);
            REQUIRE(single);
            CHECK_FALSE(results[i].drop);
            // Same RNG, same generator key: byte for byte the same packet...
            CHECK(results[i].packet == *single);
            // ...which decrypts to the original.
            auto back = receiver.unprotect(results[i].packet);
            REQUIRE(back);
            CHECK(back->packet == plain[i]);
        }
        CHECK(batched.get(*id2)->primary.last_sequence_sent == plain.size());
        CHECK(batched.get(*id2)->counters.outbound_packets == one_by_one.get(*id1)->counters.outbound_packets);
        CHECK(batched.get(*id2)->counters.outbound_bytes == one_by_one.get(*id1)->counters.outbound_bytes);
    }
}

TEST_CASE("unprotect of a batch with one forged packet drops only that one and counts it", "[sadb][esp][batch]") {
    Sadb sender, receiver;
    auto out = sender.add(esp_spec(EncryptionAlgorithm::TripleDesCbc, Direction::Outbound));
    auto in = receiver.add(esp_spec(EncryptionAlgorithm::TripleDesCbc, Direction::Inbound));
    REQUIRE(out);
    REQUIRE(in);
    const auto plain = packets(8);
    FixedRng rng;
    std::vector<BatchPacket> sealed;
    REQUIRE(sender.protect_batch(*out, spans(plain), rng, sealed) == 8);
    std::vector<std::vector<std::uint8_t>> wire;
    for (const auto& p : sealed) wire.push_back(p.packet);
    wire[3][wire[3].size() - 20] ^= 0x01;  // a ciphertext bit: the ICV no longer verifies

    std::vector<BatchPacket> opened;
    CHECK(receiver.unprotect_batch(spans(wire), opened) == 7);
    REQUIRE(opened.size() == 8);
    for (std::size_t i = 0; i < 8; ++i) {
        CAPTURE(i);
        if (i == 3) {
            REQUIRE(opened[i].drop);
            CHECK(opened[i].drop->reason == DropReason::BadIcv);
            CHECK(opened[i].packet.empty());
        } else {
            CHECK_FALSE(opened[i].drop);
            CHECK(opened[i].sa == *in);
            CHECK(opened[i].spi == 0x1001);
            CHECK(opened[i].packet == plain[i]);
        }
    }
    const auto& c = receiver.get(*in)->counters;
    CHECK(c.auth_failures == 1);
    CHECK(c.inbound_packets == 7);
    // The forged packet's sequence number was not recorded: the genuine one still passes.
    std::vector<std::vector<std::uint8_t>> genuine{sealed[3].packet};
    CHECK(receiver.unprotect_batch(spans(genuine), opened) == 1);
    CHECK(opened[0].packet == plain[3]);
}

TEST_CASE("a second batch of the same sizes reuses the result buffers of the first", "[sadb][esp][batch]") {
    Sadb db;
    auto id = db.add(esp_spec(EncryptionAlgorithm::Aes128Cbc, Direction::Outbound));
    REQUIRE(id);
    const auto plain = packets(4);
    FixedRng rng;
    std::vector<BatchPacket> results;
    REQUIRE(db.protect_batch(*id, spans(plain), rng, results) == 4);
    std::vector<const std::uint8_t*> buffers;
    for (const auto& r : results) buffers.push_back(r.packet.data());
    REQUIRE(db.protect_batch(*id, spans(plain), rng, results) == 4);
    for (std::size_t i = 0; i < 4; ++i) CHECK(results[i].packet.data() == buffers[i]);
    CHECK(db.get(*id)->primary.last_sequence_sent == 8);
}

TEST_CASE("a batch reports a drop per packet and protects the rest", "[sadb][esp][batch]") {
    Sadb db;
    auto id = db.add(esp_spec(EncryptionAlgorithm::Aes128Cbc, Direction::Outbound));
    REQUIRE(id);
    auto plain = packets(3);
    plain[1].resize(10);  // not an IPv4 packet
    FixedRng rng;
    std::vector<BatchPacket> results;
    CHECK(db.protect_batch(*id, spans(plain), rng, results) == 2);
    REQUIRE(results[1].drop);
    CHECK(results[1].drop->reason == DropReason::Malformed);
    CHECK(db.get(*id)->primary.last_sequence_sent == 2);
    CHECK(esp::peek(std::span<const std::uint8_t>(results[2].packet).subspan(20))->sequence == 2);
}
