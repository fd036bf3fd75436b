// AH codec for IPv4 (RFC 4302 2 and 3): inserts an AH header after an IPv4
// header, verifies and removes it. The ICV covers the IPv4 header with
// mutable fields zeroed, the AH header with the ICV zeroed, and the payload.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "picsec/sadb/drop.h"
#include "picsec/base/expected.h"
#include "picsec/sadb/ipv4.h"
#include "picsec/sadb/sa_crypto.h"

namespace picsec::sadb::ah {

//  0                   1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Next Header   |  Payload Len  |          RESERVED             |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                 Security Parameters Index (SPI)               |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                    Sequence Number Field                      |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                Integrity Check Value-ICV (variable)           |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+

inline constexpr std::size_t k_fixed_bytes = 12;  ///< before the ICV

/// A parsed AH header (the bytes right after the IPv4 header).
struct Header {
    std::uint8_t next_header = 0;
    std::size_t length_bytes = 0;  ///< (Payload Len + 2) * 4, RFC 4302 2.2
    std::uint32_t spi = 0;
    std::uint32_t sequence = 0;
};

/// AH header length for an SA: 12 bytes plus the ICV, padded to a multiple
/// of 4 bytes for IPv4 (RFC 4302 2.2).
std::size_t header_bytes(const SaCrypto& crypto);

/// Parses the AH header at the start of ah; Malformed when truncated or when
/// Payload Len points past the packet.
Expected<Header, Drop> parse(std::span<const std::uint8_t> ah);

/// Inserts AH after the IPv4 header of packet (whose parsed header is ip):
/// protocol becomes 51, total length and checksum are fixed up, ICV computed.
/// Malformed when the result would exceed 65535 bytes. With ESN
/// (crypto.esn()) the header carries the low 32 bits of sequence and the ICV
/// covers the high 32 bits after the packet (RFC 4302 2.5.1).
Expected<std::vector<std::uint8_t>, Drop> insert(SaCrypto& crypto, std::span<const std::uint8_t> packet,
                                                 const ipv4::Header& ip, std::uint32_t spi,
                                                 std::uint64_t sequence);

/// Verifies the ICV of the AH header `ah` that follows the IPv4 header ip
/// in packet. Malformed when the AH length does not fit this SA's ICV.
/// sequence_high: the inferred high half of an ESN sequence number.
std::optional<Drop> verify(SaCrypto& crypto, std::span<const std::uint8_t> packet, const ipv4::Header& ip,
                           const Header& ah, std::uint32_t sequence_high = 0);

/// Removes the AH header: the IPv4 header gets the AH next header as its
/// protocol, and total length and checksum are fixed up.
std::vector<std::uint8_t> remove(std::span<const std::uint8_t> packet, const ipv4::Header& ip, const Header& ah);

}  // namespace picsec::sadb::ah
