// The raw view of a message: the ISAKMP header and the payload chain as
// (type, body) pairs, keeping the bodies the RFC 2409 hashes are computed
// over. Typed decoding of one body goes through decode_body.
#pragma once

#include <picsec/ike/codec/constants.h>
#include <picsec/ike/codec/error.h>
#include <picsec/ike/codec/header.h>
#include <picsec/ike/codec/reader.h>
#include <picsec/ike/codec/writer.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace picsec::ike::codec {

/// One payload: its type and its body (after the 4-byte generic header, RFC 2408 3.2).
struct RawPayload {
    PayloadType type = PayloadType::None;
    std::vector<std::uint8_t> body;

    bool operator==(const RawPayload&) const = default;
};

/// A message after header decoding (and decryption, when E was set).
struct RawMessage {
    Header header;
    std::vector<RawPayload> payloads;

    /// The nth payload of type t, or nullptr.
    const RawPayload* find(PayloadType t, std::size_t nth = 0) const;
    std::size_t count(PayloadType t) const;
    /// "HDR*, HASH, SA, Nonce" for log lines.
    std::string summary() const;
};

/// Splits a payload chain starting with `first` (RFC 2408 3.2) without
/// decoding the bodies; payload types are not checked. With allow_padding,
/// bytes after the last payload are the padding of a decrypted body (RFC 2409
/// 5.3) and ignored; otherwise they are an error. At most
/// max_payloads_per_message payloads.
DecodeResult<std::vector<RawPayload>> split_chain(PayloadType first, std::span<const std::uint8_t> bytes,
                                                  bool allow_padding);

/// Encodes payloads in order with their generic headers linked. Throws
/// EncodeError for a body over 65531 bytes.
std::vector<std::uint8_t> encode_chain(const std::vector<RawPayload>& payloads);

/// A typed payload's body through its encoder.
template <class P>
RawPayload make_payload(const P& p) {
    Writer w;
    encode(w, p);
    return RawPayload{P::type, w.take()};
}

/// Decodes a body with one of the decode_* functions; trailing bytes are an error.
template <class P, class F>
DecodeResult<P> decode_body(const RawPayload& raw, F decoder, std::string_view name) {
    Reader r(raw.body, name);
    P p = decoder(r);
    if (r.ok()) r.expect_end();
    if (!r.ok()) return r.error();
    return p;
}

}  // namespace picsec::ike::codec
