// ESP packet codec (RFC 4303 2): builds and takes apart the ESP header,
// payload, padding and trailer, and the ICV. Knows nothing about SAs.
#pragma once

#include <botan/rng.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "picsec/sadb/drop.h"
#include "picsec/base/expected.h"
#include "picsec/sadb/sa_crypto.h"

namespace picsec::sadb::esp {

//  0                   1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+ ----
// |               Security Parameters Index (SPI)                 | ^Int.
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+ |Cov-
// |                      Sequence Number                          | |ered
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+ | ----
// |                    IV, then Payload Data* (variable)          | |   ^
// ~                                                               ~ |   |
// +               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+ |Conf.
// |               |     Padding (0-255 bytes)                     | |Cov-
// +-+-+-+-+-+-+-+-+               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+ |ered*
// |                               |  Pad Length   | Next Header   | v   v
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+ ------
// |         Integrity Check Value-ICV   (variable)                |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+

inline constexpr std::size_t k_header_bytes = 8;  ///< SPI + sequence number

/// SPI and sequence number, readable before the SA is known.
struct Header {
    std::uint32_t spi = 0;
    std::uint32_t sequence = 0;
};

/// Reads SPI and sequence number; Malformed when fewer than 8 bytes.
Expected<Header, Drop> peek(std::span<const std::uint8_t> esp);

/// Builds an ESP packet: header, random IV from rng, payload, monotonic
/// padding 1, 2, 3, ... to the cipher block (RFC 4303 2.4), pad length,
/// next header, then the ICV over everything before it (RFC 4303 2.8).
std::vector<std::uint8_t> encapsulate(SaCrypto& crypto, std::uint32_t spi, std::uint32_t sequence,
                                      std::uint8_t next_header, std::span<const std::uint8_t> payload,
                                      Botan::RandomNumberGenerator& rng);

/// Checks the ESP length against the SA's IV, block and ICV sizes and, when
/// the SA authenticates, verifies the ICV (before any decryption, RFC 4303
/// 3.4.4.1). Returns the drop, or nothing when the packet may be decrypted.
std::optional<Drop> verify(SaCrypto& crypto, std::span<const std::uint8_t> esp);

/// The inner payload and its next header.
struct Decapsulated {
    std::vector<std::uint8_t> payload;
    std::uint8_t next_header = 0;
};

/// Decrypts a packet that verify() accepted and strips padding and trailer;
/// BadPadding when the pad length exceeds the data or the padding bytes are
/// not 1, 2, 3, ...
Expected<Decapsulated, Drop> decapsulate(SaCrypto& crypto, std::span<const std::uint8_t> esp);

}  // namespace picsec::sadb::esp
