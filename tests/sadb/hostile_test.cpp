// Bad and hostile inbound packets: every one gives a drop with a reason and
// a message naming the field, is counted, and never crashes. Includes a
// deterministic bit-flip and truncation pass over every SA shape.
#include <catch2/catch.hpp>

#include "picsec/sadb/esp.h"
#include "picsec/sadb/sadb.h"
#include "sadb_test_support.h"

using namespace picsec::sadb;
using namespace picsec::sadb::test;

namespace {

SaSpec spec(Protocol p, Direction d, Mode m = Mode::Transport) {
    SaSpec s;
    s.name = std::string("hostile");  // not a literal: GCC 12 -Wrestrict false positive
    s.spi = 0x500;
    s.protocol = p;
    if (p == Protocol::Bundle) s.auxiliary_spi = 0x501;
    s.direction = d;
    s.mode = m;
    if (p != Protocol::Ah) {
        s.encryption = EncryptionAlgorithm::Aes128Cbc;
        s.encryption_key = pattern_key(16, 9);
    }
    s.authentication = AuthenticationAlgorithm::HmacSha1_96;
    s.authentication_key = pattern_key(20, 11);
    s.local_address = d == Direction::Outbound ? k_gw_a : k_gw_b;
    s.peer_address = d == Direction::Outbound ? k_gw_b : k_gw_a;
    return s;
}

struct Pair {
    Sadb sender;
    Sadb receiver;
    SaId out = 0;
    SaId in = 0;
    FixedRng rng;

    Pair(Protocol p, Mode m = Mode::Transport) {
        out = *sender.add(spec(p, Direction::Outbound, m));
        in = *receiver.add(spec(p, Direction::Inbound, m));
    }
    std::vector<std::uint8_t> send(std::size_t size = 40) {
        return *sender.protect(out, make_packet(k_host_a, k_host_b, ipv4::k_protocol_icmp, icmp_payload(size)), rng);
    }
    const SaCounters& counters() const { return receiver.get(in)->counters; }
};

DropReason drop_reason(Sadb& db, const std::vector<std::uint8_t>& packet) {
    auto r = db.unprotect(packet);
    REQUIRE_FALSE(r);
    INFO(r.error().message);
    CHECK_FALSE(r.error().message.empty());
    return r.error().reason;
}

}  // namespace

TEST_CASE("SADB drops a replayed ESP packet and counts it", "[sadb][hostile][replay]") {
    Pair p(Protocol::Esp);
    const auto first = p.send();
    REQUIRE(p.receiver.unprotect(first));
    auto again = p.receiver.unprotect(first);
    REQUIRE_FALSE(again);
    CHECK(again.error().reason == DropReason::Replay);
    CHECK_THAT(again.error().message, Catch::Contains("ESP sequence number: duplicate (got 1"));
    CHECK(p.counters().replay_drops == 1);
}

TEST_CASE("SADB drops an AH packet that fell behind the window", "[sadb][hostile][replay]") {
    Pair p(Protocol::Ah);
    const auto old = p.send();
    for (int i = 0; i < 64; ++i) REQUIRE(p.receiver.unprotect(p.send()));  // 2..65
    CHECK(drop_reason(p.receiver, old) == DropReason::Replay);
    CHECK(p.counters().replay_drops == 1);
}

TEST_CASE("SADB accepts reordered packets inside the window", "[sadb][hostile][replay]") {
    Pair p(Protocol::Bundle);
    std::vector<std::vector<std::uint8_t>> packets;
    for (int i = 0; i < 10; ++i) packets.push_back(p.send());
    for (int i : {9, 0, 5, 3, 8, 1, 2, 7, 6, 4}) REQUIRE(p.receiver.unprotect(packets[static_cast<std::size_t>(i)]));
    CHECK(p.counters().inbound_packets == 10);
}

TEST_CASE("SADB drops a packet with a bad ICV, counts it and does not advance the window", "[sadb][hostile]") {
    Pair p(Protocol::Esp);
    auto forged = p.send();
    forged.back() ^= 0x80;  // last ICV byte
    CHECK(drop_reason(p.receiver, forged) == DropReason::BadIcv);
    CHECK(p.counters().auth_failures == 1);
    CHECK(p.receiver.get(p.in)->primary.window.highest() == 0);
    forged.back() ^= 0x80;
    CHECK(p.receiver.unprotect(forged));  // the genuine packet with that number still passes
}

TEST_CASE("SADB drops unknown SPIs for ESP and AH", "[sadb][hostile]") {
    Pair p(Protocol::Esp);
    auto packet = p.send();
    ipv4::store32(packet, 20, 0xdeadbeef);
    auto r = p.receiver.unprotect(packet);
    REQUIRE_FALSE(r);
    CHECK(r.error().reason == DropReason::UnknownSpi);
    CHECK_THAT(r.error().message, Catch::Contains("0xdeadbeef"));
    Pair ah(Protocol::Ah);
    auto a = ah.send();
    ipv4::store32(a, 24, 0x777);
    CHECK(drop_reason(ah.receiver, a) == DropReason::UnknownSpi);
    CHECK(ah.receiver.counters().unknown_spi == 1);
}

TEST_CASE("SADB names the field of a malformed packet", "[sadb][hostile]") {
    Pair p(Protocol::Esp);
    const auto good = p.send();
    struct Case {
        const char* what;
        std::vector<std::uint8_t> packet;
        const char* field;
    };
    auto truncated_ip = std::vector<std::uint8_t>(good.begin(), good.begin() + 12);
    auto bad_version = good;
    bad_version[0] = 0x65;
    auto bad_total = good;
    ipv4::store16(bad_total, 2, static_cast<std::uint16_t>(good.size() + 4));
    auto bad_checksum = good;
    bad_checksum[10] ^= 0xff;
    auto short_esp = std::vector<std::uint8_t>(good.begin(), good.begin() + 26);
    ipv4::finish_header(short_esp, 20);
    auto cut_esp = std::vector<std::uint8_t>(good.begin(), good.begin() + 60);
    ipv4::finish_header(cut_esp, 20);
    auto odd_esp = good;
    odd_esp.insert(odd_esp.begin() + 60, 3, 0);  // ciphertext no longer a block multiple
    ipv4::finish_header(odd_esp, 20);
    auto fragment = good;
    ipv4::store16(fragment, 6, 0x2000);
    ipv4::finish_header(fragment, 20);
    auto big_ihl = good;
    big_ihl[0] = 0x4f;
    const std::vector<Case> cases{
        {"header cut short", truncated_ip, "IPv4 header: truncated"},
        {"version 6", bad_version, "IPv4 header: version (got 6, need 4)"},
        {"total length", bad_total, "IPv4 header: total length"},
        {"checksum", bad_checksum, "IPv4 header: checksum"},
        {"ESP header cut", short_esp, "ESP header: truncated"},
        {"ESP body cut", cut_esp, "ESP packet: truncated"},
        {"ESP not block aligned", odd_esp, "ESP payload: length not a multiple of the 16-byte block"},
        {"fragment", fragment, "IPv4 flags: a fragment"},
        {"IHL past the packet", big_ihl, "IPv4 header"},
    };
    for (const auto& c : cases) {
        INFO(c.what);
        auto r = p.receiver.unprotect(c.packet);
        REQUIRE_FALSE(r);
        CHECK(r.error().reason == DropReason::Malformed);
        CHECK_THAT(r.error().message, Catch::Contains(c.field));
    }
}

TEST_CASE("SADB drops bad ESP padding and a pad length past the data", "[sadb][hostile][padding]") {
    // Encryption-only ESP: the padding check is the only integrity left (RFC 4303 2.4).
    SaSpec s = spec(Protocol::Esp, Direction::Inbound);
    s.authentication.reset();
    s.authentication_key.clear();
    Sadb db;
    auto id = db.add(s);
    REQUIRE(id);
    SaCrypto crypto(s.encryption, s.encryption_key, std::nullopt, {});
    auto build = [&](std::vector<std::uint8_t> plaintext_trailer_block) {
        // IP | SPI | seq | IV | one block chosen by the test
        std::vector<std::uint8_t> iv(16, 0x42);
        std::vector<std::uint8_t> body = std::move(plaintext_trailer_block);
        crypto.encrypt(iv, body);
        std::vector<std::uint8_t> esp(8, 0);
        ipv4::store32(esp, 0, 0x500);
        ipv4::store32(esp, 4, 1);
        esp.insert(esp.end(), iv.begin(), iv.end());
        esp.insert(esp.end(), body.begin(), body.end());
        return make_packet(k_host_a, k_host_b, ipv4::k_protocol_esp, esp);
    };
    std::vector<std::uint8_t> wrong_bytes{8, 0, 1, 2, 9, 4, 5, 6, 7, 8, 9, 10, 11, 12, 10, 1};  // byte 4 of padding wrong
    std::vector<std::uint8_t> pad_too_long(16, 0);
    pad_too_long[14] = 15;  // 15 + 2 > 16
    pad_too_long[15] = 1;
    const std::vector<std::uint8_t> good{8, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 12, 1};  // 2 data, 12 pad
    auto r1 = db.unprotect(build(wrong_bytes));
    REQUIRE_FALSE(r1);
    CHECK(r1.error().reason == DropReason::BadPadding);
    CHECK_THAT(r1.error().message, Catch::Contains("ESP padding: byte"));
    auto r2 = db.unprotect(build(pad_too_long));
    REQUIRE_FALSE(r2);
    CHECK(r2.error().reason == DropReason::BadPadding);
    CHECK_THAT(r2.error().message, Catch::Contains("ESP pad length: past the data (got 15"));
    CHECK(db.get(*id)->counters.padding_errors == 2);
    auto ok = db.unprotect(build(good));
    REQUIRE(ok);
    CHECK(ok->packet.size() == 22);
    CHECK(ok->packet[9] == ipv4::k_protocol_icmp);
}

TEST_CASE("SADB tells IKE and keepalives on port 4500 apart from ESP", "[sadb][hostile][natt]") {
    Sadb db;
    auto udp = [](std::uint16_t dport, std::vector<std::uint8_t> payload) {
        std::vector<std::uint8_t> u(8, 0);
        ipv4::store16(u, 0, 4500);
        ipv4::store16(u, 2, dport);
        ipv4::store16(u, 4, static_cast<std::uint16_t>(8 + payload.size()));
        u.insert(u.end(), payload.begin(), payload.end());
        return make_packet(k_gw_b, k_gw_a, ipv4::k_protocol_udp, u);
    };
    auto ike = db.unprotect(udp(4500, {0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8}));
    REQUIRE_FALSE(ike);
    CHECK(ike.error().reason == DropReason::NotIpsec);
    CHECK_THAT(ike.error().message, Catch::Contains("non-ESP marker"));
    auto keepalive = db.unprotect(udp(4500, {0xff}));
    REQUIRE_FALSE(keepalive);
    CHECK(keepalive.error().reason == DropReason::NotIpsec);
    CHECK_THAT(keepalive.error().message, Catch::Contains("NAT-keepalive"));
    CHECK(drop_reason(db, udp(53, {1, 2, 3, 4, 5, 6, 7, 8})) == DropReason::NotIpsec);
    CHECK(drop_reason(db, udp(4500, {0, 0, 1, 0x10, 0, 0, 0, 1})) == DropReason::UnknownSpi);
    CHECK(drop_reason(db, udp(4500, {0, 0, 1})) == DropReason::Malformed);
    auto bad_len = udp(4500, {0, 0, 1, 0x10, 0, 0, 0, 1});
    ipv4::store16(bad_len, 24, 200);
    CHECK(drop_reason(db, bad_len) == DropReason::Malformed);
    CHECK(drop_reason(db, make_packet(k_gw_b, k_gw_a, ipv4::k_protocol_tcp, icmp_payload(20))) == DropReason::NotIpsec);
    CHECK(db.counters().not_ipsec == 4);
}

TEST_CASE("SADB drops bundle ESP that arrives without its AH", "[sadb][hostile][bundle]") {
    Pair p(Protocol::Bundle);
    auto wire = p.send();
    // Strip the AH header (24 bytes) by hand, leaving IPv4 | ESP(0x501).
    std::vector<std::uint8_t> bare(wire.begin(), wire.begin() + 20);
    bare.insert(bare.end(), wire.begin() + 44, wire.end());
    bare[9] = ipv4::k_protocol_esp;
    ipv4::finish_header(bare, 20);
    auto r = p.receiver.unprotect(bare);
    REQUIRE_FALSE(r);
    CHECK(r.error().reason == DropReason::PolicyMismatch);
    CHECK_THAT(r.error().message, Catch::Contains("without AH"));
    CHECK(p.counters().policy_drops == 1);
}

TEST_CASE("SADB drops an ESP dummy packet with next header 59", "[sadb][hostile]") {
    SaSpec s = spec(Protocol::Esp, Direction::Bidirectional);
    Sadb db;
    auto id = db.add(s);
    REQUIRE(id);
    SaCrypto crypto(s.encryption, s.encryption_key, s.authentication, s.authentication_key);
    FixedRng rng;
    auto esp = esp::encapsulate(crypto, 0x500, 1, ipv4::k_protocol_none, icmp_payload(10), rng);
    auto r = db.unprotect(make_packet(k_host_b, k_host_a, ipv4::k_protocol_esp, esp));
    REQUIRE_FALSE(r);
    CHECK(r.error().reason == DropReason::DummyPacket);
}

TEST_CASE("tunnel-mode SA drops a payload that is not IP-in-IP", "[sadb][hostile]") {
    SaSpec s = spec(Protocol::Esp, Direction::Inbound, Mode::Tunnel);
    Sadb db;
    REQUIRE(db.add(s));
    SaCrypto crypto(s.encryption, s.encryption_key, s.authentication, s.authentication_key);
    FixedRng rng;
    auto esp = esp::encapsulate(crypto, 0x500, 1, ipv4::k_protocol_icmp, icmp_payload(10), rng);
    auto r = db.unprotect(make_packet(k_gw_a, k_gw_b, ipv4::k_protocol_esp, esp));
    REQUIRE_FALSE(r);
    CHECK(r.error().reason == DropReason::PolicyMismatch);
    CHECK_THAT(r.error().message, Catch::Contains("need 4 IP-in-IP"));
    // IP-in-IP whose inner packet is garbage
    auto junk = esp::encapsulate(crypto, 0x500, 2, ipv4::k_protocol_ipip, icmp_payload(10), rng);
    auto r2 = db.unprotect(make_packet(k_gw_a, k_gw_b, ipv4::k_protocol_esp, junk));
    REQUIRE_FALSE(r2);
    CHECK(r2.error().reason == DropReason::Malformed);
    CHECK_THAT(r2.error().message, Catch::Contains("inner IPv4 header"));
}

TEST_CASE("every bit flip and truncation of a protected packet is dropped, never crashes", "[sadb][hostile][fuzz]") {
    for (Protocol protocol : {Protocol::Esp, Protocol::Ah, Protocol::Bundle}) {
        for (Mode mode : {Mode::Transport, Mode::Tunnel}) {
            INFO(to_string(protocol) << " " << to_string(mode));
            Pair p(protocol, mode);
            const auto good = p.send(33);
            std::size_t accepted = 0;
            for (std::size_t bit = 0; bit < good.size() * 8; ++bit) {
                auto bad = good;
                bad[bit / 8] ^= static_cast<std::uint8_t>(1U << (bit % 8));
                // Fix the header checksum so the flip reaches IPsec processing.
                if (bit / 8 < 20 && bit / 8 != 10 && bit / 8 != 11 && (bad[0] & 0xf0) == 0x40 && (bad[0] & 0x0f) == 5)
                    ipv4::finish_header(bad, 20);
                auto r = p.receiver.unprotect(bad);
                if (r) ++accepted;
            }
            // Only flips in fields that AH leaves mutable (TOS, TTL, flags) or that no
            // ICV covers in ESP (the outer header) may pass; the payload never does.
            CHECK(accepted <= 20 * 8);
            for (std::size_t n = 0; n < good.size(); ++n) {
                std::vector<std::uint8_t> cut(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(n));
                if (n >= 20) ipv4::finish_header(cut, 20);
                CHECK_FALSE(p.receiver.unprotect(cut));
            }
        }
    }
}
