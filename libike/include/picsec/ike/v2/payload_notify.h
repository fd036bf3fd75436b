// RFC 7296 3.10 Notify payload (N): errors and status, with an optional SPI.
#pragma once

#include <picsec/ike/codec/reader.h>
#include <picsec/ike/codec/writer.h>
#include <picsec/ike/v2/constants.h>

#include <cstdint>
#include <string>
#include <vector>

namespace picsec::ike::v2 {

/*
 * RFC 7296 3.10 Notify Payload
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Protocol ID  |   SPI Size    |      Notify Message Type      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                Security Parameter Index (SPI)                 ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                       Notification Data                       ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */

/// The N payload body. `type` is the raw Notify Message Type (see NotifyType;
/// unknown status types are ignored by the exchanges, RFC 7296 3.10.1) and
/// `protocol` the raw Protocol ID, kept as sent: RFC 7296 3.10 says to ignore
/// it when there is no SPI. SPI size is 0, 4 or 8.
struct NotifyPayload {
    ProtocolId protocol = ProtocolId::None;
    std::vector<std::uint8_t> spi;
    std::uint16_t type = 0;
    std::vector<std::uint8_t> data;

    bool operator==(const NotifyPayload&) const = default;

    NotifyType notify() const { return static_cast<NotifyType>(type); }
    bool is_error() const { return type < first_status_notify; }
};

NotifyPayload decode_notify(codec::Reader& body);
void encode(codec::Writer& w, const NotifyPayload& p);
/// "N(NAT_DETECTION_SOURCE_IP)", "N(REKEY_SA ESP spi=c0ffee01)"
std::string describe(const NotifyPayload& p);

}  // namespace picsec::ike::v2
