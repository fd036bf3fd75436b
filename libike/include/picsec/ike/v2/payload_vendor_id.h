// RFC 7296 3.12 Vendor ID payload (V).
#pragma once

#include <picsec/ike/codec/reader.h>
#include <picsec/ike/codec/writer.h>

#include <cstdint>
#include <string>
#include <vector>

namespace picsec::ike::v2 {

/*
 * RFC 7296 3.12 Vendor ID Payload
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                        Vendor ID (VID)                        ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */

/// The V payload body: opaque, any length.
struct VendorIdPayload {
    std::vector<std::uint8_t> data;

    bool operator==(const VendorIdPayload&) const = default;
};

VendorIdPayload decode_vendor_id(codec::Reader& body);
void encode(codec::Writer& w, const VendorIdPayload& p);
/// "V(882fe56d...)"
std::string describe(const VendorIdPayload& p);

}  // namespace picsec::ike::v2
