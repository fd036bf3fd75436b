// RFC 7296 3.9 Nonce payload (Ni, Nr).
#pragma once

#include <picsec/ike/codec/reader.h>
#include <picsec/ike/codec/writer.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace picsec::ike::v2 {

/*
 * RFC 7296 3.9 Nonce Payload
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                            Nonce Data                         ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */

/// RFC 7296 3.9: the size of the Nonce Data MUST be between 16 and 256 bytes.
inline constexpr std::size_t min_nonce_size = 16;
inline constexpr std::size_t max_nonce_size = 256;

/// The Nonce payload body.
struct NoncePayload {
    std::vector<std::uint8_t> data;

    bool operator==(const NoncePayload&) const = default;
};

NoncePayload decode_nonce(codec::Reader& body);
void encode(codec::Writer& w, const NoncePayload& p);
/// "Nonce(32 bytes)"
std::string describe(const NoncePayload& p);

}  // namespace picsec::ike::v2
