// The exchange layer's names for the codec's raw view of a message
// (picsec/ike/codec/raw_payload.h): header plus (type, body) payload chain.
#pragma once

#include "picsec/ike/codec/raw_payload.h"

#include <cstdint>
#include <vector>

namespace picsec::ike::detail {

using Bytes = std::vector<std::uint8_t>;
using codec::RawPayload;
using Message = codec::RawMessage;
using codec::decode_body;
using codec::encode_chain;
using codec::make_payload;
using codec::split_chain;

}  // namespace picsec::ike::detail
