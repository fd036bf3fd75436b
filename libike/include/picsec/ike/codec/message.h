// The ISAKMP header of a datagram, decoded with its length checks, and
// encoded in front of a body already built. A message's payloads are read by
// split_chain and decode_body (raw_payload.h), the one path the exchanges,
// the tests and the fuzz targets share.
#pragma once

#include <picsec/ike/codec/error.h>
#include <picsec/ike/codec/header.h>
#include <picsec/ike/codec/raw_payload.h>

#include <cstdint>
#include <span>
#include <vector>

namespace picsec::ike::codec {

/// Decode and validate the header of a datagram, including that its Length
/// field equals the datagram size. The body is datagram.subspan(header_size).
DecodeResult<Header> decode_header(std::span<const std::uint8_t> datagram);

/// Encode the header for a body of `body_size` bytes already built (e.g.
/// encrypted): Length = 28 + body_size, Next Payload as given in `header`.
std::vector<std::uint8_t> encode_header(const Header& header, std::size_t body_size);

}  // namespace picsec::ike::codec
