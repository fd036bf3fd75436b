// Engine entry points: datagram dispatch, message protection,
// snapshots. The exchanges live in phase1.cpp, quick_mode.cpp and
// informational.cpp, the clock in timers.cpp.
#include "engine_impl.h"

#include "picsec/ike/codec/payload_hash.h"

#include <botan/hex.h>
#include <spdlog/sinks/null_sink.h>

#include <algorithm>

namespace picsec::ike {

using detail::Bytes;
using detail::IkeSa;
using detail::LifecycleEvent;
using detail::LifecycleState;

const std::string& detail::IkeSa::name() const
{
    // Log lines and `who` strings name the SA several times per message; the
    // initiator cookie never changes, the responder cookie once (message 2).
    if (m_name.empty() || m_name_cky_r != cky_r || m_name_address != peer.address) {
        m_name = "peer " + peer.address.to_string() + " [" + to_hex(cky_i) + ":" + to_hex(cky_r) + "]";
        m_name_cky_r = cky_r;
        m_name_address = peer.address;
    }
    return m_name;
}

namespace detail {

std::string describe(DropCause c)
{
    switch (c) {
    case DropCause::None: return {};
    case DropCause::Undecryptable:
        return "; last dropped: an encrypted phase 1 message did not decrypt to payloads (pre-shared key mismatch?)";
    case DropCause::UnprotectedNotify: return "; last dropped: an unprotected error notify (keys existed, or not from the peer's port)";
    }
    return {};
}

std::string message_summary(bool encrypted, const std::vector<codec::RawPayload>& payloads)
{
    std::string s = encrypted ? "HDR*" : "HDR";
    for (const auto& p : payloads) {
        s += ", " + codec::short_name(p.type);
        if (p.type == codec::PayloadType::Notification) {
            // RFC 2408 3.14: the Notify Message Type names the event.
            if (auto n = codec::decode_body<codec::NotifyPayload>(p, codec::decode_notify, "Notify"))
                s += "(" + codec::to_string(n->notify_type) + ")";
        }
    }
    return s;
}

MessageEvent message_event(const Endpoint& local, const Endpoint& peer, const codec::Header& h, std::size_t length,
                           const std::vector<codec::RawPayload>& payloads)
{
    MessageEvent e;
    e.local = local;
    e.peer = peer;
    e.initiator_cookie = h.initiator_cookie;
    e.responder_cookie = h.responder_cookie;
    e.exchange = codec::to_string(h.exchange_type);
    e.message_id = h.message_id;
    e.encrypted = h.encryption;
    e.summary = message_summary(h.encryption, payloads);
    e.length = length;
    return e;
}

}  // namespace detail

Engine::Impl::Impl(EngineConfig c, Callbacks& cb, Botan::RandomNumberGenerator& r)
    : config(std::move(c)), callbacks(cb), rng(r), log(config.logger)
{
    if (!log)
        log = spdlog::default_logger();
    if (!log)
        log = std::make_shared<spdlog::logger>("picsec-ike", std::make_shared<spdlog::sinks::null_sink_mt>());
}

Bytes Engine::Impl::random_bytes(std::size_t n)
{
    Bytes b(n);
    rng.randomize(b.data(), b.size());
    return b;
}

const IkePolicy* Engine::Impl::ike_policy_for(const Ipv4Address& peer) const
{
    for (const auto& p : config.ike_policies)
        if (p.peer == peer)
            return &p;
    // A policy for 0.0.0.0 answers any peer that proves itself with a
    // certificate from a trusted CA (RFC 2409 5.1), so a new router needs no
    // change on the routers already enrolled.
    for (const auto& p : config.ike_policies)
        if (p.peer == Ipv4Address{} && p.authenticator)
            return &p;
    return nullptr;
}

const IpsecSaPolicy* Engine::Impl::ipsec_policy(std::string_view name) const
{
    for (const auto& p : config.ipsec_policies)
        if (p.name == name)
            return &p;
    return nullptr;
}

IkeSa* Engine::Impl::find_established(const Ipv4Address& peer)
{
    IkeSa* best = nullptr;
    for (auto& [c, sa] : ike_sas)
        if (sa->peer.address == peer && sa->lifecycle.state() == LifecycleState::Established &&
            (!best || sa->established_ms > best->established_ms))
            best = sa.get();
    if (best)
        return best;
    for (auto& [c, sa] : ike_sas)
        if (sa->peer.address == peer && sa->lifecycle.state() == LifecycleState::Rekeying)
            return sa.get();
    return nullptr;
}

IkeSa* Engine::Impl::find_any(const Ipv4Address& peer)
{
    for (auto& [c, sa] : ike_sas)
        if (sa->peer.address == peer && sa->lifecycle.state() == LifecycleState::Negotiating)
            return sa.get();
    return nullptr;
}

IkeSa& Engine::Impl::new_sa(Role role, ExchangeMode mode, const IkePolicy& policy, Endpoint peer, Cookie peer_cky_i)
{
    Cookie ck{};
    do {
        rng.randomize(ck.data(), ck.size());
    } while (ike_sas.count(ck) != 0 || ck == Cookie{});
    auto sa = std::make_unique<IkeSa>(log, "peer " + peer.address.to_string());
    sa->serial = next_serial++;
    sa->role = role;
    sa->mode = mode;
    sa->local = config.local;
    sa->peer = peer;
    sa->policy = &policy;
    sa->created_ms = now;
    sa->last_heard_ms = now;
    if (role == Role::Initiator) {
        sa->cky_i = ck;
    } else {
        sa->cky_i = peer_cky_i;
        sa->cky_r = ck;
    }
    auto& ref = *sa;
    ref.lifecycle.set_entry_action([this, &ref](LifecycleState s) { entered(ref, s); });
    // Every IKE SA is keyed by the initiator cookie (RFC 2408 2.5.3).
    ike_sas.emplace(sa->cky_i, std::move(sa));
    due.touch(ref.cky_i);
    if (role == Role::Responder)
        half_open.emplace_back(ref.cky_i, ref.serial);
    ref.lifecycle.set_context(ref.name());
    return ref;
}

Bytes Engine::Impl::build(IkeSa& sa, codec::ExchangeType ex, std::uint32_t msgid,
                          const std::vector<codec::RawPayload>& payloads, bool encrypt)
{
    codec::Header h;
    h.initiator_cookie = sa.cky_i;
    h.responder_cookie = sa.cky_r;
    h.next_payload = payloads.empty() ? codec::PayloadType::None : payloads.front().type;
    h.exchange_type = ex;
    h.encryption = encrypt;
    h.message_id = msgid;
    Bytes body = codec::encode_chain(payloads);
    if (encrypt) {
        const auto& cipher = sa.choice->proposal.encryption;
        // An answer continues the chain of the request being processed (RFC
        // 2409 App. B), which is not recorded until that request is accepted.
        const bool answers = inbound.sa == &sa && inbound.message_id == msgid && inbound.next_iv;
        const auto iv = answers ? *std::exchange(inbound.next_iv, std::nullopt) : sa.ivs->iv(msgid);
        auto res = crypto::encrypt_body(cipher, sa.keys->ka, iv, body);
        sa.ivs->update(msgid, res.next_iv);
        body = std::move(res.data);
    }
    codec::Writer w;
    codec::write_header(w, h, static_cast<std::uint32_t>(codec::header_size + body.size()));
    w.bytes(body);
    if (callbacks.wants_message_events())
        callbacks.message_sent(
            detail::message_event(sa.local, sa.peer, h, codec::header_size + body.size(), payloads));
    return w.take();
}

void Engine::Impl::send(IkeSa& sa, const Bytes& bytes)
{
    if (inbound.sa == &sa) {
        // Sent by commit(), from the endpoints the request leaves the SA with.
        inbound.sends.push_back(bytes);
        return;
    }
    if (sa.local.port == config.nat_t_port && config.nat_t_port != config.local.port) {
        // RFC 3948 2.2 / RFC 3947 4: IKE on the NAT-T port carries the non-ESP
        // marker, also for a responder SA whose first message came to that port.
        Bytes framed(4, 0);
        framed.insert(framed.end(), bytes.begin(), bytes.end());
        callbacks.send_datagram(sa.local, sa.peer, framed);
    } else {
        callbacks.send_datagram(sa.local, sa.peer, bytes);
    }
}

void Engine::Impl::reply(IkeSa& sa, const Bytes& bytes)
{
    sa.cache.remember(inbound.raw, bytes);
    send(sa, bytes);
}

void Engine::Impl::arm(detail::Retransmitter& rtx, const Bytes& bytes)
{
    rtx.arm(bytes, now, config.timers.retransmit_base_ms, config.timers.max_retries);
}

std::uint32_t Engine::Impl::new_message_id(const IkeSa& sa)
{
    std::uint32_t id = 0;
    while (id == 0 || sa.quick_modes.count(id) != 0 || sa.completed(id))
        rng.randomize(reinterpret_cast<std::uint8_t*>(&id), sizeof id);
    return id;
}

std::uint64_t Engine::Impl::rekey_time(std::uint64_t hard_at_ms, std::uint64_t life_ms)
{
    std::uint64_t jitter = 0;
    if (config.timers.rekey_jitter_ms > 0) {
        std::uint32_t r = 0;
        rng.randomize(reinterpret_cast<std::uint8_t*>(&r), sizeof r);
        jitter = r % (config.timers.rekey_jitter_ms + 1);
    }
    return hard_at_ms - std::min<std::uint64_t>(config.timers.rekey_margin_ms + jitter, life_ms * 9 / 10);
}

void Engine::Impl::adopt_phase1_iv(IkeSa& sa)
{
    if (inbound.sa == &sa && inbound.message_id == 0 && inbound.next_iv && sa.ivs)
        sa.ivs->update(0, *std::exchange(inbound.next_iv, std::nullopt));
}

void Engine::Impl::float_to_nat_t(IkeSa& sa, Endpoint peer)
{
    sa.floated = true;
    sa.local.port = config.nat_t_port;
    sa.peer = peer;
    log->info("{}: IKE moves to port {}, the peer at {}", sa.name(), config.nat_t_port, peer.to_string());
}

template <typename Visit>
void Engine::Impl::visit_index(std::vector<std::pair<Cookie, std::uint64_t>>& index, LifecycleState state, Visit visit)
{
    // An entry is live while its SA (same cookie and serial) still exists and
    // is in `state`; the others are dropped from the index as it is walked.
    auto keep = index.begin();
    for (auto it = index.begin(); it != index.end(); ++it) {
        const auto found = ike_sas.find(it->first);
        if (found == ike_sas.end() || found->second->serial != it->second || found->second->lifecycle.state() != state)
            continue;
        *keep++ = *it;
        visit(*found->second);
    }
    index.erase(keep, index.end());
}

void Engine::Impl::make_room_for_half_open(const Ipv4Address& peer)
{
    // A bogus first message costs the responder one SA until it times out;
    // bounding the table and dropping the oldest half-open SA first keeps a
    // flood from locking legitimate initiators out (RFC 2408 2.5.3).
    std::size_t total = 0, from_peer = 0;
    IkeSa* oldest_total = nullptr;
    IkeSa* oldest_peer = nullptr;
    // Age by serial, not created_ms: a flood arrives within one millisecond,
    // and the table's cookie order must not decide who goes. The index is in
    // serial order, so the first match is the oldest.
    visit_index(half_open, LifecycleState::Negotiating, [&](IkeSa& s) {
        ++total;
        if (!oldest_total)
            oldest_total = &s;
        if (s.peer.address == peer) {
            ++from_peer;
            if (!oldest_peer)
                oldest_peer = &s;
        }
    });
    IkeSa* victim = nullptr;
    if (from_peer >= config.max_half_open_per_peer)
        victim = oldest_peer;
    else if (total >= config.max_half_open)
        victim = oldest_total;
    if (!victim)
        return;
    if (victim->lifecycle.handle(LifecycleEvent::Phase1Failed))
        log->info("{}: half-open table full ({} from this peer, {} in total), dropped the oldest", victim->name(),
                  from_peer, total);
}

void Engine::Impl::retire_rekeyed(IkeSa& sa)
{
    // Only SAs that entered Rekeying (SoftExpire) can be retired; the index
    // drops the ones that have left that state. Victims go in table (cookie)
    // order, as a walk over the table would take them.
    std::vector<IkeSa*> victims;
    visit_index(rekeying, LifecycleState::Rekeying, [&](IkeSa& other) {
        if (&other != &sa && other.peer.address == sa.peer.address)
            victims.push_back(&other);
    });
    std::sort(victims.begin(), victims.end(), [](const IkeSa* a, const IkeSa* b) { return a->cky_i < b->cky_i; });
    for (IkeSa* other : victims) {
        // What the old SA carried goes on with its replacement: the SAs
        // waiting for it, and the Quick Modes we started on it (a rekey in
        // flight; its Quick Mode dies with the old SA, so it starts again).
        auto carry = [&](const std::string& name) {
            if (std::find(sa.pending.begin(), sa.pending.end(), name) == sa.pending.end())
                sa.pending.push_back(name);
        };
        for (const auto& [id, qm] : other->quick_modes)
            if (qm.task.role() == Role::Initiator)
                carry(qm.task.sa_name());
        for (const auto& name : other->pending)
            carry(name);
        other->pending.clear();
        send_delete_ike(*other);
        kill(*other, DeleteReason::Rekeyed);
    }
}

void Engine::Impl::fail_phase1(IkeSa& sa, FailureReason reason, std::string why, codec::NotifyType notify,
                               bool tell_peer)
{
    log->warn("{} {} mode: phase 1 failed: {}: {}", sa.name(), to_string(sa.mode), to_string(reason), why);
    if (tell_peer) {
        codec::Header about;
        about.initiator_cookie = sa.cky_i;
        about.responder_cookie = sa.cky_r;
        // RFC 2409 5.7: once the peer has shown it holds our keys (its
        // encrypted message decrypted), the error goes in a protected
        // Informational, the only kind a peer with keys accepts (strongSwan
        // drops an unprotected one). Otherwise, e.g. a pre-shared key
        // mismatch, the peer cannot read it protected: it goes in the clear.
        const bool peer_has_keys = sa.peer_has_keys || (inbound.sa == &sa && inbound.decrypted);
        if (peer_has_keys && sa.keys && sa.ivs) {
            adopt_phase1_iv(sa);
            send_notify(sa, notify, codec::ProtocolId::Isakmp, {}, {});
        } else {
            send_unprotected_notify(sa.local, sa.peer, about, notify);
        }
    }
    Phase1Failure f;
    f.peer = sa.peer;
    f.initiator_cookie = sa.cky_i;
    f.responder_cookie = sa.cky_r;
    f.reason = reason;
    f.detail = std::move(why);
    f.notify = static_cast<std::uint16_t>(notify);
    if (!sa.lifecycle.handle(LifecycleEvent::Phase1Failed))
        return;
    callbacks.phase1_failed(f);
    for (const auto& name : sa.pending) {
        Phase2Failure p2;
        p2.name = name;
        p2.peer = sa.peer;
        p2.reason = reason;
        p2.detail = "phase 1 failed";
        callbacks.phase2_failed(p2);
    }
    sa.pending.clear();
}

void Engine::Impl::entered(IkeSa& sa, LifecycleState s)
{
    // Runs inside the machine's transition: it must not ask the machine for
    // its state or feed it events.
    due.touch(sa.cky_i);  // its timers change with its state
    switch (s) {
    case LifecycleState::Idle: break;
    case LifecycleState::Negotiating:
        if (sa.role == Role::Responder)
            sa.half_open_deadline_ms = now + config.timers.half_open_timeout_ms;
        break;
    case LifecycleState::Established: {
        sa.rtx.disarm();  // our last phase-1 message needs no more retransmission
        sa.established_ms = now;
        sa.half_open_deadline_ms = 0;
        sa.last_drop = detail::DropCause::None;
        const std::uint64_t life_ms = std::uint64_t{sa.choice->lifetime_seconds} * 1000;
        sa.hard_at_ms = now + life_ms;
        if (sa.role == Role::Initiator)
            sa.rekey_at_ms = rekey_time(sa.hard_at_ms, life_ms);
        sa.dpd_next_ms = config.timers.dpd_interval_ms ? now + config.timers.dpd_interval_ms : 0;
        break;
    }
    case LifecycleState::Rekeying:
        // The soft lifetime (minus jitter) has passed: negotiate the replacement.
        log->info("{}: IKE SA soft lifetime reached, rekeying phase 1", sa.name());
        rekeying.emplace_back(sa.cky_i, sa.serial);
        start_phase1(*sa.policy,
                     Endpoint{sa.peer.address, sa.policy->peer_port ? sa.policy->peer_port : config.local.port}, {});
        break;
    case LifecycleState::Dead:
        dead.emplace_back(sa.cky_i, sa.serial);
        sa.rtx.disarm();
        sa.phase1.reset();
        for (auto& [id, qm] : sa.quick_modes)
            qm.rtx.disarm();
        sa.quick_modes.clear();
        break;
    }
}

void Engine::Impl::kill(IkeSa& sa, DeleteReason reason)
{
    const bool was_up = sa.established();
    if (!sa.lifecycle.handle(reason == DeleteReason::PeerDead ? LifecycleEvent::PeerDead : LifecycleEvent::Delete))
        return;
    if (was_up) {
        log->info("{}: IKE SA deleted ({})", sa.name(), to_string(reason));
        callbacks.ike_sa_deleted(info(sa), reason);
    }
}

IkeSaInfo Engine::Impl::info(const IkeSa& sa) const
{
    IkeSaInfo i;
    i.local = sa.local;
    i.peer = sa.peer;
    i.initiator_cookie = sa.cky_i;
    i.responder_cookie = sa.cky_r;
    i.role = sa.role;
    i.state = detail::snapshot_state(sa.lifecycle.state());
    i.mode = sa.mode;
    if (sa.choice) {
        i.proposal = sa.choice->proposal;
        i.proposal->lifetime_seconds = sa.choice->lifetime_seconds;
    }
    i.lifetime_remaining_ms = sa.hard_at_ms > now ? sa.hard_at_ms - now : 0;
    i.nat_traversal = sa.floated;
    i.nat_detected = sa.nat_detected;
    i.peer_identity = sa.peer_id;
    i.peer_certificate_subject = sa.peer_subject;
    i.peer_certificate_ca = sa.peer_ca;
    return i;
}

bool Engine::Impl::initiate(std::string_view name)
{
    const auto* p = ipsec_policy(name);
    if (!p)
        return false;
    if (const auto* ike = ike_policy_for(p->peer); ike && ike->version == IkeVersion::V2) {
        // IKEv2: CREATE_CHILD_SA on an established IKE SA, else IKE_AUTH of a
        // new one (unless one is already being set up for this SA).
        if (auto* sa = v2_find_established(p->peer)) {
            v2_start_child(*sa, *p);
            return true;
        }
        // One IKE SA per peer: while our IKE_SA_INIT / IKE_AUTH with the peer
        // is in flight, another Child SA waits for it and comes up by
        // CREATE_CHILD_SA (a second IKE SA would send INITIAL_CONTACT too,
        // and the peer would delete the first, RFC 7296 2.4).
        for (const auto& [spi, sa] : v2_sas) {
            if (sa->role != Role::Initiator || sa->peer.address != p->peer ||
                sa->lifecycle.state() != LifecycleState::Negotiating)
                continue;
            if ((!sa->task || sa->task->child_policy() != p) &&
                std::find(sa->pending.begin(), sa->pending.end(), p->name) == sa->pending.end())
                sa->pending.push_back(p->name);
            return true;
        }
        v2_start(*ike, *p);
        return true;
    }
    if (auto* sa = find_established(p->peer)) {
        start_quick_mode(*sa, *p);
        return true;
    }
    if (auto* sa = find_any(p->peer)) {
        if (std::find(sa->pending.begin(), sa->pending.end(), p->name) == sa->pending.end())
            sa->pending.push_back(p->name);
        return true;
    }
    const auto* ike = ike_policy_for(p->peer);
    if (!ike) {
        log->warn("ipsec SA {}: no IKE policy for peer {}", p->name, p->peer.to_string());
        Phase2Failure f;
        f.name = p->name;
        f.peer = Endpoint{p->peer, config.local.port};
        f.reason = FailureReason::NoPolicy;
        f.detail = "no IKE policy for peer " + p->peer.to_string();
        callbacks.phase2_failed(f);
        return false;
    }
    start_phase1(*ike, Endpoint{p->peer, ike->peer_port ? ike->peer_port : config.local.port}, p->name);
    return true;
}

}  // namespace picsec::ike
