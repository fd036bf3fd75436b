// IPv4 header helpers for ESP/AH processing (RFC 791): parse and validate a
// header, rebuild total length and checksum, build a tunnel header, and zero
// the fields AH must not cover (RFC 4302 3.3.3.1.1).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "picsec/sadb/drop.h"
#include "picsec/base/expected.h"

namespace picsec::sadb::ipv4 {

inline constexpr std::uint8_t k_protocol_icmp = 1;
inline constexpr std::uint8_t k_protocol_ipip = 4;  ///< IP-in-IP, tunnel mode next header
inline constexpr std::uint8_t k_protocol_tcp = 6;
inline constexpr std::uint8_t k_protocol_udp = 17;
inline constexpr std::uint8_t k_protocol_esp = 50;
inline constexpr std::uint8_t k_protocol_ah = 51;
inline constexpr std::uint8_t k_protocol_none = 59;  ///< "no next header": ESP dummy packet
inline constexpr std::size_t k_min_header_bytes = 20;
inline constexpr std::size_t k_max_packet_bytes = 65535;
inline constexpr std::uint8_t k_default_ttl = 64;

/// The fields of an IPv4 header that IPsec processing looks at.
struct Header {
    std::size_t header_bytes = k_min_header_bytes;  ///< IHL * 4
    std::uint8_t tos = 0;
    std::uint16_t total_length = 0;
    std::uint16_t identification = 0;
    std::uint16_t flags_fragment = 0;  ///< flags (3 bits) and fragment offset (13 bits)
    std::uint8_t ttl = 0;
    std::uint8_t protocol = 0;
    std::uint32_t source = 0;       ///< host byte order
    std::uint32_t destination = 0;  ///< host byte order

    bool more_fragments() const { return (flags_fragment & 0x2000) != 0; }
    bool dont_fragment() const { return (flags_fragment & 0x4000) != 0; }
    std::uint16_t fragment_offset() const { return flags_fragment & 0x1fff; }
    bool is_fragment() const { return more_fragments() || fragment_offset() != 0; }
};

/// Parses and validates an IPv4 packet's header: version 4, IHL >= 5, the
/// header fits, total length equals the buffer size, and the checksum holds.
Expected<Header, Drop> parse(std::span<const std::uint8_t> packet);

/// RFC 1071 Internet checksum of bytes (already complemented).
std::uint16_t checksum(std::span<const std::uint8_t> bytes);

/// Sets the total length to packet.size() and recomputes the header checksum.
/// The caller ensures packet.size() <= 65535 and the header fits.
void finish_header(std::span<std::uint8_t> packet, std::size_t header_bytes);

/// Writes a 20-byte header with the given fields into out (its first 20
/// bytes; checksum and total length zero, for finish_header() to fill).
void write_header(std::span<std::uint8_t> out, std::uint8_t tos, std::uint16_t identification,
                  std::uint16_t flags_fragment, std::uint8_t ttl, std::uint8_t protocol, std::uint32_t source,
                  std::uint32_t destination);

/// Builds a 20-byte header with the given fields (checksum and total length
/// left zero; finish_header() fills them once the payload is in place).
std::vector<std::uint8_t> make_header(std::uint8_t tos, std::uint16_t identification, std::uint16_t flags_fragment,
                                      std::uint8_t ttl, std::uint8_t protocol, std::uint32_t source,
                                      std::uint32_t destination);

/// Zeroes, in a copy of an IPv4 header, what AH does not protect: TOS, flags,
/// fragment offset, TTL, header checksum (RFC 4302 3.3.3.1.1.1) and every
/// option not listed as immutable in RFC 4302 Appendix A.1 (3.3.3.1.1.2:
/// a mutable option is zeroed whole). Malformed options are zeroed to the end.
void zero_mutable_fields(std::span<std::uint8_t> header);

std::uint16_t load16(std::span<const std::uint8_t> b, std::size_t offset);
std::uint32_t load32(std::span<const std::uint8_t> b, std::size_t offset);
void store16(std::span<std::uint8_t> b, std::size_t offset, std::uint16_t v);
void store32(std::span<std::uint8_t> b, std::size_t offset, std::uint32_t v);

}  // namespace picsec::sadb::ipv4
