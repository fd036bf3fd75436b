// Phase 1's engine side: creates the IKE SA, hands each message to its
// Phase1Task and applies the Outcome (keys, choice, NAT-T, the peer's
// identity, the next message, failure or completion).
#include "engine_impl.h"
#include "phase1_task.h"

namespace picsec::ike {

using namespace detail;
using codec::ExchangeType;

namespace {

ExchangeType exchange_of(ExchangeMode mode)
{
    return mode == ExchangeMode::Aggressive ? ExchangeType::Aggressive : ExchangeType::IdentityProtection;
}

}  // namespace

Phase1Context Engine::Impl::phase1_context(const IkeSa& sa)
{
    // RFC 2407 4.6.3.3: INITIAL-CONTACT with our first phase 1 to this peer.
    const auto contact = contacted.find(sa.peer.address.to_uint());
    const bool first_contact = config.send_initial_contact && (contact == contacted.end() || !contact->second);
    return Phase1Context{*sa.policy, sa.local, sa.peer, sa.cky_i,  sa.cky_r, config.force_nat_t,
                         first_contact, config.log_keys, rng, *log, sa.name()};
}

void Engine::Impl::start_phase1(const IkePolicy& policy, Endpoint peer, std::string pending_sa)
{
    if (policy.proposals.empty()) {
        log->warn("peer {}: IKE policy has no proposals", peer.address.to_string());
        return;
    }
    auto& sa = new_sa(Role::Initiator, policy.mode, policy, peer);
    if (!pending_sa.empty())
        sa.pending.push_back(std::move(pending_sa));
    if (!sa.lifecycle.handle(LifecycleEvent::Start))
        return;
    auto [task, out] = Phase1Task::initiate(phase1_context(sa), policy.mode);
    sa.phase1 = std::make_unique<Phase1Task>(std::move(task));
    apply(sa, std::move(out));
}

void Engine::Impl::phase1_respond_first(const codec::RawMessage& m, std::span<const std::uint8_t> raw, Endpoint from,
                                        Endpoint to)
{
    const auto* policy = ike_policy_for(from.address);
    const std::string who = "peer " + from.address.to_string() + " [" + to_hex(m.header.initiator_cookie) + "]";
    if (!policy) {
        log->info("{}: no IKE policy for this peer, ignored", who);
        return;
    }
    if (policy->version != IkeVersion::V1) {
        log->info("{}: IKEv1 first message, but the policy for this peer says version 2, ignored", who);
        return;
    }
    if (ike_sas.size() >= config.max_ike_sas) {
        log->warn("{}: IKE SA table full ({}), ignored", who, ike_sas.size());
        return;
    }
    const auto mode =
        m.header.exchange_type == ExchangeType::Aggressive ? ExchangeMode::Aggressive : ExchangeMode::Main;
    if (mode != policy->mode) {
        // The exchange mode is the policy's: an Aggressive Mode answer would
        // carry HASH_R to anyone who asks, enough for an offline dictionary
        // attack on the pre-shared key. No answer, not even a notify.
        log->warn("{}: peer uses {} mode, the policy says {} mode: no answer", who, to_string(mode),
                  to_string(policy->mode));
        return;
    }
    if (!first_message_allowed(from.address, *policy))
        return;
    const Phase1Context ctx{*policy, to, from, m.header.initiator_cookie, {}, config.force_nat_t, false,
                            config.log_keys, rng, *log, who};
    auto started = Phase1Task::respond(ctx, m);
    if (!started.outcome.accepted)
        return;
    if (!started.task) {
        // No proposal matched: told in the clear, and no state is kept.
        const auto& f = *started.outcome.failure;
        send_unprotected_notify(to, from, m.header, f.notify);
        Phase1Failure failure;
        failure.peer = from;
        failure.initiator_cookie = m.header.initiator_cookie;
        failure.reason = f.reason;
        failure.detail = f.detail;
        failure.notify = static_cast<std::uint16_t>(f.notify);
        callbacks.phase1_failed(failure);
        return;
    }
    make_room_for_half_open(from.address);
    auto& sa = new_sa(Role::Responder, mode, *policy, from, m.header.initiator_cookie);
    sa.local = to;
    sa.phase1 = std::make_unique<Phase1Task>(std::move(*started.task));
    if (!sa.lifecycle.handle(LifecycleEvent::Start))
        return;
    // The first message enters by the same door as the rest: its Outcome is
    // applied, its answer cached, and the commit sends it. Until the peer is
    // authenticated we never send by ourselves: the reply is resent only
    // when the request is (one datagram in, one out).
    inbound = Inbound{&sa, raw, from, 0, std::nullopt, false, std::nullopt, {}};
    bool accepted = false;
    try {
        accepted = apply(sa, std::move(started.outcome));
        accepted = accepted && apply(sa, sa.phase1->answer_first(phase1_context(sa)));
    } catch (...) {
        inbound = Inbound{};
        throw;
    }
    commit(sa, accepted);
}

bool Engine::Impl::phase1_process(IkeSa& sa, const codec::RawMessage& m)
{
    const auto exchange_mode =
        m.header.exchange_type == ExchangeType::Aggressive ? ExchangeMode::Aggressive : ExchangeMode::Main;
    if (exchange_mode != sa.mode || sa.established() || !sa.phase1)
        return false;
    return apply(sa, sa.phase1->on_message(phase1_context(sa), m));
}

bool Engine::Impl::apply(IkeSa& sa, Phase1Outcome out)
{
    if (!out.accepted)
        return false;
    if (out.responder_cookie) {
        sa.cky_r = *out.responder_cookie;
        sa.lifecycle.set_context(sa.name());
    }
    if (out.choice)
        sa.choice = std::move(out.choice);
    sa.peer_nat_t = sa.peer_nat_t || out.peer_nat_t;
    sa.peer_dpd = sa.peer_dpd || out.peer_dpd;
    if (out.keys) {
        sa.ivs.emplace(sa.choice->proposal.hash, sa.choice->proposal.encryption, out.keys->iv);
        sa.keys = std::move(out.keys);
    }
    if (out.nat_detected)
        sa.nat_detected = *out.nat_detected;
    if (out.float_to_nat_t)  // RFC 3947 4: our next message goes to the NAT-T port
        float_to_nat_t(sa, Endpoint{sa.peer.address, config.nat_t_port});
    if (out.peer) {
        sa.peer_id = std::move(out.peer->id);
        sa.peer_subject = std::move(out.peer->subject);
        sa.peer_ca = std::move(out.peer->ca);
    }
    if (out.failure) {
        fail_phase1(sa, out.failure->reason, std::move(out.failure->detail), out.failure->notify, true);
        return true;
    }
    if (out.initial_contact)
        initial_contact_received(sa);
    if (!out.send.empty()) {
        const auto bytes = build(sa, exchange_of(sa.mode), 0, out.send, out.encrypt);
        if (out.await_answer) {
            send(sa, bytes);
            arm(sa.rtx, bytes);
        } else {
            reply(sa, bytes);
        }
    }
    if (out.done)
        phase1_done(sa);
    return true;
}

void Engine::Impl::phase1_done(IkeSa& sa)
{
    adopt_phase1_iv(sa);
    // Every message using the exchange material is built: the task goes and
    // only the keys stay (an established SA's memory is what bounds how many
    // a responder holds).
    sa.phase1.reset();
    if (!sa.lifecycle.handle(LifecycleEvent::Phase1Done))
        return;
    contacted[sa.peer.address.to_uint()] = true;
    log->info("{} {} mode: phase 1 established, proposal {} lifetime {} s{}", sa.name(), to_string(sa.mode),
              sa.choice->proposal.name, sa.choice->lifetime_seconds, sa.floated ? ", NAT-T" : "");
    callbacks.phase1_up(info(sa));
    // A replacement SA retires the one it rekeyed.
    retire_rekeyed(sa);
    auto pending = std::move(sa.pending);
    sa.pending.clear();
    for (const auto& name : pending)
        if (const auto* p = ipsec_policy(name))
            start_quick_mode(sa, *p);
}

void Engine::Impl::initial_contact_received(IkeSa& sa)
{
    // RFC 2407 4.6.3.3: the peer has rebooted, so what it had with us is
    // gone. "The peer" is its authenticated identity at this address: hosts
    // behind one NAT or a concentrator share the address, not the identity,
    // and an SA still negotiating belongs to nobody yet.
    log->info("{}: INITIAL-CONTACT: removing older SAs of {}", sa.name(), sa.peer_id);
    for (auto& [c, other] : ike_sas)
        if (other.get() != &sa && other->peer.address == sa.peer.address && other->established() &&
            other->peer_id == sa.peer_id)
            kill(*other, DeleteReason::PeerDelete);
    for (std::size_t k = ipsec_sas.size(); k-- > 0;)
        if (ipsec_sas[k].info.peer.address == sa.peer.address && ipsec_sas[k].peer_id == sa.peer_id)
            remove_ipsec(k, DeleteReason::PeerDelete, false);
}

}  // namespace picsec::ike
