// Phase 1 proposal negotiation (see phase1.h). RFC 2409 5 and App. A.
#include "picsec/ike/negotiation/phase1.h"

#include "compare.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>

namespace picsec::ike::negotiation {
namespace {

MismatchEntry entry(std::uint8_t proposal, std::uint8_t transform, detail::Difference d, const std::string& ours) {
    return MismatchEntry{proposal, "", transform, std::move(d.attribute), std::move(d.theirs), std::move(d.ours), ours};
}

Phase1Choice choose(const Phase1Offer& theirs, const Phase1Transform& t, const std::vector<IkeProposal>& ours,
                    std::size_t index) {
    const auto& p = ours[index];
    // RFC 2407 4.5: no Life Duration means the default of 8 hours.
    const std::uint32_t offered = t.life_seconds.value_or(k_default_lifetime_seconds);
    Phase1Choice c;
    c.transform_number = t.number;
    c.our_index = index;
    c.proposal = p;
    c.lifetime_seconds = std::min(offered, p.lifetime_seconds);
    c.lifetime_kilobytes = t.life_kilobytes;
    c.send_responder_lifetime = p.lifetime_seconds < offered;
    c.reply = Phase1Offer{theirs.proposal_number, {t}};
    return c;
}

// The first difference between their transform and our proposal `p` (whose
// wire form is `wanted`); a proposal we cannot authenticate with differs in
// its authentication method (RFC 2409 5.1: signatures need our certificate).
std::optional<detail::Difference> difference(const Phase1Transform& t, const Phase1Transform& wanted,
                                             const IkeProposal& p, LocalAuthentication local) {
    if (auto d = detail::compare_phase1(t, wanted)) return d;
    switch (p.auth_method) {
        case AuthMethod::PreSharedKeys: return std::nullopt;
        case AuthMethod::RsaSignatures:
            if (local.signatures) return std::nullopt;
            return detail::Difference{3, "authentication-method", std::string(crypto::info(p.auth_method).keyword),
                                      "rsa-signatures without a local certificate"};
    }
    return std::nullopt;
}

}  // namespace

Phase1Transform to_phase1_transform(const IkeProposal& p, std::uint8_t number) {
    Phase1Transform t;
    t.number = number;
    t.encryption = crypto::info(p.encryption).ike_attribute;
    // RFC 2409 App. A: Key Length only for variable-length ciphers (AES).
    if (auto bits = crypto::info(p.encryption).key_length_bits; bits != 0) t.key_length = bits;
    t.hash = crypto::info(p.hash).ike_attribute;
    t.auth_method = crypto::info(p.auth_method).ike_attribute;
    t.group = crypto::info(p.group).ike_attribute;
    t.life_seconds = p.lifetime_seconds;
    return t;
}

Phase1Offer build_phase1_offer(const std::vector<IkeProposal>& ours) {
    if (ours.size() > 255) throw std::invalid_argument("phase 1 offer: more than 255 proposals");
    Phase1Offer offer;
    offer.proposal_number = 1;
    for (std::size_t i = 0; i < ours.size(); ++i)
        offer.transforms.push_back(to_phase1_transform(ours[i], static_cast<std::uint8_t>(i + 1)));
    return offer;
}

std::variant<Phase1Choice, MismatchReport> select_phase1(const Phase1Offer& theirs,
                                                         const std::vector<IkeProposal>& ours,
                                                         LocalAuthentication local) {
    if (theirs.transforms.empty()) return MismatchReport{MismatchReason::EmptyOffer, {}};
    if (ours.empty()) return MismatchReport{MismatchReason::NoLocalProposals, {}};
    std::vector<Phase1Transform> wanted;
    for (const auto& p : ours) wanted.push_back(to_phase1_transform(p, 0));

    // The initiator's order decides: its first acceptable transform wins.
    for (const auto& t : theirs.transforms)
        for (std::size_t i = 0; i < wanted.size(); ++i)
            if (!difference(t, wanted[i], ours[i], local)) return choose(theirs, t, ours, i);

    MismatchReport report;
    for (const auto& t : theirs.transforms) {
        std::optional<detail::Difference> closest;
        std::size_t closest_index = 0;
        for (std::size_t i = 0; i < wanted.size(); ++i) {
            auto d = difference(t, wanted[i], ours[i], local);
            if (!closest || d->rank > closest->rank) {
                closest = std::move(d);
                closest_index = i;
            }
        }
        report.entries.push_back(entry(theirs.proposal_number, t.number, std::move(*closest), ours[closest_index].name));
    }
    return report;
}

std::variant<Phase1Choice, ReplyError> accept_phase1_reply(const std::vector<IkeProposal>& ours,
                                                           const Phase1Offer& reply,
                                                           std::optional<std::uint32_t> responder_lifetime_seconds) {
    const Phase1Offer offered = build_phase1_offer(ours);
    // RFC 2409 5: the responder returns one transform of the one proposal.
    if (reply.transforms.size() != 1)
        return ReplyError{"SA carries " + std::to_string(reply.transforms.size()) + " transforms, need exactly 1", {}};
    if (reply.proposal_number != offered.proposal_number)
        return ReplyError{"reply names proposal " + std::to_string(reply.proposal_number) + ", we offered proposal " +
                              std::to_string(offered.proposal_number),
                          {}};
    const auto& t = reply.transforms.front();
    if (t.number < 1 || t.number > offered.transforms.size())
        return ReplyError{"reply names transform " + std::to_string(t.number) + ", we offered 1.." +
                              std::to_string(offered.transforms.size()),
                          {}};
    const std::size_t index = t.number - 1u;
    const auto& p = ours[index];
    const std::string which = "reply changed proposal " + std::to_string(reply.proposal_number);
    if (auto d = detail::compare_phase1(t, offered.transforms[index]))
        return ReplyError{which, entry(reply.proposal_number, t.number, std::move(*d), p.name)};
    if (t.life_seconds && *t.life_seconds > p.lifetime_seconds)
        return ReplyError{which, MismatchEntry{reply.proposal_number, "", t.number, "lifetime-seconds",
                                               std::to_string(*t.life_seconds), std::to_string(p.lifetime_seconds),
                                               p.name}};

    Phase1Choice c;
    c.transform_number = t.number;
    c.our_index = index;
    c.proposal = p;
    c.lifetime_seconds = std::min(t.life_seconds.value_or(p.lifetime_seconds), p.lifetime_seconds);
    if (responder_lifetime_seconds) c.lifetime_seconds = std::min(c.lifetime_seconds, *responder_lifetime_seconds);
    c.lifetime_kilobytes = t.life_kilobytes;
    c.reply = reply;
    return c;
}

}  // namespace picsec::ike::negotiation
