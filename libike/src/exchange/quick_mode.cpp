// Quick Mode's engine side: starts and dispatches QuickModeTasks and applies
// their Outcomes - the install through Callbacks::install_sa, the IPsec SA
// record and its timers, the messages, retransmission and refusals.
#include "engine_impl.h"
#include "quick_mode_task.h"

namespace picsec::ike {

using namespace detail;
using codec::ExchangeType;

QuickModeContext Engine::Impl::quick_mode_context(const IkeSa& sa, std::uint32_t message_id)
{
    return QuickModeContext{prf_hash(sa), sa.keys->skeyid_d, sa.keys->skeyid_a, sa.local, sa.peer, sa.floated,
                            rng,          *log,
                            sa.name() + " quick mode " + fmt::format("{:08x}", message_id)};
}

void Engine::Impl::start_quick_mode(IkeSa& sa, const IpsecSaPolicy& policy)
{
    const std::uint32_t msgid = new_message_id(sa);
    auto [task, out] = QuickModeTask::initiate(quick_mode_context(sa, msgid), policy, msgid);
    auto& qm = sa.quick_modes.emplace(msgid, QuickMode{std::move(task), now}).first->second;
    due.touch(sa.cky_i);
    apply(sa, qm, std::move(out));
}

bool Engine::Impl::quick_mode_process(IkeSa& sa, const codec::RawMessage& m)
{
    const auto msgid = m.header.message_id;
    const auto ctx = quick_mode_context(sa, msgid);
    if (auto it = sa.quick_modes.find(msgid); it != sa.quick_modes.end())
        return apply(sa, it->second, it->second.task.on_message(ctx, m));
    auto started = QuickModeTask::respond(ctx, config.ipsec_policies, m);
    if (!started)
        return false;
    auto& qm = sa.quick_modes.emplace(msgid, QuickMode{std::move(started->first), now}).first->second;
    return apply(sa, qm, std::move(started->second));
}

bool Engine::Impl::apply(IkeSa& sa, QuickMode& qm, Outcome out)
{
    if (!out.accepted)
        return false;
    const auto msgid = qm.task.message_id();
    qm.rtx.disarm();  // an accepted message answers our request
    if (out.install) {
        if (auto refused = install_quick_mode_sa(sa, qm, std::move(*out.install))) {
            // Nothing installed: the refusal goes out instead of our next message.
            refused->peer_installed = qm.task.role() == Role::Initiator;
            out.refusal = std::move(refused);
            out.send.clear();
            out.finished = true;
        } else {
            qm.installed = true;
        }
    }
    if (out.refusal)
        refuse_quick_mode(sa, qm, *out.refusal);
    if (!out.send.empty()) {
        const auto bytes = build(sa, ExchangeType::QuickMode, msgid, out.send, true);
        if (out.await_answer)
            arm(qm.rtx, bytes);
        if (out.finished) {
            reply(sa, bytes);  // HASH(3): a retransmitted HASH(2) gets it again
        } else {
            if (qm.task.role() == Role::Responder)
                qm.cache.remember(inbound.raw, bytes);
            send(sa, bytes);
        }
    }
    if (out.finished)
        sa.quick_modes.erase(msgid);
    return true;
}

std::optional<Refusal> Engine::Impl::install_quick_mode_sa(IkeSa& sa, const QuickMode& qm, DynamicSaPair pair)
{
    const auto& c = *qm.task.choice();
    const std::uint64_t life_ms = std::uint64_t{c.lifetime_seconds} * 1000;
    const std::uint64_t hard_at_ms = now + life_ms;
    const std::uint64_t rekey_at_ms = rekey_time(hard_at_ms, life_ms);
    if (qm.task.role() == Role::Initiator) {
        // The initiator rekeys: the SA's soft lifetime is when (show counts it down).
        pair.inbound.lifetime.soft_seconds = (rekey_at_ms - now) / 1000;
        pair.outbound.lifetime.soft_seconds = pair.inbound.lifetime.soft_seconds;
    }
    InstallResult result;
    try {
        result = callbacks.install_sa(pair);
    } catch (const std::exception& ex) {
        return qm.task.refusal(FailureReason::InstallFailed, ex.what(), codec::NotifyType::NoProposalChosen);
    }
    if (!result.ok()) {
        const bool admission = result.status == InstallResult::Status::AdmissionLimit;
        return qm.task.refusal(admission ? FailureReason::AdmissionLimit : FailureReason::InstallFailed,
                               std::string(to_string(result.status)) +
                                   (result.reason.empty() ? "" : ": " + result.reason),
                               codec::NotifyType::NoProposalChosen);
    }
    const auto& pol = *qm.task.policy();
    IpsecSaRecord rec;
    rec.info.name = pol.name;
    rec.info.local = sa.local;
    rec.info.peer = sa.peer;
    rec.info.protocol = c.proposal.protocol;
    rec.info.mode = pol.mode;
    rec.info.inbound_spi = pair.inbound.spi;
    rec.info.outbound_spi = pair.outbound.spi;
    rec.info.inbound_auxiliary_spi = pair.inbound.auxiliary_spi;
    rec.info.outbound_auxiliary_spi = pair.outbound.auxiliary_spi;
    rec.info.proposal = c.proposal;
    rec.info.proposal.lifetime_seconds = c.lifetime_seconds;
    rec.info.pfs_group = c.pfs_group;
    rec.info.replay_window = pol.replay_window;
    rec.info.udp_encapsulated = sa.floated;
    rec.ike_serial = sa.serial;
    rec.installed_ms = now;
    rec.role = qm.task.role();
    rec.hard_at_ms = hard_at_ms;
    rec.rekey_at_ms = rekey_at_ms;
    rec.peer_id = sa.peer_id;
    // The SA this one rekeys is retired.
    for (std::size_t i = ipsec_sas.size(); i-- > 0;)
        if (ipsec_sas[i].info.name == pol.name && ipsec_sas[i].info.peer.address == sa.peer.address &&
            ipsec_sas[i].rekey_started)
            remove_ipsec(i, DeleteReason::Rekeyed, true);
    ipsec_sas.push_back(rec);
    note_ipsec_due(rec);
    log->info("{} quick mode {:08x}: ipsec SA {} installed, SPI in {:08x} out {:08x}, {}{}", sa.name(),
              qm.task.message_id(), pol.name, pair.inbound.spi, pair.outbound.spi, c.proposal.name,
              c.pfs_group ? ", PFS" : "");
    callbacks.phase2_up(rec.info);
    return std::nullopt;
}

void Engine::Impl::refuse_quick_mode(IkeSa& sa, const QuickMode& qm, const Refusal& r)
{
    log->warn("{} quick mode {:08x}: ipsec SA {} failed: {}: {}", sa.name(), qm.task.message_id(), qm.task.sa_name(),
              to_string(r.reason), r.detail);
    send_notify(sa, r.notify, codec::ProtocolId::IpsecEsp, r.spi);
    if (r.peer_installed && qm.task.choice()) {
        // The responder installed before HASH(2): tell it to delete what we could not take.
        IpsecSaRecord gone;
        gone.info.protocol = qm.task.choice()->proposal.protocol;
        gone.info.inbound_spi = gone.info.protocol == sadb::Protocol::Esp ? qm.task.our_aux_spi() : qm.task.our_spi();
        gone.info.inbound_auxiliary_spi = qm.task.our_aux_spi();
        send_delete_ipsec(sa, gone);
    }
    Phase2Failure f;
    f.name = qm.task.sa_name();
    f.peer = sa.peer;
    f.reason = r.reason;
    f.detail = r.detail;
    f.notify = static_cast<std::uint16_t>(r.notify);
    callbacks.phase2_failed(f);
}

}  // namespace picsec::ike
