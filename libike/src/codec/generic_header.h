// Internal: the generic payload header (RFC 2408 3.2) shared by top-level
// payloads and the Proposal / Transform substructures of an SA.
#pragma once

#include <picsec/ike/codec/reader.h>
#include <picsec/ike/codec/writer.h>

#include <cstdint>
#include <string_view>

namespace picsec::ike::codec::detail {

/*
 * RFC 2408 3.2 Generic Payload Header
 *  0                   1                   2                   3
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
inline constexpr std::size_t generic_header_size = 4;

struct GenericPayload {
    std::uint8_t next = 0;
    Reader body;  ///< over the payload body; empty when `r` failed
};

/// Read one generic header from `r` and carve the body out of it. RESERVED
/// must be zero; Payload Length must cover the header and fit in `r`.
GenericPayload read_generic(Reader& r, std::string_view payload);

/// Write a generic header with a placeholder length; returns the position
/// of the length field for Writer::end_length16.
std::size_t begin_generic(Writer& w, std::uint8_t next);

}  // namespace picsec::ike::codec::detail
