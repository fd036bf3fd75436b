// RFC 7296 3.11 Delete payload (D).
#pragma once

#include <picsec/ike/codec/reader.h>
#include <picsec/ike/codec/writer.h>
#include <picsec/ike/v2/constants.h>

#include <cstdint>
#include <string>
#include <vector>

namespace picsec::ike::v2 {

/*
 * RFC 7296 3.11 Delete Payload
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Protocol ID   |   SPI Size    |          Num of SPIs          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~               Security Parameter Index(es) (SPI)              ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */

/// The D payload body. IKE: SPI Size 0 and no SPIs (the IKE SA of the
/// message is deleted); AH / ESP: SPI Size 4 and at least one SPI.
struct DeletePayload {
    ProtocolId protocol = ProtocolId::Ike;
    std::vector<std::vector<std::uint8_t>> spis;

    bool operator==(const DeletePayload&) const = default;
};

DeletePayload decode_delete(codec::Reader& body);
void encode(codec::Writer& w, const DeletePayload& p);
/// "D(IKE)", "D(ESP c0ffee01 c0ffee02)"
std::string describe(const DeletePayload& p);

}  // namespace picsec::ike::v2
