// Malformed variants of a valid ISAKMP message, for ike-peer --mutate and
// --flood: truncations, bad header and payload lengths, wrong payload order,
// unknown payloads, oversized counts in the SA payload (RFC 2408 3 layouts).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace picsec::tools::peer {

struct Variant {
    std::string name;                ///< e.g. "payload 2 (KE) length 0xffff"
    std::vector<std::uint8_t> bytes;
};

/// Every malformed variant of `message` (a whole ISAKMP message as sent).
/// Wire-level variants apply to any message; structural ones (payload
/// lengths, order, unknown payloads, SA counts) only to unencrypted ones.
std::vector<Variant> mutate(const std::vector<std::uint8_t>& message);

}  // namespace picsec::tools::peer
