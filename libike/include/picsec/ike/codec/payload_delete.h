// RFC 2408 3.15 Delete payload (D): the SPIs of SAs the sender has deleted.
#pragma once

#include <picsec/ike/codec/constants.h>
#include <picsec/ike/codec/reader.h>
#include <picsec/ike/codec/writer.h>

#include <cstdint>
#include <string>
#include <vector>

namespace picsec::ike::codec {

/*
 * RFC 2408 3.15 Delete Payload
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !              Domain of Interpretation  (DOI)                  !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !  Protocol-Id  !   SPI Size    !           # of SPIs           !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~               Security Parameter Index(es) (SPI)              ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */

/// The D payload body: all SPIs have `spi_size` bytes.
struct DeletePayload {
    static constexpr PayloadType type = PayloadType::Delete;
    std::uint32_t doi = ipsec_doi;
    ProtocolId protocol = ProtocolId::IpsecEsp;
    std::uint8_t spi_size = 4;
    std::vector<std::vector<std::uint8_t>> spis;

    bool operator==(const DeletePayload&) const = default;
};

/// SPI size 0, no SPIs, or # of SPIs x SPI size not matching the payload
/// length answer PAYLOAD-MALFORMED.
DeletePayload decode_delete(Reader& body);
/// Throws EncodeError if an SPI's size differs from spi_size.
void encode(Writer& w, const DeletePayload& p);
std::string describe(const DeletePayload& p);

}  // namespace picsec::ike::codec
