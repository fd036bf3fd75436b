// Decode and encode errors of the IKEv1 codec: each decode error carries the
// Notify type to answer with (RFC 2408 3.14.1) and names the payload and field.
#pragma once

#include <picsec/ike/codec/constants.h>

#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

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
class [[nodiscard]] DecodeResult {
public:
    DecodeResult(T value) : m_v(std::in_place_index<0>, std::move(value)) {}           // NOLINT implicit
    DecodeResult(DecodeError error) : m_v(std::in_place_index<1>, std::move(error)) {}  // NOLINT implicit

    bool ok() const { return m_v.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & { return std::get<0>(m_v); }
    const T& value() const& { return std::get<0>(m_v); }
    T&& value() && { return std::get<0>(std::move(m_v)); }
    const T& operator*() const& { return value(); }
    const T* operator->() const { return &value(); }

    const DecodeError& error() const { return std::get<1>(m_v); }

private:
    std::variant<T, DecodeError> m_v;
};

/// Thrown by the encoder when a value cannot be put on the wire (a payload
/// over 65535 bytes, an attribute type with the AF bit set). Values built by
/// picsec itself never trigger it; it signals a programming error.
class EncodeError : public std::length_error {
public:
    using std::length_error::length_error;
};

}  // namespace picsec::ike::codec
