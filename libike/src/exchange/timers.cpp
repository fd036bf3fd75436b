// The engine's clock: each tick retransmits, gives up on silent exchanges,
// expires half-open and hard-expired SAs, starts rekeys (IKE and IPsec) and
// DPD, and reaps dead IKE SAs.
#include "engine_impl.h"

#include <algorithm>
#include <utility>

namespace picsec::ike {

using detail::IkeSa;
using detail::LifecycleEvent;
using detail::LifecycleState;

void Engine::Impl::on_tick()
{
    if (!started) {
        started = true;
        for (const auto& p : config.ipsec_policies)
            if (p.initiate_on_start)
                initiate(p.name);
    }
    // Configurations replaced by reconfigure(): looked at once a second while any is kept.
    if (!retired_configs.empty() && now >= next_release_ms)
        release_retired_configs();
    // IKE SAs: retransmission, half-open expiry, lifetimes, DPD. Only the
    // SAs with something due (or touched since the last tick) are visited,
    // in table (cookie) order, as a walk over the table would take them.
    auto keys = due.take_due(now);
    std::sort(keys.begin(), keys.end());
    std::vector<IkeSa*> all;
    for (const auto& c : keys)
        if (auto it = ike_sas.find(c); it != ike_sas.end())
            all.push_back(it->second.get());
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
                            "peer silent after " + std::to_string(config.timers.max_retries) + " retransmissions" +
                                detail::describe(sa->last_drop),
                            codec::NotifyType::InvalidPayloadType, false);
            break;
        }
        if (sa->lifecycle.state() == LifecycleState::Negotiating && sa->role == Role::Responder &&
            sa->half_open_deadline_ms != 0 && now >= sa->half_open_deadline_ms && !sa->rtx.armed()) {
            // A message that did not decrypt is the likely cause (RFC 2409
            // 5.4: a pre-shared key mismatch); the peer was not told, since
            // an unauthenticated message changes nothing, not even that.
            const bool undecryptable = sa->last_drop == detail::DropCause::Undecryptable;
            fail_phase1(*sa, undecryptable ? FailureReason::AuthenticationFailed : FailureReason::Timeout,
                        "half-open phase 1 timed out" + detail::describe(sa->last_drop),
                        codec::NotifyType::InvalidPayloadType, false);
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
            log->warn("{} quick mode {:08x}: phase 2 for {} failed: peer silent", sa->name(), id, qm.task.sa_name());
            if (qm.installed) {
                for (std::size_t i = ipsec_sas.size(); i-- > 0;)
                    if (ipsec_sas[i].info.inbound_spi == qm.task.our_spi())
                        remove_ipsec(i, DeleteReason::LocalClear, false);
            }
            Phase2Failure f;
            f.name = qm.task.sa_name();
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
        // Entering Rekeying starts the replacement phase 1 (entered()).
        if (sa->lifecycle.state() == LifecycleState::Established && sa->role == Role::Initiator &&
            sa->rekey_at_ms != 0 && now >= sa->rekey_at_ms && !sa->lifecycle.handle(LifecycleEvent::SoftExpire))
            sa->rekey_at_ms = 0;
        dpd_tick(*sa);
    }
    for (IkeSa* sa : all)
        if (sa->lifecycle.state() != LifecycleState::Dead)
            due.schedule(sa->cky_i, next_due(*sa));
    // IPsec SAs: rekey (initiator) and hard expiry, walked only when one is due.
    const bool ipsec_due = now >= ipsec_due_ms;
    if (ipsec_due)
        ipsec_due_ms = UINT64_MAX;
    for (std::size_t i = ipsec_due ? ipsec_sas.size() : 0; i-- > 0;) {
        auto& rec = ipsec_sas[i];
        if (now >= rec.hard_at_ms) {
            log->info("ipsec SA {} peer {} SPI {:08x}/{:08x}: lifetime expired", rec.info.name,
                      rec.info.peer.address.to_string(), rec.info.inbound_spi, rec.info.outbound_spi);
            remove_ipsec(i, DeleteReason::HardExpiry, true);
            continue;
        }
        // IKEv1: the Quick Mode initiator rekeys. IKEv2: both sides rekey
        // their own pairs (RFC 7296 2.8), a responder only towards a named peer.
        if (!rec.rekey_started && now >= rec.rekey_at_ms &&
            (rec.role == Role::Initiator || v2_rekeys_as_responder(rec))) {
            rec.rekey_started = true;
            log->info("ipsec SA {} peer {}: soft lifetime reached, rekeying", rec.info.name,
                      rec.info.peer.address.to_string());
            const std::string name = rec.info.name;
            const std::size_t before = ipsec_sas.size();
            initiate(name);
            if (ipsec_sas.size() != before) {
                ipsec_due_ms = 0;  // the table changed under the walk: walk it again next tick
                continue;
            }
        }
        note_ipsec_due(rec);
    }
    v2_tick();
    // Reap dead IKE SAs.
    for (const auto& [c, serial] : std::exchange(dead, {})) {
        const auto it = ike_sas.find(c);
        if (it == ike_sas.end() || it->second->serial != serial || it->second->lifecycle.state() != LifecycleState::Dead)
            continue;
        ike_sas.erase(it);
        due.remove(c);
    }
}

std::optional<std::uint64_t> Engine::Impl::next_due(const IkeSa& sa) const
{
    // Earlier than needed costs a visit that finds nothing to do; later
    // would miss work, so every timer the tick looks at is here.
    std::optional<std::uint64_t> at;
    const auto earliest = [&](std::uint64_t t) {
        if (!at || t < *at)
            at = t;
    };
    if (sa.rtx.armed())
        earliest(sa.rtx.deadline());
    for (const auto& [id, qm] : sa.quick_modes)
        if (qm.rtx.armed())
            earliest(qm.rtx.deadline());
    if (sa.half_open_deadline_ms != 0)
        earliest(sa.half_open_deadline_ms);
    if (sa.established()) {
        if (sa.hard_at_ms != 0)
            earliest(sa.hard_at_ms);
        if (sa.rekey_at_ms != 0)
            earliest(sa.rekey_at_ms);
        if (config.timers.dpd_interval_ms != 0 && sa.peer_dpd && sa.dpd_next_ms != 0)
            earliest(sa.dpd_next_ms);
    }
    return at;
}

void Engine::Impl::note_ipsec_due(const detail::IpsecSaRecord& rec)
{
    // A rekey time that passed without a rekey (a responder's pair) will not
    // start one later: the tick judged it when it came.
    std::uint64_t at = rec.hard_at_ms;
    if (!rec.rekey_started && (rec.role == Role::Initiator || rec.rekey_at_ms > now))
        at = std::min(at, rec.rekey_at_ms);
    ipsec_due_ms = std::min(ipsec_due_ms, at);
}

}  // namespace picsec::ike
