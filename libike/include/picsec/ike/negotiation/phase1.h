// Phase 1 (Main / Aggressive Mode SA payload) proposal negotiation as pure
// functions over our configured `ike proposal`s and the peer's offer.
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

/// The agreed ISAKMP SA parameters.
struct Phase1Choice {
    std::uint8_t transform_number = 0;  ///< of the initiator's offer
    std::size_t our_index = 0;          ///< index of the matching proposal in our list
    IkeProposal proposal;               ///< our matching proposal, as configured
    std::uint32_t lifetime_seconds = 0; ///< agreed: the shorter of both sides
    std::optional<std::uint64_t> lifetime_kilobytes; ///< the initiator's, when it sent one (we never set one)
    /// Responder only: our lifetime is shorter than the one offered, so a
    /// RESPONDER-LIFETIME notify carrying lifetime_seconds must be sent
    /// (RFC 2407 4.6.3.1) - the reply transform itself stays unchanged.
    bool send_responder_lifetime = false;
    /// The SA payload to answer with (responder) or the one received
    /// (initiator): one proposal holding the chosen transform unchanged.
    Phase1Offer reply;

    friend bool operator==(const Phase1Choice&, const Phase1Choice&) = default;
};

/// The wire transform for one of our proposals (Life Duration in seconds,
/// Key Length only for AES).
Phase1Transform to_phase1_transform(const IkeProposal& proposal, std::uint8_t number);

/// Initiator: one proposal (RFC 2409 5: phase 1 offers exactly one) whose
/// transforms 1..N are our proposals in preference order (JUNOS offers them
/// all). Throws std::invalid_argument for more than 255 proposals.
Phase1Offer build_phase1_offer(const std::vector<IkeProposal>& ours);

/// What the responder can authenticate with. Without a certificate and key
/// (no signature authenticator) an rsa-signatures proposal cannot be used.
struct LocalAuthentication {
    bool signatures = true;
};

/// Responder: the first of the initiator's transforms (its order, not ours)
/// that one of our proposals matches exactly in encryption, key length, hash,
/// authentication method and DH group. Lifetimes never prevent a match: the
/// shorter wins. An rsa-signatures proposal of ours matches nothing when
/// `local` cannot sign (the report names authentication-method). Otherwise
/// a report naming, for each transform, the first attribute that differed
/// from our closest proposal.
std::variant<Phase1Choice, MismatchReport> select_phase1(const Phase1Offer& theirs,
                                                         const std::vector<IkeProposal>& ours,
                                                         LocalAuthentication local = {});

/// Initiator: checks the responder's SA payload holds exactly one transform,
/// that it is one we offered (same number) with unchanged attributes, and
/// that its lifetime (if sent) is not longer than ours. A lifetime from a
/// RESPONDER-LIFETIME notify shortens the agreed one; a longer one is ignored.
std::variant<Phase1Choice, ReplyError> accept_phase1_reply(
    const std::vector<IkeProposal>& ours, const Phase1Offer& reply,
    std::optional<std::uint32_t> responder_lifetime_seconds = std::nullopt);

}  // namespace picsec::ike::negotiation
