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

/// Length of the ESP packet (header to ICV) that carries payload_bytes.
std::size_t encapsulated_bytes(const SaCrypto& crypto, std::size_t payload_bytes);

/// Offset of the payload inside an ESP packet (after SPI, sequence and IV).
inline std::size_t payload_offset(const SaCrypto& crypto) { return k_header_bytes + crypto.iv_bytes(); }

/// Builds an ESP packet in place. `esp` is encapsulated_bytes(payload_bytes)
/// long and already holds the payload at payload_offset(); seal() writes the
/// header, the IV (`iv`, or when iv is empty crypto.next_iv() for CBC and the
/// sequence number for AES-GCM, SaCrypto::gcm_iv), monotonic
/// padding 1, 2, 3, ... to the cipher block (RFC 4303 2.4), pad length and
/// next header, encrypts, and appends the ICV over everything before it
/// (RFC 4303 2.8). With ESN (crypto.esn()) the packet carries the low 32
/// bits of `sequence` and the ICV covers the high 32 bits too (RFC 4303
/// 2.2.1; the AES-GCM AAD of RFC 4106 5); without, sequence < 2^32.
void seal(SaCrypto& crypto, std::span<std::uint8_t> esp, std::size_t payload_bytes, std::uint32_t spi,
          std::uint64_t sequence, std::uint8_t next_header, std::span<const std::uint8_t> iv,
          Botan::RandomNumberGenerator& rng);

/// Builds an ESP packet with the leg's next IV (SaCrypto::next_iv; rng keys
/// the IV generator on the leg's first IV).
std::vector<std::uint8_t> encapsulate(SaCrypto& crypto, std::uint32_t spi, std::uint64_t sequence,
                                      std::uint8_t next_header, std::span<const std::uint8_t> payload,
                                      Botan::RandomNumberGenerator& rng);

/// Builds an ESP packet with a given IV (iv_bytes() long): for known-answer
/// vectors, which fix the IV.
std::vector<std::uint8_t> encapsulate(SaCrypto& crypto, std::uint32_t spi, std::uint64_t sequence,
                                      std::uint8_t next_header, std::span<const std::uint8_t> payload,
                                      std::span<const std::uint8_t> iv);

/// Checks the ESP length against the SA's IV, block and ICV sizes and, when
/// the SA authenticates with a MAC, verifies the ICV (before any decryption,
/// RFC 4303 3.4.4.1). Returns the drop, or nothing when the packet may be
/// decrypted. An AEAD's (AES-GCM's) tag is verified by decapsulate(), as it
/// decrypts (RFC 4106), which then gives no payload back. sequence_high is
/// the inferred high half of an ESN SA's sequence number (ignored without ESN).
std::optional<Drop> verify(SaCrypto& crypto, std::span<const std::uint8_t> esp, std::uint32_t sequence_high = 0);

/// The inner payload and its next header.
struct Decapsulated {
    std::vector<std::uint8_t> payload;
    std::uint8_t next_header = 0;
};

/// Decrypts a packet that verify() accepted and strips padding and trailer;
/// BadIcv when an AEAD's tag does not verify, BadPadding when the pad length
/// exceeds the data or the padding bytes are not 1, 2, 3, ...
Expected<Decapsulated, Drop> decapsulate(SaCrypto& crypto, std::span<const std::uint8_t> esp,
                                         std::uint32_t sequence_high = 0);

/// decapsulate() into a caller's buffer: out becomes its first `at` bytes
/// (kept as they are; out must hold at least `at` bytes) followed by the inner
/// payload, so a reused buffer needs no allocation. Returns the next header.
Expected<std::uint8_t, Drop> decapsulate_into(SaCrypto& crypto, std::span<const std::uint8_t> esp,
                                              std::vector<std::uint8_t>& out, std::size_t at,
                                              std::uint32_t sequence_high = 0);

}  // namespace picsec::sadb::esp
