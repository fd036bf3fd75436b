// Malformed variants of a valid ISAKMP or IKEv2 message, for ike-peer --mutate and
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

/// Every malformed variant of `message` (a whole ISAKMP message as sent, or
/// an IKEv2 one: then mutate_v2). Wire-level variants apply to any message;
/// structural ones (payload lengths, order, unknown payloads, SA counts)
/// only to unencrypted ones.
std::vector<Variant> mutate(const std::vector<std::uint8_t>& message);

/// The IKEv2 variants (RFC 7296): wire-level ones for any message; for
/// IKE_SA_INIT payload lengths, order, omission and repetition, unknown
/// critical and non-critical payloads (2.5), the critical bit on known
/// payloads, proposal and transform counts and lengths, KE length and value
/// against its group, Nonce sizes; for HDR, SK {...} a broken or truncated
/// ICV, a bad IV, a ciphertext off the block size, SK lengths, and an
/// unprotected payload in front of SK.
std::vector<Variant> mutate_v2(const std::vector<std::uint8_t>& message);

/// An IKEv2 answer in RFC 7296 notation for the report ("HDR, N(COOKIE)",
/// "HDR, SAr1, KEr, Nr, ..."; "HDR, SK {...}" when protected); empty when it
/// is no IKEv2 message or does not decode.
std::string v2_answer_summary(const std::vector<std::uint8_t>& message);

}  // namespace picsec::tools::peer
