// CREATE_CHILD_SA for both roles: new Child SAs, Child SA rekeys (RFC 7296
// 1.3.1, 1.3.3) and IKE SA rekeys (1.3.2, 2.18).
#include "create_child_task.h"

#include "child_sa.h"
#include "ike_auth_task.h"
#include "traffic_selectors.h"

#include "picsec/base/algorithms.h"
#include "picsec/ike/v2/crypto/keys.h"

namespace picsec::ike::detail::v2 {
namespace {

namespace n2 = picsec::ike::v2::negotiation;
using c2::NotifyType;
using Bytes = std::vector<std::uint8_t>;

ChildOutcome answer(NotifyType type, std::string why, Bytes data = {}) {
    ChildOutcome out;
    out.accepted = true;
    out.send = {notify(type, std::move(data))};
    out.failure = Failure{type == NotifyType::NoProposalChosen ? FailureReason::NoProposalChosen
                                                               : FailureReason::PeerNotify,
                          std::move(why), static_cast<std::uint16_t>(type), true};
    return out;
}

Bytes group_bytes(crypto::DhGroup g) {
    const auto v = algo::info(g).ike_attribute;
    return {static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)};
}

// Our Child SA templates for the peer: its own first, then 0.0.0.0 ones (as IKE_AUTH).
std::vector<const IpsecSaPolicy*> candidates(const ChildContext& ctx) {
    std::vector<const IpsecSaPolicy*> out;
    for (int pass = 0; pass < 2; ++pass)
        for (const auto& p : ctx.children)
            if (pass == 0 ? p.peer == ctx.peer.address : p.peer == Ipv4Address{}) out.push_back(&p);
    return out;
}

ChildOutcome respond_ike(const ChildContext& ctx, const Payloads& request) {
    const auto* sa = find<c2::SaPayload>(request);
    const auto* ni = find<c2::NoncePayload>(request);
    const auto* ke = find<c2::KePayload>(request);
    auto selected = n2::select_ike(*sa, ctx.policy.proposals);
    if (auto* m = std::get_if<ike::negotiation::MismatchReport>(&selected))
        return answer(NotifyType::NoProposalChosen, "IKE SA rekey: " + m->to_string());
    const auto& chosen = std::get<n2::IkeChoice>(selected);
    const auto group = chosen.proposal.group;
    if (!ke || ke->group != algo::info(group).ike_attribute)
        return answer(NotifyType::InvalidKePayload, "IKE SA rekey: KE is not " + std::string(algo::keyword(group)),
                      group_bytes(group));
    const c2::Proposal* theirs = nullptr;
    for (const auto& p : sa->proposals)
        if (p.number == chosen.number) theirs = &p;
    if (!theirs || theirs->spi.size() != 8) return answer(NotifyType::InvalidSyntax, "IKE SA rekey without an 8-byte SPI");
    NewIkeSa n;
    std::copy(theirs->spi.begin(), theirs->spi.end(), n.spi_i.begin());
    n.spi_r = random_ike_spi(ctx.rng);
    n.role = Role::Responder;
    const Bytes nr = random_bytes(ctx.rng, 32);
    auto dh = crypto::DhKeyPair::generate(group, ctx.rng);
    Botan::secure_vector<std::uint8_t> g_ir;
    try {
        g_ir = dh.shared_secret(ke->data);  // validates KEi (RFC 7296 2.12)
    } catch (const std::exception& e) {
        // RFC 7296 1.3, 2.21: the request verified, so it gets an answer; the IKE SA stands.
        return answer(NotifyType::InvalidSyntax, std::string("IKE SA rekey: KEi: ") + e.what());
    }
    const auto& p = chosen.proposal;
    const k2::Suite suite{p.encryption, p.hash, algo::info(p.hash).ikev2_integ, p.group};
    n.established.keys = SaKeys{suite,
                                k2::derive_rekeyed_ike_keys(suite, ctx.keys.suite.prf, ctx.keys.keys.sk_d, g_ir,
                                                            ni->data, nr, n.spi_i, n.spi_r),
                                Role::Responder};
    n.established.choice = chosen;
    n.established.spi_r = n.spi_r;
    ChildOutcome out;
    out.accepted = true;
    out.send = {n2::ike_reply(chosen, n.spi_r), c2::NoncePayload{nr}, c2::KePayload{ke->group, dh.public_value()}};
    out.ike = std::move(n);
    return out;
}

}  // namespace

std::pair<CreateChildTask, Payloads> CreateChildTask::new_child(const ChildContext& ctx, const IpsecSaPolicy& child,
                                                                std::optional<std::uint32_t> replaces) {
    CreateChildTask t(replaces ? Kind::RekeyChild : Kind::NewChild);
    t.m_child = &child;
    t.m_replaces = replaces;
    t.m_our_spi = random_child_spi(ctx.rng);
    t.m_ni = random_bytes(ctx.rng, 32);
    Payloads p;
    if (replaces) {
        // RFC 7296 1.3.3: REKEY_SA names the SA by the SPI we receive on.
        auto n = notify(NotifyType::RekeySa);
        n.protocol = child.proposals.front().protocol == sadb::Protocol::Ah ? c2::ProtocolId::Ah : c2::ProtocolId::Esp;
        n.spi = spi_bytes(*replaces);
        p.push_back(std::move(n));
    }
    if (child.mode == sadb::Mode::Transport) p.push_back(notify(NotifyType::UseTransportMode));
    p.push_back(n2::child_offer(child.proposals, t.m_our_spi, child.pfs_group));
    p.push_back(c2::NoncePayload{t.m_ni});
    if (child.pfs_group) {
        t.m_dh = crypto::DhKeyPair::generate(*child.pfs_group, ctx.rng);
        p.push_back(c2::KePayload{algo::info(*child.pfs_group).ike_attribute, t.m_dh->public_value()});
    }
    p.push_back(c2::TsPayload{true, {selector(child.local_client)}});
    p.push_back(c2::TsPayload{false, {selector(child.peer_client)}});
    return {std::move(t), std::move(p)};
}

std::pair<CreateChildTask, Payloads> CreateChildTask::rekey_ike(const ChildContext& ctx) {
    CreateChildTask t(Kind::RekeyIke);
    t.m_new_spi_i = random_ike_spi(ctx.rng);
    t.m_ni = random_bytes(ctx.rng, 32);
    const auto group = ctx.keys.suite.group;
    t.m_dh = crypto::DhKeyPair::generate(group, ctx.rng);
    // Our proposals, the group in use first: the KE we send is of that group.
    auto proposals = ctx.policy.proposals;
    std::stable_partition(proposals.begin(), proposals.end(), [&](const auto& p) { return p.group == group; });
    Payloads p{n2::ike_offer(proposals, t.m_new_spi_i), c2::NoncePayload{t.m_ni},
               c2::KePayload{algo::info(group).ike_attribute, t.m_dh->public_value()}};
    return {std::move(t), std::move(p)};
}

ChildOutcome CreateChildTask::respond(const ChildContext& ctx, const Payloads& request, const IpsecSaPolicy* rekeyed) {
    const auto* sa = find<c2::SaPayload>(request);
    const auto* ni = find<c2::NoncePayload>(request);
    if (!sa || !ni || sa->proposals.empty()) return answer(NotifyType::InvalidSyntax, "CREATE_CHILD_SA without SA or Nonce");
    if (sa->proposals.front().protocol == c2::ProtocolId::Ike) return respond_ike(ctx, request);
    const auto* rekey = find_notify(request, NotifyType::RekeySa);
    if (rekey && !rekeyed)
        return answer(NotifyType::ChildSaNotFound, "REKEY_SA names no Child SA of ours", {});
    const auto* ke = find<c2::KePayload>(request);
    const auto* tsi = find_ts(request, true);
    const auto* tsr = find_ts(request, false);
    if (!tsi || !tsr) return answer(NotifyType::InvalidSyntax, "CREATE_CHILD_SA without TSi and TSr");
    const bool transport = find_notify(request, NotifyType::UseTransportMode) != nullptr;
    std::string why = "no Child SA of ours for this peer";
    NotifyType refusal = NotifyType::NoProposalChosen;
    const auto policies = rekeyed ? std::vector<const IpsecSaPolicy*>{rekeyed} : candidates(ctx);
    for (const auto* policy : policies) {
        if (policy->mode == sadb::Mode::Transport && !transport) {
            why = "SA " + policy->name + " is transport mode, the initiator did not ask for USE_TRANSPORT_MODE";
            continue;
        }
        auto ts_i = narrow(*tsi, policy->peer_client);
        auto ts_r = narrow(*tsr, policy->local_client);
        if (!ts_i || !ts_r) {
            why = "traffic selectors outside SA " + policy->name;
            refusal = NotifyType::TsUnacceptable;
            continue;
        }
        const auto pfs = policy->pfs_group;
        if (pfs && (!ke || ke->group != algo::info(*pfs).ike_attribute))
            return answer(NotifyType::InvalidKePayload,
                          "SA " + policy->name + " wants PFS with " + std::string(algo::keyword(*pfs)),
                          group_bytes(*pfs));
        auto choice = n2::select_child(*sa, policy->proposals, pfs);
        if (auto* m = std::get_if<ike::negotiation::MismatchReport>(&choice)) {
            why = m->to_string();
            refusal = NotifyType::NoProposalChosen;
            continue;
        }
        const Bytes nr = random_bytes(ctx.rng, 32);
        Payloads reply;
        std::optional<crypto::DhKeyPair> dh;
        Botan::secure_vector<std::uint8_t> g_ir;
        if (pfs) {
            dh = crypto::DhKeyPair::generate(*pfs, ctx.rng);
            try {
                g_ir = dh->shared_secret(ke->data);  // validates KEi (RFC 7296 2.12)
            } catch (const std::exception& e) {
                // RFC 7296 1.3, 2.21: the request verified, so it gets an answer; nothing else changes.
                return answer(NotifyType::InvalidSyntax, "SA " + policy->name + ": KEi: " + e.what());
            }
        }
        const std::uint32_t our_spi = random_child_spi(ctx.rng);
        const auto& chosen = std::get<n2::ChildChoice>(choice);
        ChildOutcome out;
        out.accepted = true;
        out.child = child_sa(ChildMaterial{ctx.keys.suite.prf, ctx.keys.keys.sk_d, g_ir, ni->data, nr, Role::Responder,
                                           policy, our_spi, ctx.local, ctx.peer, ctx.udp_encapsulated},
                             chosen);
        if (policy->mode == sadb::Mode::Transport) reply.push_back(notify(NotifyType::UseTransportMode));
        reply.push_back(n2::child_reply(chosen, our_spi));
        reply.push_back(c2::NoncePayload{nr});
        if (dh) reply.push_back(c2::KePayload{ke->group, dh->public_value()});
        reply.push_back(c2::TsPayload{true, {*ts_i}});
        reply.push_back(c2::TsPayload{false, {*ts_r}});
        out.send = std::move(reply);
        out.send_if_refused = {notify(NotifyType::NoAdditionalSas)};
        return out;
    }
    return answer(refusal, why);
}

ChildOutcome CreateChildTask::on_response(const ChildContext& ctx, const Payloads& response) {
    if (const auto* e = find_error(response); e && !find<c2::SaPayload>(response)) {
        ChildOutcome out;
        out.accepted = true;
        out.failure = Failure{FailureReason::PeerNotify,
                              std::string(m_kind == Kind::RekeyIke ? "IKE SA rekey" : "CREATE_CHILD_SA") +
                                  " refused by the peer: " + notify_name(e->type),
                              e->type, true};
        return out;
    }
    return m_kind == Kind::RekeyIke ? on_ike_response(ctx, response) : on_child_response(ctx, response);
}

ChildOutcome CreateChildTask::on_child_response(const ChildContext& ctx, const Payloads& response) {
    ChildOutcome out;
    out.accepted = true;
    auto refuse = [&](std::string why) {
        out.failure = Failure{FailureReason::NoProposalChosen, std::move(why), 0, true};
        return out;
    };
    const auto* sa = find<c2::SaPayload>(response);
    const auto* nr = find<c2::NoncePayload>(response);
    const auto* tsi = find_ts(response, true);
    const auto* tsr = find_ts(response, false);
    if (!sa || !nr || !tsi || !tsr) return refuse("CREATE_CHILD_SA response without SA, Nonce, TSi or TSr");
    const auto pfs = m_child->pfs_group;
    auto choice = n2::accept_child_reply(*sa, m_child->proposals, pfs);
    if (auto* e = std::get_if<ike::negotiation::ReplyError>(&choice)) return refuse(e->to_string());
    Botan::secure_vector<std::uint8_t> g_ir;
    if (pfs) {
        const auto* ke = find<c2::KePayload>(response);
        if (!ke || ke->group != algo::info(*pfs).ike_attribute) return refuse("CREATE_CHILD_SA response KE is not our PFS group");
        try {
            g_ir = m_dh->shared_secret(ke->data);
        } catch (const std::exception& e) {
            return refuse(std::string("KEr: ") + e.what());
        }
    }
    const bool transport = find_notify(response, NotifyType::UseTransportMode) != nullptr;
    if (transport != (m_child->mode == sadb::Mode::Transport) || !within(*tsi, m_child->local_client) ||
        !within(*tsr, m_child->peer_client))
        return refuse("responder's traffic selectors or mode differ from ours");
    out.child = child_sa(ChildMaterial{ctx.keys.suite.prf, ctx.keys.keys.sk_d, g_ir, m_ni, nr->data, Role::Initiator,
                                       m_child, m_our_spi, ctx.local, ctx.peer, ctx.udp_encapsulated},
                         std::get<n2::ChildChoice>(choice));
    return out;
}

ChildOutcome CreateChildTask::on_ike_response(const ChildContext& ctx, const Payloads& response) {
    ChildOutcome out;
    out.accepted = true;
    auto refuse = [&](std::string why) {
        out.failure = Failure{FailureReason::NoProposalChosen, "IKE SA rekey: " + std::move(why), 0, true};
        return out;
    };
    const auto* sa = find<c2::SaPayload>(response);
    const auto* nr = find<c2::NoncePayload>(response);
    const auto* ke = find<c2::KePayload>(response);
    if (!sa || !nr || !ke) return refuse("response without SA, Nonce or KE");
    auto choice = n2::accept_ike_reply(*sa, ctx.policy.proposals);
    if (auto* e = std::get_if<ike::negotiation::ReplyError>(&choice)) return refuse(e->to_string());
    const auto& chosen = std::get<n2::IkeChoice>(choice);
    if (sa->proposals.front().spi.size() != 8) return refuse("reply without an 8-byte SPI");
    if (chosen.proposal.group != m_dh->group() || ke->group != algo::info(m_dh->group()).ike_attribute)
        return refuse("KE group differs from ours");
    Botan::secure_vector<std::uint8_t> g_ir;
    try {
        g_ir = m_dh->shared_secret(ke->data);
    } catch (const std::exception& e) {
        return refuse(std::string("KEr: ") + e.what());
    }
    NewIkeSa n;
    n.spi_i = m_new_spi_i;
    std::copy(sa->proposals.front().spi.begin(), sa->proposals.front().spi.end(), n.spi_r.begin());
    n.role = Role::Initiator;
    const auto& p = chosen.proposal;
    const k2::Suite suite{p.encryption, p.hash, algo::info(p.hash).ikev2_integ, p.group};
    n.established.keys = SaKeys{suite,
                                k2::derive_rekeyed_ike_keys(suite, ctx.keys.suite.prf, ctx.keys.keys.sk_d, g_ir, m_ni,
                                                            nr->data, n.spi_i, n.spi_r),
                                Role::Initiator};
    n.established.choice = chosen;
    n.established.spi_r = n.spi_r;
    out.ike = std::move(n);
    return out;
}

}  // namespace picsec::ike::detail::v2
