// RFC 2408 3.11 Hash payload (HASH_I, HASH_R, HASH(1..3) of Quick Mode). Must not be empty.
#pragma once

#include <picsec/ike/codec/constants.h>
#include <picsec/ike/codec/reader.h>
#include <picsec/ike/codec/writer.h>

#include <cstdint>
#include <string>
#include <vector>

namespace picsec::ike::codec {

/*
 * RFC 2408 3.11
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !                                                               !
 * ~  Hash Data                                                   ~
 * !                                                               !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */

/// The HASH payload body.
struct HashPayload {
    static constexpr PayloadType type = PayloadType::Hash;
    std::vector<std::uint8_t> data;

    bool operator==(const HashPayload&) const = default;
};

/// Decode the body (everything after the generic payload header).
HashPayload decode_hash(Reader& body);
void encode(Writer& w, const HashPayload& p);
std::string describe(const HashPayload& p);

}  // namespace picsec::ike::codec
