// IKEv2 in the engine: a datagram's way to the task or the INFORMATIONAL
// handler of its IKE SA, the message-ID window (RFC 7296 2.3), and the
// commit of an accepted Outcome. A dropped message changes nothing.
#include "../../exchange/engine_impl.h"
#include "events_v2.h"

#include "picsec/ike/v2/crypto/cookie.h"
#include "picsec/ike/v2/header.h"
#include "picsec/ike/v2/message.h"
#include "picsec/ike/v2/raw_payload.h"

#include <fmt/format.h>

#include <utility>

namespace picsec::ike {

using detail::Bytes;
using detail::LifecycleEvent;
using detail::LifecycleState;
namespace c2 = picsec::ike::v2;
namespace k2 = picsec::ike::v2::crypto;
using V2Sa = detail::v2::IkeSa;

std::string detail::v2::IkeSa::name() const {
    return "peer " + peer.address.to_string() + " [" + to_hex(spi_i) + ":" + to_hex(spi_r) + "] ikev2";
}

namespace {

std::string exchange_name(std::uint8_t e) { return c2::name(static_cast<c2::ExchangeType>(e)); }

std::optional<std::uint32_t> message_id_of(const Bytes& datagram) {
    auto h = c2::decode_header(datagram);
    if (!h) return std::nullopt;
    return h.value().message_id;
}

}  // namespace

detail::v2::AuthContext Engine::Impl::v2_context(const V2Sa& sa, Endpoint local, Endpoint peer) {
    const bool first_contact =
        config.send_initial_contact && sa.role == Role::Initiator && !v2_find_established(peer.address);
    return detail::v2::AuthContext{*sa.policy,    local, peer,      config.ipsec_policies, config.force_nat_t,
                                   first_contact, rng,   *log,      sa.name(),             config.fragment_size};
}

void Engine::Impl::v2_send_from(Endpoint local, Endpoint peer, const Bytes& bytes) {
    if (local.port == config.nat_t_port && config.nat_t_port != config.local.port) {
        // RFC 7296 2.23: IKE on the NAT-T port carries the non-ESP marker.
        Bytes framed(4, 0);
        framed.insert(framed.end(), bytes.begin(), bytes.end());
        callbacks.send_datagram(local, peer, framed);
    } else {
        callbacks.send_datagram(local, peer, bytes);
    }
}

void Engine::Impl::v2_send(V2Sa& sa, const Bytes& bytes) { v2_send_from(sa.local, sa.peer, bytes); }

void Engine::Impl::v2_send_all(V2Sa& sa, const detail::v2::Datagrams& datagrams) {
    for (const auto& d : datagrams) v2_send(sa, d);
}

void Engine::Impl::v2_remember(V2Sa& sa, const c2::Header* h, std::span<const std::uint8_t> raw,
                               detail::v2::Datagrams response) {
    // RFC 7383 2.6.1: a request that came in fragments is known again by its
    // first fragment, not by the bytes of the one that completed it.
    const bool fragmented = h && h->next == c2::PayloadType::Skf;
    sa.cache.remember_all(fragmented ? std::span<const std::uint8_t>() : raw, std::move(response));
}

std::size_t Engine::Impl::v2_message_limit(const V2Sa& sa) const {
    return sa.sa && sa.sa->fragmentation ? detail::v2::message_limit(config.fragment_size) : 0;
}

V2Sa* Engine::Impl::v2_find(std::uint64_t serial) {
    const auto ours = v2_index.by_serial(serial);
    const auto it = ours ? v2_sas.find(*ours) : v2_sas.end();
    return it != v2_sas.end() && it->second->lifecycle.state() != LifecycleState::Dead ? it->second.get() : nullptr;
}

V2Sa* Engine::Impl::v2_find_established(const Ipv4Address& peer) {
    for (auto& [spi, sa] : v2_sas)
        if (sa->peer.address == peer && sa->established()) return sa.get();
    return nullptr;
}

void Engine::Impl::v2_received(std::span<const std::uint8_t> bytes, Endpoint from, Endpoint to) {
    auto header = c2::decode_header(bytes);
    if (!header) {
        log->debug("from {}: {}, dropped", from.to_string(), c2::to_string(header.error()));
        return;
    }
    const c2::Header& h = header.value();
    // The original initiator sets I (RFC 7296 3.1): then the SA is ours as responder, named by SPIr.
    const bool from_initiator = h.initiator;
    if (from_initiator && h.spi_r == c2::IkeSpi{}) {
        // A repeated IKE_SA_INIT request is answered from the SA it created.
        if (const auto ours = v2_index.responder_for(h.spi_i, from.address.to_uint())) {
            if (const auto it = v2_sas.find(*ours); it != v2_sas.end()) {
                V2Sa& sa = *it->second;
                if (const auto* cached = sa.cache.lookup_all(bytes)) {
                    log->info("{}: retransmitted IKE_SA_INIT, resending our response", sa.name());
                    v2_send_all(sa, *cached);
                }
                return;
            }
        }
        v2_respond_first(h, bytes, from, to);
        return;
    }
    auto it = v2_sas.find(from_initiator ? h.spi_r : h.spi_i);
    if (it == v2_sas.end()) {
        log->debug("from {}: {} for no known IKEv2 SA [{}:{}], dropped", from.to_string(), exchange_name(h.exchange),
                   to_hex(h.spi_i), to_hex(h.spi_r));
        return;
    }
    v2_received_for(*it->second, h, bytes, from, to);
}

void Engine::Impl::v2_respond_first(const c2::Header& h, std::span<const std::uint8_t> raw, Endpoint from,
                                    Endpoint to) {
    // No state before a valid IKE_SA_INIT request (RFC 7296 2.6).
    if (static_cast<c2::ExchangeType>(h.exchange) != c2::ExchangeType::IkeSaInit || h.response || h.message_id != 0) {
        log->debug("from {}: {} without a responder SPI, dropped", from.to_string(), exchange_name(h.exchange));
        return;
    }
    const IkePolicy* policy = ike_policy_for(from.address);
    if (!policy || policy->version != IkeVersion::V2) {
        log->info("from {}: IKE_SA_INIT, but no IKEv2 policy for this peer{}, dropped", from.to_string(),
                  policy ? " (its policy says version 1)" : "");
        return;
    }
    if (!first_message_allowed(from.address, *policy)) return;
    auto chain = c2::split_chain(h.next, raw.subspan(c2::header_size));
    if (!chain) {
        log->info("from {}: malformed IKE_SA_INIT: {}, dropped", from.to_string(), c2::to_string(chain.error()));
        return;
    }
    std::vector<c2::Payload> payloads;
    for (const auto& p : chain.value().payloads) {
        auto d = c2::decode_payload(p);
        if (d) {
            payloads.push_back(std::move(d.value()));
        } else if (p.critical) {
            log->info("from {}: IKE_SA_INIT: {}, dropped", from.to_string(), c2::to_string(d.error()));
            if (!c2::is_known_payload(p.type)) v2_refuse_critical(h, p.type, from, to);
            return;
        }
    }
    v2_received_event(to, from, h, raw.size(), payloads, false);
    if (!v2_cookie_ok(h, payloads, from, to)) return;
    const std::size_t half_open = v2_index.half_open(), from_peer = v2_index.half_open_from(from.address.to_uint());
    if (half_open >= config.max_half_open || from_peer >= config.max_half_open_per_peer ||
        v2_sas.size() + ike_sas.size() >= config.max_ike_sas) {
        log->warn("from {}: IKE_SA_INIT dropped: {} half-open IKEv2 SAs, {} from this peer (limits {}, {})",
                  from.to_string(), half_open, from_peer, config.max_half_open, config.max_half_open_per_peer);
        return;
    }
    const auto spi_r = detail::v2::random_ike_spi(rng);
    const std::string who = "peer " + from.address.to_string() + " [" + to_hex(h.spi_i) + ":" + to_hex(spi_r) + "] ikev2";
    const detail::v2::AuthContext ctx{*policy, to,   from, config.ipsec_policies, config.force_nat_t,
                                      false,   rng,  *log, who,                   config.fragment_size};
    auto [task, out] = detail::v2::IkeAuthTask::respond(ctx, h, payloads, raw, spi_r);
    if (!task) {
        if (!out.drop_note.empty()) log->info("{}: {}, dropped", who, out.drop_note);
        if (out.failure) {
            log->warn("{}: IKE_SA_INIT refused: {}", who, out.failure->detail);
            Phase1Failure f;
            f.peer = from;
            f.initiator_cookie = h.spi_i;
            f.reason = out.failure->reason;
            f.detail = out.failure->detail;
            f.notify = out.failure->notify;
            callbacks.phase1_failed(f);
        }
        if (out.accepted && !out.send.empty()) {
            if (callbacks.wants_message_events())
                if (auto e = detail::v2::sent_event(to, from, out.send, nullptr)) callbacks.message_sent(*e);
            for (const auto& d : out.send) v2_send_from(to, from, d);
        }
        return;
    }
    V2Sa& sa = v2_new_sa(Role::Responder, to, from, h.spi_i, spi_r, *policy);
    sa.task = std::make_unique<detail::v2::IkeAuthTask>(std::move(*task));
    v2_apply(sa, std::move(out), &h, raw, from, to);
}

void Engine::Impl::v2_refuse_critical(const c2::Header& h, std::uint8_t type, Endpoint from, Endpoint to) {
    // RFC 7296 2.5: an unknown payload with the critical bit makes the
    // request fail with UNSUPPORTED_CRITICAL_PAYLOAD naming its type; as the
    // other IKE_SA_INIT refusals, answered without state.
    const std::vector<c2::Payload> answer{detail::v2::notify(c2::NotifyType::UnsupportedCriticalPayload, {type})};
    const auto bytes = detail::v2::plain(
        detail::v2::header(h.spi_i, {}, c2::ExchangeType::IkeSaInit, Role::Responder, true, 0), answer);
    v2_sent_event(to, from, bytes, answer);
    v2_send_from(to, from, bytes);
}

bool Engine::Impl::v2_cookie_ok(const c2::Header& h, const std::vector<c2::Payload>& payloads, Endpoint from,
                                Endpoint to) {
    const std::size_t half_open = v2_index.half_open();
    if (half_open < config.cookie_threshold) return true;
    const auto* ni = detail::v2::find<c2::NoncePayload>(payloads);
    if (!ni) return false;
    if (v2_cookie_secret.empty()) v2_cookie_secret = rng.random_vec(32);
    const auto& ip = from.address.octets;
    // RFC 7296 2.6: the echoed cookie is the request's first payload.
    const auto* echoed = payloads.empty() ? nullptr : std::get_if<c2::NotifyPayload>(&payloads.front());
    if (echoed && echoed->notify() == c2::NotifyType::Cookie &&
        k2::cookie_matches(1, v2_cookie_secret, ni->data, ip, h.spi_i, echoed->data))
        return true;
    const std::vector<c2::Payload> answer{
        detail::v2::notify(c2::NotifyType::Cookie, k2::cookie(1, v2_cookie_secret, ni->data, ip, h.spi_i))};
    log->info("from {}: {} half-open IKEv2 SAs (cookie threshold {}): IKE_SA_INIT answered with a COOKIE", from.to_string(),
              half_open, config.cookie_threshold);
    const auto bytes = detail::v2::plain(detail::v2::header(h.spi_i, {}, c2::ExchangeType::IkeSaInit, Role::Responder,
                                                            true, 0),
                                         answer);
    v2_sent_event(to, from, bytes, answer);
    v2_send_from(to, from, bytes);
    return false;
}

void Engine::Impl::v2_received_for(V2Sa& sa, const c2::Header& h, std::span<const std::uint8_t> raw, Endpoint from,
                                   Endpoint to) {
    if (sa.peer.address != from.address || sa.lifecycle.state() == LifecycleState::Dead) return;
    v2_due.touch(sa.our_spi());  // what the message does may move its timers
    // RFC 7296 2.3: only the peer's next request is new; its last one gets our cached response.
    if (!h.response) {
        if (const auto* cached = sa.cache.lookup_all(raw)) {
            log->info("{}: retransmitted {} request (M-ID {}), resending our response", sa.name(),
                      exchange_name(h.exchange), h.message_id);
            v2_send_all(sa, *cached);
            return;
        }
        // RFC 7383 2.6.1: of a fragmented request answered already, only a
        // fragment 1 that verifies has the whole response resent; the
        // others are ignored.
        if (h.next == c2::PayloadType::Skf && h.message_id + 1 == sa.peer_next_id) {
            if (sa.sa && !sa.cache.responses().empty() && sa.cache.request().empty() &&
                detail::v2::first_fragment_verifies(sa.sa->keys, h, raw)) {
                log->info("{}: retransmitted {} request in fragments (M-ID {}), resending our response",
                          sa.name(), exchange_name(h.exchange), h.message_id);
                v2_send_all(sa, sa.cache.responses());
            }
            return;
        }
        if (h.message_id != sa.peer_next_id) {
            log->debug("{}: {} request M-ID {} is not the expected {}, dropped", sa.name(), exchange_name(h.exchange),
                       h.message_id, sa.peer_next_id);
            return;
        }
    } else if (!sa.rtx.armed() || h.message_id != sa.outstanding_id) {
        log->debug("{}: {} response M-ID {} answers no request of ours, dropped", sa.name(),
                   exchange_name(h.exchange), h.message_id);
        return;
    }
    const bool awaiting_spi_r = sa.task && sa.task->awaiting_init_response();
    if (h.spi_i != sa.spi_i || (!awaiting_spi_r && h.spi_r != sa.spi_r)) return;
    if (sa.task) {
        // The task reads the message with the endpoints it came over; they
        // become the SA's only if it is accepted (RFC 7296 2.23 float).
        v2_task_received_event(sa, h, raw, from, to);
        auto out = sa.task->on_message(v2_context(sa, to, from), h, raw);
        v2_apply(sa, std::move(out), &h, raw, from, to);
        return;
    }
    if (!sa.established()) return;
    const auto ex = static_cast<c2::ExchangeType>(h.exchange);
    if (ex != c2::ExchangeType::Informational && ex != c2::ExchangeType::CreateChildSa) {
        log->info("{}: unexpected {} on an established SA, dropped", sa.name(), exchange_name(h.exchange));
        return;
    }
    // Established: every message is SK{}-protected with the IKE SA's keys.
    auto opened = detail::v2::open_fragment(sa.sa->keys, h, raw, sa.fragments);
    if (!opened) {
        log->info("{}: {}: {}, dropped", sa.name(), exchange_name(h.exchange), opened.error());
        return;
    }
    if (!opened.value()) return;  // a fragment (RFC 7383), kept until the others arrive
    const auto& payloads = *opened.value();
    v2_received_event(to, from, h, raw.size(), payloads, true);
    sa.last_heard_ms = now;
    if (h.response) {
        v2_response(sa, h, payloads);
        return;
    }
    sa.peer_next_id = h.message_id + 1;
    if (ex == c2::ExchangeType::Informational)
        v2_informational(sa, h, payloads, raw);
    else
        v2_create_child(sa, h, payloads, raw);
}

void Engine::Impl::v2_apply(V2Sa& sa, detail::v2::Outcome out, const c2::Header* h, std::span<const std::uint8_t> raw,
                            Endpoint from, Endpoint to) {
    v2_due.touch(sa.our_spi());
    if (!out.accepted) {
        if (!out.drop_note.empty()) {
            log->info("{}: {}, dropped", sa.name(), out.drop_note);
            sa.drop_note = out.drop_note;
        }
        return;
    }
    if (h) {
        sa.last_heard_ms = now;
        sa.drop_note.clear();
        if (h->response) {
            sa.rtx.disarm();
            if (sa.task && sa.spi_r == c2::IkeSpi{}) sa.spi_r = sa.task->spi_r();
            if (sa.spi_r != c2::IkeSpi{}) sa.lifecycle.set_context(sa.name());
        } else {
            sa.peer_next_id = h->message_id + 1;
            // RFC 7296 2.23: a responder follows the initiator to the NAT-T port.
            if (to.port == config.nat_t_port && config.nat_t_port != config.local.port && !sa.floated) {
                sa.local = to;
                sa.peer = from;
                sa.floated = true;
            }
        }
    }
    if (out.nat_detected) {
        sa.nat_detected = true;
        // The initiator moves itself and the peer to the NAT-T port before IKE_AUTH.
        if (sa.role == Role::Initiator && !sa.floated && config.nat_t_port != config.local.port) {
            sa.local.port = config.nat_t_port;
            sa.peer.port = config.nat_t_port;
            sa.floated = true;
            log->info("{}: NAT detected, IKE moves to port {}", sa.name(), config.nat_t_port);
        }
    }
    const bool came_up = out.established.has_value();
    if (out.established) {
        sa.sa = std::move(out.established);
        log->info("{}: IKE SA established with {} ({}), {}", sa.name(), sa.sa->peer_id,
                  sa.role == Role::Initiator ? "initiator" : "responder", sa.sa->choice.proposal.name);
        (void)sa.lifecycle.handle(LifecycleEvent::Phase1Done);
        callbacks.phase1_up(v2_info(sa));
        if (sa.role == Role::Initiator) sa.next_request_id = 2;
        if (sa.role == Role::Responder && sa.sa->initial_contact) v2_initial_contact(sa);
    }
    if (out.child && !v2_install_child(sa, *out.child) && !out.send_if_refused.empty())
        out.send = std::move(out.send_if_refused);
    if (!out.send.empty()) v2_sent_built(sa, sa.local, sa.peer, out.send);  // while the task's keys are there
    if (out.failure) v2_fail(sa, *out.failure);
    if (out.finished) sa.task.reset();
    if (!out.send.empty()) {
        if (out.request) {
            sa.outstanding_id = message_id_of(out.send.front()).value_or(0);
            sa.next_request_id = std::max(sa.next_request_id, sa.outstanding_id + 1);
            sa.rtx.arm_all(out.send, now, config.timers.retransmit_base_ms, config.timers.max_retries);
        } else {
            v2_remember(sa, h, raw, out.send);
        }
        v2_send_all(sa, out.send);
    }
    if (came_up && sa.role == Role::Initiator) {
        // The Child SAs that waited for this IKE SA (Engine::Impl::initiate).
        const auto waiting = std::exchange(sa.pending, {});
        for (const auto& name : waiting)
            if (const auto* child = ipsec_policy(name)) v2_start_child(sa, *child);
    }
}

void Engine::Impl::v2_initial_contact(const V2Sa& sa) {
    // RFC 7296 2.4: the peer says this is its only IKE SA with us, so the
    // older ones of the same authenticated identity at this address are gone
    // on its side. They go without a Delete: nobody would answer it. As in
    // IKEv1, another identity behind the same address keeps its SAs.
    log->info("{}: INITIAL_CONTACT: removing older IKE SAs of {}", sa.name(), sa.sa->peer_id);
    for (auto& [spi, other] : v2_sas)
        if (other.get() != &sa && other->peer.address == sa.peer.address && other->established() &&
            other->sa->peer_id == sa.sa->peer_id)
            v2_delete_ike(*other, DeleteReason::PeerDelete, false);
}

bool Engine::Impl::v2_install_child(V2Sa& sa, const detail::v2::NewChild& child) {
    auto pair = child.pair;
    const auto& proposal = child.choice.proposal;
    const std::uint64_t life_ms = std::uint64_t{proposal.lifetime_seconds} * 1000;
    const std::uint64_t hard_at_ms = now + life_ms;
    // RFC 7296 2.8: lifetimes are not negotiated, each side rekeys before
    // its own. The side that created the pair rekeys it first; the other
    // halfway between that point and expiry, if the pair is still there.
    std::uint64_t rekey_at_ms = rekey_time(hard_at_ms, life_ms);
    if (child.role == Role::Responder) rekey_at_ms = hard_at_ms - (hard_at_ms - rekey_at_ms) / 2;
    pair.inbound.lifetime.soft_seconds = (rekey_at_ms - now) / 1000;
    pair.outbound.lifetime.soft_seconds = pair.inbound.lifetime.soft_seconds;
    InstallResult result;
    try {
        result = callbacks.install_sa(pair);
    } catch (const std::exception& e) {
        result = InstallResult{InstallResult::Status::Rejected, e.what()};
    }
    if (!result.ok()) {
        log->warn("{}: Child SA {} not installed: {}{}", sa.name(), pair.name, to_string(result.status),
                  result.reason.empty() ? "" : ": " + result.reason);
        Phase2Failure f;
        f.name = pair.name;
        f.peer = sa.peer;
        f.reason = result.status == InstallResult::Status::AdmissionLimit ? FailureReason::AdmissionLimit
                                                                           : FailureReason::InstallFailed;
        f.detail = result.reason;
        callbacks.phase2_failed(f);
        return false;
    }
    detail::IpsecSaRecord rec;
    rec.info.name = pair.name;
    rec.info.local = sa.local;
    rec.info.peer = sa.peer;
    rec.info.protocol = proposal.protocol;
    rec.info.mode = child.mode;
    rec.info.inbound_spi = pair.inbound.spi;
    rec.info.outbound_spi = pair.outbound.spi;
    rec.info.proposal = proposal;
    rec.info.replay_window = pair.inbound.replay_window;
    rec.info.udp_encapsulated = pair.inbound.udp_encapsulation.has_value();
    rec.ike_serial = sa.serial;
    rec.installed_ms = now;
    rec.role = child.role;
    rec.hard_at_ms = hard_at_ms;
    rec.rekey_at_ms = rekey_at_ms;
    rec.peer_id = sa.sa ? sa.sa->peer_id : std::string();
    // A Child SA this one replaces (its rekey started a new IKE SA) is retired.
    for (std::size_t i = ipsec_sas.size(); i-- > 0;)
        if (ipsec_sas[i].info.name == pair.name && ipsec_sas[i].info.peer.address == sa.peer.address &&
            ipsec_sas[i].rekey_started)
            remove_ipsec(i, DeleteReason::Rekeyed, true);
    ipsec_sas.push_back(rec);
    note_ipsec_due(rec);
    log->info("{}: Child SA {} installed, SPI in {:08x} out {:08x}, {}", sa.name(), pair.name, pair.inbound.spi,
              pair.outbound.spi, proposal.name);
    callbacks.phase2_up(rec.info);
    return true;
}

void Engine::Impl::v2_fail(V2Sa& sa, const detail::v2::Failure& f) {
    const std::string child = sa.task && sa.task->child_policy() ? sa.task->child_policy()->name : std::string();
    if (f.child_only) {
        log->warn("{}: Child SA {} refused: {}: {}", sa.name(), child, to_string(f.reason), f.detail);
        Phase2Failure p2;
        p2.name = child;
        p2.peer = sa.peer;
        p2.reason = f.reason;
        p2.detail = f.detail;
        p2.notify = f.notify;
        callbacks.phase2_failed(p2);
        return;
    }
    log->warn("{}: IKE SA failed: {}: {}", sa.name(), to_string(f.reason), f.detail);
    Phase1Failure p1;
    p1.peer = sa.peer;
    p1.initiator_cookie = sa.spi_i;
    p1.responder_cookie = sa.spi_r;
    p1.reason = f.reason;
    p1.detail = f.detail;
    p1.notify = f.notify;
    if (!sa.lifecycle.handle(LifecycleEvent::Phase1Failed)) return;
    callbacks.phase1_failed(p1);
    auto names = sa.pending;
    if (!child.empty()) names.push_back(child);
    for (const auto& name : names) {
        Phase2Failure p2;
        p2.name = name;
        p2.peer = sa.peer;
        p2.reason = f.reason;
        p2.detail = "IKE SA failed";
        callbacks.phase2_failed(p2);
    }
    sa.pending.clear();
}

void Engine::Impl::v2_start(const IkePolicy& policy, const IpsecSaPolicy& child) {
    const auto spi_i = detail::v2::random_ike_spi(rng);
    V2Sa& sa = v2_new_sa(Role::Initiator, config.local,
                         Endpoint{child.peer, policy.peer_port ? policy.peer_port : config.local.port}, spi_i, {},
                         policy);
    log->info("{}: initiating IKE_SA_INIT for {}", sa.name(), child.name);
    auto [task, out] = detail::v2::IkeAuthTask::initiate(v2_context(sa, sa.local, sa.peer), child, spi_i);
    sa.task = std::make_unique<detail::v2::IkeAuthTask>(std::move(task));
    v2_apply(sa, std::move(out), nullptr, {}, sa.peer, sa.local);
}

V2Sa& Engine::Impl::v2_new_sa(Role role, Endpoint local, Endpoint peer, const c2::IkeSpi& spi_i,
                              const c2::IkeSpi& spi_r, const IkePolicy& policy) {
    const auto& ours = role == Role::Initiator ? spi_i : spi_r;
    auto owned = std::make_unique<V2Sa>(log, "peer " + peer.address.to_string() + " [" + to_hex(spi_i) + ":" +
                                                 (spi_r == c2::IkeSpi{} ? std::string() : to_hex(spi_r)) + "] ikev2");
    V2Sa& sa = *owned;
    sa.serial = next_serial++;
    sa.role = role;
    sa.local = local;
    sa.peer = peer;
    sa.spi_i = spi_i;
    sa.spi_r = spi_r;
    sa.policy = &policy;
    sa.created_ms = now;
    sa.last_heard_ms = now;
    sa.lifecycle.set_entry_action([this, &sa](LifecycleState s) { v2_entered(sa, s); });
    // Our SPIs are random 8 bytes (RFC 7296 2.6): a collision is a broken RNG.
    if (!v2_sas.try_emplace(ours, std::move(owned)).second) throw std::runtime_error("IKE SPI collision");
    v2_index.add(ours, sa.serial, role == Role::Responder, spi_i, peer.address.to_uint());
    v2_due.touch(ours);
    (void)sa.lifecycle.handle(LifecycleEvent::Start);
    return sa;
}

void Engine::Impl::v2_entered(V2Sa& sa, LifecycleState s) {
    v2_due.touch(sa.our_spi());  // its timers change with its state
    v2_index.set_half_open(sa.our_spi(), s == LifecycleState::Negotiating);
    switch (s) {
    case LifecycleState::Idle: break;
    case LifecycleState::Negotiating:
        if (sa.role == Role::Responder) sa.half_open_deadline_ms = now + config.timers.half_open_timeout_ms;
        break;
    case LifecycleState::Established:
        sa.rtx.disarm();
        sa.established_ms = now;
        sa.half_open_deadline_ms = 0;
        // RFC 7296 2.8: each side keeps its own lifetime; IKEv2 negotiates none.
        {
            const std::uint64_t life_ms = std::uint64_t{sa.sa->choice.proposal.lifetime_seconds} * 1000;
            sa.hard_at_ms = now + life_ms;
            // Both sides rekey before their own lifetime ends (RFC 7296 2.8);
            // the original initiator first, the responder halfway to expiry.
            sa.rekey_at_ms = rekey_time(sa.hard_at_ms, life_ms);
            if (sa.role == Role::Responder) sa.rekey_at_ms = sa.hard_at_ms - (sa.hard_at_ms - sa.rekey_at_ms) / 2;
        }
        break;
    case LifecycleState::Rekeying: break;
    case LifecycleState::Dead:
        v2_index.dead(sa.our_spi());
        v2_dead.push_back(sa.our_spi());
        sa.rtx.disarm();
        sa.queued.clear();
        sa.task.reset();
        break;
    }
}

IkeSaInfo Engine::Impl::v2_info(const V2Sa& sa) const {
    IkeSaInfo i;
    i.local = sa.local;
    i.peer = sa.peer;
    i.version = IkeVersion::V2;
    i.initiator_cookie = sa.spi_i;
    i.responder_cookie = sa.spi_r;
    i.role = sa.role;
    i.state = detail::snapshot_state(sa.lifecycle.state());
    if (sa.sa) i.proposal = sa.sa->choice.proposal;
    i.lifetime_remaining_ms = sa.hard_at_ms > now ? sa.hard_at_ms - now : 0;
    i.nat_traversal = sa.floated;
    i.nat_detected = sa.nat_detected;
    if (sa.sa) {
        i.peer_identity = sa.sa->peer_id;
        i.peer_certificate_subject = sa.sa->peer_subject;
        i.peer_certificate_ca = sa.sa->peer_ca;
    }
    return i;
}

}  // namespace picsec::ike
