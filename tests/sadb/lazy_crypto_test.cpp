// The Botan cipher and MAC objects of an SA leg are created on its first
// packet, not at install: an idle SA holds only its keys, and its first
// packet is protected and verified exactly as if they had been built early.
#include <catch2/catch.hpp>

#include "picsec/sadb/sa_crypto.h"
#include "picsec/sadb/sadb.h"
#include "sadb_test_support.h"

using namespace picsec::sadb;
using namespace picsec::sadb::test;

namespace {

SaSpec esp_spec(Direction direction, Botan::secure_vector<std::uint8_t> enc_key,
                Botan::secure_vector<std::uint8_t> auth_key) {
    SaSpec s;
    s.name = "idle";
    s.spi = 0x4242;
    s.protocol = Protocol::Esp;
    s.direction = direction;
    s.mode = Mode::Tunnel;
    s.encryption = EncryptionAlgorithm::TripleDesCbc;
    s.encryption_key = std::move(enc_key);
    s.authentication = AuthenticationAlgorithm::HmacSha1_96;
    s.authentication_key = std::move(auth_key);
    s.local_address = k_gw_a;
    s.peer_address = k_gw_b;
    s.dynamic = true;
    return s;
}

}  // namespace

TEST_CASE("an SA leg builds no Botan object until it processes a packet", "[sadb][crypto][lazy]") {
    SaCrypto c(EncryptionAlgorithm::Aes128Cbc, pattern_key(16, 3), AuthenticationAlgorithm::HmacSha1_96,
               pattern_key(20, 9));
    CHECK_FALSE(c.keyed());
    // Sizes come from the algorithm table, without the Botan objects.
    CHECK(c.encrypts());
    CHECK(c.authenticates());
    CHECK(c.iv_bytes() == 16);
    CHECK(c.block_bytes() == 16);
    CHECK(c.icv_bytes() == 12);
    std::vector<std::uint8_t> data(32, 0x5a);
    const std::vector<std::uint8_t> iv(16, 0x01);
    c.encrypt(iv, data);
    CHECK(c.keyed());
    CHECK(data != std::vector<std::uint8_t>(32, 0x5a));
    c.decrypt(iv, data);
    CHECK(data == std::vector<std::uint8_t>(32, 0x5a));
}

TEST_CASE("a leg still refuses a key of the wrong length when it is installed", "[sadb][crypto][lazy]") {
    CHECK_THROWS_AS(SaCrypto(EncryptionAlgorithm::TripleDesCbc, pattern_key(16, 1), std::nullopt, {}),
                    std::invalid_argument);
    Sadb db;
    auto bad = esp_spec(Direction::Outbound, pattern_key(24, 1), pattern_key(19, 2));
    CHECK_FALSE(db.add(bad));
}

TEST_CASE("an SA installed and left idle protects and unprotects on its first packet", "[sadb][crypto][lazy]") {
    FixedRng rng;
    Sadb sender;
    Sadb receiver;
    auto out_spec = esp_spec(Direction::Outbound, pattern_key(24, 0x31), pattern_key(20, 0x57));
    const auto out = sender.add(out_spec);
    const auto in = receiver.add(esp_spec(Direction::Inbound, pattern_key(24, 0x31), pattern_key(20, 0x57)));
    REQUIRE((out && in));
    // The caller's spec goes away after add(); the SADB kept its own keys.
    out_spec.encryption_key.assign(24, 0);
    out_spec.authentication_key.assign(20, 0);
    // Time passes with no traffic.
    for (std::uint64_t t = 1; t <= 5; ++t) {
        CHECK(sender.tick(t).empty());
        CHECK(receiver.tick(t).empty());
    }
    const auto inner = make_packet(k_host_a, k_host_b, ipv4::k_protocol_udp, icmp_payload(61));
    for (int i = 0; i < 3; ++i) {
        auto wire = sender.protect(*out, inner, rng);
        REQUIRE(wire);
        auto back = receiver.unprotect(*wire);
        REQUIRE(back);
        CHECK(back->packet == inner);
        CHECK(back->spi == 0x4242);
    }
    CHECK(receiver.get(*in)->counters.inbound_packets == 3);
    CHECK(receiver.get(*in)->primary.window.highest() == 3);
}

TEST_CASE("an idle inbound SA with another key rejects the first packet's ICV", "[sadb][crypto][lazy]") {
    FixedRng rng;
    Sadb sender;
    Sadb receiver;
    const auto out = sender.add(esp_spec(Direction::Outbound, pattern_key(24, 0x31), pattern_key(20, 0x57)));
    const auto in = receiver.add(esp_spec(Direction::Inbound, pattern_key(24, 0x31), pattern_key(20, 0x58)));
    REQUIRE((out && in));
    auto wire = sender.protect(*out, make_packet(k_host_a, k_host_b, ipv4::k_protocol_udp, icmp_payload(20)), rng);
    REQUIRE(wire);
    CHECK_FALSE(receiver.unprotect(*wire));
    CHECK(receiver.get(*in)->counters.auth_failures == 1);
}
