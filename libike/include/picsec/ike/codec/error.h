// Decode and encode errors of the IKEv1 codec: each decode error carries the
// Notify type to answer with (RFC 2408 3.14.1) and names the payload and field.
#pragma once

#include <picsec/base/expected.h>
#include <picsec/ike/codec/constants.h>

#include <stdexcept>
#include <string>

namespace picsec::ike::codec {

/// Why a message, payload chain or attribute list could not be decoded.
struct DecodeError {
    NotifyType notify = NotifyType::PayloadMalformed; ///< what to answer the peer with
    std::string payload;  ///< e.g. "SA", "Proposal", "Transform", "ISAKMP header"
    std::string field;    ///< e.g. "length", "SPI size"
    std::string message;  ///< "what: why (got X, need Y)"

    bool operator==(const DecodeError&) const = default;
};

/// One line for logs: "PAYLOAD-MALFORMED: SA length: ... (got 9, need at least 12)".
std::string to_string(const DecodeError& e);

/// Either a decoded value or the DecodeError that stopped decoding. Decoding
/// never throws on hostile input; it returns this.
template <class T>
using DecodeResult = Expected<T, DecodeError>;

/// Thrown by the encoder when a value cannot be put on the wire (a payload
/// over 65535 bytes, an attribute type with the AF bit set). Values built by
/// picsec itself never trigger it; it signals a programming error.
class EncodeError : public std::length_error {
public:
    using std::length_error::length_error;
};

}  // namespace picsec::ike::codec
