// The raw payload chain of an IKEv2 message (RFC 7296 3.2): (type, critical,
// body) triples, split without decoding the bodies and assembled with linked
// generic headers. Typed decoding of a body is decode_payload (payload.h).
#pragma once

#include <picsec/ike/v2/error.h>

#include <cstdint>
#include <span>
#include <vector>

namespace picsec::ike::v2 {

/// One payload: its type, its Critical bit and its body (after the 4-byte
/// generic header). `type` is raw so that unknown payloads are kept.
struct RawPayload {
    std::uint8_t type = 0;
    bool critical = false;
    std::vector<std::uint8_t> body;
    /// SK and SKF only: their Next Payload field, the type of the first
    /// payload inside the encrypted body (RFC 7296 3.14, RFC 7383 2.5).
    PayloadType inner_first = PayloadType::None;

    bool operator==(const RawPayload&) const = default;
};

/// A split payload chain; `inner_first` repeats the SK / SKF payload's
/// inner first type (NONE when the chain has no SK / SKF).
struct Chain {
    std::vector<RawPayload> payloads;
    PayloadType inner_first = PayloadType::None;
};

/// Split a payload chain starting with `first`. SK (46) and SKF (53) must be
/// the last payload: their Next Payload names the first inner payload.
/// Unknown types are kept as RawPayloads (the caller decides: critical ->
/// UNSUPPORTED_CRITICAL_PAYLOAD, else skip, RFC 7296 2.5). At most
/// max_payloads_per_message payloads; trailing bytes, overlong or short
/// lengths and payloads after SK are INVALID_SYNTAX.
DecodeResult<Chain> split_chain(PayloadType first, std::span<const std::uint8_t> body);

/// Encode payloads in order with linked generic headers; the last one's Next
/// Payload is NONE, or for an SK / SKF payload its `inner_first`. Throws
/// codec::EncodeError for a body over 65531 bytes or an SK / SKF that is not
/// the last payload.
std::vector<std::uint8_t> encode_chain(std::span<const RawPayload> payloads);

}  // namespace picsec::ike::v2
