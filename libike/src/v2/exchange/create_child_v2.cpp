// CREATE_CHILD_SA in the engine (RFC 7296 1.3): starting new Child SAs and
// rekeys on an established IKE SA, answering the peer's, and an IKE SA
// rekey handing the Child SAs to the new IKE SA (2.18).
#include "../../exchange/engine_impl.h"

namespace picsec::ike {

using detail::LifecycleEvent;
using detail::LifecycleState;
namespace c2 = picsec::ike::v2;
using V2Sa = detail::v2::IkeSa;

detail::v2::ChildContext Engine::Impl::v2_child_context(const V2Sa& sa) {
    return detail::v2::ChildContext{*sa.policy, sa.sa->keys, sa.local, sa.peer, sa.nat_detected,
                                    config.ipsec_policies, rng};
}

bool Engine::Impl::v2_rekeys_as_responder(const detail::IpsecSaRecord& rec) {
    const auto* policy = ipsec_policy(rec.info.name);
    return policy && policy->peer == rec.info.peer.address && v2_find(rec.ike_serial);
}

void Engine::Impl::v2_start_child(V2Sa& sa, const IpsecSaPolicy& child) {
    // A pair of this SA whose soft lifetime passed is the one the new pair rekeys.
    std::optional<std::uint32_t> replaces;
    for (const auto& rec : ipsec_sas)
        if (rec.ike_serial == sa.serial && rec.info.name == child.name && rec.rekey_started)
            replaces = rec.info.inbound_spi;
    auto [task, payloads] = detail::v2::CreateChildTask::new_child(v2_child_context(sa), child, replaces);
    log->info("{}: CREATE_CHILD_SA for {}{}", sa.name(), child.name,
              replaces ? fmt::format(" (rekeying SPI {:08x})", *replaces) : std::string());
    v2_request(sa, std::move(payloads), c2::ExchangeType::CreateChildSa,
               std::make_unique<detail::v2::CreateChildTask>(std::move(task)));
}

void Engine::Impl::v2_rekey_ike(V2Sa& sa) {
    if (!sa.lifecycle.handle(LifecycleEvent::SoftExpire)) return;
    log->info("{}: IKE SA soft lifetime reached, rekeying with CREATE_CHILD_SA", sa.name());
    auto [task, payloads] = detail::v2::CreateChildTask::rekey_ike(v2_child_context(sa));
    v2_request(sa, std::move(payloads), c2::ExchangeType::CreateChildSa,
               std::make_unique<detail::v2::CreateChildTask>(std::move(task)));
}

void Engine::Impl::v2_create_child(V2Sa& sa, const c2::Header& h, const std::vector<c2::Payload>& p,
                                   std::span<const std::uint8_t> raw) {
    // RFC 7296 1.3.3: REKEY_SA names the pair by the SPI the peer receives on (our outbound one).
    const IpsecSaPolicy* rekeyed = nullptr;
    if (const auto* n = detail::v2::find_notify(p, c2::NotifyType::RekeySa); n && n->spi.size() == 4)
        for (const auto& rec : ipsec_sas)
            if (rec.ike_serial == sa.serial && rec.info.outbound_spi == detail::v2::spi_value(n->spi))
                rekeyed = ipsec_policy(rec.info.name);
    auto answer = v2_apply_child(sa, detail::v2::CreateChildTask::respond(v2_child_context(sa), p, rekeyed));
    auto datagrams = detail::v2::seal_message(sa.sa->keys,
                                              detail::v2::header(sa.spi_i, sa.spi_r, c2::ExchangeType::CreateChildSa,
                                                                 sa.role, true, h.message_id),
                                              answer, rng, v2_message_limit(sa));
    v2_remember(sa, &h, raw, datagrams);
    v2_sent_event(sa.local, sa.peer, datagrams, answer);
    v2_send_all(sa, datagrams);
}

std::vector<c2::Payload> Engine::Impl::v2_apply_child(V2Sa& sa, detail::v2::ChildOutcome out) {
    if (out.failure) {
        log->warn("{}: {}: {}", sa.name(), to_string(out.failure->reason), out.failure->detail);
        if (out.child || !out.ike) {
            Phase2Failure f;
            f.peer = sa.peer;
            f.reason = out.failure->reason;
            f.detail = out.failure->detail;
            f.notify = out.failure->notify;
            callbacks.phase2_failed(f);
        }
        // A failed IKE SA rekey leaves the SA to its hard lifetime; it rekeys no more.
        return std::move(out.send);
    }
    if (out.child && !v2_install_child(sa, *out.child)) return std::move(out.send_if_refused);
    if (out.ike) {
        auto n = std::move(*out.ike);
        v2_adopt(sa, std::move(n));
    }
    return std::move(out.send);
}

void Engine::Impl::v2_adopt(V2Sa& old, detail::v2::NewIkeSa n) {
    if (v2_sas.count(n.role == Role::Initiator ? n.spi_i : n.spi_r)) return;  // an SPI collision: keep the old SA
    if (old.sa) {
        n.established.peer_id = old.sa->peer_id;
        n.established.peer_subject = old.sa->peer_subject;
        n.established.peer_ca = old.sa->peer_ca;
    }
    n.established.nat_detected = old.nat_detected;
    // RFC 7383 2.3: fragmentation was agreed for the IKE SA; its rekey keeps it.
    n.established.fragmentation = old.sa && old.sa->fragmentation;
    V2Sa& sa = v2_new_sa(n.role, old.local, old.peer, n.spi_i, n.spi_r, *old.policy);
    sa.floated = old.floated;
    sa.nat_detected = old.nat_detected;
    sa.sa = std::move(n.established);
    (void)sa.lifecycle.handle(LifecycleEvent::Phase1Done);
    // RFC 7296 2.18: the Child SAs move to the new IKE SA.
    for (auto& rec : ipsec_sas)
        if (rec.ike_serial == old.serial) rec.ike_serial = sa.serial;
    log->info("{}: IKE SA rekeyed, replaces [{}:{}]", sa.name(), to_hex(old.spi_i), to_hex(old.spi_r));
    callbacks.phase1_up(v2_info(sa));
    // The rekey's initiator deletes the old IKE SA; its responder waits for that Delete.
    if (n.role == Role::Initiator) v2_delete_ike(old, DeleteReason::Rekeyed, true);
}

}  // namespace picsec::ike
