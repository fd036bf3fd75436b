// IPv4 header helpers for ESP/AH processing; see ipv4.h.
#include "picsec/sadb/ipv4.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <string>

#include "text.h"

namespace picsec::sadb::ipv4 {
namespace {

Drop malformed(std::string message) { return Drop{DropReason::Malformed, std::move(message)}; }

// RFC 4302 Appendix A.1: IPv4 options that are immutable in transit and so
// covered by the AH ICV. Every other option is zeroed whole.
bool option_is_immutable(std::uint8_t type) {
    switch (type) {
        case 0:    // End of Option List
        case 1:    // No Operation
        case 130:  // Security
        case 133:  // Extended Security
        case 134:  // Commercial Security
        case 148:  // Router Alert
        case 149:  // Sender Directed Multi-Destination Delivery
            return true;
        default:
            return false;
    }
}

}  // namespace

std::uint16_t load16(std::span<const std::uint8_t> b, std::size_t offset) {
    return static_cast<std::uint16_t>((b[offset] << 8) | b[offset + 1]);
}

std::uint32_t load32(std::span<const std::uint8_t> b, std::size_t offset) {
    return (std::uint32_t{b[offset]} << 24) | (std::uint32_t{b[offset + 1]} << 16) |
           (std::uint32_t{b[offset + 2]} << 8) | std::uint32_t{b[offset + 3]};
}

void store16(std::span<std::uint8_t> b, std::size_t offset, std::uint16_t v) {
    b[offset] = static_cast<std::uint8_t>(v >> 8);
    b[offset + 1] = static_cast<std::uint8_t>(v);
}

void store32(std::span<std::uint8_t> b, std::size_t offset, std::uint32_t v) {
    b[offset] = static_cast<std::uint8_t>(v >> 24);
    b[offset + 1] = static_cast<std::uint8_t>(v >> 16);
    b[offset + 2] = static_cast<std::uint8_t>(v >> 8);
    b[offset + 3] = static_cast<std::uint8_t>(v);
}

// RFC 1071 2(B): the one's complement sum is independent of byte order, so
// it adds 32-bit words as the CPU loads them and swaps the folded result once.
std::uint16_t checksum(std::span<const std::uint8_t> bytes) {
    std::uint64_t sum = 0;
    std::size_t i = 0;
    for (; i + 4 <= bytes.size(); i += 4) {
        std::uint32_t word = 0;
        std::memcpy(&word, bytes.data() + i, 4);
        sum += word;
    }
    std::array<std::uint8_t, 4> rest{};  // the last 0..3 bytes, zero-padded (RFC 1071 4.1)
    std::copy(bytes.begin() + static_cast<std::ptrdiff_t>(i), bytes.end(), rest.begin());
    std::uint32_t word = 0;
    std::memcpy(&word, rest.data(), 4);
    sum += word;
    while ((sum >> 16) != 0) sum = (sum & 0xffff) + (sum >> 16);
    auto folded = static_cast<std::uint16_t>(sum);
    if constexpr (std::endian::native == std::endian::little)
        folded = static_cast<std::uint16_t>((folded >> 8) | (folded << 8));
    return static_cast<std::uint16_t>(~folded);
}

Expected<Header, Drop> parse(std::span<const std::uint8_t> packet) {
    if (packet.size() < k_min_header_bytes)
        return malformed("IPv4 header: truncated (got " + std::to_string(packet.size()) + " bytes, need at least 20)");
    const unsigned version = packet[0] >> 4;
    if (version != 4) return malformed("IPv4 header: version (got " + std::to_string(version) + ", need 4)");
    Header h;
    h.header_bytes = static_cast<std::size_t>(packet[0] & 0x0f) * 4;
    if (h.header_bytes < k_min_header_bytes)
        return malformed("IPv4 header: IHL too small (got " + std::to_string(h.header_bytes / 4) + ", need >= 5)");
    if (h.header_bytes > packet.size())
        return malformed("IPv4 header: IHL past the packet (header " + std::to_string(h.header_bytes) +
                         " bytes, packet " + std::to_string(packet.size()) + ")");
    h.tos = packet[1];
    h.total_length = load16(packet, 2);
    if (h.total_length != packet.size())
        return malformed("IPv4 header: total length (got " + std::to_string(h.total_length) + ", packet has " +
                         std::to_string(packet.size()) + " bytes)");
    if (h.total_length < h.header_bytes)
        return malformed("IPv4 header: total length smaller than the header (got " +
                         std::to_string(h.total_length) + ")");
    h.identification = load16(packet, 4);
    h.flags_fragment = load16(packet, 6);
    h.ttl = packet[8];
    h.protocol = packet[9];
    h.source = load32(packet, 12);
    h.destination = load32(packet, 16);
    if (checksum(packet.first(h.header_bytes)) != 0)
        return malformed("IPv4 header: checksum does not verify (got " +
                         detail::hex(load16(packet, 10), 4) + ")");
    return h;
}

void finish_header(std::span<std::uint8_t> packet, std::size_t header_bytes) {
    store16(packet, 2, static_cast<std::uint16_t>(packet.size()));
    store16(packet, 10, 0);
    store16(packet, 10, checksum(packet.first(header_bytes)));
}

std::vector<std::uint8_t> make_header(std::uint8_t tos, std::uint16_t identification, std::uint16_t flags_fragment,
                                      std::uint8_t ttl, std::uint8_t protocol, std::uint32_t source,
                                      std::uint32_t destination) {
    std::vector<std::uint8_t> h(k_min_header_bytes, 0);
    write_header(h, tos, identification, flags_fragment, ttl, protocol, source, destination);
    return h;
}

void write_header(std::span<std::uint8_t> out, std::uint8_t tos, std::uint16_t identification,
                  std::uint16_t flags_fragment, std::uint8_t ttl, std::uint8_t protocol, std::uint32_t source,
                  std::uint32_t destination) {
    const auto h = out.first(k_min_header_bytes);
    std::fill(h.begin(), h.end(), std::uint8_t{0});
    h[0] = 0x45;  // version 4, IHL 5
    h[1] = tos;
    store16(h, 4, identification);
    store16(h, 6, flags_fragment);
    h[8] = ttl;
    h[9] = protocol;
    store32(h, 12, source);
    store32(h, 16, destination);
}

void zero_mutable_fields(std::span<std::uint8_t> header) {
    if (header.size() < k_min_header_bytes) return;
    header[1] = 0;                 // TOS (DSCP/ECN)
    header[6] = 0;                 // flags and
    header[7] = 0;                 // fragment offset
    header[8] = 0;                 // TTL
    header[10] = 0;                // header checksum
    header[11] = 0;
    std::size_t i = k_min_header_bytes;
    while (i < header.size()) {
        const std::uint8_t type = header[i];
        if (type == 0) break;  // End of Option List: the rest is padding, immutable
        if (type == 1) {       // No Operation
            ++i;
            continue;
        }
        if (i + 1 >= header.size() || header[i + 1] < 2 || i + header[i + 1] > header.size()) {
            std::fill(header.begin() + static_cast<std::ptrdiff_t>(i), header.end(), std::uint8_t{0});
            return;
        }
        const std::size_t length = header[i + 1];
        if (!option_is_immutable(type))
            std::fill_n(header.begin() + static_cast<std::ptrdiff_t>(i), length, std::uint8_t{0});
        i += length;
    }
}

}  // namespace picsec::sadb::ipv4
