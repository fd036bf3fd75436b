// RFC 2408 3.13 Nonce payload (Ni / Nr). RFC 2409 5: between 8 and 256 bytes.
#pragma once

#include <picsec/ike/codec/constants.h>
#include <picsec/ike/codec/reader.h>
#include <picsec/ike/codec/writer.h>

#include <cstdint>
#include <string>
#include <vector>

namespace picsec::ike::codec {

/*
 * RFC 2408 3.13
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !                                                               !
 * ~  Nonce Data                                                  ~
 * !                                                               !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */

/// The Nonce payload body.
struct NoncePayload {
    static constexpr PayloadType type = PayloadType::Nonce;
    std::vector<std::uint8_t> data;

    bool operator==(const NoncePayload&) const = default;
};

/// Decode the body (everything after the generic payload header).
NoncePayload decode_nonce(Reader& body);
void encode(Writer& w, const NoncePayload& p);
std::string describe(const NoncePayload& p);

}  // namespace picsec::ike::codec
