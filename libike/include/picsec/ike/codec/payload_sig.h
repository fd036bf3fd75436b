// RFC 2408 3.12 Signature payload (SIG_I / SIG_R). Must not be empty.
#pragma once

#include <picsec/ike/codec/constants.h>
#include <picsec/ike/codec/reader.h>
#include <picsec/ike/codec/writer.h>

#include <cstdint>
#include <string>
#include <vector>

namespace picsec::ike::codec {

/*
 * RFC 2408 3.12
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !                                                               !
 * ~  Signature Data                                              ~
 * !                                                               !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */

/// The SIG payload body.
struct SigPayload {
    static constexpr PayloadType type = PayloadType::Signature;
    std::vector<std::uint8_t> data;

    bool operator==(const SigPayload&) const = default;
};

/// Decode the body (everything after the generic payload header).
SigPayload decode_sig(Reader& body);
void encode(Writer& w, const SigPayload& p);
std::string describe(const SigPayload& p);

}  // namespace picsec::ike::codec
