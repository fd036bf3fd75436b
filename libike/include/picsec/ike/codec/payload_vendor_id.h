// RFC 2408 3.16 Vendor ID payload (e.g. RFC 3706 DPD, RFC 3947 NAT-T). Must not be empty.
#pragma once

#include <picsec/ike/codec/constants.h>
#include <picsec/ike/codec/reader.h>
#include <picsec/ike/codec/writer.h>

#include <cstdint>
#include <string>
#include <vector>

namespace picsec::ike::codec {

/*
 * RFC 2408 3.16
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !                                                               !
 * ~  Vendor ID (VID)                                             ~
 * !                                                               !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */

/// The VID payload body.
struct VendorIdPayload {
    static constexpr PayloadType type = PayloadType::VendorId;
    std::vector<std::uint8_t> data;

    bool operator==(const VendorIdPayload&) const = default;
};

/// Decode the body (everything after the generic payload header).
VendorIdPayload decode_vendor_id(Reader& body);
void encode(Writer& w, const VendorIdPayload& p);
std::string describe(const VendorIdPayload& p);

}  // namespace picsec::ike::codec
