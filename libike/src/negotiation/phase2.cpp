// Phase 2 proposal negotiation (see phase2.h). RFC 2407 4.4-4.6, RFC 2408 4.2,
// RFC 2409 5.5.
#include "picsec/ike/negotiation/phase2.h"

#include "compare.h"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>

namespace picsec::ike::negotiation {
namespace {

std::vector<std::uint8_t> sorted_protocols(const OfferedProposal& p) {
    std::vector<std::uint8_t> ids;
    for (const auto& proto : p.protocols) ids.push_back(proto.protocol);
    std::sort(ids.begin(), ids.end());
    return ids;
}

std::vector<std::uint8_t> offered_order(const OfferedProposal& p) {
    std::vector<std::uint8_t> ids;
    for (const auto& proto : p.protocols) ids.push_back(proto.protocol);
    return ids;
}

/// How one of their proposals fares against one of ours.
struct Attempt {
    bool same_protocols = false;
    std::vector<std::optional<std::size_t>> chosen;  ///< per their protocol: index of the first matching transform
    int satisfied = 0;
    int closeness = 0;  ///< sum of the best ranks of the unsatisfied protocols

    bool matched() const { return same_protocols && satisfied == static_cast<int>(chosen.size()); }
    bool closer_than(const Attempt& o) const {
        if (same_protocols != o.same_protocols) return same_protocols;
        if (satisfied != o.satisfied) return satisfied > o.satisfied;
        return closeness > o.closeness;
    }
};

Attempt attempt(const OfferedProposal& theirs, const IpsecProposal& ours, const Phase2Policy& policy) {
    Attempt a;
    auto wanted = wire_protocols(ours.protocol);
    std::sort(wanted.begin(), wanted.end());
    a.same_protocols = sorted_protocols(theirs) == wanted;
    if (!a.same_protocols) return a;
    for (const auto& proto : theirs.protocols) {
        const IpsecTransform expected = to_ipsec_transform(ours, proto.protocol, policy);
        std::optional<std::size_t> hit;
        int best = -1;
        for (std::size_t i = 0; i < proto.transforms.size() && !hit; ++i) {
            auto d = detail::compare_ipsec(proto.protocol, proto.transforms[i], expected);
            if (!d) hit = i;
            else best = std::max(best, d->rank);
        }
        if (hit) ++a.satisfied;
        else a.closeness += best;
        a.chosen.push_back(hit);
    }
    return a;
}

std::optional<std::uint64_t> kilobytes(std::uint64_t configured) {
    return configured != 0 ? std::optional<std::uint64_t>(configured) : std::nullopt;
}

Phase2Choice base_choice(const OfferedProposal& p, std::size_t index, const Phase2Policy& policy) {
    Phase2Choice c;
    c.proposal_number = p.number;
    c.our_index = index;
    c.proposal = policy.proposals[index];
    c.pfs_group = policy.pfs_group;
    c.mode = policy.mode;
    c.udp_encapsulated = policy.udp_encapsulated;
    return c;
}

Phase2Choice choose(const OfferedProposal& p, const Attempt& a, std::size_t index, const Phase2Policy& policy) {
    Phase2Choice c = base_choice(p, index, policy);
    const auto& q = c.proposal;
    // RFC 2407 4.5: an absent Life Duration is 28800 s; absent kilobytes is no limit.
    std::uint32_t offered_seconds = std::numeric_limits<std::uint32_t>::max();
    std::optional<std::uint64_t> offered_kilobytes;
    c.reply.number = p.number;
    for (std::size_t i = 0; i < p.protocols.size(); ++i) {
        const auto& proto = p.protocols[i];
        const IpsecTransform& t = proto.transforms[*a.chosen[i]];
        c.protocols.push_back(ChosenProtocol{proto.protocol, proto.spi, t});
        c.reply.protocols.push_back(OfferedProtocol{proto.protocol, 0, {t}});
        offered_seconds = std::min(offered_seconds, t.life_seconds.value_or(k_default_lifetime_seconds));
        offered_kilobytes = detail::shorter(offered_kilobytes, t.life_kilobytes);
    }
    const auto ours_kilobytes = kilobytes(q.lifetime_kilobytes);
    c.lifetime_seconds = std::min(offered_seconds, q.lifetime_seconds);
    c.lifetime_kilobytes = detail::shorter(offered_kilobytes, ours_kilobytes).value_or(0);
    c.send_responder_lifetime = q.lifetime_seconds < offered_seconds ||
                                (ours_kilobytes && (!offered_kilobytes || *ours_kilobytes < *offered_kilobytes));
    return c;
}

void explain(const OfferedProposal& p, const Attempt& a, const IpsecProposal& q, const Phase2Policy& policy,
             std::vector<MismatchEntry>& out) {
    if (!a.same_protocols) {
        out.push_back(MismatchEntry{p.number, "", std::nullopt, "protocol", detail::protocol_set_name(offered_order(p)),
                                    std::string(sadb::to_string(q.protocol)), q.name});
        return;
    }
    for (std::size_t i = 0; i < p.protocols.size(); ++i) {
        if (a.chosen[i]) continue;
        const auto& proto = p.protocols[i];
        const std::string name = detail::protocol_name(proto.protocol);
        if (proto.transforms.empty()) {
            out.push_back(MismatchEntry{p.number, name, std::nullopt, "transforms", "0", "1 or more", q.name});
            continue;
        }
        const IpsecTransform expected = to_ipsec_transform(q, proto.protocol, policy);
        for (const auto& t : proto.transforms) {
            auto d = detail::compare_ipsec(proto.protocol, t, expected);
            out.push_back(MismatchEntry{p.number, name, t.number, std::move(d->attribute), std::move(d->theirs),
                                        std::move(d->ours), q.name});
        }
    }
}

}  // namespace

std::vector<std::uint8_t> wire_protocols(sadb::Protocol protocol) {
    switch (protocol) {
        case sadb::Protocol::Ah: return {protocol_id::Ah};
        case sadb::Protocol::Esp: return {protocol_id::Esp};
        // RFC 2408 4.2 example: AH then ESP under the same proposal number.
        case sadb::Protocol::Bundle: return {protocol_id::Ah, protocol_id::Esp};
    }
    return {};
}

IpsecTransform to_ipsec_transform(const IpsecProposal& q, std::uint8_t protocol, const Phase2Policy& policy) {
    IpsecTransform t;
    t.number = 1;
    if (protocol == protocol_id::Ah) {
        // RFC 2407 4.5: the Authentication Algorithm attribute is mandatory for AH.
        if (q.authentication) {
            const auto& a = sadb::info(*q.authentication);
            t.transform_id = static_cast<std::uint8_t>(a.ah_transform_id);
            t.authentication = a.ipsec_auth_attribute;
        }
    } else if (protocol == protocol_id::Esp) {
        if (q.encryption) {
            const auto& e = sadb::info(*q.encryption);
            t.transform_id = static_cast<std::uint8_t>(e.esp_transform_id);
            if (e.key_length_bits != 0) t.key_length = e.key_length_bits;
        } else {
            t.transform_id = k_esp_null;
        }
        // In a bundle AH authenticates; the ESP half carries no authentication.
        if (q.protocol == sadb::Protocol::Esp && q.authentication)
            t.authentication = sadb::info(*q.authentication).ipsec_auth_attribute;
    }
    switch (policy.mode) {
        case sadb::Mode::Tunnel:
            t.encapsulation = policy.udp_encapsulated ? encapsulation::UdpTunnel : encapsulation::Tunnel;
            break;
        case sadb::Mode::Transport:
            t.encapsulation = policy.udp_encapsulated ? encapsulation::UdpTransport : encapsulation::Transport;
            break;
    }
    // RFC 2409 5.5: with PFS every transform carries the Group Description.
    if (policy.pfs_group) t.group = crypto::info(*policy.pfs_group).ike_attribute;
    // RFC 4304 2: Extended Sequence Number, value 1, in every transform of an ESN SA.
    if (q.extended_sequence_numbers) t.esn = k_esn_64_bit;
    t.life_seconds = q.lifetime_seconds;
    t.life_kilobytes = kilobytes(q.lifetime_kilobytes);
    return t;
}

Phase2Offer build_phase2_offer(const Phase2Policy& ours) {
    if (ours.proposals.size() > 255) throw std::invalid_argument("phase 2 offer: more than 255 proposals");
    Phase2Offer offer;
    for (std::size_t i = 0; i < ours.proposals.size(); ++i) {
        const auto& q = ours.proposals[i];
        OfferedProposal p;
        p.number = static_cast<std::uint8_t>(i + 1);
        for (auto proto : wire_protocols(q.protocol))
            p.protocols.push_back(OfferedProtocol{proto, 0, {to_ipsec_transform(q, proto, ours)}});
        offer.proposals.push_back(std::move(p));
    }
    return offer;
}

std::variant<Phase2Choice, MismatchReport> select_phase2(const Phase2Offer& theirs, const Phase2Policy& ours) {
    if (theirs.proposals.empty()) return MismatchReport{MismatchReason::EmptyOffer, {}};
    if (ours.proposals.empty()) return MismatchReport{MismatchReason::NoLocalProposals, {}};

    MismatchReport report;
    // The initiator's order decides: its first acceptable proposal wins.
    for (const auto& p : theirs.proposals) {
        std::optional<Attempt> best;
        std::size_t best_index = 0;
        for (std::size_t i = 0; i < ours.proposals.size(); ++i) {
            Attempt a = attempt(p, ours.proposals[i], ours);
            if (a.matched()) return choose(p, a, i, ours);
            if (!best || a.closer_than(*best)) {
                best = std::move(a);
                best_index = i;
            }
        }
        explain(p, *best, ours.proposals[best_index], ours, report.entries);
    }
    return report;
}

std::variant<Phase2Choice, ReplyError> accept_phase2_reply(const Phase2Policy& ours, const OfferedProposal& reply,
                                                           const ResponderLifetime& notify) {
    const Phase2Offer offered = build_phase2_offer(ours);
    if (reply.number < 1 || reply.number > offered.proposals.size())
        return ReplyError{"reply names proposal " + std::to_string(reply.number) + ", we offered 1.." +
                              std::to_string(offered.proposals.size()),
                          {}};
    const std::size_t index = reply.number - 1u;
    const auto& q = ours.proposals[index];
    const std::string which = "reply changed proposal " + std::to_string(reply.number);
    if (sorted_protocols(reply) != sorted_protocols(offered.proposals[index]))
        return ReplyError{which, MismatchEntry{reply.number, "", std::nullopt, "protocol",
                                               detail::protocol_set_name(offered_order(reply)),
                                               std::string(sadb::to_string(q.protocol)), q.name}};

    Phase2Choice c = base_choice(reply, index, ours);
    c.reply = reply;
    std::uint32_t seconds = q.lifetime_seconds;
    std::optional<std::uint64_t> kb = kilobytes(q.lifetime_kilobytes);
    for (const auto& proto : reply.protocols) {
        const std::string name = detail::protocol_name(proto.protocol);
        // RFC 2408 4.2: the responder returns one transform per protocol.
        if (proto.transforms.size() != 1)
            return ReplyError{"reply carries " + std::to_string(proto.transforms.size()) + " " + name +
                                  " transforms, need exactly 1",
                              {}};
        const auto& t = proto.transforms.front();
        const IpsecTransform expected = to_ipsec_transform(q, proto.protocol, ours);
        if (t.number != expected.number)
            return ReplyError{"reply names " + name + " transform " + std::to_string(t.number) + ", we offered " +
                                  std::to_string(expected.number),
                              {}};
        auto entry = [&](std::string attribute, std::string theirs, std::string mine) {
            return ReplyError{which, MismatchEntry{reply.number, name, t.number, std::move(attribute),
                                                   std::move(theirs), std::move(mine), q.name}};
        };
        if (auto d = detail::compare_ipsec(proto.protocol, t, expected))
            return entry(std::move(d->attribute), std::move(d->theirs), std::move(d->ours));
        if (t.life_seconds && *t.life_seconds > q.lifetime_seconds)
            return entry("lifetime-seconds", std::to_string(*t.life_seconds), std::to_string(q.lifetime_seconds));
        if (t.life_kilobytes && kb && *t.life_kilobytes > *kb)
            return entry("lifetime-kilobytes", std::to_string(*t.life_kilobytes), std::to_string(*kb));
        if (t.life_seconds) seconds = std::min(seconds, *t.life_seconds);
        kb = detail::shorter(kb, t.life_kilobytes);
        c.protocols.push_back(ChosenProtocol{proto.protocol, proto.spi, t});
    }
    if (notify.seconds) seconds = std::min(seconds, *notify.seconds);
    kb = detail::shorter(kb, notify.kilobytes);
    c.lifetime_seconds = seconds;
    c.lifetime_kilobytes = kb.value_or(0);
    return c;
}

}  // namespace picsec::ike::negotiation
