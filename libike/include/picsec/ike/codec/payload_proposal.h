// RFC 2408 3.5 Proposal payload: protocol, SPI and the transforms offered for it.
#pragma once

#include <picsec/ike/codec/payload_transform.h>

#include <cstdint>
#include <string>
#include <vector>

namespace picsec::ike::codec {

/*
 * RFC 2408 3.5 Proposal Payload
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !  Proposal #   !  Protocol-Id  !    SPI Size   !# of Transforms!
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !                        SPI (variable)                         !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * (followed by # of Transforms Transform payloads)
 */

/// One proposal. Proposals sharing a number form one offer (RFC 2408 4.2:
/// logical AND, e.g. an AH+ESP bundle).
struct Proposal {
    std::uint8_t number = 1;
    ProtocolId protocol = ProtocolId::Isakmp;
    std::vector<std::uint8_t> spi;  ///< empty for ISAKMP in IKE (RFC 2409 5), 4 bytes for AH/ESP
    std::vector<Transform> transforms;

    bool operator==(const Proposal&) const = default;
};

/// Decode the proposal body: unknown protocol answers INVALID-PROTOCOL-ID, an
/// SPI size not allowed for the protocol INVALID-SPI, a transform count that
/// differs from the transforms present BAD-PROPOSAL-SYNTAX.
Proposal decode_proposal(Reader& body);
void encode(Writer& w, const Proposal& p);
std::string describe(const Proposal& p);

}  // namespace picsec::ike::codec
