// Decode errors of the IKEv2 codec: each carries the Notify type to answer
// with (RFC 7296 2.21, 3.10.1) and names the payload and field.
#pragma once

#include <picsec/base/expected.h>
#include <picsec/ike/v2/constants.h>

#include <cstddef>
#include <string>

namespace picsec::ike::v2 {

/// Why a datagram, payload chain or payload could not be decoded.
struct DecodeError {
    NotifyType notify = NotifyType::InvalidSyntax;  ///< what to answer the peer with
    std::string payload;  ///< e.g. "IKE header", "SA", "Proposal", "Transform", "N"
    std::string field;    ///< e.g. "Length", "SPI Size"
    std::string message;  ///< "what: why (got X, need Y)"

    bool operator==(const DecodeError&) const = default;
};

/// One line for logs: "INVALID_SYNTAX: Nonce Nonce Data: too short (got 4 bytes, need at least 16)".
std::string to_string(const DecodeError& e);

/// Either a decoded value or the DecodeError that stopped decoding. Decoding
/// never throws on hostile input. Encoding a value that cannot go on the wire
/// (a payload over 65535 bytes) throws codec::EncodeError: a programming error.
template <class T>
using DecodeResult = Expected<T, DecodeError>;

/// Resource bounds of the decoder, so hostile input cannot make it allocate
/// or loop without bound. Exceeding one answers INVALID_SYNTAX.
inline constexpr std::size_t max_payloads_per_message = 64;
inline constexpr std::size_t max_proposals_per_sa = 64;
inline constexpr std::size_t max_transforms_per_proposal = 64;

}  // namespace picsec::ike::v2
