// Phase 2 (Quick Mode SA payload) proposal negotiation as pure functions over
// our `ipsec policy` and the peer's offer: AH, ESP and AH+ESP bundles.
#pragma once

#include "picsec/ike/negotiation/mismatch.h"
#include "picsec/ike/negotiation/offer.h"
#include "picsec/ike/negotiation/proposal.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <variant>
#include <vector>

namespace picsec::ike::negotiation {

/// One protocol of the chosen proposal.
struct ChosenProtocol {
    std::uint8_t protocol = 0;  ///< protocol_id::Ah or protocol_id::Esp
    std::uint32_t spi = 0;      ///< the peer's SPI for this protocol, as it sent it
    IpsecTransform transform;   ///< the chosen transform, as the peer sent it

    friend bool operator==(const ChosenProtocol&, const ChosenProtocol&) = default;
};

/// The agreed IPsec SA parameters.
struct Phase2Choice {
    std::uint8_t proposal_number = 0;  ///< of the initiator's offer
    std::size_t our_index = 0;         ///< index of the matching proposal in Phase2Policy::proposals
    IpsecProposal proposal;            ///< our matching proposal, as configured
    std::vector<ChosenProtocol> protocols; ///< in the peer's order
    std::optional<DhGroup> pfs_group;
    sadb::Mode mode = sadb::Mode::Tunnel;
    bool udp_encapsulated = false;
    std::uint32_t lifetime_seconds = 0;   ///< agreed: the shortest of both sides
    std::uint64_t lifetime_kilobytes = 0; ///< agreed; 0 = no volume limit
    /// Responder only: ours is shorter in seconds or kilobytes than what was
    /// offered, so RESPONDER-LIFETIME (RFC 2407 4.6.3.1) carrying the agreed
    /// lifetimes must accompany the reply.
    bool send_responder_lifetime = false;
    /// The proposal to answer with (responder; the exchange sets each SPI to
    /// its own inbound SPI, they are 0 here) or the one received (initiator):
    /// the chosen proposal with exactly one transform per protocol, unchanged.
    OfferedProposal reply;

    friend bool operator==(const Phase2Choice&, const Phase2Choice&) = default;
};

/// A RESPONDER-LIFETIME notify's attributes (RFC 2407 4.6.3.1).
struct ResponderLifetime {
    std::optional<std::uint32_t> seconds;
    std::optional<std::uint64_t> kilobytes;
};

/// The wire transform one of our proposals uses for `protocol` (AH or ESP),
/// with the policy's mode and PFS group in it.
IpsecTransform to_ipsec_transform(const IpsecProposal& proposal, std::uint8_t protocol, const Phase2Policy& policy);

/// The protocols a proposal puts on the wire: {AH}, {ESP} or {AH, ESP}.
std::vector<std::uint8_t> wire_protocols(sadb::Protocol protocol);

/// Initiator: proposals 1..N in preference order, each with one transform per
/// protocol (a bundle is AH + ESP under one number, RFC 2408 4.2). SPIs are 0:
/// the exchange fills in its own. Throws std::invalid_argument for more than
/// 255 proposals.
Phase2Offer build_phase2_offer(const Phase2Policy& ours);

/// Responder: the first of the initiator's proposals (its order) whose
/// protocol set equals that of one of our proposals and for each protocol has
/// a transform matching ours exactly: transform (cipher / AH algorithm), key
/// length, authentication algorithm, encapsulation mode, PFS group. Within a
/// protocol the initiator's first matching transform is taken. Lifetimes never
/// prevent a match: the shorter wins. Otherwise a report naming, for each
/// proposal, the protocol-set difference or each failing transform's first
/// differing attribute, against our closest proposal.
std::variant<Phase2Choice, MismatchReport> select_phase2(const Phase2Offer& theirs, const Phase2Policy& ours);

/// Initiator: checks the responder's reply is one proposal we offered (same
/// number and protocol set) with exactly one transform per protocol, each
/// one we offered with unchanged attributes and a lifetime not longer than
/// ours. A RESPONDER-LIFETIME notify shortens the agreed lifetimes.
std::variant<Phase2Choice, ReplyError> accept_phase2_reply(const Phase2Policy& ours, const OfferedProposal& reply,
                                                           const ResponderLifetime& notify = {});

}  // namespace picsec::ike::negotiation
