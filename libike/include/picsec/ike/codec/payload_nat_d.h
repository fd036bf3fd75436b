// RFC 3947 3.2 NAT-D payload (type 20): HASH(CKY-I | CKY-R | IP | Port). Must not be empty.
#pragma once

#include <picsec/ike/codec/constants.h>
#include <picsec/ike/codec/reader.h>
#include <picsec/ike/codec/writer.h>

#include <cstdint>
#include <string>
#include <vector>

namespace picsec::ike::codec {

/*
 * RFC 3947 3.2
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !                                                               !
 * ~  HASH of the address and port                                ~
 * !                                                               !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */

/// The NAT-D payload body.
struct NatDPayload {
    static constexpr PayloadType type = PayloadType::NatD;
    std::vector<std::uint8_t> data;

    bool operator==(const NatDPayload&) const = default;
};

/// Decode the body (everything after the generic payload header).
NatDPayload decode_nat_d(Reader& body);
void encode(Writer& w, const NatDPayload& p);
std::string describe(const NatDPayload& p);

}  // namespace picsec::ike::codec
