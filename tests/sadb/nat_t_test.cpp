// Transport-mode NAT-T (RFC 3948 3.1.2): after a NAT rewrote the outer
// addresses, the inner TCP/UDP checksums are fixed with the NAT-OA addresses
// (RFC 3947 5.2, RFC 1624). Checksums are verified here with an independent
// pseudo-header sum over the addresses the packet arrived with.
#include <catch2/catch.hpp>

#include "picsec/sadb/nat_t.h"
#include "picsec/sadb/sadb.h"
#include "sadb_test_support.h"

using namespace picsec::sadb;
using namespace picsec::sadb::test;

namespace {

constexpr std::uint32_t k_peer_private = addr(192, 168, 1, 10);  // the peer as it knows itself (NAT-OA)
constexpr std::uint32_t k_peer_public = addr(203, 0, 113, 5);    // the peer after its NAT
constexpr std::uint32_t k_our_public = k_gw_b;                    // us as the peer addresses us
constexpr std::uint32_t k_our_private = addr(10, 1, 1, 1);        // us behind our own NAT

// RFC 793 / RFC 768 pseudo-header sum (not complemented) over src, dst,
// protocol and the segment as it stands, written out byte by byte.
std::uint32_t pseudo_sum(std::uint32_t src, std::uint32_t dst, std::uint8_t protocol,
                         const std::vector<std::uint8_t>& segment) {
    std::vector<std::uint8_t> bytes = {
        static_cast<std::uint8_t>(src >> 24), static_cast<std::uint8_t>(src >> 16), static_cast<std::uint8_t>(src >> 8),
        static_cast<std::uint8_t>(src),       static_cast<std::uint8_t>(dst >> 24), static_cast<std::uint8_t>(dst >> 16),
        static_cast<std::uint8_t>(dst >> 8),  static_cast<std::uint8_t>(dst),       0,
        protocol,
        static_cast<std::uint8_t>(segment.size() >> 8), static_cast<std::uint8_t>(segment.size())};
    bytes.insert(bytes.end(), segment.begin(), segment.end());
    if (bytes.size() % 2) bytes.push_back(0);
    std::uint32_t sum = 0;
    for (std::size_t i = 0; i < bytes.size(); i += 2) sum += (std::uint32_t{bytes[i]} << 8) | bytes[i + 1];
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    return sum;
}

bool verifies(std::uint32_t src, std::uint32_t dst, std::uint8_t protocol, const std::vector<std::uint8_t>& segment) {
    return pseudo_sum(src, dst, protocol, segment) == 0xffff;
}

std::size_t checksum_at(std::uint8_t protocol) { return protocol == ipv4::k_protocol_tcp ? 16 : 6; }

// A TCP segment (20-byte header, no options) or UDP datagram whose checksum
// covers src and dst.
std::vector<std::uint8_t> segment(std::uint8_t protocol, std::uint32_t src, std::uint32_t dst, std::size_t data_bytes) {
    const std::size_t header = protocol == ipv4::k_protocol_tcp ? 20 : 8;
    std::vector<std::uint8_t> s(header + data_bytes);
    for (std::size_t i = 0; i < s.size(); ++i) s[i] = static_cast<std::uint8_t>(0x5a ^ (i * 13));
    ipv4::store16(s, 0, 49152);
    ipv4::store16(s, 2, protocol == ipv4::k_protocol_tcp ? 179 : 53);
    if (protocol == ipv4::k_protocol_tcp)
        s[12] = 0x50;  // data offset 5
    else
        ipv4::store16(s, 4, static_cast<std::uint16_t>(s.size()));
    ipv4::store16(s, checksum_at(protocol), 0);
    auto c = static_cast<std::uint16_t>(~pseudo_sum(src, dst, protocol, s));
    if (protocol == ipv4::k_protocol_udp && c == 0) c = 0xffff;
    ipv4::store16(s, checksum_at(protocol), c);
    return s;
}

SaSpec natt_spec(Direction d, Mode mode, std::uint32_t local, std::uint32_t peer, UdpEncapsulation u) {
    SaSpec s;
    s.name = "natt";
    s.spi = 0x12345;
    s.protocol = Protocol::Esp;
    s.direction = d;
    s.mode = mode;
    s.encryption = EncryptionAlgorithm::TripleDesCbc;
    s.encryption_key = pattern_key(24, 0x31);
    s.authentication = AuthenticationAlgorithm::HmacSha1_96;
    s.authentication_key = pattern_key(20, 0x57);
    s.local_address = local;
    s.peer_address = peer;
    s.udp_encapsulation = u;
    return s;
}

// What a NAT does to the outer header: new addresses, header checksum fixed
// (the ESP-in-UDP checksum is 0, RFC 3948 2.1, so nothing else changes).
void translate(std::vector<std::uint8_t>& wire, std::uint32_t src, std::uint32_t dst) {
    ipv4::store32(wire, 12, src);
    ipv4::store32(wire, 16, dst);
    ipv4::finish_header(wire, 20);
}

struct Arrived {
    std::vector<std::uint8_t> packet;  // the inner packet with its IPv4 header
    std::vector<std::uint8_t> segment; // what follows the header
};

// The peer (k_peer_private) sends `inner_segment` to k_our_public; a NAT
// rewrites the outer addresses to arrived_src -> arrived_dst; we unprotect
// with `receiver_encapsulation`.
Arrived through_nat(Mode mode, std::uint8_t protocol, const std::vector<std::uint8_t>& inner_segment,
                    std::uint32_t arrived_src, std::uint32_t arrived_dst, UdpEncapsulation receiver_encapsulation) {
    FixedRng rng;
    Sadb sender;
    Sadb receiver;
    auto out = sender.add(natt_spec(Direction::Outbound, mode, k_peer_private, k_our_public, UdpEncapsulation{}));
    REQUIRE(out);
    REQUIRE(receiver.add(natt_spec(Direction::Inbound, mode, arrived_dst, arrived_src, receiver_encapsulation)));
    auto wire = sender.protect(*out, make_packet(k_peer_private, k_our_public, protocol, inner_segment), rng);
    REQUIRE(wire);
    translate(*wire, arrived_src, arrived_dst);
    auto back = receiver.unprotect(*wire);
    REQUIRE(back);
    REQUIRE(back->packet.size() == 20 + inner_segment.size());
    return Arrived{back->packet, std::vector<std::uint8_t>(back->packet.begin() + 20, back->packet.end())};
}

// Everything but the checksum field is as the peer sent it.
bool same_but_checksum(std::uint8_t protocol, std::vector<std::uint8_t> a, std::vector<std::uint8_t> b) {
    ipv4::store16(a, checksum_at(protocol), 0);
    ipv4::store16(b, checksum_at(protocol), 0);
    return a == b;
}

}  // namespace

TEST_CASE("transport-mode NAT-T fixes the inner TCP and UDP checksums for the NAT-OA addresses",
          "[sadb][natt][transport]") {
    struct Case {
        const char* what;
        std::uint32_t arrived_dst;  // our actual address
    };
    for (const auto& c : {Case{"peer behind a NAT", k_our_public}, Case{"both behind NATs", k_our_private}}) {
        for (std::uint8_t protocol : {ipv4::k_protocol_tcp, ipv4::k_protocol_udp}) {
            for (std::size_t data : {std::size_t{0}, std::size_t{1}, std::size_t{37}, std::size_t{200}}) {
                INFO(c.what << ", protocol " << int(protocol) << ", " << data << " data bytes");
                const auto sent = segment(protocol, k_peer_private, k_our_public, data);
                REQUIRE(verifies(k_peer_private, k_our_public, protocol, sent));
                // Unfixed, the checksum fails over the addresses the packet arrives with.
                CHECK_FALSE(verifies(k_peer_public, c.arrived_dst, protocol, sent));
                UdpEncapsulation u;
                u.peer_original_address = k_peer_private;
                u.local_original_address = k_our_public;
                const auto got = through_nat(Mode::Transport, protocol, sent, k_peer_public, c.arrived_dst, u);
                CHECK(ipv4::load32(got.packet, 12) == k_peer_public);
                CHECK(ipv4::load32(got.packet, 16) == c.arrived_dst);
                CHECK(got.packet[9] == protocol);
                CHECK(verifies(k_peer_public, c.arrived_dst, protocol, got.segment));
                CHECK(ipv4::load16(got.segment, checksum_at(protocol)) != 0);
                CHECK(same_but_checksum(protocol, got.segment, sent));
            }
        }
    }
}

TEST_CASE("transport-mode NAT-T without NAT-OA zeroes a UDP checksum and leaves a TCP one as it came",
          "[sadb][natt][transport]") {
    const auto udp = segment(ipv4::k_protocol_udp, k_peer_private, k_our_public, 40);
    auto got = through_nat(Mode::Transport, ipv4::k_protocol_udp, udp, k_peer_public, k_our_public, UdpEncapsulation{});
    CHECK(ipv4::load16(got.segment, 6) == 0);  // RFC 768: no checksum
    CHECK(same_but_checksum(ipv4::k_protocol_udp, got.segment, udp));

    const auto tcp = segment(ipv4::k_protocol_tcp, k_peer_private, k_our_public, 40);
    got = through_nat(Mode::Transport, ipv4::k_protocol_tcp, tcp, k_peer_public, k_our_public, UdpEncapsulation{});
    CHECK(got.segment == tcp);
}

TEST_CASE("transport-mode NAT-T keeps a UDP datagram sent without a checksum at 0", "[sadb][natt][transport]") {
    auto udp = segment(ipv4::k_protocol_udp, k_peer_private, k_our_public, 21);
    ipv4::store16(udp, 6, 0);
    UdpEncapsulation u;
    u.peer_original_address = k_peer_private;
    const auto got = through_nat(Mode::Transport, ipv4::k_protocol_udp, udp, k_peer_public, k_our_public, u);
    CHECK(got.segment == udp);
}

TEST_CASE("NAT-OA addresses leave the inner packet of a tunnel-mode SA alone", "[sadb][natt][tunnel]") {
    // In tunnel mode the inner header is the sender's own: its checksums are right as they are.
    const auto tcp = segment(ipv4::k_protocol_tcp, k_peer_private, k_our_public, 30);
    UdpEncapsulation u;
    u.peer_original_address = k_peer_private;
    u.local_original_address = k_our_public;
    const auto got = through_nat(Mode::Tunnel, ipv4::k_protocol_tcp, tcp, k_peer_public, k_our_public, u);
    CHECK(got.segment == tcp);
    CHECK(ipv4::load32(got.packet, 12) == k_peer_private);
}

TEST_CASE("an incremental checksum update equals a full recomputation (RFC 1624)", "[sadb][natt][checksum]") {
    // A 12-byte buffer whose word at offset 4 changes; the checksum sits at offset 0.
    const std::uint32_t words[] = {0x00000000, 0xffffffff, 0xc0a8010a, 0xcb007105, 0x0a010101, 0x0000ffff,
                                   0xffff0000, 0x12345678};
    for (std::uint32_t old_word : words) {
        for (std::uint32_t new_word : words) {
            for (std::uint16_t filler : {std::uint16_t{0}, std::uint16_t{0x1234}, std::uint16_t{0xfffe}}) {
                std::vector<std::uint8_t> buf(12, 0);
                ipv4::store16(buf, 2, filler);
                ipv4::store32(buf, 4, old_word);
                ipv4::store16(buf, 8, static_cast<std::uint16_t>(~filler));
                ipv4::store16(buf, 0, ipv4::checksum(buf));
                const auto updated = nat_t::adjust_checksum(ipv4::load16(buf, 0), old_word, new_word);
                ipv4::store32(buf, 4, new_word);
                ipv4::store16(buf, 0, updated);
                INFO(std::hex << old_word << " -> " << new_word << " filler " << filler);
                // The updated buffer sums to all ones (one's complement zero), as a fresh checksum would make it.
                CHECK(ipv4::checksum(buf) == 0);
            }
        }
    }
}
