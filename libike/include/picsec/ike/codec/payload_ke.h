// RFC 2408 3.7 Key Exchange payload: the Diffie-Hellman public value (g^xi / g^xr). Must not be empty.
#pragma once

#include <picsec/ike/codec/constants.h>
#include <picsec/ike/codec/reader.h>
#include <picsec/ike/codec/writer.h>

#include <cstdint>
#include <string>
#include <vector>

namespace picsec::ike::codec {

/*
 * RFC 2408 3.7
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !                                                               !
 * ~  Key Exchange Data                                           ~
 * !                                                               !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */

/// The KE payload body.
struct KePayload {
    static constexpr PayloadType type = PayloadType::KeyExchange;
    std::vector<std::uint8_t> data;

    bool operator==(const KePayload&) const = default;
};

/// Decode the body (everything after the generic payload header).
KePayload decode_ke(Reader& body);
void encode(Writer& w, const KePayload& p);
std::string describe(const KePayload& p);

}  // namespace picsec::ike::codec
