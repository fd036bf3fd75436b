// Internal: the generic payload header (RFC 2408 3.2) shared by top-level
// payloads and the Proposal / Transform substructures of an SA.
#pragma once

#include <picsec/ike/codec/reader.h>
#include <picsec/ike/codec/writer.h>

#include <picsec/ike/codec/constants.h>
#include <picsec/ike/codec/error.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string_view>

namespace picsec::ike::codec {
struct RawPayload;
}

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

/// Writes payloads in order, each with a generic header whose Next Payload is
/// the following one's type (NONE for the last) and whose length covers what
/// `body` wrote. Throws EncodeError for a payload over 65535 bytes.
template <class P, class TypeOf, class Body>
void write_chain(Writer& w, std::span<const P> payloads, TypeOf type_of, Body body) {
    for (std::size_t i = 0; i < payloads.size(); ++i) {
        const auto next = i + 1 < payloads.size() ? type_of(payloads[i + 1]) : PayloadType::None;
        const auto start = w.size();
        const auto len = begin_generic(w, static_cast<std::uint8_t>(next));
        body(payloads[i]);
        w.end_length16(len, start, short_name(type_of(payloads[i])));
    }
}

/// Reads a payload chain starting with `first`, handing each payload (type and
/// body) to `each` until NONE, one stops with an error, or the chain is
/// malformed. `rest` gets the bytes after the last payload.
std::optional<DecodeError> walk_chain(PayloadType first, std::span<const std::uint8_t> body,
                                      const std::function<std::optional<DecodeError>(RawPayload&&)>& each,
                                      std::span<const std::uint8_t>& rest);

/// "payload chain: trailing bytes after the last payload" naming `payload`.
DecodeError trailing_bytes(std::string payload, std::size_t size);

}  // namespace picsec::ike::codec::detail
