// Whole IKEv1 messages: ISAKMP header plus payload chain, decoded from and
// encoded to bytes. Entry points of the codec for the exchange layer.
#pragma once

#include <picsec/ike/codec/error.h>
#include <picsec/ike/codec/header.h>
#include <picsec/ike/codec/limits.h>
#include <picsec/ike/codec/payload.h>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace picsec::ike::codec {

/// A decoded unencrypted message (or a decrypted one, rebuilt by the caller).
struct Message {
    Header header;
    std::vector<Payload> payloads;

    bool operator==(const Message&) const = default;
};

/// Decode a whole datagram whose body is not encrypted (Main Mode 1-4,
/// Aggressive Mode 1-2, unprotected Informational). The header's Length must
/// equal the datagram size; a set E flag is refused (INVALID-FLAGS): use
/// decode_header and decode_payload_chain after decryption instead.
DecodeResult<Message> decode_message(std::span<const std::uint8_t> datagram);

/// Decode and validate the header of a datagram, including that its Length
/// field equals the datagram size. The body is datagram.subspan(header_size).
DecodeResult<Header> decode_header(std::span<const std::uint8_t> datagram);

/// Decode a payload chain starting with `first` (the header's Next Payload)
/// until a payload's Next Payload is NONE. Bytes after the last payload are an
/// error, unless `allow_padding` is set and they are all zero: RFC 2409 5.3,
/// the zero padding of a decrypted body.
DecodeResult<std::vector<Payload>> decode_payload_chain(PayloadType first, std::span<const std::uint8_t> body,
                                                        bool allow_padding = false);

/// Encode header and payloads; Next Payload fields and all lengths are
/// computed (the header's next_payload and length are ignored).
/// Throws EncodeError if a payload exceeds 65535 bytes.
std::vector<std::uint8_t> encode_message(const Header& header, std::span<const Payload> payloads);

/// Encode a payload chain (the body to encrypt); the first payload's type is
/// what the header's Next Payload must say.
std::vector<std::uint8_t> encode_payload_chain(std::span<const Payload> payloads);

/// Encode the header for a body of `body_size` bytes already built (e.g.
/// encrypted): Length = 28 + body_size, Next Payload as given in `header`.
std::vector<std::uint8_t> encode_header(const Header& header, std::size_t body_size);

/// Multi-line summary: the header then one payload per line.
std::string describe(const Message& m);

}  // namespace picsec::ike::codec
