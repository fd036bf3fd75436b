// IKEv2 INFORMATIONAL (RFC 7296 1.4): Delete of the IKE SA or Child SAs,
// the liveness check (an empty request), our requests in the window of one,
// and the IKEv2 part of the engine's clock.
#include "../../exchange/engine_impl.h"

#include "picsec/ike/v2/header.h"

#include <algorithm>
#include <utility>

namespace picsec::ike {

using detail::Bytes;
using detail::LifecycleEvent;
using detail::LifecycleState;
namespace c2 = picsec::ike::v2;
using V2Sa = detail::v2::IkeSa;

using detail::v2::spi_bytes;
using detail::v2::spi_value;

void Engine::Impl::v2_request(V2Sa& sa, std::vector<c2::Payload> payloads, c2::ExchangeType exchange,
                              std::unique_ptr<detail::v2::CreateChildTask> task) {
    if (!sa.sa || sa.lifecycle.state() == LifecycleState::Dead) return;
    if (sa.rtx.armed()) {
        sa.queued.push_back(V2Sa::Request{exchange, std::move(payloads), std::move(task)});
        return;
    }
    const auto id = sa.next_request_id++;
    auto datagrams = detail::v2::seal_message(sa.sa->keys,
                                              detail::v2::header(sa.spi_i, sa.spi_r, exchange, sa.role, false, id),
                                              payloads, rng, v2_message_limit(sa));
    sa.outstanding_id = id;
    sa.child_task = std::move(task);
    sa.rtx.arm_all(datagrams, now, config.timers.retransmit_base_ms, config.timers.max_retries);
    v2_due.touch(sa.our_spi());
    v2_sent_event(sa.local, sa.peer, datagrams, payloads);
    v2_send_all(sa, datagrams);
}

void Engine::Impl::v2_response(V2Sa& sa, const c2::Header& h, const std::vector<c2::Payload>& p) {
    // The peer answered: it is alive, and the next request may go.
    sa.rtx.disarm();
    auto task = std::move(sa.child_task);
    const bool obsolete = std::exchange(sa.child_task_obsolete, false);
    if (task && static_cast<c2::ExchangeType>(h.exchange) == c2::ExchangeType::CreateChildSa) {
        auto out = task->on_response(v2_child_context(sa), p);
        const std::uint32_t made = out.child ? out.child->pair.inbound.spi : 0;  // 0: no pair (SPI 0 is reserved)
        v2_apply_child(sa, std::move(out));
        // Negotiated under a configuration replaced since: the peer has the
        // pair too, so it is deleted the way clear does it.
        for (std::size_t i = ipsec_sas.size(); obsolete && made != 0 && i-- > 0;)
            if (ipsec_sas[i].ike_serial == sa.serial && ipsec_sas[i].info.inbound_spi == made) {
                log->info("{}: Child SA {} was negotiated under the replaced configuration, deleting it", sa.name(),
                          ipsec_sas[i].info.name);
                remove_ipsec(i, DeleteReason::Reconfigured, true);
            }
    }
    if (!sa.queued.empty() && !sa.rtx.armed() && sa.lifecycle.state() != LifecycleState::Dead) {
        auto next = std::move(sa.queued.front());
        sa.queued.pop_front();
        v2_request(sa, std::move(next.payloads), next.exchange, std::move(next.task));
    }
}

void Engine::Impl::v2_informational(V2Sa& sa, const c2::Header& h, const std::vector<c2::Payload>& payloads,
                                    std::span<const std::uint8_t> raw) {
    std::vector<c2::Payload> answer;
    bool delete_ike = false;
    std::vector<std::uint32_t> our_spis;
    for (const auto& p : payloads) {
        const auto* d = std::get_if<c2::DeletePayload>(&p);
        if (!d) continue;
        if (d->protocol == c2::ProtocolId::Ike) {
            delete_ike = true;
            continue;
        }
        // RFC 7296 1.4.1: the peer names its inbound SPIs; we delete the pair
        // and answer with our inbound SPIs of the same pairs.
        for (const auto& spi : d->spis) {
            if (spi.size() != 4) continue;
            for (std::size_t i = ipsec_sas.size(); i-- > 0;)
                if (ipsec_sas[i].ike_serial == sa.serial && ipsec_sas[i].info.outbound_spi == spi_value(spi)) {
                    our_spis.push_back(ipsec_sas[i].info.inbound_spi);
                    remove_ipsec(i, DeleteReason::PeerDelete, false);
                }
        }
    }
    if (!our_spis.empty()) {
        c2::DeletePayload d;
        d.protocol = c2::ProtocolId::Esp;
        for (auto spi : our_spis) d.spis.push_back(spi_bytes(spi));
        answer.push_back(std::move(d));
    }
    auto datagrams = detail::v2::seal_message(sa.sa->keys,
                                              detail::v2::header(sa.spi_i, sa.spi_r, c2::ExchangeType::Informational,
                                                                 sa.role, true, h.message_id),
                                              delete_ike ? std::vector<c2::Payload>{} : answer, rng,
                                              v2_message_limit(sa));
    v2_remember(sa, &h, raw, datagrams);
    v2_sent_event(sa.local, sa.peer, datagrams, delete_ike ? std::span<const c2::Payload>{} : answer);
    v2_send_all(sa, datagrams);
    if (delete_ike) {
        log->info("{}: peer deleted the IKE SA", sa.name());
        v2_delete_ike(sa, DeleteReason::PeerDelete, false);
    }
}

void Engine::Impl::v2_delete_ike(V2Sa& sa, DeleteReason reason, bool tell_peer) {
    if (sa.lifecycle.state() == LifecycleState::Dead) return;
    const bool was_up = sa.established();
    if (tell_peer && sa.sa) {
        // RFC 7296 1.4.1: deleting the IKE SA deletes its Child SAs; one request, no wait.
        c2::DeletePayload d;
        d.protocol = c2::ProtocolId::Ike;
        const std::vector<c2::Payload> p{d};
        const auto bytes = detail::v2::seal(
            sa.sa->keys,
            detail::v2::header(sa.spi_i, sa.spi_r, c2::ExchangeType::Informational, sa.role, false, sa.next_request_id++),
            p, rng);
        v2_sent_event(sa.local, sa.peer, bytes, p);
        v2_send(sa, bytes);
    }
    for (std::size_t i = ipsec_sas.size(); i-- > 0;)
        if (ipsec_sas[i].ike_serial == sa.serial) remove_ipsec(i, reason, false);
    if (!sa.lifecycle.handle(reason == DeleteReason::PeerDead ? LifecycleEvent::PeerDead : LifecycleEvent::Delete))
        return;
    if (was_up) {
        log->info("{}: IKE SA deleted ({})", sa.name(), to_string(reason));
        callbacks.ike_sa_deleted(v2_info(sa), reason);
    }
}

void Engine::Impl::v2_tick() {
    // As on_tick(): the SAs due or touched, in table (SPI) order.
    auto keys = v2_due.take_due(now);
    std::sort(keys.begin(), keys.end());
    std::vector<V2Sa*> visited;
    for (const auto& spi : keys)
        if (auto it = v2_sas.find(spi); it != v2_sas.end()) visited.push_back(it->second.get());
    for (V2Sa* owned : visited) {
        V2Sa& sa = *owned;
        if (sa.lifecycle.state() == LifecycleState::Dead) continue;
        switch (sa.rtx.on_tick(now)) {
        case detail::Retransmitter::Action::Nothing: break;
        case detail::Retransmitter::Action::Resend:
            log->info("{}: no answer, retransmitting ({} of {})", sa.name(), sa.rtx.retries(),
                      config.timers.max_retries);
            v2_send_all(sa, sa.rtx.datagrams());
            break;
        case detail::Retransmitter::Action::GiveUp:
            if (!sa.established()) {
                v2_fail(sa, detail::v2::Failure{FailureReason::Timeout,
                                                "peer silent after " + std::to_string(config.timers.max_retries) +
                                                    " retransmissions" +
                                                    (sa.drop_note.empty() ? "" : "; last dropped: " + sa.drop_note),
                                                0, false});
            } else {
                log->warn("{}: peer does not answer our request: dead", sa.name());
                v2_delete_ike(sa, DeleteReason::PeerDead, false);
            }
            continue;
        }
        if (sa.lifecycle.state() == LifecycleState::Negotiating && sa.role == Role::Responder &&
            sa.half_open_deadline_ms != 0 && now >= sa.half_open_deadline_ms) {
            v2_fail(sa, detail::v2::Failure{FailureReason::Timeout,
                                            "half-open IKE SA timed out" +
                                                (sa.drop_note.empty() ? "" : "; last dropped: " + sa.drop_note),
                                            0, false});
            continue;
        }
        if (!sa.established()) continue;
        if (sa.hard_at_ms != 0 && now >= sa.hard_at_ms) {
            log->info("{}: IKE SA lifetime expired", sa.name());
            v2_delete_ike(sa, DeleteReason::HardExpiry, true);
            continue;
        }
        // RFC 7296 2.8: the IKE SA is rekeyed before it expires.
        if (sa.rekey_at_ms != 0 && now >= sa.rekey_at_ms &&
            sa.lifecycle.state() == LifecycleState::Established) {
            sa.rekey_at_ms = 0;
            v2_rekey_ike(sa);
        }
        // RFC 7296 2.4: an idle peer is asked whether it is alive (an empty INFORMATIONAL).
        const auto interval = config.timers.dpd_interval_ms;
        if (interval != 0 && !sa.rtx.armed() && now >= sa.last_heard_ms + interval) {
            log->debug("{}: liveness check", sa.name());
            v2_request(sa, {});
        }
    }
    for (V2Sa* sa : visited)
        if (sa->lifecycle.state() != LifecycleState::Dead) v2_due.schedule(sa->our_spi(), v2_next_due(*sa));
    for (const auto& spi : std::exchange(v2_dead, {})) {
        const auto it = v2_sas.find(spi);
        if (it == v2_sas.end() || it->second->lifecycle.state() != LifecycleState::Dead) continue;
        v2_sas.erase(it);
        v2_index.remove(spi);
        v2_due.remove(spi);
    }
}

std::optional<std::uint64_t> Engine::Impl::v2_next_due(const V2Sa& sa) const {
    // Every timer v2_tick() looks at (next_due() says why).
    std::optional<std::uint64_t> at;
    const auto earliest = [&](std::uint64_t t) {
        if (!at || t < *at) at = t;
    };
    if (sa.rtx.armed()) earliest(sa.rtx.deadline());
    if (sa.half_open_deadline_ms != 0) earliest(sa.half_open_deadline_ms);
    if (sa.established()) {
        if (sa.hard_at_ms != 0) earliest(sa.hard_at_ms);
        if (sa.rekey_at_ms != 0) earliest(sa.rekey_at_ms);
        if (config.timers.dpd_interval_ms != 0 && !sa.rtx.armed()) earliest(sa.last_heard_ms + config.timers.dpd_interval_ms);
    }
    return at;
}

}  // namespace picsec::ike
