// The SA payload contents negotiation works on, one level above the wire:
// proposals, protocols and transforms with raw IANA attribute values, so a
// peer's unknown algorithms still reach the mismatch report. The codec maps
// SA payloads (RFC 2408 3.4-3.6) to and from these structs.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace picsec::ike::negotiation {

/// RFC 2407 4.4.1 Protocol-ID of a proposal.
namespace protocol_id {
inline constexpr std::uint8_t Isakmp = 1;
inline constexpr std::uint8_t Ah = 2;
inline constexpr std::uint8_t Esp = 3;
inline constexpr std::uint8_t Ipcomp = 4;
}  // namespace protocol_id

/// RFC 2407 4.5 Encapsulation Mode values, RFC 3947 5 for the UDP ones.
namespace encapsulation {
inline constexpr std::uint16_t Tunnel = 1;
inline constexpr std::uint16_t Transport = 2;
inline constexpr std::uint16_t UdpTunnel = 3;
inline constexpr std::uint16_t UdpTransport = 4;
}  // namespace encapsulation

/// RFC 2407 4.4.4: ESP_NULL transform, used for an ESP proposal with no encryption.
inline constexpr std::uint8_t k_esp_null = 11;
/// RFC 4304 2: Extended Sequence Number attribute value for 64-bit numbers.
inline constexpr std::uint16_t k_esn_64_bit = 1;

/// One phase 1 transform (RFC 2409 App. A attributes; transform id KEY_IKE).
struct Phase1Transform {
    std::uint8_t number = 1;
    std::uint16_t encryption = 0;                ///< Encryption Algorithm
    std::optional<std::uint16_t> key_length;     ///< Key Length (bits)
    std::uint16_t hash = 0;                      ///< Hash Algorithm
    std::uint16_t auth_method = 0;               ///< Authentication Method
    std::uint16_t group = 0;                     ///< Group Description
    std::optional<std::uint32_t> life_seconds;   ///< Life Type seconds + Life Duration
    std::optional<std::uint64_t> life_kilobytes; ///< Life Type kilobytes + Life Duration
    std::vector<std::uint16_t> other_attributes; ///< types of any other attribute present (never matched)

    friend bool operator==(const Phase1Transform&, const Phase1Transform&) = default;
};

/// A phase 1 SA payload: RFC 2409 5 requires exactly one proposal (PROTO_ISAKMP)
/// whose transforms are the alternatives, in the initiator's preference order.
/// A reply carries the one chosen transform, unchanged.
struct Phase1Offer {
    std::uint8_t proposal_number = 1;
    std::vector<Phase1Transform> transforms;

    friend bool operator==(const Phase1Offer&, const Phase1Offer&) = default;
};

/// One IPsec transform (RFC 2407 4.4.3/4.4.4 transform id, 4.5 attributes).
struct IpsecTransform {
    std::uint8_t number = 1;
    std::uint8_t transform_id = 0;                 ///< AH_* or ESP_* identifier
    std::optional<std::uint16_t> authentication;   ///< Authentication Algorithm attribute
    std::optional<std::uint16_t> key_length;       ///< Key Length (bits)
    std::optional<std::uint16_t> encapsulation;    ///< Encapsulation Mode
    std::optional<std::uint16_t> group;            ///< Group Description (PFS)
    std::optional<std::uint16_t> esn;              ///< Extended Sequence Number (RFC 4304 2)
    std::optional<std::uint32_t> life_seconds;
    std::optional<std::uint64_t> life_kilobytes;
    std::vector<std::uint16_t> other_attributes;   ///< types of any other attribute present (never matched)

    friend bool operator==(const IpsecTransform&, const IpsecTransform&) = default;
};

/// One protocol of a numbered proposal; its transforms are alternatives.
struct OfferedProtocol {
    std::uint8_t protocol = protocol_id::Esp;  ///< protocol_id::*
    std::uint32_t spi = 0;                     ///< the sender's inbound SPI (opaque here)
    std::vector<IpsecTransform> transforms;

    friend bool operator==(const OfferedProtocol&, const OfferedProtocol&) = default;
};

/// Proposal payloads sharing one number form one proposal: AH and ESP under
/// the same number are a bundle (RFC 2408 4.2, logical AND).
struct OfferedProposal {
    std::uint8_t number = 1;
    std::vector<OfferedProtocol> protocols;

    friend bool operator==(const OfferedProposal&, const OfferedProposal&) = default;
};

/// A Quick Mode SA payload: the proposals are alternatives (logical OR) in the
/// initiator's preference order. A reply carries one proposal with exactly
/// one transform per protocol.
struct Phase2Offer {
    std::vector<OfferedProposal> proposals;

    friend bool operator==(const Phase2Offer&, const Phase2Offer&) = default;
};

}  // namespace picsec::ike::negotiation
