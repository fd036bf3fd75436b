// RFC 7296 3.3.1 Proposal substructure of an SA payload: protocol, SPI and
// its transforms.
#pragma once

#include <picsec/ike/v2/payload_transform.h>

#include <cstdint>
#include <string>
#include <vector>

namespace picsec::ike::v2 {

/*
 * RFC 7296 3.3.1 Proposal Substructure
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Last Substruc |   RESERVED    |         Proposal Length       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Proposal Num  |  Protocol ID  |    SPI Size   |Num  Transforms|
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                        SPI (variable)                         ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                        <Transforms>                           ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */

/// One proposal. SPI size 0 (IKE in IKE_SA_INIT), 8 (IKE in a rekey) or
/// 4 (AH, ESP); Protocol ID must be IKE, AH or ESP.
struct Proposal {
    std::uint8_t number = 1;
    ProtocolId protocol = ProtocolId::Ike;
    std::vector<std::uint8_t> spi;
    std::vector<Transform> transforms;

    bool operator==(const Proposal&) const = default;
};

/// Decode the proposal body (after the 4-byte substructure header); at least
/// one and at most max_transforms_per_proposal transforms, as many as Num
/// Transforms says.
Proposal decode_proposal(codec::Reader& body);
void encode(codec::Writer& w, const Proposal& p);
/// "#1 IKE [ENCR 12/256, INTEG 12, PRF 5, DH 14]"
std::string describe(const Proposal& p);

}  // namespace picsec::ike::v2
