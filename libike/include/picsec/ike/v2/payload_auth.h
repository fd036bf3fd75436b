// RFC 7296 3.8 Authentication payload (AUTH).
#pragma once

#include <picsec/ike/codec/reader.h>
#include <picsec/ike/codec/writer.h>
#include <picsec/ike/v2/constants.h>

#include <cstdint>
#include <string>
#include <vector>

namespace picsec::ike::v2 {

/*
 * RFC 7296 3.8 Authentication Payload
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Auth Method   |                RESERVED                       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                      Authentication Data                      ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */

/// The AUTH payload body. `method` keeps an unknown Auth Method value as is
/// (the exchange answers AUTHENTICATION_FAILED, RFC 7296 2.21.2); data is at
/// least 1 byte. For method 14 (RFC 7427 3) data starts with the
/// length-prefixed AlgorithmIdentifier, left for the crypto layer.
struct AuthPayload {
    AuthMethod method = AuthMethod::SharedKeyMic;
    std::vector<std::uint8_t> data;

    bool operator==(const AuthPayload&) const = default;
};

AuthPayload decode_auth(codec::Reader& body);
void encode(codec::Writer& w, const AuthPayload& p);
/// "AUTH(PSK, 32 bytes)"
std::string describe(const AuthPayload& p);

}  // namespace picsec::ike::v2
