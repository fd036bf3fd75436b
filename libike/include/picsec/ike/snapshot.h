// Plain snapshots of the engine's SAs, for `show ike security-associations`,
// `show ipsec security-associations` and the callbacks' events.
#pragma once

#include "picsec/ike/negotiation/proposal.h"
#include "picsec/ike/types.h"
#include "picsec/sadb/algorithms.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace picsec::ike {

enum class Role { Initiator, Responder };
std::string_view to_string(Role r);

/// Coarse IKE SA state as `show ike security-associations` prints it.
enum class IkeSaState { Negotiating, Established, Rekeying, Dead };
std::string_view to_string(IkeSaState s);

/// A Child SA of an IKEv2 SA: its `security-association` name and ESP SPIs.
struct ChildSaInfo {
    std::string name;
    std::uint32_t inbound_spi = 0;
    std::uint32_t outbound_spi = 0;
};

/// One IKE (ISAKMP) SA.
struct IkeSaInfo {
    Endpoint local;
    Endpoint peer;
    IkeVersion version = IkeVersion::V1;
    /// IKEv1 cookies; with IKEv2 the IKE SPIs (SPIi, SPIr), also 8 bytes each.
    Cookie initiator_cookie{};
    Cookie responder_cookie{};
    Role role = Role::Initiator;
    IkeSaState state = IkeSaState::Negotiating;
    ExchangeMode mode = ExchangeMode::Main;
    std::optional<negotiation::IkeProposal> proposal;  ///< the chosen one, once known
    std::uint64_t lifetime_remaining_ms = 0;
    bool nat_traversal = false;  ///< floated to the NAT-T port
    bool nat_detected = false;   ///< NAT-D said a NAT is between us (or forced)
    std::string peer_identity;   ///< the peer's phase-1 ID, once authenticated
    /// RSA signatures: the peer certificate's subject and the CA it validated to.
    std::string peer_certificate_subject;
    std::string peer_certificate_ca;
    /// IKEv2: the Child SAs this IKE SA negotiated and still holds.
    std::vector<ChildSaInfo> child_sas;
};

/// One negotiated IPsec SA pair (inbound + outbound).
struct IpsecSaInfo {
    std::string name;                ///< the `security-association` name
    Endpoint local;
    Endpoint peer;
    sadb::Protocol protocol = sadb::Protocol::Esp;
    sadb::Mode mode = sadb::Mode::Tunnel;
    std::uint32_t inbound_spi = 0;
    std::uint32_t outbound_spi = 0;
    std::uint32_t inbound_auxiliary_spi = 0;  ///< ESP SPIs of a bundle
    std::uint32_t outbound_auxiliary_spi = 0;
    negotiation::IpsecProposal proposal;      ///< lifetime = the one in force
    std::optional<negotiation::DhGroup> pfs_group;
    unsigned replay_window = 64;
    bool udp_encapsulated = false;
    std::uint64_t lifetime_remaining_ms = 0;
};

}  // namespace picsec::ike
