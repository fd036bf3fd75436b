// RFC 2408 3.14 Notification payload (N): errors and status such as
// INITIAL-CONTACT, RESPONDER-LIFETIME (RFC 2407 4.6.3) and R-U-THERE (RFC 3706).
#pragma once

#include <picsec/ike/codec/constants.h>
#include <picsec/ike/codec/reader.h>
#include <picsec/ike/codec/writer.h>

#include <cstdint>
#include <string>
#include <vector>

namespace picsec::ike::codec {

/*
 * RFC 2408 3.14 Notification Payload
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !              Domain of Interpretation  (DOI)                  !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !  Protocol-ID  !   SPI Size    !      Notify Message Type      !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                Security Parameter Index (SPI)                 ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                       Notification Data                       ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */

/// The N payload body. Unknown notify types are kept as they are.
struct NotifyPayload {
    static constexpr PayloadType type = PayloadType::Notification;
    std::uint32_t doi = ipsec_doi;
    ProtocolId protocol = ProtocolId::Isakmp;
    std::vector<std::uint8_t> spi;  ///< 16 bytes (both cookies) for ISAKMP, 4 for AH/ESP
    NotifyType notify_type = NotifyType::InitialContact;
    std::vector<std::uint8_t> data;

    bool operator==(const NotifyPayload&) const = default;
};

/// DOI other than 0 or 1 answers DOI-NOT-SUPPORTED; unknown protocol
/// INVALID-PROTOCOL-ID; an SPI longer than the payload PAYLOAD-MALFORMED.
NotifyPayload decode_notify(Reader& body);
void encode(Writer& w, const NotifyPayload& p);
std::string describe(const NotifyPayload& p);

}  // namespace picsec::ike::codec
