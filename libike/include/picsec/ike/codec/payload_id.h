// RFC 2408 3.8 / RFC 2407 4.6.2 Identification payload: phase 1 identities
// (IDii / IDir) and Quick Mode client IDs (IDci / IDcr) with protocol and port.
#pragma once

#include <picsec/base/ipv4_address.h>
#include <picsec/ike/codec/constants.h>
#include <picsec/ike/codec/reader.h>
#include <picsec/ike/codec/writer.h>

#include <array>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace picsec::ike::codec {

/*
 * RFC 2407 4.6.2 IPSEC DOI Identification Payload
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !  Next Payload !   RESERVED    !        Payload Length         !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !   ID Type     !  Protocol ID  !             Port              !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                     Identification Data                       ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */

/// The one IPv4 address type (picsec/base/ipv4_address.h).
using picsec::Ipv4Address;
struct Ipv6Address { std::array<std::uint8_t, 16> octets{}; bool operator==(const Ipv6Address&) const = default; };
/// ID_IPV4_ADDR_SUBNET: address and mask (RFC 2407 4.6.2.5).
struct Ipv4Subnet { Ipv4Address address; Ipv4Address mask; bool operator==(const Ipv4Subnet&) const = default; };
struct Ipv6Subnet { Ipv6Address address; Ipv6Address mask; bool operator==(const Ipv6Subnet&) const = default; };
/// ID_IPV4_ADDR_RANGE: first and last address, inclusive (RFC 2407 4.6.2.7).
struct Ipv4Range { Ipv4Address start; Ipv4Address end; bool operator==(const Ipv4Range&) const = default; };
struct Ipv6Range { Ipv6Address start; Ipv6Address end; bool operator==(const Ipv6Range&) const = default; };
struct Fqdn { std::string name; bool operator==(const Fqdn&) const = default; };
struct UserFqdn { std::string name; bool operator==(const UserFqdn&) const = default; };
/// Binary DER encoding of an ASN.1 X.500 Distinguished Name.
struct DerAsn1Dn { std::vector<std::uint8_t> der; bool operator==(const DerAsn1Dn&) const = default; };
struct DerAsn1Gn { std::vector<std::uint8_t> der; bool operator==(const DerAsn1Gn&) const = default; };
struct KeyId { std::vector<std::uint8_t> id; bool operator==(const KeyId&) const = default; };

/// Identification Data; the alternative's index + 1 is the IdType value.
using IdData = std::variant<Ipv4Address, Fqdn, UserFqdn, Ipv4Subnet, Ipv6Address, Ipv6Subnet, Ipv4Range,
                            Ipv6Range, DerAsn1Dn, DerAsn1Gn, KeyId>;

/// The ID payload body.
struct IdPayload {
    static constexpr PayloadType type = PayloadType::Identification;
    std::uint8_t protocol_id = 0;  ///< IP protocol (RFC 2407 4.6.2: 0 = any; 17 for UDP 500 in phase 1)
    std::uint16_t port = 0;        ///< 0 = any
    IdData data;

    IdType id_type() const { return static_cast<IdType>(data.index() + 1); }
    bool operator==(const IdPayload&) const = default;
};

/// Decode the body. Unknown ID types and wrong address sizes answer
/// INVALID-ID-INFORMATION; empty names PAYLOAD-MALFORMED.
IdPayload decode_id(Reader& body);
void encode(Writer& w, const IdPayload& p);
/// "10.98.1.0/255.255.255.0", "gw.example.org", "der:3041...". Names are
/// escaped with printable() (control bytes, non-ASCII and the backslash as \xNN).
std::string describe(const IdData& d);
std::string describe(const IdPayload& p);

}  // namespace picsec::ike::codec
