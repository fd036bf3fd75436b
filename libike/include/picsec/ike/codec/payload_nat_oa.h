// RFC 3947 5.2 NAT-OA payload (type 21): the original address of a peer
// behind NAT, sent in Quick Mode for transport mode.
#pragma once

#include <picsec/ike/codec/payload_id.h>

#include <string>
#include <variant>

namespace picsec::ike::codec {

/*
 * RFC 3947 5.2 NAT Original Address Payload
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |    RESERVED   |        Payload length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |    ID Type    |    RESERVED   |            RESERVED           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           IPv4 (4 octets) or IPv6 address (16 octets)         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */

/// The NAT-OA payload body.
struct NatOaPayload {
    static constexpr PayloadType type = PayloadType::NatOa;
    std::variant<Ipv4Address, Ipv6Address> address;

    bool operator==(const NatOaPayload&) const = default;
};

/// ID types other than ID_IPV4_ADDR / ID_IPV6_ADDR answer INVALID-ID-INFORMATION,
/// non-zero RESERVED or a wrong address size PAYLOAD-MALFORMED.
NatOaPayload decode_nat_oa(Reader& body);
void encode(Writer& w, const NatOaPayload& p);
std::string describe(const NatOaPayload& p);

}  // namespace picsec::ike::codec
