// Whole IKEv2 messages for the exchange layer: header + payload chain in
// both directions, and the plaintext of an SK payload.
#pragma once

#include <picsec/ike/v2/header.h>
#include <picsec/ike/v2/payload.h>

#include <cstdint>
#include <span>
#include <vector>

namespace picsec::ike::v2 {

/// A datagram after decode_header and split_chain (bodies not decoded yet).
struct RawMessage {
    Header header;
    Chain chain;
};

/// decode_header, then split_chain of the bytes after the header.
DecodeResult<RawMessage> decode_message(std::span<const std::uint8_t> datagram);

/// Encode header + payloads: sets header.next from the first payload (NONE
/// when there is none) and Length. An SkPayload, if any, must be last; its
/// first_inner goes into its Next Payload.
std::vector<std::uint8_t> encode_message(Header header, std::span<const Payload> payloads);

/// The plaintext of an SK payload before padding: the inner chain bytes and
/// the type of its first payload (the SK payload's Next Payload).
struct InnerChain {
    PayloadType first = PayloadType::None;
    std::vector<std::uint8_t> bytes;
};
InnerChain encode_inner(std::span<const Payload> payloads);

}  // namespace picsec::ike::v2
