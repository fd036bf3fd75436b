// ESP, AH and AH-over-ESP bundle round trips between two SADBs for every
// algorithm, both modes, NAT-T, and the manual bidirectional arrangement.
#include <catch2/catch.hpp>

#include <botan/mac.h>

#include "picsec/sadb/sadb.h"
#include "sadb_test_support.h"

using namespace picsec::sadb;
using namespace picsec::sadb::test;

namespace {

struct Combo {
    Protocol protocol;
    std::optional<EncryptionAlgorithm> encryption;
    std::optional<AuthenticationAlgorithm> authentication;
};

std::vector<Combo> all_combos() {
    std::vector<Combo> out;
    for (const auto& a : authentication_algorithms()) {
        out.push_back({Protocol::Ah, std::nullopt, a.id});
        out.push_back({Protocol::Esp, std::nullopt, a.id});  // ESP-NULL with integrity
        for (const auto& e : encryption_algorithms()) {
            // An AEAD (AES-GCM) authenticates by itself: ESP takes no HMAC
            // with it; a bundle's AH still authenticates the whole packet.
            if (!e.aead()) out.push_back({Protocol::Esp, e.id, a.id});
            out.push_back({Protocol::Bundle, e.id, a.id});
        }
    }
    for (const auto& e : encryption_algorithms()) out.push_back({Protocol::Esp, e.id, std::nullopt});
    return out;
}

SaSpec spec_for(const Combo& c, Mode mode, Direction direction, std::uint32_t local, std::uint32_t peer) {
    SaSpec s;
    s.name = "rt";
    s.spi = 0x1000;
    s.protocol = c.protocol;
    if (c.protocol == Protocol::Bundle) s.auxiliary_spi = 0x2000;
    s.direction = direction;
    s.mode = mode;
    s.encryption = c.encryption;
    if (c.encryption) s.encryption_key = pattern_key(info(*c.encryption).key_bytes, 0x31);
    s.authentication = c.authentication;
    if (c.authentication) s.authentication_key = pattern_key(info(*c.authentication).key_bytes, 0x57);
    s.local_address = local;
    s.peer_address = peer;
    return s;
}

std::string describe(const Combo& c, Mode m) {
    return std::string(to_string(c.protocol)) + " " +
           (c.encryption ? std::string(info(*c.encryption).keyword) : "null") + " " +
           (c.authentication ? std::string(info(*c.authentication).keyword) : "none") + " " +
           std::string(to_string(m));
}

bool contains(const std::vector<std::uint8_t>& hay, const std::vector<std::uint8_t>& needle) {
    return std::search(hay.begin(), hay.end(), needle.begin(), needle.end()) != hay.end();
}

}  // namespace

TEST_CASE("every algorithm, mode and protocol round-trips between two SADBs", "[sadb][roundtrip]") {
    FixedRng rng;
    for (const auto& combo : all_combos()) {
        for (Mode mode : {Mode::Transport, Mode::Tunnel}) {
            INFO(describe(combo, mode));
            Sadb sender;
            Sadb receiver;
            auto out_id = sender.add(spec_for(combo, mode, Direction::Outbound, k_gw_a, k_gw_b));
            auto in_id = receiver.add(spec_for(combo, mode, Direction::Inbound, k_gw_b, k_gw_a));
            REQUIRE(out_id);
            REQUIRE(in_id);
            for (std::size_t size : {0U, 1U, 15U, 16U, 57U, 1400U}) {
                INFO("payload " << size);
                const auto payload = icmp_payload(size);
                const auto packet = make_packet(k_host_a, k_host_b, ipv4::k_protocol_icmp, payload);
                auto wire = sender.protect(*out_id, packet, rng);
                REQUIRE(wire);
                auto outer = ipv4::parse(*wire);
                REQUIRE(outer);
                CHECK(outer->protocol == (combo.protocol == Protocol::Esp ? ipv4::k_protocol_esp : ipv4::k_protocol_ah));
                if (mode == Mode::Tunnel) {
                    CHECK(outer->source == k_gw_a);
                    CHECK(outer->destination == k_gw_b);
                } else {
                    CHECK(outer->source == k_host_a);
                    CHECK(outer->destination == k_host_b);
                    CHECK(outer->ttl == 63);  // the header is kept
                }
                if (combo.encryption && size >= 16) CHECK_FALSE(contains(*wire, payload));
                auto back = receiver.unprotect(*wire);
                REQUIRE(back);
                CHECK(back->packet == packet);
                CHECK(back->sa == *in_id);
                CHECK(back->spi == 0x1000);
                CHECK(back->protocol == combo.protocol);
            }
            const auto& in_counters = receiver.get(*in_id)->counters;
            CHECK(in_counters.inbound_packets == 6);
            CHECK(sender.get(*out_id)->counters.outbound_packets == 6);
            CHECK(sender.get(*out_id)->counters.outbound_bytes == in_counters.inbound_bytes);
        }
    }
}

TEST_CASE("manual bidirectional SAs protect and verify both ways with one SPI", "[sadb][roundtrip]") {
    FixedRng rng;
    const Combo combo{Protocol::Bundle, EncryptionAlgorithm::DesCbc, AuthenticationAlgorithm::HmacMd5_96};
    Sadb a;
    Sadb b;
    auto ida = a.add(spec_for(combo, Mode::Transport, Direction::Bidirectional, 0, 0));
    auto idb = b.add(spec_for(combo, Mode::Transport, Direction::Bidirectional, 0, 0));
    REQUIRE((ida && idb));
    const auto ab = make_packet(k_host_a, k_host_b, ipv4::k_protocol_udp, icmp_payload(40));
    const auto ba = make_packet(k_host_b, k_host_a, ipv4::k_protocol_tcp, icmp_payload(33));
    for (int i = 0; i < 3; ++i) {
        auto w1 = a.protect("rt", ab, rng);
        REQUIRE(w1);
        auto r1 = b.unprotect(*w1);
        REQUIRE(r1);
        CHECK(r1->packet == ab);
        auto w2 = b.protect(*idb, ba, rng);
        REQUIRE(w2);
        auto r2 = a.unprotect(*w2);
        REQUIRE(r2);
        CHECK(r2->packet == ba);
    }
    CHECK(a.get(*ida)->counters.packets == 6);
    CHECK(a.get(*ida)->counters.inbound_packets == 3);
    CHECK(b.get(*idb)->counters.outbound_packets == 3);
}

TEST_CASE("a bundle puts AH outside ESP with the auxiliary SPI", "[sadb][roundtrip][bundle]") {
    FixedRng rng;
    const Combo combo{Protocol::Bundle, EncryptionAlgorithm::TripleDesCbc, AuthenticationAlgorithm::HmacSha1_96};
    Sadb db;
    auto id = db.add(spec_for(combo, Mode::Transport, Direction::Outbound, 0, 0));
    REQUIRE(id);
    const auto packet = make_packet(k_host_a, k_host_b, ipv4::k_protocol_icmp, icmp_payload(64));
    auto wire = db.protect(*id, packet, rng);
    REQUIRE(wire);
    // IPv4 | AH (next header 50, 24 bytes, SPI 0x1000) | ESP (SPI 0x2000)
    CHECK((*wire)[9] == ipv4::k_protocol_ah);
    CHECK((*wire)[20] == ipv4::k_protocol_esp);
    CHECK((*wire)[21] == 4);  // (12 + 12) / 4 - 2
    CHECK(ipv4::load32(*wire, 24) == 0x1000);
    CHECK(ipv4::load32(*wire, 28) == 1);
    CHECK(ipv4::load32(*wire, 44) == 0x2000);
    CHECK(ipv4::load32(*wire, 48) == 1);
}

TEST_CASE("AH ICV covers the IPv4 header with mutable fields zeroed", "[sadb][ah]") {
    // Recompute the ICV independently with Botan over RFC 4302 3.3.3.1's input.
    FixedRng rng;
    const Combo combo{Protocol::Ah, std::nullopt, AuthenticationAlgorithm::HmacSha256_128};
    SaSpec out_spec = spec_for(combo, Mode::Transport, Direction::Outbound, 0, 0);
    Sadb sender;
    auto id = sender.add(out_spec);
    REQUIRE(id);
    const auto packet = make_packet(k_host_a, k_host_b, ipv4::k_protocol_udp, icmp_payload(30));
    auto wire = sender.protect(*id, packet, rng);
    REQUIRE(wire);
    REQUIRE(wire->size() == packet.size() + 28);  // 12 + 16-byte ICV
    CHECK((*wire)[21] == 5);
    std::vector<std::uint8_t> input = *wire;
    input[1] = 0;                      // TOS
    input[6] = input[7] = 0;           // flags, fragment offset
    input[8] = 0;                      // TTL
    input[10] = input[11] = 0;         // checksum
    std::fill(input.begin() + 32, input.begin() + 48, std::uint8_t{0});  // ICV
    auto mac = Botan::MessageAuthenticationCode::create_or_throw("HMAC(SHA-256)");
    mac->set_key(out_spec.authentication_key);
    mac->update(input);
    const auto full = mac->final();
    CHECK(std::equal(full.begin(), full.begin() + 16, wire->begin() + 32));

    Sadb receiver;
    REQUIRE(receiver.add(spec_for(combo, Mode::Transport, Direction::Inbound, 0, 0)));
    // A changed source address fails the ICV (and is not recorded by the window) ...
    std::vector<std::uint8_t> spoofed = *wire;
    spoofed[15] ^= 1;
    ipv4::finish_header(spoofed, 20);
    auto bad = receiver.unprotect(spoofed);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().reason == DropReason::BadIcv);
    // ... while a router changing TTL, TOS and checksum leaves AH valid.
    std::vector<std::uint8_t> routed = *wire;
    routed[8] = 7;
    routed[1] = 0xb8;
    ipv4::finish_header(routed, 20);
    auto back = receiver.unprotect(routed);
    REQUIRE(back);
    CHECK(std::equal(back->packet.begin() + 20, back->packet.end(), packet.begin() + 20));
}

TEST_CASE("NAT-T ESP carries a UDP header to port 4500 with checksum 0", "[sadb][roundtrip][natt]") {
    FixedRng rng;
    const Combo combo{Protocol::Esp, EncryptionAlgorithm::Aes256Cbc, AuthenticationAlgorithm::HmacSha1_96};
    for (Mode mode : {Mode::Transport, Mode::Tunnel}) {
        INFO(to_string(mode));
        SaSpec out_spec = spec_for(combo, mode, Direction::Outbound, k_gw_a, k_gw_b);
        out_spec.udp_encapsulation = UdpEncapsulation{4500, 4500};
        SaSpec in_spec = spec_for(combo, mode, Direction::Inbound, k_gw_b, k_gw_a);
        in_spec.udp_encapsulation = UdpEncapsulation{4500, 4500};
        Sadb sender;
        Sadb receiver;
        auto id = sender.add(out_spec);
        REQUIRE(id);
        REQUIRE(receiver.add(in_spec));
        const auto packet = make_packet(k_host_a, k_host_b, ipv4::k_protocol_tcp, icmp_payload(100));
        auto wire = sender.protect(*id, packet, rng);
        REQUIRE(wire);
        CHECK((*wire)[9] == ipv4::k_protocol_udp);
        CHECK(ipv4::load16(*wire, 20) == 4500);
        CHECK(ipv4::load16(*wire, 22) == 4500);
        CHECK(ipv4::load16(*wire, 24) == wire->size() - 20);
        CHECK(ipv4::load16(*wire, 26) == 0);
        CHECK(ipv4::load32(*wire, 28) == 0x1000);
        auto back = receiver.unprotect(*wire);
        REQUIRE(back);
        CHECK(back->packet == packet);

        // The same SA refuses ESP that arrives without the UDP header.
        Sadb plain_receiver;
        REQUIRE(plain_receiver.add(spec_for(combo, mode, Direction::Inbound, k_gw_b, k_gw_a)));
        auto mismatch = plain_receiver.unprotect(*wire);
        REQUIRE_FALSE(mismatch);
        CHECK(mismatch.error().reason == DropReason::PolicyMismatch);
    }
}

TEST_CASE("NAT-T on a non-default local port is recognised", "[sadb][roundtrip][natt]") {
    FixedRng rng;
    const Combo combo{Protocol::Esp, EncryptionAlgorithm::Aes128Cbc, AuthenticationAlgorithm::HmacSha256_128};
    SaSpec out_spec = spec_for(combo, Mode::Transport, Direction::Outbound, 0, 0);
    out_spec.udp_encapsulation = UdpEncapsulation{4500, 14500};
    SaSpec in_spec = spec_for(combo, Mode::Transport, Direction::Inbound, 0, 0);
    in_spec.udp_encapsulation = UdpEncapsulation{14500, 4500};
    Sadb sender;
    Sadb receiver;
    auto id = sender.add(out_spec);
    REQUIRE((id && receiver.add(in_spec)));
    const auto packet = make_packet(k_host_a, k_host_b, ipv4::k_protocol_icmp, icmp_payload(20));
    auto wire = sender.protect(*id, packet, rng);
    REQUIRE(wire);
    auto back = receiver.unprotect(*wire);
    REQUIRE(back);
    CHECK(back->packet == packet);
}
