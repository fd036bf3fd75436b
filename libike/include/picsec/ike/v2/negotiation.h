// IKEv2 proposal negotiation (RFC 7296 2.7, 3.3) as pure functions over our
// configured proposals and the peer's SA payload: the IKE SA in IKE_SA_INIT,
// Child SAs in IKE_AUTH and CREATE_CHILD_SA. The configured proposals are
// the IKEv1 ones (`security ike proposal`, `security ipsec proposal`): each
// becomes one IKEv2 proposal with one transform per type.
#pragma once

#include "picsec/ike/negotiation/mismatch.h"
#include "picsec/ike/negotiation/proposal.h"
#include "picsec/ike/v2/payload_sa.h"

#include <cstdint>
#include <optional>
#include <span>
#include <variant>
#include <vector>

namespace picsec::ike::v2::negotiation {

using ike::negotiation::IkeProposal;
using ike::negotiation::IpsecProposal;
using ike::negotiation::MismatchReport;
using ike::negotiation::ReplyError;

/// The agreed IKE SA transforms: our matching proposal and the number of the
/// peer's proposal it matched (the reply carries that number, RFC 7296 3.3.1).
struct IkeChoice {
    std::uint8_t number = 1;
    IkeProposal proposal;
    friend bool operator==(const IkeChoice&, const IkeChoice&) = default;
};

/// The agreed Child SA: our matching proposal, the peer's proposal number
/// and the SPI the peer chose for its inbound SA (our outbound one).
struct ChildChoice {
    std::uint8_t number = 1;
    IpsecProposal proposal;
    std::uint32_t peer_spi = 0;
    std::optional<ike::negotiation::DhGroup> group;  ///< CREATE_CHILD_SA with PFS
    friend bool operator==(const ChildChoice&, const ChildChoice&) = default;
};

/// The transforms of one of our IKE proposals: ENCR (with Key Length for
/// AES), PRF and INTEG from `authentication-algorithm`, D-H from `dh-group`.
Proposal ike_proposal(const IkeProposal& ours, std::uint8_t number, std::span<const std::uint8_t> spi = {});
/// IKE_SA_INIT (no SPI) or an IKE SA rekey (our 8-byte SPI): every proposal
/// of ours, numbered 1..N in preference order.
SaPayload ike_offer(std::span<const IkeProposal> ours, std::span<const std::uint8_t> spi = {});
/// A Child SA offer: every IPsec proposal of ours with our inbound SPI; D-H
/// only when `pfs` (CREATE_CHILD_SA, RFC 7296 1.3.1), never in IKE_AUTH.
SaPayload child_offer(std::span<const IpsecProposal> ours, std::uint32_t spi,
                      std::optional<ike::negotiation::DhGroup> pfs = std::nullopt);

/// Responder: the first of the peer's proposals (its order) that one of ours
/// matches: the peer offers our ENCR, PRF, INTEG and D-H among its transforms.
/// Otherwise a report naming, per proposal, the first transform type that
/// differed from our closest proposal.
std::variant<IkeChoice, MismatchReport> select_ike(const SaPayload& theirs, std::span<const IkeProposal> ours);
/// Responder: as select_ike for a Child SA (ESP or AH, ENCR/INTEG/ESN, and
/// D-H when `pfs`). The proposal's SPI must be 4 bytes.
std::variant<ChildChoice, MismatchReport> select_child(const SaPayload& theirs, std::span<const IpsecProposal> ours,
                                                       std::optional<ike::negotiation::DhGroup> pfs = std::nullopt);

/// The responder's SA payload: the chosen proposal alone, one transform per
/// type, under the peer's proposal number.
SaPayload ike_reply(const IkeChoice& choice, std::span<const std::uint8_t> spi = {});
SaPayload child_reply(const ChildChoice& choice, std::uint32_t our_spi);

/// Initiator: the reply must hold one proposal, numbered as one of ours,
/// with exactly that proposal's transforms.
std::variant<IkeChoice, ReplyError> accept_ike_reply(const SaPayload& reply, std::span<const IkeProposal> ours);
std::variant<ChildChoice, ReplyError> accept_child_reply(const SaPayload& reply, std::span<const IpsecProposal> ours,
                                                         std::optional<ike::negotiation::DhGroup> pfs = std::nullopt);

}  // namespace picsec::ike::v2::negotiation
