// Informational exchanges' engine side (RFC 2409 5.7): sending protected
// Notify and Delete and unprotected error notifies, applying what a received
// Informational asks (informational_task.cpp reads it), and DPD (RFC 3706).
#include "engine_impl.h"
#include "informational_task.h"

#include "picsec/ike/codec/payload_delete.h"
#include "picsec/ike/codec/payload_hash.h"
#include "picsec/ike/crypto/phase2.h"

namespace picsec::ike {

using namespace detail;
using codec::ExchangeType;
using codec::PayloadType;

namespace {

Bytes cookies(const IkeSa& sa)
{
    Bytes b(sa.cky_i.begin(), sa.cky_i.end());
    b.insert(b.end(), sa.cky_r.begin(), sa.cky_r.end());
    return b;
}

}  // namespace

// HDR*, HASH(1), N/D --> with HASH(1) = prf(SKEYID_a, M-ID | N/D) (RFC 2409 5.7).
static void send_protected(Engine::Impl& e, IkeSa& sa, const std::vector<codec::RawPayload>& body)
{
    const std::uint32_t msgid = e.new_message_id(sa);
    const auto h = crypto::informational_hash(prf_hash(sa), sa.keys->skeyid_a, msgid, codec::encode_chain(body));
    std::vector<codec::RawPayload> out{codec::make_payload(codec::HashPayload{Bytes(h.begin(), h.end())})};
    out.insert(out.end(), body.begin(), body.end());
    const auto bytes = e.build(sa, ExchangeType::Informational, msgid, out, true);
    sa.ivs->forget(msgid);
    // IKEv1 protects both directions with the same keys: our own message
    // reflected back would verify, so its message ID counts as used.
    sa.complete(msgid);
    e.send(sa, bytes);
}

void Engine::Impl::send_notify(IkeSa& sa, codec::NotifyType type, codec::ProtocolId proto, Bytes spi, Bytes data)
{
    if (!sa.keys || !sa.ivs)
        return;
    codec::NotifyPayload n;
    n.doi = codec::ipsec_doi;
    n.protocol = proto;
    n.spi = proto == codec::ProtocolId::Isakmp && spi.empty() ? cookies(sa) : std::move(spi);
    n.notify_type = type;
    n.data = std::move(data);
    log->info("{} informational: --> N({})", sa.name(), codec::to_string(type));
    send_protected(*this, sa, {codec::make_payload(n)});
}

void Engine::Impl::send_unprotected_notify(Endpoint local, Endpoint peer, const codec::Header& about,
                                           codec::NotifyType type)
{
    // RFC 2408 5.1 / 4.8: an error before keys exist goes out in the clear.
    codec::NotifyPayload n;
    n.doi = codec::ipsec_doi;
    n.protocol = codec::ProtocolId::Isakmp;
    n.spi.assign(about.initiator_cookie.begin(), about.initiator_cookie.end());
    n.spi.insert(n.spi.end(), about.responder_cookie.begin(), about.responder_cookie.end());
    n.notify_type = type;
    const auto payload = codec::make_payload(n);
    codec::Header h;
    h.initiator_cookie = about.initiator_cookie;
    h.responder_cookie = about.responder_cookie;
    h.next_payload = PayloadType::Notification;
    h.exchange_type = ExchangeType::Informational;
    const auto body = codec::encode_chain({payload});
    codec::Writer w;
    codec::write_header(w, h, static_cast<std::uint32_t>(codec::header_size + body.size()));
    w.bytes(body);
    log->info("peer {} [{}]: --> unprotected N({})", peer.address.to_string(), to_hex(about.initiator_cookie),
              codec::to_string(type));
    callbacks.message_sent(detail::message_event(local, peer, h, codec::header_size + body.size(), {payload}));
    Bytes bytes = w.take();
    if (local.port == config.nat_t_port && config.nat_t_port != config.local.port)
        bytes.insert(bytes.begin(), 4, 0);
    callbacks.send_datagram(local, peer, bytes);
}

void Engine::Impl::send_delete_ike(IkeSa& sa)
{
    if (!sa.keys || !sa.ivs)
        return;
    codec::DeletePayload d;
    d.protocol = codec::ProtocolId::Isakmp;
    d.spi_size = 16;
    d.spis = {cookies(sa)};
    log->info("{} informational: --> D(ISAKMP)", sa.name());
    send_protected(*this, sa, {codec::make_payload(d)});
}

void Engine::Impl::send_delete_ipsec(IkeSa& sa, const IpsecSaRecord& rec)
{
    if (!sa.keys || !sa.ivs)
        return;
    auto spi = [](std::uint32_t v) {
        return Bytes{static_cast<std::uint8_t>(v >> 24), static_cast<std::uint8_t>(v >> 16),
                     static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)};
    };
    std::vector<codec::RawPayload> body;
    // We name our inbound SPIs: the ones the peer sends to (RFC 2408 3.15).
    switch (rec.info.protocol) {
    case sadb::Protocol::Ah:
        body.push_back(codec::make_payload(codec::DeletePayload{codec::ipsec_doi, codec::ProtocolId::IpsecAh, 4,
                                                         {spi(rec.info.inbound_spi)}}));
        break;
    case sadb::Protocol::Esp:
        body.push_back(codec::make_payload(codec::DeletePayload{codec::ipsec_doi, codec::ProtocolId::IpsecEsp, 4,
                                                         {spi(rec.info.inbound_spi)}}));
        break;
    case sadb::Protocol::Bundle:
        body.push_back(codec::make_payload(codec::DeletePayload{codec::ipsec_doi, codec::ProtocolId::IpsecAh, 4,
                                                         {spi(rec.info.inbound_spi)}}));
        body.push_back(codec::make_payload(codec::DeletePayload{codec::ipsec_doi, codec::ProtocolId::IpsecEsp, 4,
                                                         {spi(rec.info.inbound_auxiliary_spi)}}));
        break;
    }
    log->info("{} informational: --> D({} SPI {:08x})", sa.name(), sadb::to_string(rec.info.protocol),
              rec.info.inbound_spi);
    send_protected(*this, sa, body);
}

void Engine::Impl::remove_ipsec(std::size_t index, DeleteReason reason, bool tell_peer)
{
    const IpsecSaRecord rec = ipsec_sas[index];
    ipsec_sas.erase(ipsec_sas.begin() + static_cast<std::ptrdiff_t>(index));
    if (tell_peer) {
        if (auto* v2 = v2_find(rec.ike_serial); v2 && v2->established()) {
            // RFC 7296 1.4.1: we name our inbound SPI.
            ike::v2::DeletePayload d;
            d.protocol = rec.info.protocol == sadb::Protocol::Ah ? ike::v2::ProtocolId::Ah : ike::v2::ProtocolId::Esp;
            const auto spi = rec.info.inbound_spi;
            d.spis.push_back({static_cast<std::uint8_t>(spi >> 24), static_cast<std::uint8_t>(spi >> 16),
                              static_cast<std::uint8_t>(spi >> 8), static_cast<std::uint8_t>(spi)});
            v2_request(*v2, {d});
        } else if (auto* sa = find_established(rec.info.peer.address)) {
            send_delete_ipsec(*sa, rec);
        }
    }
    log->info("ipsec SA {} peer {} SPI in {:08x} out {:08x}: removed ({})", rec.info.name,
              rec.info.peer.address.to_string(), rec.info.inbound_spi, rec.info.outbound_spi, to_string(reason));
    callbacks.delete_sa(SaPairId{rec.info.name, rec.info.peer.address, rec.info.protocol, rec.info.inbound_spi,
                                 rec.info.outbound_spi});
    callbacks.ipsec_sa_deleted(rec.info, reason);
}

bool Engine::Impl::informational_process(IkeSa& sa, const codec::RawMessage& m)
{
    const InformationalContext ctx{sa.keys.has_value(),
                                   sa.choice ? prf_hash(sa) : crypto::HashAlgorithm::Sha1,
                                   sa.keys ? crypto::ByteView(sa.keys->skeyid_a) : crypto::ByteView{},
                                   sa.cky_i,
                                   sa.cky_r,
                                   sa.lifecycle.state() == LifecycleState::Negotiating,
                                   inbound.from == sa.peer,
                                   inbound.from.to_string(),
                                   *log,
                                   sa.name() + " informational"};
    return apply(sa, read_informational(ctx, m));
}

bool Engine::Impl::apply(IkeSa& sa, InformationalOutcome out)
{
    if (!out.accepted) {
        if (out.drop_cause)
            sa.last_drop = *out.drop_cause;
        return false;
    }
    for (const auto& data : out.dpd_requests)
        send_notify(sa, codec::NotifyType::RUThereAck, codec::ProtocolId::Isakmp, cookies(sa), data);
    if (out.dpd_ack)
        sa.dpd_outstanding = 0;
    for (const auto& refused : out.quick_mode_refused)
        quick_mode_refused(sa, refused);
    for (const auto spi : out.deleted_spis)
        for (std::size_t i = ipsec_sas.size(); i-- > 0;) {
            const auto& r = ipsec_sas[i].info;
            if (r.peer.address == sa.peer.address && (r.outbound_spi == spi || r.outbound_auxiliary_spi == spi)) {
                log->info("{} informational: <-- D({:08x}): peer deleted ipsec SA {}", sa.name(), spi, r.name);
                remove_ipsec(i, DeleteReason::PeerDelete, false);
            }
        }
    if (out.phase1_refused)
        fail_phase1(sa, FailureReason::PeerNotify, "peer sent " + codec::to_string(*out.phase1_refused),
                    *out.phase1_refused, false);
    if (out.delete_ike)
        kill(sa, DeleteReason::PeerDelete);
    return true;
}

void Engine::Impl::quick_mode_refused(IkeSa& sa, const QuickModeRefused& refused)
{
    // Our Quick Mode the SPI names; with one in flight, that one whatever the SPI says.
    for (auto it = sa.quick_modes.begin(); it != sa.quick_modes.end(); ++it) {
        const auto& task = it->second.task;
        const bool named = refused.spi == 0 || refused.spi == task.our_spi() || refused.spi == task.our_aux_spi();
        if (task.role() != Role::Initiator || (!named && sa.quick_modes.size() > 1))
            continue;
        log->warn("{} informational: ipsec SA {} refused by peer: {}", sa.name(), task.sa_name(),
                  codec::to_string(refused.notify));
        Phase2Failure f;
        f.name = task.sa_name();
        f.peer = sa.peer;
        f.reason = refused.notify == codec::NotifyType::NoProposalChosen ? FailureReason::NoProposalChosen
                                                                         : FailureReason::PeerNotify;
        f.detail = "peer sent " + codec::to_string(refused.notify);
        f.notify = static_cast<std::uint16_t>(refused.notify);
        sa.quick_modes.erase(it);
        callbacks.phase2_failed(f);
        return;
    }
}

void Engine::Impl::dpd_tick(IkeSa& sa)
{
    // RFC 3706 5: R-U-THERE only when idle and only to a peer that announced DPD.
    if (config.timers.dpd_interval_ms == 0 || !sa.peer_dpd || sa.dpd_next_ms == 0 || now < sa.dpd_next_ms)
        return;
    if (now - sa.last_heard_ms < config.timers.dpd_interval_ms && sa.dpd_outstanding == 0) {
        sa.dpd_next_ms = sa.last_heard_ms + config.timers.dpd_interval_ms;
        return;
    }
    if (sa.dpd_outstanding >= config.timers.dpd_max_retries) {
        log->warn("{}: peer dead (no R-U-THERE-ACK after {} tries)", sa.name(), sa.dpd_outstanding);
        for (std::size_t i = ipsec_sas.size(); i-- > 0;)
            if (ipsec_sas[i].info.peer.address == sa.peer.address)
                remove_ipsec(i, DeleteReason::PeerDead, false);
        kill(sa, DeleteReason::PeerDead);
        return;
    }
    ++sa.dpd_seq;
    ++sa.dpd_outstanding;
    const Bytes seq{static_cast<std::uint8_t>(sa.dpd_seq >> 24), static_cast<std::uint8_t>(sa.dpd_seq >> 16),
                    static_cast<std::uint8_t>(sa.dpd_seq >> 8), static_cast<std::uint8_t>(sa.dpd_seq)};
    send_notify(sa, codec::NotifyType::RUThere, codec::ProtocolId::Isakmp, cookies(sa), seq);
    sa.dpd_next_ms = now + config.timers.retransmit_base_ms * (1u << std::min(sa.dpd_outstanding, 8u));
}

}  // namespace picsec::ike
