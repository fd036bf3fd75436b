// The exchange layer's view of a message: the ISAKMP header and the payload
// chain as (type, body) pairs, keeping the raw bodies the RFC 2409 hashes are
// computed over. Typed decoding of each body is the codec's job.
#pragma once

#include "picsec/ike/codec/constants.h"
#include "picsec/ike/codec/error.h"
#include "picsec/ike/codec/header.h"
#include "picsec/ike/codec/reader.h"
#include "picsec/ike/codec/writer.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace picsec::ike::detail {

using Bytes = std::vector<std::uint8_t>;

/// One payload: its type and its body (after the 4-byte generic header).
struct RawPayload {
    codec::PayloadType type = codec::PayloadType::None;
    Bytes body;
};

/// A message after header decoding (and decryption, when E was set).
struct Message {
    codec::Header header;
    std::vector<RawPayload> payloads;

    const RawPayload* find(codec::PayloadType t, std::size_t nth = 0) const;
    std::size_t count(codec::PayloadType t) const;
    /// "HDR*, HASH, SA, Nonce" for log lines.
    std::string summary() const;
};

/// Splits a payload chain starting with `first` (RFC 2408 3.2). With
/// allow_padding, bytes after the last payload are CBC padding (RFC 2409 5.3).
/// Returns the error to answer with otherwise.
codec::DecodeResult<std::vector<RawPayload>> split_chain(codec::PayloadType first, std::span<const std::uint8_t> bytes,
                                                         bool allow_padding);

/// Encodes payloads in order with their generic headers linked.
Bytes encode_chain(const std::vector<RawPayload>& payloads);
/// One payload with its generic header; `next` is the following payload's type.
Bytes encode_payload(codec::PayloadType next, const RawPayload& p);

/// A typed payload's body through the codec's encoder.
template <class P>
RawPayload make_payload(const P& p)
{
    codec::Writer w;
    encode(w, p);
    return RawPayload{P::type, w.take()};
}

/// Decodes a body with one of the codec's decode_* functions; trailing bytes are an error.
template <class P, class F>
codec::DecodeResult<P> decode_body(const RawPayload& raw, F decoder, std::string_view name)
{
    codec::Reader r(raw.body, name);
    P p = decoder(r);
    if (r.ok())
        r.expect_end();
    if (!r.ok())
        return r.error();
    return p;
}

}  // namespace picsec::ike::detail
