// Inner TCP/UDP checksum fix-up for transport-mode NAT-T; see nat_t.h.
#include "picsec/sadb/nat_t.h"

#include "picsec/sadb/ipv4.h"

namespace picsec::sadb::nat_t {
namespace {

constexpr std::size_t k_tcp_checksum_at = 16;  // RFC 793 3.1
constexpr std::size_t k_udp_checksum_at = 6;   // RFC 768

std::uint32_t fold(std::uint32_t sum) {
    while ((sum >> 16) != 0) sum = (sum & 0xffff) + (sum >> 16);
    return sum;
}

}  // namespace

std::string_view to_string(ChecksumFix f) {
    switch (f) {
        case ChecksumFix::None: return "none";
        case ChecksumFix::Adjusted: return "adjusted";
        case ChecksumFix::Zeroed: return "zeroed";
        case ChecksumFix::Untouched: return "untouched";
    }
    return "?";
}

std::uint16_t adjust_checksum(std::uint16_t checksum, std::uint32_t old_word, std::uint32_t new_word) {
    // One's complement arithmetic over the two 16-bit halves of each address.
    std::uint32_t sum = static_cast<std::uint16_t>(~checksum);
    sum += static_cast<std::uint16_t>(~(old_word >> 16));
    sum += static_cast<std::uint16_t>(~old_word);
    sum += new_word >> 16;
    sum += new_word & 0xffff;
    return static_cast<std::uint16_t>(~fold(sum));
}

ChecksumFix fix_transport_checksum(std::span<std::uint8_t> packet, std::size_t header_bytes,
                                   const UdpEncapsulation& encapsulation) {
    if (packet.size() < ipv4::k_min_header_bytes || header_bytes > packet.size()) return ChecksumFix::None;
    // A non-first fragment carries no transport header (unprotect refuses fragments; be safe anyway).
    if ((ipv4::load16(packet, 6) & 0x1fff) != 0) return ChecksumFix::None;
    const std::uint8_t protocol = packet[9];
    const bool tcp = protocol == ipv4::k_protocol_tcp;
    if (!tcp && protocol != ipv4::k_protocol_udp) return ChecksumFix::None;
    const std::size_t at = header_bytes + (tcp ? k_tcp_checksum_at : k_udp_checksum_at);
    if (packet.size() < at + 2) return ChecksumFix::None;
    const std::uint16_t old_checksum = ipv4::load16(packet, at);
    // RFC 768: a UDP checksum of 0 means none was computed.
    if (!tcp && old_checksum == 0) return ChecksumFix::None;

    const bool known = encapsulation.peer_original_address || encapsulation.local_original_address;
    if (!known) {
        if (tcp) return ChecksumFix::Untouched;
        // RFC 3948 3.1.2: for IPv4 the receiver may set the UDP checksum to zero.
        ipv4::store16(packet, at, 0);
        return ChecksumFix::Zeroed;
    }
    const std::uint32_t source = ipv4::load32(packet, 12);
    const std::uint32_t destination = ipv4::load32(packet, 16);
    const std::uint32_t original_source = encapsulation.peer_original_address.value_or(source);
    const std::uint32_t original_destination = encapsulation.local_original_address.value_or(destination);
    if (original_source == source && original_destination == destination) return ChecksumFix::None;
    // RFC 3948 3.1.2 steps 3 and 4: swap the original addresses for the arrived ones in the pseudo-header sum.
    std::uint16_t c = old_checksum;
    if (original_source != source) c = adjust_checksum(c, original_source, source);
    if (original_destination != destination) c = adjust_checksum(c, original_destination, destination);
    // RFC 768: a computed UDP checksum of 0 is sent as all ones.
    if (!tcp && c == 0) c = 0xffff;
    ipv4::store16(packet, at, c);
    return ChecksumFix::Adjusted;
}

}  // namespace picsec::sadb::nat_t
