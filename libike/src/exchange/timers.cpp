// The engine's clock: each tick retransmits, gives up on silent exchanges,
// expires half-open and hard-expired SAs, starts rekeys (IKE and IPsec) and
// DPD, and reaps dead IKE SAs.
#include "engine_impl.h"

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
    // IPsec SAs: rekey (initiator) and hard expiry.
    for (std::size_t i = ipsec_sas.size(); i-- > 0;) {
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
            initiate(name);
        }
    }
    v2_tick();
    // Reap dead IKE SAs.
    for (auto it = ike_sas.begin(); it != ike_sas.end();) {
        if (it->second->lifecycle.state() == LifecycleState::Dead)
            it = ike_sas.erase(it);
        else
            ++it;
    }
}

}  // namespace picsec::ike
