// Engine entry points: datagram dispatch, message protection, timers,
// snapshots. The exchanges live in phase1.cpp, quick_mode.cpp, informational.cpp.
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

std::string_view to_string(Role r)
{
    switch (r) {
    case Role::Initiator: return "initiator";
    case Role::Responder: return "responder";
    }
    return "?";
}

std::string_view to_string(IkeSaState s)
{
    switch (s) {
    case IkeSaState::Negotiating: return "negotiating";
    case IkeSaState::Established: return "established";
    case IkeSaState::Rekeying: return "rekeying";
    case IkeSaState::Dead: return "dead";
    }
    return "?";
}

std::string_view to_string(InstallResult::Status s)
{
    switch (s) {
    case InstallResult::Status::Installed: return "installed";
    case InstallResult::Status::AdmissionLimit: return "admission limit";
    case InstallResult::Status::Rejected: return "rejected";
    }
    return "?";
}

std::string_view to_string(FailureReason r)
{
    switch (r) {
    case FailureReason::NoProposalChosen: return "no proposal chosen";
    case FailureReason::AuthenticationFailed: return "authentication failed";
    case FailureReason::Timeout: return "timeout";
    case FailureReason::PeerNotify: return "peer notify";
    case FailureReason::AdmissionLimit: return "admission limit";
    case FailureReason::InstallFailed: return "install failed";
    case FailureReason::NoPolicy: return "no policy";
    case FailureReason::Internal: return "internal error";
    }
    return "?";
}

std::string_view to_string(DeleteReason r)
{
    switch (r) {
    case DeleteReason::PeerDelete: return "peer delete";
    case DeleteReason::LocalClear: return "local clear";
    case DeleteReason::HardExpiry: return "hard expiry";
    case DeleteReason::Rekeyed: return "rekeyed";
    case DeleteReason::PeerDead: return "peer dead";
    }
    return "?";
}

std::string ClientId::to_string() const { return address.to_string() + "/" + std::to_string(prefix_length); }

bool ClientId::contains(const ClientId& other) const {
    if (other.prefix_length < prefix_length || prefix_length > 32) return false;
    const std::uint32_t mask = prefix_length == 0 ? 0 : ~std::uint32_t{0} << (32 - prefix_length);
    return (address.to_uint() & mask) == (other.address.to_uint() & mask);
}

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
    // Every IKE SA is keyed by the initiator cookie (RFC 2408 2.5.3).
    ike_sas.emplace(sa->cky_i, std::move(sa));
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
        const auto iv = sa.ivs->iv(msgid);
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
    if (sa.floated) {
        // RFC 3948 2.2 / RFC 3947 4: IKE on the NAT-T port carries the non-ESP marker.
        Bytes framed(4, 0);
        framed.insert(framed.end(), bytes.begin(), bytes.end());
        callbacks.send_datagram(sa.local, sa.peer, framed);
    } else {
        callbacks.send_datagram(sa.local, sa.peer, bytes);
    }
}

void Engine::Impl::reply(IkeSa& sa, const Bytes& bytes)
{
    sa.cache.remember(current_request, bytes);
    send(sa, bytes);
}

void Engine::Impl::received(std::span<const std::uint8_t> bytes, Endpoint from, Endpoint to)
{
    if (to.port == config.nat_t_port && to.port != config.local.port) {
        // RFC 3948 2.2: a non-ESP marker (4 zero octets) precedes IKE; anything else is ESP, not ours.
        if (bytes.size() < 4 || bytes[0] != 0 || bytes[1] != 0 || bytes[2] != 0 || bytes[3] != 0)
            return;
        bytes = bytes.subspan(4);
    }
    if (bytes.size() < codec::header_size) {
        log->debug("from {}: datagram too short for an ISAKMP header ({} bytes), dropped", from.to_string(),
                   bytes.size());
        return;
    }
    codec::Reader r(bytes, "ISAKMP header");
    const codec::Header h = codec::read_header(r);
    if (!r.ok()) {
        log->debug("from {}: bad ISAKMP header: {}, dropped", from.to_string(), codec::to_string(r.error()));
        return;
    }
    if (h.length != bytes.size()) {
        log->debug("from {}: ISAKMP length {} but datagram {} bytes, dropped", from.to_string(), h.length,
                   bytes.size());
        return;
    }
    const std::span<const std::uint8_t> raw = bytes;
    auto it = ike_sas.find(h.initiator_cookie);
    if (it == ike_sas.end()) {
        // No state before a valid first message (RFC 2408 2.5.3 / anti-clogging).
        const bool first = h.responder_cookie == Cookie{} && h.message_id == 0 && !h.encryption &&
                           (h.exchange_type == codec::ExchangeType::IdentityProtection ||
                            h.exchange_type == codec::ExchangeType::Aggressive);
        if (!first) {
            log->debug("from {}: {} for no known IKE SA [{}:{}], dropped", from.to_string(),
                       codec::to_string(h.exchange_type), to_hex(h.initiator_cookie), to_hex(h.responder_cookie));
            return;
        }
        auto chain = codec::split_chain(h.next_payload, bytes.subspan(codec::header_size), false);
        if (!chain) {
            log->info("from {}: malformed first message: {}, dropped", from.to_string(),
                      codec::to_string(chain.error()));
            return;
        }
        codec::RawMessage m{h, std::move(chain.value())};
        if (callbacks.wants_message_events())
            callbacks.message_received(detail::message_event(to, from, h, bytes.size(), m.payloads));
        phase1_respond_first(m, bytes, from, to);
        return;
    }
    IkeSa& sa = *it->second;
    if (sa.peer.address != from.address || sa.lifecycle.state() == LifecycleState::Dead)
        return;
    // Duplicate detection: a repeated request gets our cached answer (RFC 2409 5).
    if (const auto* cached = sa.cache.lookup(raw)) {
        log->info("{}: retransmitted {} message, resending our last reply", sa.name(),
                  codec::to_string(h.exchange_type));
        send(sa, *cached);
        return;
    }
    if (auto qm = sa.quick_modes.find(h.message_id); h.message_id != 0 && qm != sa.quick_modes.end()) {
        if (const auto* cached = qm->second.cache.lookup(raw)) {
            log->info("{}: retransmitted quick mode 1 (M-ID {:08x}), resending quick mode 2", sa.name(),
                      h.message_id);
            send(sa, *cached);
            return;
        }
    }
    if (std::ranges::equal(raw, sa.last_received)) {
        log->debug("{}: duplicate message ignored", sa.name());
        return;
    }
    if (sa.cky_r != Cookie{} && h.responder_cookie != sa.cky_r) {
        log->debug("{}: responder cookie {} does not match, dropped", sa.name(), to_hex(h.responder_cookie));
        return;
    }
    auto body = bytes.subspan(codec::header_size);
    Bytes plain;
    std::optional<Bytes> previous_iv;
    if (h.encryption) {
        if (!sa.keys || !sa.ivs) {
            log->debug("{}: encrypted message before keys exist, dropped", sa.name());
            return;
        }
        try {
            const bool known_chain = h.message_id == 0 || sa.quick_modes.count(h.message_id) != 0;
            const auto iv = sa.ivs->iv(h.message_id);
            if (known_chain)
                previous_iv = iv;
            auto res = crypto::decrypt_body(sa.choice->proposal.encryption, sa.keys->ka, iv, body);
            plain = std::move(res.data);
            sa.ivs->update(h.message_id, res.next_iv);
        } catch (const std::exception& e) {
            log->info("{}: cannot decrypt {}: {}, dropped", sa.name(), codec::to_string(h.exchange_type), e.what());
            return;
        }
        body = plain;
    }
    auto chain = codec::split_chain(h.next_payload, body, h.encryption);
    auto restore_iv = [&] {
        if (!h.encryption || !sa.ivs)
            return;
        if (previous_iv)
            sa.ivs->update(h.message_id, *previous_iv);
        else
            sa.ivs->forget(h.message_id);
    };
    if (!chain) {
        log->info("{}: malformed {}: {}, dropped", sa.name(), codec::to_string(h.exchange_type),
                  codec::to_string(chain.error()));
        restore_iv();
        // An undecodable encrypted phase-1 message means the peer derived other
        // keys: almost always a pre-shared key mismatch (RFC 2409 5.4).
        if (h.encryption && h.message_id == 0 && sa.lifecycle.state() == LifecycleState::Negotiating)
            fail_phase1(sa, FailureReason::AuthenticationFailed,
                        "encrypted phase 1 message does not decrypt to payloads (pre-shared key mismatch?)",
                        codec::NotifyType::PayloadMalformed, true);
        return;
    }
    codec::RawMessage m{h, std::move(chain.value())};
    if (callbacks.wants_message_events())
        callbacks.message_received(detail::message_event(to, from, h, bytes.size(), m.payloads));
    sa.peer_has_keys = sa.peer_has_keys || h.encryption;
    current_request = raw;
    struct ClearRequest {
        std::span<const std::uint8_t>& request;
        ~ClearRequest() { request = {}; }
    } clear_request{current_request};
    // RFC 3947 4: the responder follows the initiator to the NAT-T port, and
    // answers this very message from there; undone if the message is refused.
    const bool floats = to.port == config.nat_t_port && !sa.floated && config.nat_t_port != config.local.port;
    const Endpoint local_before = sa.local, peer_before = sa.peer;
    if (floats) {
        sa.floated = true;
        sa.local.port = config.nat_t_port;
        sa.peer = from;
    }
    bool ok = false;
    switch (h.exchange_type) {
    case codec::ExchangeType::IdentityProtection:
    case codec::ExchangeType::Aggressive:
        ok = h.message_id == 0 && phase1_process(sa, m);
        break;
    case codec::ExchangeType::QuickMode: ok = sa.established() && quick_mode_process(sa, m); break;
    case codec::ExchangeType::Informational: ok = informational_process(sa, m); break;
    case codec::ExchangeType::None:
    case codec::ExchangeType::Base:
    case codec::ExchangeType::AuthenticationOnly:
    case codec::ExchangeType::Transaction:
    case codec::ExchangeType::NewGroupMode:
        log->info("{}: unsupported exchange {}, dropped", sa.name(), codec::to_string(h.exchange_type));
        break;
    }
    if (!ok) {
        restore_iv();
        if (floats) {
            sa.floated = false;
            sa.local = local_before;
            sa.peer = peer_before;
        }
        return;
    }
    sa.last_received.assign(raw.begin(), raw.end());
    sa.last_heard_ms = now;
    sa.dpd_outstanding = 0;
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
    log->info("{}: half-open table full ({} from this peer, {} in total), dropping the oldest", victim->name(),
              from_peer, total);
    victim->rtx.disarm();
    victim->lifecycle.handle(LifecycleEvent::Phase1Failed);
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
        if (sa.peer_has_keys && sa.keys && sa.ivs)
            send_notify(sa, notify, codec::ProtocolId::Isakmp, {}, {});
        else
            send_unprotected_notify(sa.local, sa.peer, about, notify);
    }
    Phase1Failure f;
    f.peer = sa.peer;
    f.initiator_cookie = sa.cky_i;
    f.responder_cookie = sa.cky_r;
    f.reason = reason;
    f.detail = std::move(why);
    f.notify = static_cast<std::uint16_t>(notify);
    sa.rtx.disarm();
    sa.lifecycle.handle(LifecycleEvent::Phase1Failed);
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

void Engine::Impl::kill(IkeSa& sa, DeleteReason reason)
{
    const bool was_up = sa.established();
    sa.rtx.disarm();
    for (auto& [id, qm] : sa.quick_modes)
        qm.rtx.disarm();
    sa.quick_modes.clear();
    sa.lifecycle.handle(reason == DeleteReason::PeerDead ? LifecycleEvent::PeerDead : LifecycleEvent::Delete);
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
    switch (sa.lifecycle.state()) {
    case LifecycleState::Idle:
    case LifecycleState::Negotiating: i.state = IkeSaState::Negotiating; break;
    case LifecycleState::Established: i.state = IkeSaState::Established; break;
    case LifecycleState::Rekeying: i.state = IkeSaState::Rekeying; break;
    case LifecycleState::Dead: i.state = IkeSaState::Dead; break;
    }
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

void Engine::Impl::on_tick()
{
    if (!started) {
        started = true;
        for (const auto& p : config.ipsec_policies)
            if (p.initiate_on_start)
                initiate(p.name);
    }
    // IKE SAs: retransmission, half-open expiry, lifetimes, DPD.
    std::vector<IkeSa*> all;
    for (auto& [c, sa] : ike_sas)
        all.push_back(sa.get());
    for (IkeSa* sa : all) {
        if (sa->lifecycle.state() == LifecycleState::Dead)
            continue;
        switch (sa->rtx.on_tick(now)) {
        case detail::Retransmitter::Action::Nothing: break;
        case detail::Retransmitter::Action::Resend:
            log->info("{}: no answer, retransmitting ({} of {})", sa->name(), sa->rtx.retries(),
                      config.timers.max_retries);
            send(*sa, sa->rtx.message());
            break;
        case detail::Retransmitter::Action::GiveUp:
            if (!sa->established())
                fail_phase1(*sa, FailureReason::Timeout,
                            "peer silent after " + std::to_string(config.timers.max_retries) + " retransmissions",
                            codec::NotifyType::InvalidPayloadType, false);
            break;
        }
        if (sa->lifecycle.state() == LifecycleState::Negotiating && sa->role == Role::Responder &&
            sa->half_open_deadline_ms != 0 && now >= sa->half_open_deadline_ms && !sa->rtx.armed()) {
            log->info("{}: half-open phase 1 timed out", sa->name());
            sa->lifecycle.handle(LifecycleEvent::Phase1Failed);
            continue;
        }
        // Quick Mode retransmission.
        std::vector<std::uint32_t> give_up;
        for (auto& [id, qm] : sa->quick_modes) {
            switch (qm.rtx.on_tick(now)) {
            case detail::Retransmitter::Action::Nothing: break;
            case detail::Retransmitter::Action::Resend:
                log->info("{} quick mode {:08x}: no answer, retransmitting ({})", sa->name(), id, qm.rtx.retries());
                send(*sa, qm.rtx.message());
                break;
            case detail::Retransmitter::Action::GiveUp: give_up.push_back(id); break;
            }
        }
        for (auto id : give_up) {
            auto& qm = sa->quick_modes.at(id);
            log->warn("{} quick mode {:08x}: phase 2 for {} failed: peer silent", sa->name(), id, qm.sa_name);
            if (qm.installed) {
                for (std::size_t i = ipsec_sas.size(); i-- > 0;)
                    if (ipsec_sas[i].info.inbound_spi == qm.our_spi)
                        remove_ipsec(i, DeleteReason::LocalClear, false);
            }
            Phase2Failure f;
            f.name = qm.sa_name;
            f.peer = sa->peer;
            f.reason = FailureReason::Timeout;
            f.detail = "peer silent in quick mode";
            sa->quick_modes.erase(id);
            callbacks.phase2_failed(f);
        }
        if (!sa->established())
            continue;
        if (sa->hard_at_ms != 0 && now >= sa->hard_at_ms) {
            log->info("{}: IKE SA lifetime expired", sa->name());
            send_delete_ike(*sa);
            kill(*sa, DeleteReason::HardExpiry);
            continue;
        }
        if (sa->lifecycle.state() == LifecycleState::Established && sa->role == Role::Initiator &&
            sa->rekey_at_ms != 0 && now >= sa->rekey_at_ms) {
            log->info("{}: IKE SA soft lifetime reached, rekeying phase 1", sa->name());
            sa->lifecycle.handle(LifecycleEvent::SoftExpire);
            rekeying.emplace_back(sa->cky_i, sa->serial);
            start_phase1(*sa->policy,
                         Endpoint{sa->peer.address, sa->policy->peer_port ? sa->policy->peer_port : config.local.port},
                         {});
        }
        dpd_tick(*sa);
    }
    // IPsec SAs: rekey (initiator) and hard expiry.
    for (std::size_t i = ipsec_sas.size(); i-- > 0;) {
        auto& rec = ipsec_sas[i];
        if (now >= rec.hard_at_ms) {
            log->info("ipsec SA {} peer {} SPI {:08x}/{:08x}: lifetime expired", rec.info.name,
                      rec.info.peer.address.to_string(), rec.info.inbound_spi, rec.info.outbound_spi);
            remove_ipsec(i, DeleteReason::HardExpiry, true);
            continue;
        }
        if (rec.role == Role::Initiator && !rec.rekey_started && now >= rec.rekey_at_ms) {
            rec.rekey_started = true;
            log->info("ipsec SA {} peer {}: soft lifetime reached, rekeying", rec.info.name,
                      rec.info.peer.address.to_string());
            const std::string name = rec.info.name;
            initiate(name);
        }
    }
    // Reap dead IKE SAs.
    for (auto it = ike_sas.begin(); it != ike_sas.end();) {
        if (it->second->lifecycle.state() == LifecycleState::Dead)
            it = ike_sas.erase(it);
        else
            ++it;
    }
}

// ---- public API -------------------------------------------------------------

Engine::Engine(EngineConfig config, Callbacks& callbacks, Botan::RandomNumberGenerator& rng)
    : m_impl(std::make_unique<Impl>(std::move(config), callbacks, rng))
{
}

Engine::~Engine() = default;

void Engine::received_datagram(std::span<const std::uint8_t> bytes, Endpoint from, Endpoint to)
{
    try {
        m_impl->received(bytes, from, to);
    } catch (const std::exception& e) {
        // Hostile input never crashes the engine: anything unforeseen drops the datagram.
        m_impl->log->warn("from {}: datagram dropped: {}", from.to_string(), e.what());
    }
}

void Engine::tick(std::uint64_t now_ms)
{
    m_impl->now = std::max(m_impl->now, now_ms);
    m_impl->on_tick();
}

bool Engine::initiate(std::string_view name) { return m_impl->initiate(name); }

void Engine::clear_ike(const Ipv4Address& peer)
{
    for (auto& [c, sa] : m_impl->ike_sas) {
        if (sa->peer.address != peer || sa->lifecycle.state() == LifecycleState::Dead)
            continue;
        if (sa->established())
            m_impl->send_delete_ike(*sa);
        m_impl->kill(*sa, DeleteReason::LocalClear);
    }
}

void Engine::clear_ipsec(std::string_view name)
{
    auto& sas = m_impl->ipsec_sas;
    for (std::size_t i = sas.size(); i-- > 0;)
        if (name.empty() || sas[i].info.name == name)
            m_impl->remove_ipsec(i, DeleteReason::LocalClear, true);
}

std::vector<IkeSaInfo> Engine::ike_security_associations() const
{
    std::vector<IkeSaInfo> out;
    for (const auto& [c, sa] : m_impl->ike_sas)
        if (sa->lifecycle.state() != LifecycleState::Dead)
            out.push_back(m_impl->info(*sa));
    return out;
}

std::vector<IpsecSaInfo> Engine::ipsec_security_associations() const
{
    std::vector<IpsecSaInfo> out;
    for (const auto& rec : m_impl->ipsec_sas) {
        auto i = rec.info;
        i.lifetime_remaining_ms = rec.hard_at_ms > m_impl->now ? rec.hard_at_ms - m_impl->now : 0;
        out.push_back(std::move(i));
    }
    return out;
}

std::vector<IkeKeyExport> Engine::export_ike_keys() const
{
    std::vector<IkeKeyExport> out;
    if (!m_impl->config.log_keys)
        return out;
    for (const auto& [c, sa] : m_impl->ike_sas)
        if (sa->keys)
            out.push_back(IkeKeyExport{sa->cky_i, sa->cky_r, sa->keys->ka});
    return out;
}

}  // namespace picsec::ike
