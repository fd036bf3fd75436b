// Quick Mode (RFC 2409 5.5) with and without PFS, client IDs, and the
// installation of the negotiated SA pair through Callbacks::install_sa.
//   Initiator                         Responder
//   HDR*, HASH(1), SA, Ni [, KE] [, IDci, IDcr] [, NAT-OAi, NAT-OAr]  -->
//                <--  HDR*, HASH(2), SA, Nr [, KE] [, IDci, IDcr] [, NAT-OAi, NAT-OAr]
//   HDR*, HASH(3)                                -->
// NAT-OA (RFC 3947 5.2) only for a transport-mode SA over NAT-T.
#include "phase1_support.h"

#include "picsec/ike/negotiation/sa_payload.h"

#include "picsec/ike/codec/payload_nat_oa.h"

#include "picsec/ike/crypto/phase2.h"

namespace picsec::ike {

using namespace detail;
using codec::ExchangeType;
using codec::PayloadType;

namespace detail {

codec::IdPayload client_id_payload(const ClientId& c)
{
    codec::IdPayload id;
    const std::uint32_t mask = c.prefix_length == 0 ? 0 : ~std::uint32_t{0} << (32 - c.prefix_length);
    id.data = codec::Ipv4Subnet{codec::Ipv4Address{c.address.octets},
                                codec::Ipv4Address{Ipv4Address::from_uint(mask).octets}};
    return id;
}

std::optional<ClientId> client_id_from(const codec::IdPayload& p)
{
    if (const auto* a = std::get_if<codec::Ipv4Address>(&p.data))
        return ClientId{Ipv4Address{a->octets}, 32};
    if (const auto* s = std::get_if<codec::Ipv4Subnet>(&p.data)) {
        const auto mask = Ipv4Address{s->mask.octets}.to_uint();
        std::uint8_t len = 0;
        while (len < 32 && (mask & (0x80000000u >> len)))
            ++len;
        return ClientId{Ipv4Address{s->address.octets}, len};
    }
    return std::nullopt;
}

}  // namespace detail

namespace {

std::uint32_t random_spi(Botan::RandomNumberGenerator& rng)
{
    std::uint32_t v = 0;
    while (v < 0x10000) {  // clear of the manual SPI range 256..16639
        std::array<std::uint8_t, 4> b{};
        rng.randomize(b.data(), b.size());
        v = (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) | (std::uint32_t{b[2]} << 8) | b[3];
    }
    return v;
}

Bytes spi_bytes(std::uint32_t v)
{
    return {static_cast<std::uint8_t>(v >> 24), static_cast<std::uint8_t>(v >> 16), static_cast<std::uint8_t>(v >> 8),
            static_cast<std::uint8_t>(v)};
}

Bytes chain_after_hash(const codec::RawMessage& m)
{
    return codec::encode_chain(std::vector<codec::RawPayload>(m.payloads.begin() + 1, m.payloads.end()));
}

// RFC 3947 5.2: the original addresses a peer states in NAT-OA, as this
// side sees them; set only for a transport-mode SA over NAT-T.
struct OriginalAddresses {
    std::optional<Ipv4Address> peer;   ///< the peer's own address as the peer knows it
    std::optional<Ipv4Address> local;  ///< our address as the peer addresses it
};

// RFC 3947 5.2: transport mode over NAT-T sends both original addresses.
bool sends_nat_oa(const IkeSa& sa, const IpsecSaPolicy& policy)
{
    return sa.floated && policy.mode == sadb::Mode::Transport;
}

// [, NAT-OAi, NAT-OAr]: the initiator's and the responder's address as this side knows them.
std::vector<codec::RawPayload> nat_oa_payloads(Ipv4Address initiator, Ipv4Address responder)
{
    return {codec::make_payload(codec::NatOaPayload{codec::Ipv4Address{initiator.octets}}),
            codec::make_payload(codec::NatOaPayload{codec::Ipv4Address{responder.octets}})};
}

// Reads NAT-OAi, NAT-OAr; the peer's own address is NAT-OAi when it initiated.
// Anything but two IPv4 NAT-OA payloads is logged and yields nothing.
OriginalAddresses read_nat_oa(const codec::RawMessage& m,
                              bool peer_initiated,
                              spdlog::logger& log,
                              const std::string& who) {
    const auto n = m.count(PayloadType::NatOa);
    if (n == 0)
        return {};
    if (n != 2) {
        log.info("{}: NAT-OA ignored: need NAT-OAi and NAT-OAr (got {} payloads, need 2)", who, n);
        return {};
    }
    std::optional<Ipv4Address> addresses[2];
    for (std::size_t i = 0; i < 2; ++i) {
        auto oa = typed<codec::NatOaPayload>(m.find(PayloadType::NatOa, i), codec::decode_nat_oa, "NAT-OA", log, who);
        if (!oa)
            return {};
        if (const auto* a = std::get_if<codec::Ipv4Address>(&oa->address))
            addresses[i] = Ipv4Address{a->octets};
        else {
            log.info("{}: NAT-OA ignored: {} is not IPv4", who, codec::describe(*oa));
            return {};
        }
    }
    OriginalAddresses out;
    out.peer = addresses[peer_initiated ? 0 : 1];
    out.local = addresses[peer_initiated ? 1 : 0];
    log.info("{}: NAT-OA: peer's original address {}, ours as the peer sees it {}", who, out.peer->to_string(),
             out.local->to_string());
    return out;
}

}  // namespace

// Builds and installs the pair; returns false (nothing installed) when refused.
static bool install_pair(Engine::Impl& e, IkeSa& sa, QuickMode& qm, const OriginalAddresses& original,
                         std::string& why, bool& admission)
{
    const auto& c = *qm.choice;
    const auto protocol = c.proposal.protocol;
    std::uint32_t peer_ah = 0, peer_esp = 0;
    for (const auto& p : c.protocols) {
        if (p.protocol == negotiation::protocol_id::Ah)
            peer_ah = p.spi;
        else if (p.protocol == negotiation::protocol_id::Esp)
            peer_esp = p.spi;
    }
    crypto::SecureBytes g_qm_xy;
    if (qm.dh)
        g_qm_xy = qm.dh->shared_secret(qm.peer_ke);
    const auto hash = prf_hash(sa);
    // RFC 2409 5.5: KEYMAT of the SA a side receives on uses the SPI it chose.
    auto keys = [&](sadb::Protocol proto, std::uint32_t spi, std::optional<sadb::EncryptionAlgorithm> enc,
                    std::optional<sadb::AuthenticationAlgorithm> auth) {
        const auto sb = spi_bytes(spi);
        crypto::KeymatInputs in{hash, sa.keys->skeyid_d, g_qm_xy, proto, sb, qm.ni, qm.nr};
        return crypto::derive_sa_keys(in, enc, auth);
    };
    const auto& pol = *qm.policy;
    auto base = [&](sadb::Direction d) {
        sadb::SaSpec s;
        s.name = pol.name;
        s.protocol = protocol;
        s.direction = d;
        s.mode = pol.mode;
        s.encryption = c.proposal.encryption;
        s.authentication = c.proposal.authentication;
        s.local_address = sa.local.address.to_uint();
        s.peer_address = sa.peer.address.to_uint();
        s.replay_window = pol.replay_window;
        s.lifetime.hard_seconds = c.lifetime_seconds;
        s.lifetime.hard_bytes = c.lifetime_kilobytes * 1024;
        if (sa.floated) {
            s.udp_encapsulation = sadb::UdpEncapsulation{sa.local.port, sa.peer.port};
            // RFC 3948 3.1.2: inbound transport-mode checksums are fixed with these.
            if (original.peer)
                s.udp_encapsulation->peer_original_address = original.peer->to_uint();
            if (original.local)
                s.udp_encapsulation->local_original_address = original.local->to_uint();
        }
        s.dynamic = true;
        return s;
    };
    DynamicSaPair pair;
    pair.name = pol.name;
    pair.peer = sa.peer.address;
    pair.inbound = base(sadb::Direction::Inbound);
    pair.outbound = base(sadb::Direction::Outbound);
    auto fill = [&](sadb::SaSpec& s, std::uint32_t ah_spi, std::uint32_t esp_spi) {
        switch (protocol) {
        case sadb::Protocol::Ah: {
            s.spi = ah_spi;
            s.encryption.reset();
            auto k = keys(sadb::Protocol::Ah, ah_spi, std::nullopt, c.proposal.authentication);
            s.authentication_key = std::move(k.authentication_key);
            break;
        }
        case sadb::Protocol::Esp: {
            s.spi = esp_spi;
            auto k = keys(sadb::Protocol::Esp, esp_spi, c.proposal.encryption, c.proposal.authentication);
            s.encryption_key = std::move(k.encryption_key);
            s.authentication_key = std::move(k.authentication_key);
            break;
        }
        case sadb::Protocol::Bundle: {
            s.spi = ah_spi;
            s.auxiliary_spi = esp_spi;
            auto ka = keys(sadb::Protocol::Ah, ah_spi, std::nullopt, c.proposal.authentication);
            auto ke = keys(sadb::Protocol::Esp, esp_spi, c.proposal.encryption, std::nullopt);
            s.authentication_key = std::move(ka.authentication_key);
            s.encryption_key = std::move(ke.encryption_key);
            break;
        }
        }
    };
    fill(pair.inbound, qm.our_spi, qm.our_aux_spi);
    fill(pair.outbound, peer_ah, peer_esp);
    const auto result = e.callbacks.install_sa(pair);
    if (!result.ok()) {
        why = std::string(to_string(result.status)) + (result.reason.empty() ? "" : ": " + result.reason);
        admission = result.status == InstallResult::Status::AdmissionLimit;
        return false;
    }
    IpsecSaRecord rec;
    rec.info.name = pol.name;
    rec.info.local = sa.local;
    rec.info.peer = sa.peer;
    rec.info.protocol = protocol;
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
    rec.installed_ms = e.now;
    rec.role = qm.role;
    const std::uint64_t life_ms = std::uint64_t{c.lifetime_seconds} * 1000;
    rec.hard_at_ms = e.now + life_ms;
    rec.rekey_at_ms = e.rekey_time(rec.hard_at_ms, life_ms);
    rec.peer_id = sa.peer_id;
    // The SA this one rekeys is retired.
    for (std::size_t i = e.ipsec_sas.size(); i-- > 0;)
        if (e.ipsec_sas[i].info.name == pol.name && e.ipsec_sas[i].info.peer.address == sa.peer.address &&
            e.ipsec_sas[i].rekey_started)
            e.remove_ipsec(i, DeleteReason::Rekeyed, true);
    e.ipsec_sas.push_back(rec);
    e.log->info("{} quick mode {:08x}: ipsec SA {} installed, SPI in {:08x} out {:08x}, {}{}", sa.name(), qm.message_id,
                pol.name, pair.inbound.spi, pair.outbound.spi, c.proposal.name, c.pfs_group ? ", PFS" : "");
    e.callbacks.phase2_up(rec.info);
    return true;
}

// Logs a failed Quick Mode, tells the peer (RFC 2408 3.14.1) and reports it.
static void refuse_quick_mode(Engine::Impl& e, IkeSa& sa, const QuickMode& qm, const std::string& who,
                              FailureReason reason, std::string detail, codec::NotifyType notify)
{
    e.log->warn("{}: ipsec SA {} failed: {}: {}", who, qm.sa_name, to_string(reason), detail);
    e.send_notify(sa, notify, codec::ProtocolId::IpsecEsp, spi_bytes(qm.our_aux_spi));
    Phase2Failure f;
    f.name = qm.sa_name;
    f.peer = sa.peer;
    f.reason = reason;
    f.detail = std::move(detail);
    f.notify = static_cast<std::uint16_t>(notify);
    e.callbacks.phase2_failed(f);
}

// Installs the agreed pair; when that is refused (admission limit, install
// error), refuses the exchange with NO-PROPOSAL-CHOSEN and returns false.
static bool install_or_refuse(Engine::Impl& e, IkeSa& sa, QuickMode& qm, const OriginalAddresses& original,
                              const std::string& who)
{
    std::string why;
    bool admission = false;
    try {
        if (install_pair(e, sa, qm, original, why, admission))
            return true;
    } catch (const std::exception& ex) {
        why = ex.what();
    }
    refuse_quick_mode(e, sa, qm, who, admission ? FailureReason::AdmissionLimit : FailureReason::InstallFailed, why,
                      codec::NotifyType::NoProposalChosen);
    return false;
}

void Engine::Impl::start_quick_mode(IkeSa& sa, const IpsecSaPolicy& policy)
{
    const std::uint32_t msgid = new_message_id(sa);
    QuickMode qm;
    qm.message_id = msgid;
    qm.role = Role::Initiator;
    qm.sa_name = policy.name;
    qm.policy = &policy;
    qm.p2 = negotiation::Phase2Policy{policy.proposals, policy.pfs_group, policy.mode, sa.floated};
    qm.started_ms = now;
    auto offer = negotiation::build_phase2_offer(qm.p2);
    qm.our_spi = random_spi(rng);
    qm.our_aux_spi = random_spi(rng);
    for (auto& p : offer.proposals)
        for (auto& proto : p.protocols)
            proto.spi = proto.protocol == negotiation::protocol_id::Ah ? qm.our_spi : qm.our_aux_spi;
    qm.ni = random_bytes(32);
    std::vector<codec::RawPayload> after{codec::make_payload(negotiation::to_sa_payload(offer)),
                                         codec::make_payload(codec::NoncePayload{qm.ni})};
    if (policy.pfs_group) {
        qm.dh = crypto::DhKeyPair::generate(*policy.pfs_group, rng);
        after.push_back(codec::make_payload(codec::KePayload{qm.dh->public_value()}));
    }
    qm.idci = policy.local_client;
    qm.idcr = policy.peer_client;
    after.push_back(codec::make_payload(client_id_payload(qm.idci)));
    after.push_back(codec::make_payload(client_id_payload(qm.idcr)));
    // RFC 3947 5.2: [, NAT-OAi, NAT-OAr] - our address and the responder's, as we know them.
    if (sends_nat_oa(sa, policy))
        for (auto& p : nat_oa_payloads(sa.local.address, sa.peer.address))
            after.push_back(std::move(p));
    const auto h1 = crypto::quick_mode_hash1(prf_hash(sa), sa.keys->skeyid_a, msgid, codec::encode_chain(after));
    std::vector<codec::RawPayload> out{codec::make_payload(codec::HashPayload{Bytes(h1.begin(), h1.end())})};
    out.insert(out.end(), after.begin(), after.end());
    const auto bytes = build(sa, ExchangeType::QuickMode, msgid, out, true);
    log->info("{} quick mode {:08x}: initiating ipsec SA {} ({} proposals{}), IDci {} IDcr {}", sa.name(), msgid,
              policy.name, policy.proposals.size(), policy.pfs_group ? ", PFS" : "", qm.idci.to_string(),
              qm.idcr.to_string());
    arm(qm.rtx, bytes);
    sa.quick_modes.emplace(msgid, std::move(qm));
    send(sa, bytes);
}

bool Engine::Impl::quick_mode_process(IkeSa& sa, const codec::RawMessage& m)
{
    const auto msgid = m.header.message_id;
    auto it = sa.quick_modes.find(msgid);
    const unsigned number = it == sa.quick_modes.end() ? 1 : (it->second.role == Role::Initiator ? 2 : 3);
    const auto* rule = find_rule(ExchangeType::QuickMode, number);
    const std::string who = sa.name() + " quick mode " + fmt::format("{:08x}", msgid);
    if (auto err = check(*rule, m)) {
        log->info("{}: {}, dropped", who, codec::to_string(*err));
        return false;
    }
    auto hash = typed<codec::HashPayload>(m.find(PayloadType::Hash), codec::decode_hash, "HASH", *log, who);
    if (!hash)
        return false;
    const auto h = prf_hash(sa);
    const auto& a = sa.keys->skeyid_a;
    auto refuse = [&](QuickMode& qm, FailureReason reason, std::string detail, codec::NotifyType notify) {
        refuse_quick_mode(*this, sa, qm, who, reason, std::move(detail), notify);
    };
    // The initiator drops its exchange after refusing the reply.
    auto abandon = [&](QuickMode& qm, FailureReason reason, std::string detail, codec::NotifyType notify) {
        refuse(qm, reason, std::move(detail), notify);
        sa.quick_modes.erase(it);
        return true;
    };

    if (number == 3) {
        // <-- HDR*, HASH(3): the responder's exchange is complete.
        auto& qm = it->second;
        const auto expect = crypto::quick_mode_hash3(h, a, msgid, qm.ni, qm.nr);
        if (!crypto::constant_time_equal(expect, hash->data) || m.payloads.size() != 1) {
            log->warn("{}: HASH(3) does not verify, dropped", who);
            return false;
        }
        qm.rtx.disarm();
        log->info("{}: quick mode complete for ipsec SA {}", who, qm.sa_name);
        sa.quick_modes.erase(it);
        sa.ivs->forget(msgid);
        return true;
    }

    const auto rest = chain_after_hash(m);
    auto kn = read_ke_nonce(m, false, *log, who);
    auto sa_p = typed<codec::SaPayload>(m.find(PayloadType::SecurityAssociation), codec::decode_sa, "SA", *log, who);
    if (!kn || !sa_p)
        return false;
    auto offer = negotiation::to_phase2_offer(*sa_p);
    if (!offer) {
        log->info("{}: {}", who, codec::to_string(offer.error()));
        return false;
    }
    const auto& ke = kn->ke;
    std::optional<ClientId> idci, idcr;
    if (m.count(PayloadType::Identification) == 1)
        return false;  // RFC 2409 5.5: both client IDs or none
    if (m.count(PayloadType::Identification) == 2) {
        auto i1 = typed<codec::IdPayload>(m.find(PayloadType::Identification, 0), codec::decode_id, "IDci", *log, who);
        auto i2 = typed<codec::IdPayload>(m.find(PayloadType::Identification, 1), codec::decode_id, "IDcr", *log, who);
        if (!i1 || !i2)
            return false;
        idci = client_id_from(*i1);
        idcr = client_id_from(*i2);
    }

    if (number == 2) {
        // <-- HDR*, HASH(2), SA, Nr [, KE] [, IDci, IDcr]
        auto& qm = it->second;
        const auto expect = crypto::quick_mode_hash2(h, a, msgid, qm.ni, rest);
        if (!crypto::constant_time_equal(expect, hash->data)) {
            log->warn("{}: HASH(2) does not verify, dropped", who);
            return false;
        }
        qm.rtx.disarm();
        qm.nr = kn->nonce;
        const auto rl = responder_lifetime(m, *log, who);
        if (offer->proposals.size() != 1)
            return abandon(qm, FailureReason::NoProposalChosen, "reply must hold exactly one proposal",
                           codec::NotifyType::BadProposalSyntax);
        auto accepted = negotiation::accept_phase2_reply(qm.p2, offer->proposals.front(), rl);
        if (auto* err = std::get_if<negotiation::ReplyError>(&accepted))
            return abandon(qm, FailureReason::NoProposalChosen, err->to_string(), codec::NotifyType::NoProposalChosen);
        qm.choice = std::get<negotiation::Phase2Choice>(std::move(accepted));
        if (qm.dh) {
            if (!ke)
                return abandon(qm, FailureReason::NoProposalChosen, "PFS offered but the reply has no KE",
                               codec::NotifyType::PayloadMalformed);
            qm.peer_ke = *ke;
        }
        // RFC 3947 5.2: the responder's own address is its NAT-OAr.
        const auto original = sends_nat_oa(sa, *qm.policy) ? read_nat_oa(m, false, *log, who) : OriginalAddresses{};
        if (!install_or_refuse(*this, sa, qm, original, who)) {
            // Nothing installed here; the responder installed already, so tell it to delete.
            IpsecSaRecord gone;
            gone.info.protocol = qm.choice->proposal.protocol;
            gone.info.inbound_spi = qm.our_spi;
            gone.info.inbound_auxiliary_spi = qm.our_aux_spi;
            if (gone.info.protocol == sadb::Protocol::Esp)
                gone.info.inbound_spi = qm.our_aux_spi;
            send_delete_ipsec(sa, gone);
            sa.quick_modes.erase(it);
            return true;
        }
        // HDR*, HASH(3) -->
        const auto h3 = crypto::quick_mode_hash3(h, a, msgid, qm.ni, qm.nr);
        const auto bytes = build(sa, ExchangeType::QuickMode, msgid,
                                 {codec::make_payload(codec::HashPayload{Bytes(h3.begin(), h3.end())})}, true);
        reply(sa, bytes);
        sa.quick_modes.erase(it);
        sa.ivs->forget(msgid);
        return true;
    }

    // Responder, message 1: <-- HDR*, HASH(1), SA, Ni [, KE] [, IDci, IDcr]
    const auto expect = crypto::quick_mode_hash1(h, a, msgid, rest);
    if (!crypto::constant_time_equal(expect, hash->data)) {
        log->warn("{}: HASH(1) does not verify, dropped", who);
        return false;
    }
    QuickMode qm;
    qm.message_id = msgid;
    qm.role = Role::Responder;
    qm.ni = kn->nonce;
    qm.started_ms = now;
    // RFC 2409 5.5: without client IDs the phase-1 addresses are the clients.
    const ClientId peer_client = idci.value_or(ClientId{sa.peer.address, 32});
    const ClientId our_client = idcr.value_or(ClientId{sa.local.address, 32});
    // The peer's own SAs first, then SAs configured for any peer (0.0.0.0).
    for (const bool any_peer : {false, true}) {
        for (const auto& p : config.ipsec_policies) {
            if (qm.policy || p.peer != (any_peer ? Ipv4Address{} : sa.peer.address))
                continue;
            // RFC 2401 4.4: the peer may propose selectors narrower than
            // our policy's (route-based es- tunnels use 0.0.0.0/0).
            if (!idci || (p.peer_client.contains(peer_client) && p.local_client.contains(our_client)))
                qm.policy = &p;
        }
    }
    if (!qm.policy) {
        qm.sa_name = "?";
        refuse(qm, FailureReason::NoPolicy,
               "no ipsec SA for client IDs " + peer_client.to_string() + " <-> " + our_client.to_string(),
               codec::NotifyType::InvalidIdInformation);
        return true;
    }
    qm.sa_name = qm.policy->name;
    qm.p2 = negotiation::Phase2Policy{qm.policy->proposals, qm.policy->pfs_group, qm.policy->mode, sa.floated};
    auto selected = negotiation::select_phase2(*offer, qm.p2);
    if (auto* report = std::get_if<negotiation::MismatchReport>(&selected)) {
        refuse(qm, FailureReason::NoProposalChosen, report->to_string(), codec::NotifyType::NoProposalChosen);
        return true;
    }
    qm.choice = std::get<negotiation::Phase2Choice>(std::move(selected));
    if (qm.choice->pfs_group) {
        if (!ke) {
            refuse(qm, FailureReason::NoProposalChosen, "PFS group offered without KE",
                   codec::NotifyType::PayloadMalformed);
            return true;
        }
        qm.dh = crypto::DhKeyPair::generate(*qm.choice->pfs_group, rng);
        qm.peer_ke = *ke;
    }
    qm.nr = random_bytes(32);
    qm.our_spi = random_spi(rng);
    qm.our_aux_spi = random_spi(rng);
    auto reply_p = qm.choice->reply;
    for (auto& proto : reply_p.protocols)
        proto.spi = proto.protocol == negotiation::protocol_id::Ah ? qm.our_spi : qm.our_aux_spi;
    if (qm.choice->proposal.protocol == sadb::Protocol::Esp)
        qm.our_spi = qm.our_aux_spi;
    // RFC 3947 5.2: the initiator's own address is its NAT-OAi.
    const bool nat_oa = sends_nat_oa(sa, *qm.policy);
    const auto original = nat_oa ? read_nat_oa(m, true, *log, who) : OriginalAddresses{};
    // Install before answering, so a refusal (admission limit) is told with
    // NO-PROPOSAL-CHOSEN instead of HASH(2) and nothing is left half-installed.
    if (!install_or_refuse(*this, sa, qm, original, who))
        return true;
    qm.installed = true;
    // <-- HDR*, HASH(2), SA, Nr [, KE] [, IDci, IDcr] [, N(RESPONDER-LIFETIME)]
    std::vector<codec::RawPayload> after{
        codec::make_payload(negotiation::to_sa_payload(negotiation::Phase2Offer{{reply_p}})),
        codec::make_payload(codec::NoncePayload{qm.nr})};
    if (qm.dh)
        after.push_back(codec::make_payload(codec::KePayload{qm.dh->public_value()}));
    if (idci) {
        after.push_back(*m.find(PayloadType::Identification, 0));
        after.push_back(*m.find(PayloadType::Identification, 1));
    }
    // RFC 3947 5.2: [, NAT-OAi, NAT-OAr] - the initiator's address as we see it, and ours.
    if (nat_oa)
        for (auto& p : nat_oa_payloads(sa.peer.address, sa.local.address))
            after.push_back(std::move(p));
    if (qm.choice->send_responder_lifetime) {
        // Names our SPI: the ESP one of a bundle, whose lifetime both protocols share.
        const bool ah_only = qm.choice->proposal.protocol == sadb::Protocol::Ah;
        after.push_back(responder_lifetime_notify(ah_only ? codec::ProtocolId::IpsecAh : codec::ProtocolId::IpsecEsp,
                                                  spi_bytes(ah_only ? qm.our_spi : qm.our_aux_spi),
                                                  qm.choice->lifetime_seconds));
    }
    const auto h2 = crypto::quick_mode_hash2(h, a, msgid, qm.ni, codec::encode_chain(after));
    std::vector<codec::RawPayload> out{codec::make_payload(codec::HashPayload{Bytes(h2.begin(), h2.end())})};
    out.insert(out.end(), after.begin(), after.end());
    const auto bytes = build(sa, ExchangeType::QuickMode, msgid, out, true);
    qm.cache.remember(inbound.raw, bytes);
    arm(qm.rtx, bytes);
    sa.quick_modes.emplace(msgid, std::move(qm));
    send(sa, bytes);
    return true;
}

}  // namespace picsec::ike
