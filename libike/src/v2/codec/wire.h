// Internal: what every IKEv2 payload decoder shares. Fields are read with the
// codec's one bounds-checked Reader; its errors (all syntax errors) become
// INVALID_SYNTAX DecodeErrors here.
#pragma once

#include <picsec/ike/codec/reader.h>
#include <picsec/ike/codec/writer.h>
#include <picsec/ike/v2/error.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace picsec::ike::v2::detail {

using codec::Reader;
using codec::Writer;

/// The Reader's error as an IKEv2 one: INVALID_SYNTAX (RFC 7296 2.21.1).
DecodeError from_reader(const codec::DecodeError& e);

/// Record "<payload> <field>: <why> (got <got>, need <need>)" in `r`.
void fail(Reader& r, std::string_view field, std::string_view why, const std::string& got, const std::string& need);

/// Decode a payload body with `decoder(Reader&)`; trailing bytes are an error.
template <class P, class F>
DecodeResult<P> decode_body(std::span<const std::uint8_t> body, F decoder, std::string_view payload) {
    Reader r(body, payload);
    P p = decoder(r);
    if (r.ok()) r.expect_end();
    if (!r.ok()) return from_reader(r.error());
    return p;
}

/// Read the rest of `r` as the payload's data, requiring min..max bytes.
std::vector<std::uint8_t> read_data(Reader& r, std::string_view field, std::size_t min, std::size_t max);

/*
 * RFC 7296 3.2 Generic Payload Header (and, with Last Substruc in place of
 * Next Payload and no C bit, the Proposal and Transform substructures)
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
inline constexpr std::size_t generic_header_size = 4;

struct Generic {
    std::uint8_t next = 0;
    bool critical = false;
    Reader body;  ///< over the payload body; empty when `r` failed
};

/// Read one generic header from `r` and carve the body out of it. RESERVED
/// bits are ignored (RFC 7296 3.2); Payload Length must cover the header and
/// fit in `r`.
Generic read_generic(Reader& r, std::string_view payload, std::string_view length_field = "Payload Length");

/// Write a generic header with a placeholder length; returns the position of
/// the length field for Writer::end_length16 (which throws EncodeError over 65535).
std::size_t begin_generic(Writer& w, std::uint8_t next, bool critical);

/// Lower-case hex of at most `limit` bytes, "..." appended when cut.
std::string hex(std::span<const std::uint8_t> b, std::size_t limit = 16);

}  // namespace picsec::ike::v2::detail
