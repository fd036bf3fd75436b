// IKEv2 proposal negotiation: our proposals as transform sets, the
// responder's choice with its mismatch report, and the initiator's check of
// the reply (RFC 7296 2.7, 3.3).
#include "picsec/ike/v2/negotiation.h"

#include "picsec/base/algorithms.h"

#include <algorithm>
#include <string>

namespace picsec::ike::v2::negotiation {
namespace {

using ike::negotiation::DhGroup;
using ike::negotiation::MismatchEntry;
using ike::negotiation::MismatchReason;

// RFC 7296 3.3.2: ENCR_NULL for ESP without encryption; ESN "No" (0) or
// "Extended Sequence Numbers" (1).
constexpr std::uint16_t k_encr_null = 11;
constexpr std::uint16_t k_esn_none = 0;
constexpr std::uint16_t k_esn_extended = 1;

Transform encr(sadb::EncryptionAlgorithm a) {
    const auto& i = algo::info(a);
    Transform t{TransformType::Encr, i.ikev2_encr_id, std::nullopt};
    if (i.key_length_bits != 0) t.key_length = i.key_length_bits;
    return t;
}
Transform integ(sadb::AuthenticationAlgorithm a) {
    return Transform{TransformType::Integ, algo::info(a).ikev2_integ_id, std::nullopt};
}
Transform dh(DhGroup g) { return Transform{TransformType::Dh, algo::info(g).ike_attribute, std::nullopt}; }

bool same(const Transform& a, const Transform& b) {
    return a.type == b.type && a.id == b.id && a.key_length == b.key_length;
}

std::string_view type_attribute(TransformType t) {
    switch (t) {
    case TransformType::Encr: return "encryption-algorithm";
    case TransformType::Prf: return "authentication-algorithm";
    case TransformType::Integ: return "integrity-algorithm";
    case TransformType::Dh: return "dh-group";
    case TransformType::Esn: return "extended-sequence-numbers";
    }
    return "transform";
}

// A transform rendered with the table's keyword ("aes-128-cbc", "sha1",
// "hmac-sha1-96", "group2"), or "unknown(N)".
std::string render(const Transform& t) {
    std::optional<std::string_view> word;
    switch (t.type) {
    case TransformType::Encr:
        if (t.id == k_encr_null) word = "null";
        else if (auto a = algo::ikev2_encryption_from_id(t.id, t.key_length.value_or(0))) word = algo::keyword(*a);
        break;
    case TransformType::Prf:
        if (auto a = algo::ikev2_prf_from_id(t.id)) word = algo::keyword(*a);
        break;
    case TransformType::Integ:
        if (t.id == 0) word = "none";
        else if (auto a = algo::ikev2_integ_from_id(t.id)) word = algo::keyword(*a);
        break;
    case TransformType::Dh:
        if (auto g = algo::dh_group_from_attribute(t.id)) word = algo::keyword(*g);
        break;
    case TransformType::Esn: word = t.id == 0 ? "no" : "yes"; break;
    }
    if (word) return std::string(*word);
    return "unknown(" + std::to_string(t.id) + (t.key_length ? "/" + std::to_string(*t.key_length) : "") + ")";
}

std::string render_all(const Proposal& p, TransformType type) {
    std::string out;
    for (const auto& t : p.transforms)
        if (t.type == type) out += (out.empty() ? "" : ",") + render(t);
    return out.empty() ? "none" : out;
}

// The first difference between the peer's proposal and the transforms we
// want: a type of ours it does not offer, or a type it requires that we do
// not have. `ignore_dh`: D-H in an IKE_AUTH Child SA proposal is ignored.
struct Difference {
    TransformType type;
    std::string theirs, ours;
};
std::vector<Difference> differences(const Proposal& theirs, const std::vector<Transform>& wanted, bool ignore_dh) {
    std::vector<Difference> out;
    for (const auto& w : wanted)
        if (std::none_of(theirs.transforms.begin(), theirs.transforms.end(), [&](const Transform& t) { return same(t, w); }))
            out.push_back({w.type, render_all(theirs, w.type), render(w)});
    for (const auto& t : theirs.transforms) {
        const bool ours = std::any_of(wanted.begin(), wanted.end(), [&](const Transform& w) { return w.type == t.type; });
        // RFC 7296 3.3.3: INTEG "NONE" may be offered beside a cipher that needs none.
        const bool optional = (t.type == TransformType::Dh && ignore_dh) || (t.type == TransformType::Integ && t.id == 0);
        const bool noted = std::any_of(out.begin(), out.end(), [&](const Difference& d) { return d.type == t.type; });
        if (!ours && !optional && !noted) out.push_back({t.type, render_all(theirs, t.type), "none"});
    }
    return out;
}

std::string_view protocol_word(ProtocolId p) {
    switch (p) {
    case ProtocolId::None: return "none";
    case ProtocolId::Ike: return "ike";
    case ProtocolId::Ah: return "ah";
    case ProtocolId::Esp: return "esp";
    }
    return "unknown";
}

ProtocolId protocol_of(const IpsecProposal& p) {
    return p.protocol == sadb::Protocol::Ah ? ProtocolId::Ah : ProtocolId::Esp;
}
std::string_view our_protocol(const IkeProposal&) { return "ike"; }
std::string_view our_protocol(const IpsecProposal& p) { return protocol_word(protocol_of(p)); }

std::vector<Transform> ike_transforms(const IkeProposal& p) {
    return {encr(p.encryption), Transform{TransformType::Prf, algo::info(p.hash).ikev2_prf_id, std::nullopt},
            integ(algo::info(p.hash).ikev2_integ), dh(p.group)};
}

std::vector<Transform> child_transforms(const IpsecProposal& p, std::optional<DhGroup> pfs) {
    std::vector<Transform> out;
    if (p.protocol != sadb::Protocol::Ah)
        out.push_back(p.encryption ? encr(*p.encryption) : Transform{TransformType::Encr, k_encr_null, std::nullopt});
    if (p.authentication) out.push_back(integ(*p.authentication));
    if (pfs) out.push_back(dh(*pfs));
    out.push_back(Transform{TransformType::Esn, p.extended_sequence_numbers ? k_esn_extended : k_esn_none, std::nullopt});
    return out;
}

// The responder's choice among the peer's proposals (its order) and ours; the
// closest of ours (fewest differences) is named for each proposal that failed.
template <class Ours, class Wanted, class Fits>
std::variant<std::pair<std::size_t, std::size_t>, MismatchReport> choose(const SaPayload& theirs,
                                                                         std::span<const Ours> ours, Wanted wanted,
                                                                         Fits fits, bool ignore_dh) {
    MismatchReport report;
    if (ours.empty()) {
        report.reason = MismatchReason::NoLocalProposals;
        return report;
    }
    if (theirs.proposals.empty()) {
        report.reason = MismatchReason::EmptyOffer;
        return report;
    }
    for (std::size_t i = 0; i < theirs.proposals.size(); ++i) {
        const Proposal& p = theirs.proposals[i];
        struct Closest {
            std::size_t index;
            std::vector<Difference> differences;  ///< empty: the protocol (or SPI size) differed
        };
        std::optional<Closest> closest;
        for (std::size_t j = 0; j < ours.size(); ++j) {
            if (!fits(p, ours[j])) {
                if (!closest) closest = Closest{j, {}};
                continue;
            }
            auto d = differences(p, wanted(ours[j]), ignore_dh);
            if (d.empty()) return std::pair{i, j};
            if (!closest || closest->differences.empty() || d.size() < closest->differences.size())
                closest = Closest{j, std::move(d)};
        }
        const std::string theirs_protocol(protocol_word(p.protocol));
        const auto& mine = ours[closest->index];
        if (closest->differences.empty())
            report.entries.push_back(MismatchEntry{p.number, theirs_protocol, std::nullopt, "protocol",
                                                   theirs_protocol + " (SPI size " + std::to_string(p.spi.size()) + ")",
                                                   std::string(our_protocol(mine)), mine.name});
        for (const auto& x : closest->differences)
            report.entries.push_back(MismatchEntry{p.number, theirs_protocol, std::nullopt,
                                                   std::string(type_attribute(x.type)), x.theirs, x.ours, mine.name});
    }
    return report;
}

// The reply's transforms must be exactly those of one of our proposals.
template <class Ours, class Wanted>
std::variant<std::size_t, ReplyError> check_reply(const SaPayload& reply, std::span<const Ours> ours, Wanted wanted) {
    if (reply.proposals.size() != 1)
        return ReplyError{"SA carries " + std::to_string(reply.proposals.size()) + " proposals, need exactly 1", {}};
    const Proposal& p = reply.proposals.front();
    if (p.number < 1 || p.number > ours.size())
        return ReplyError{"reply names proposal " + std::to_string(p.number) + ", we offered 1.." +
                              std::to_string(ours.size()),
                          {}};
    const auto& mine = ours[p.number - 1];
    const auto want = wanted(mine);
    if (auto d = differences(p, want, false); !d.empty())
        return ReplyError{"reply changed proposal " + std::to_string(p.number),
                          MismatchEntry{p.number, std::string(protocol_word(p.protocol)), std::nullopt,
                                        std::string(type_attribute(d.front().type)), d.front().theirs, d.front().ours,
                                        mine.name}};
    // RFC 7296 3.3.3: an INTEG "NONE" beside a combined-mode cipher (AES-GCM)
    // may come back; it counts only where we asked for no integrity at all.
    const bool want_integ = std::any_of(want.begin(), want.end(), [](const Transform& t) { return t.type == TransformType::Integ; });
    const auto counted = std::count_if(p.transforms.begin(), p.transforms.end(), [&](const Transform& t) {
        return want_integ || t.type != TransformType::Integ || t.id != 0;
    });
    if (static_cast<std::size_t>(counted) != want.size())
        return ReplyError{"reply carries " + std::to_string(p.transforms.size()) + " transforms for proposal " +
                              std::to_string(p.number) + ", need one of each type (" + std::to_string(want.size()) + ")",
                          {}};
    return static_cast<std::size_t>(p.number - 1);
}

std::uint32_t spi_value(const std::vector<std::uint8_t>& spi) {
    std::uint32_t v = 0;
    for (auto b : spi) v = (v << 8) | b;
    return v;
}
std::vector<std::uint8_t> spi_bytes(std::uint32_t spi) {
    return {static_cast<std::uint8_t>(spi >> 24), static_cast<std::uint8_t>(spi >> 16),
            static_cast<std::uint8_t>(spi >> 8), static_cast<std::uint8_t>(spi)};
}

}  // namespace

Proposal ike_proposal(const IkeProposal& ours, std::uint8_t number, std::span<const std::uint8_t> spi) {
    return Proposal{number, ProtocolId::Ike, {spi.begin(), spi.end()}, ike_transforms(ours)};
}

SaPayload ike_offer(std::span<const IkeProposal> ours, std::span<const std::uint8_t> spi) {
    SaPayload sa;
    for (std::size_t i = 0; i < ours.size() && i < 255; ++i)
        sa.proposals.push_back(ike_proposal(ours[i], static_cast<std::uint8_t>(i + 1), spi));
    return sa;
}

SaPayload child_offer(std::span<const IpsecProposal> ours, std::uint32_t spi, std::optional<DhGroup> pfs) {
    SaPayload sa;
    for (std::size_t i = 0; i < ours.size() && i < 255; ++i)
        sa.proposals.push_back(Proposal{static_cast<std::uint8_t>(i + 1), protocol_of(ours[i]), spi_bytes(spi),
                                        child_transforms(ours[i], pfs)});
    return sa;
}

std::variant<IkeChoice, MismatchReport> select_ike(const SaPayload& theirs, std::span<const IkeProposal> ours) {
    auto r = choose(
        theirs, ours, ike_transforms,
        [](const Proposal& p, const IkeProposal&) { return p.protocol == ProtocolId::Ike; }, false);
    if (auto* m = std::get_if<MismatchReport>(&r)) return std::move(*m);
    const auto [i, j] = std::get<0>(r);
    return IkeChoice{theirs.proposals[i].number, ours[j]};
}

std::variant<ChildChoice, MismatchReport> select_child(const SaPayload& theirs, std::span<const IpsecProposal> ours,
                                                       std::optional<DhGroup> pfs) {
    auto r = choose(
        theirs, ours, [&](const IpsecProposal& p) { return child_transforms(p, pfs); },
        [](const Proposal& p, const IpsecProposal& o) { return p.protocol == protocol_of(o) && p.spi.size() == 4; },
        !pfs);
    if (auto* m = std::get_if<MismatchReport>(&r)) return std::move(*m);
    const auto [i, j] = std::get<0>(r);
    return ChildChoice{theirs.proposals[i].number, ours[j], spi_value(theirs.proposals[i].spi), pfs};
}

SaPayload ike_reply(const IkeChoice& choice, std::span<const std::uint8_t> spi) {
    return SaPayload{{ike_proposal(choice.proposal, choice.number, spi)}};
}

SaPayload child_reply(const ChildChoice& choice, std::uint32_t our_spi) {
    return SaPayload{{Proposal{choice.number, protocol_of(choice.proposal), spi_bytes(our_spi),
                               child_transforms(choice.proposal, choice.group)}}};
}

std::variant<IkeChoice, ReplyError> accept_ike_reply(const SaPayload& reply, std::span<const IkeProposal> ours) {
    auto r = check_reply(reply, ours, ike_transforms);
    if (auto* e = std::get_if<ReplyError>(&r)) return std::move(*e);
    if (reply.proposals.front().protocol != ProtocolId::Ike) return ReplyError{"reply is not an IKE proposal", {}};
    return IkeChoice{reply.proposals.front().number, ours[std::get<std::size_t>(r)]};
}

std::variant<ChildChoice, ReplyError> accept_child_reply(const SaPayload& reply, std::span<const IpsecProposal> ours,
                                                         std::optional<DhGroup> pfs) {
    auto r = check_reply(reply, ours, [&](const IpsecProposal& p) { return child_transforms(p, pfs); });
    if (auto* e = std::get_if<ReplyError>(&r)) return std::move(*e);
    const Proposal& p = reply.proposals.front();
    const IpsecProposal& mine = ours[std::get<std::size_t>(r)];
    if (p.protocol != protocol_of(mine) || p.spi.size() != 4)
        return ReplyError{"reply proposal " + std::to_string(p.number) + " is not " +
                              std::string(protocol_word(protocol_of(mine))) + " with a 4-byte SPI",
                          {}};
    return ChildChoice{p.number, mine, spi_value(p.spi), pfs};
}

}  // namespace picsec::ike::v2::negotiation
