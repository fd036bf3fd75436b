// RFC 7296 3.1 IKE header: decode, encode, and the major-version peek with
// which the engine dispatches a datagram to its IKEv1 or IKEv2 path.
#pragma once

#include <picsec/ike/v2/error.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace picsec::ike::v2 {

/*
 * RFC 7296 3.1 IKE Header
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       IKE SA Initiator's SPI                  |
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       IKE SA Responder's SPI                  |
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Next Payload | MjVer | MnVer | Exchange Type |     Flags     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                          Message ID                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                            Length                             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * Flags: X X R V I X X X (R 0x20 response, V 0x10 version, I 0x08 initiator)
 */
inline constexpr std::size_t header_size = 28;

/// An IKE SA SPI (RFC 7296 2.6): 8 bytes, zero for an unknown responder SPI.
using IkeSpi = std::array<std::uint8_t, 8>;

/// The decoded header. The minor version and the reserved flag bits are
/// ignored on receipt and sent as zero (RFC 7296 3.1).
struct Header {
    IkeSpi spi_i{};
    IkeSpi spi_r{};
    PayloadType next = PayloadType::None;
    std::uint8_t exchange = 0;  ///< raw, so an unknown exchange type can be reported; see ExchangeType
    bool initiator = false;     ///< I flag: sent by the original initiator of the IKE SA
    bool version = false;       ///< V flag: the sender speaks a higher major version
    bool response = false;      ///< R flag
    std::uint32_t message_id = 0;
    std::uint32_t length = 0;   ///< whole message, header included

    bool operator==(const Header&) const = default;
};

/// Decode the header of an IKE datagram (after any non-ESP marker). The
/// major version must be 2 (else INVALID_MAJOR_VERSION) and Length must be
/// the datagram's size (else INVALID_SYNTAX).
DecodeResult<Header> decode_header(std::span<const std::uint8_t> datagram);

/// The 28 header bytes with Length = 28 + body_size and `next` as given.
std::vector<std::uint8_t> encode_header(const Header& h, std::size_t body_size);

/// The MjVer nibble of byte 17 (1 for IKEv1, 2 for IKEv2), or nullopt when
/// the datagram is shorter than a header: how the engine dispatches a
/// datagram to the IKEv1 or IKEv2 path. Other values come back as they are.
std::optional<int> major_version(std::span<const std::uint8_t> datagram);

}  // namespace picsec::ike::v2
