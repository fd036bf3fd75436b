// The Quick Mode task (RFC 2409 5.5): HASH(1)/(2)/(3), the SA offer and its
// selection, PFS, client IDs, NAT-OA, and KEYMAT for the SA pair it asks the
// engine to install.
#include "quick_mode_task.h"

#include "message_rules.h"
#include "payload_read.h"

#include "picsec/ike/codec/payload_hash.h"
#include "picsec/ike/codec/payload_ke.h"
#include "picsec/ike/codec/payload_nat_oa.h"
#include "picsec/ike/codec/payload_nonce.h"
#include "picsec/ike/codec/payload_sa.h"
#include "picsec/ike/crypto/phase2.h"
#include "picsec/ike/negotiation/sa_payload.h"

#include <array>

namespace picsec::ike::detail {

using codec::PayloadType;

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

std::vector<std::uint8_t> spi_bytes(std::uint32_t v)
{
    return {static_cast<std::uint8_t>(v >> 24), static_cast<std::uint8_t>(v >> 16), static_cast<std::uint8_t>(v >> 8),
            static_cast<std::uint8_t>(v)};
}

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

Bytes random_nonce(Botan::RandomNumberGenerator& rng)
{
    Bytes n(32);
    rng.randomize(n.data(), n.size());
    return n;
}

Bytes chain_after_hash(const codec::RawMessage& m)
{
    return codec::encode_chain(std::vector<codec::RawPayload>(m.payloads.begin() + 1, m.payloads.end()));
}

codec::RawPayload hash_payload(const crypto::SecureBytes& h)
{
    return codec::make_payload(codec::HashPayload{Bytes(h.begin(), h.end())});
}

// RFC 3947 5.2: transport mode over NAT-T sends both original addresses.
bool sends_nat_oa(const QuickModeContext& ctx, const IpsecSaPolicy& policy)
{
    return ctx.floated && policy.mode == sadb::Mode::Transport;
}

// [, NAT-OAi, NAT-OAr]: the initiator's and the responder's address as this side knows them.
void add_nat_oa(std::vector<codec::RawPayload>& out, Ipv4Address initiator, Ipv4Address responder)
{
    out.push_back(codec::make_payload(codec::NatOaPayload{codec::Ipv4Address{initiator.octets}}));
    out.push_back(codec::make_payload(codec::NatOaPayload{codec::Ipv4Address{responder.octets}}));
}

// Reads NAT-OAi, NAT-OAr; the peer's own address is NAT-OAi when it initiated.
// Anything but two IPv4 NAT-OA payloads is logged and yields nothing.
OriginalAddresses read_nat_oa(const codec::RawMessage& m, bool peer_initiated, const QuickModeContext& ctx)
{
    const auto n = m.count(PayloadType::NatOa);
    if (n == 0)
        return {};
    if (n != 2) {
        ctx.log.info("{}: NAT-OA ignored: need NAT-OAi and NAT-OAr (got {} payloads, need 2)", ctx.who, n);
        return {};
    }
    std::optional<Ipv4Address> addresses[2];
    for (std::size_t i = 0; i < 2; ++i) {
        auto oa = typed<codec::NatOaPayload>(m.find(PayloadType::NatOa, i), codec::decode_nat_oa, "NAT-OA", ctx.log,
                                             ctx.who);
        if (!oa)
            return {};
        if (const auto* a = std::get_if<codec::Ipv4Address>(&oa->address))
            addresses[i] = Ipv4Address{a->octets};
        else {
            ctx.log.info("{}: NAT-OA ignored: {} is not IPv4", ctx.who, codec::describe(*oa));
            return {};
        }
    }
    OriginalAddresses out;
    out.peer = addresses[peer_initiated ? 0 : 1];
    out.local = addresses[peer_initiated ? 1 : 0];
    ctx.log.info("{}: NAT-OA: peer's original address {}, ours as the peer sees it {}", ctx.who,
                 out.peer->to_string(), out.local->to_string());
    return out;
}

/// The SA, [KE,] Nonce and client IDs of a message 1 or 2, decoded.
struct Offered {
    negotiation::Phase2Offer offer;
    KeNonce kn;
    std::optional<ClientId> idci, idcr;
};

std::optional<Offered> read_offer(const QuickModeContext& ctx, const codec::RawMessage& m)
{
    auto kn = read_ke_nonce(m, false, ctx.log, ctx.who);
    auto sa_p = typed<codec::SaPayload>(m.find(PayloadType::SecurityAssociation), codec::decode_sa, "SA", ctx.log,
                                        ctx.who);
    if (!kn || !sa_p)
        return std::nullopt;
    auto offer = negotiation::to_phase2_offer(*sa_p);
    if (!offer) {
        ctx.log.info("{}: {}", ctx.who, codec::to_string(offer.error()));
        return std::nullopt;
    }
    Offered out{std::move(offer.value()), std::move(*kn), std::nullopt, std::nullopt};
    const auto ids = m.count(PayloadType::Identification);
    if (ids == 1) {
        ctx.log.info("{}: one client ID, RFC 2409 5.5 needs both or none, dropped", ctx.who);
        return std::nullopt;
    }
    if (ids == 2) {
        auto i1 = typed<codec::IdPayload>(m.find(PayloadType::Identification, 0), codec::decode_id, "IDci", ctx.log,
                                          ctx.who);
        auto i2 = typed<codec::IdPayload>(m.find(PayloadType::Identification, 1), codec::decode_id, "IDcr", ctx.log,
                                          ctx.who);
        if (!i1 || !i2)
            return std::nullopt;
        out.idci = client_id_from(*i1);
        out.idcr = client_id_from(*i2);
    }
    return out;
}

// The rule for message `number`, checked; false (logged) when it fails.
bool follows_rule(const QuickModeContext& ctx, unsigned number, const codec::RawMessage& m)
{
    if (auto err = check(*find_rule(codec::ExchangeType::QuickMode, number), m)) {
        ctx.log.info("{}: {}, dropped", ctx.who, codec::to_string(*err));
        return false;
    }
    return true;
}

// HASH(n) of the message verifies against `expect` (constant time).
bool hash_verifies(const QuickModeContext& ctx, const codec::RawMessage& m, const crypto::SecureBytes& expect,
                   const char* name)
{
    auto hash = typed<codec::HashPayload>(m.find(PayloadType::Hash), codec::decode_hash, "HASH", ctx.log, ctx.who);
    if (!hash)
        return false;
    if (!crypto::constant_time_equal(expect, hash->data)) {
        ctx.log.warn("{}: {} does not verify, dropped", ctx.who, name);
        return false;
    }
    return true;
}

}  // namespace

Refusal QuickModeTask::refusal(FailureReason reason, std::string detail, codec::NotifyType notify) const
{
    return Refusal{reason, std::move(detail), notify, spi_bytes(m_our_aux_spi), false};
}

Outcome QuickModeTask::abandon(FailureReason reason, std::string detail, codec::NotifyType notify) const
{
    Outcome out;
    out.accepted = true;
    out.refusal = refusal(reason, std::move(detail), notify);
    out.finished = true;
    return out;
}

std::pair<QuickModeTask, Outcome> QuickModeTask::initiate(const QuickModeContext& ctx, const IpsecSaPolicy& policy,
                                                          std::uint32_t message_id)
{
    QuickModeTask t(message_id, Role::Initiator);
    t.m_sa_name = policy.name;
    t.m_policy = &policy;
    t.m_p2 = negotiation::Phase2Policy{policy.proposals, policy.pfs_group, policy.mode, ctx.floated};
    auto offer = negotiation::build_phase2_offer(t.m_p2);
    t.m_our_spi = random_spi(ctx.rng);
    t.m_our_aux_spi = random_spi(ctx.rng);
    for (auto& p : offer.proposals)
        for (auto& proto : p.protocols)
            proto.spi = proto.protocol == negotiation::protocol_id::Ah ? t.m_our_spi : t.m_our_aux_spi;
    t.m_ni = random_nonce(ctx.rng);
    std::vector<codec::RawPayload> after{codec::make_payload(negotiation::to_sa_payload(offer)),
                                         codec::make_payload(codec::NoncePayload{t.m_ni})};
    if (policy.pfs_group) {
        t.m_dh = crypto::DhKeyPair::generate(*policy.pfs_group, ctx.rng);
        after.push_back(codec::make_payload(codec::KePayload{t.m_dh->public_value()}));
    }
    after.push_back(codec::make_payload(client_id_payload(policy.local_client)));
    after.push_back(codec::make_payload(client_id_payload(policy.peer_client)));
    // RFC 3947 5.2: [, NAT-OAi, NAT-OAr] - our address and the responder's, as we know them.
    if (sends_nat_oa(ctx, policy))
        add_nat_oa(after, ctx.local.address, ctx.peer.address);
    Outcome out;
    out.accepted = true;
    out.send.push_back(hash_payload(
        crypto::quick_mode_hash1(ctx.prf, ctx.skeyid_a, message_id, codec::encode_chain(after))));
    out.send.insert(out.send.end(), after.begin(), after.end());
    out.await_answer = true;
    ctx.log.info("{}: initiating ipsec SA {} ({} proposals{}), IDci {} IDcr {}", ctx.who, policy.name,
                 policy.proposals.size(), policy.pfs_group ? ", PFS" : "", policy.local_client.to_string(),
                 policy.peer_client.to_string());
    return {std::move(t), std::move(out)};
}

std::optional<std::pair<QuickModeTask, Outcome>> QuickModeTask::respond(const QuickModeContext& ctx,
                                                                        std::span<const IpsecSaPolicy> policies,
                                                                        const codec::RawMessage& m)
{
    // <-- HDR*, HASH(1), SA, Ni [, KE] [, IDci, IDcr] [, NAT-OAi, NAT-OAr]
    const auto msgid = m.header.message_id;
    if (!follows_rule(ctx, 1, m) ||
        !hash_verifies(ctx, m, crypto::quick_mode_hash1(ctx.prf, ctx.skeyid_a, msgid, chain_after_hash(m)),
                       "HASH(1)"))
        return std::nullopt;
    auto offered = read_offer(ctx, m);
    if (!offered)
        return std::nullopt;
    QuickModeTask t(msgid, Role::Responder);
    t.m_ni = offered->kn.nonce;
    const auto& idci = offered->idci;
    // RFC 2409 5.5: without client IDs the phase-1 addresses are the clients.
    const ClientId peer_client = idci.value_or(ClientId{ctx.peer.address, 32});
    const ClientId our_client = offered->idcr.value_or(ClientId{ctx.local.address, 32});
    // The peer's own SAs first, then SAs configured for any peer (0.0.0.0).
    for (const bool any_peer : {false, true}) {
        for (const auto& p : policies) {
            if (t.m_policy || p.peer != (any_peer ? Ipv4Address{} : ctx.peer.address))
                continue;
            // RFC 2401 4.4: the peer may propose selectors narrower than
            // our policy's (route-based es- tunnels use 0.0.0.0/0).
            if (!idci || (p.peer_client.contains(peer_client) && p.local_client.contains(our_client)))
                t.m_policy = &p;
        }
    }
    if (!t.m_policy) {
        t.m_sa_name = "?";
        auto out = t.abandon(FailureReason::NoPolicy,
                             "no ipsec SA for client IDs " + peer_client.to_string() + " <-> " + our_client.to_string(),
                             codec::NotifyType::InvalidIdInformation);
        return std::pair{std::move(t), std::move(out)};
    }
    t.m_sa_name = t.m_policy->name;
    t.m_p2 = negotiation::Phase2Policy{t.m_policy->proposals, t.m_policy->pfs_group, t.m_policy->mode, ctx.floated};
    auto selected = negotiation::select_phase2(offered->offer, t.m_p2);
    if (auto* report = std::get_if<negotiation::MismatchReport>(&selected)) {
        auto out = t.abandon(FailureReason::NoProposalChosen, report->to_string(), codec::NotifyType::NoProposalChosen);
        return std::pair{std::move(t), std::move(out)};
    }
    t.m_choice = std::get<negotiation::Phase2Choice>(std::move(selected));
    if (t.m_choice->pfs_group) {
        if (!offered->kn.ke) {
            auto out = t.abandon(FailureReason::NoProposalChosen, "PFS group offered without KE",
                                 codec::NotifyType::PayloadMalformed);
            return std::pair{std::move(t), std::move(out)};
        }
        t.m_dh = crypto::DhKeyPair::generate(*t.m_choice->pfs_group, ctx.rng);
        t.m_peer_ke = *offered->kn.ke;
    }
    t.m_nr = random_nonce(ctx.rng);
    t.m_our_spi = random_spi(ctx.rng);
    t.m_our_aux_spi = random_spi(ctx.rng);
    auto reply_p = t.m_choice->reply;
    for (auto& proto : reply_p.protocols)
        proto.spi = proto.protocol == negotiation::protocol_id::Ah ? t.m_our_spi : t.m_our_aux_spi;
    if (t.m_choice->proposal.protocol == sadb::Protocol::Esp)
        t.m_our_spi = t.m_our_aux_spi;
    // RFC 3947 5.2: the initiator's own address is its NAT-OAi.
    const bool nat_oa = sends_nat_oa(ctx, *t.m_policy);
    if (nat_oa)
        t.m_original = read_nat_oa(m, true, ctx);
    Outcome out;
    out.accepted = true;
    try {
        // Installed before answering, so a refusal (admission limit) is told
        // with NO-PROPOSAL-CHOSEN instead of HASH(2).
        out.install = t.pair(ctx);
    } catch (const std::exception& ex) {
        auto refused = t.abandon(FailureReason::InstallFailed, ex.what(), codec::NotifyType::NoProposalChosen);
        return std::pair{std::move(t), std::move(refused)};
    }
    // <-- HDR*, HASH(2), SA, Nr [, KE] [, IDci, IDcr] [, NAT-OAi, NAT-OAr] [, N(RESPONDER-LIFETIME)]
    std::vector<codec::RawPayload> after{
        codec::make_payload(negotiation::to_sa_payload(negotiation::Phase2Offer{{reply_p}})),
        codec::make_payload(codec::NoncePayload{t.m_nr})};
    if (t.m_dh)
        after.push_back(codec::make_payload(codec::KePayload{t.m_dh->public_value()}));
    if (idci) {
        after.push_back(*m.find(PayloadType::Identification, 0));
        after.push_back(*m.find(PayloadType::Identification, 1));
    }
    // RFC 3947 5.2: [, NAT-OAi, NAT-OAr] - the initiator's address as we see it, and ours.
    if (nat_oa)
        add_nat_oa(after, ctx.peer.address, ctx.local.address);
    if (t.m_choice->send_responder_lifetime) {
        // Names our SPI: the ESP one of a bundle, whose lifetime both protocols share.
        const bool ah_only = t.m_choice->proposal.protocol == sadb::Protocol::Ah;
        after.push_back(responder_lifetime_notify(ah_only ? codec::ProtocolId::IpsecAh : codec::ProtocolId::IpsecEsp,
                                                  spi_bytes(ah_only ? t.m_our_spi : t.m_our_aux_spi),
                                                  t.m_choice->lifetime_seconds));
    }
    out.send.push_back(
        hash_payload(crypto::quick_mode_hash2(ctx.prf, ctx.skeyid_a, msgid, t.m_ni, codec::encode_chain(after))));
    out.send.insert(out.send.end(), after.begin(), after.end());
    out.await_answer = true;
    return std::pair{std::move(t), std::move(out)};
}

Outcome QuickModeTask::on_message(const QuickModeContext& ctx, const codec::RawMessage& m)
{
    return m_role == Role::Initiator ? on_reply(ctx, m) : on_hash3(ctx, m);
}

Outcome QuickModeTask::on_reply(const QuickModeContext& ctx, const codec::RawMessage& m)
{
    // <-- HDR*, HASH(2), SA, Nr [, KE] [, IDci, IDcr]
    if (!follows_rule(ctx, 2, m) ||
        !hash_verifies(ctx, m,
                       crypto::quick_mode_hash2(ctx.prf, ctx.skeyid_a, m_message_id, m_ni, chain_after_hash(m)),
                       "HASH(2)"))
        return Outcome::dropped();
    auto offered = read_offer(ctx, m);
    if (!offered)
        return Outcome::dropped();
    m_nr = offered->kn.nonce;
    const auto rl = responder_lifetime(m, ctx.log, ctx.who);
    if (offered->offer.proposals.size() != 1)
        return abandon(FailureReason::NoProposalChosen, "reply must hold exactly one proposal",
                       codec::NotifyType::BadProposalSyntax);
    auto accepted = negotiation::accept_phase2_reply(m_p2, offered->offer.proposals.front(), rl);
    if (auto* err = std::get_if<negotiation::ReplyError>(&accepted))
        return abandon(FailureReason::NoProposalChosen, err->to_string(), codec::NotifyType::NoProposalChosen);
    m_choice = std::get<negotiation::Phase2Choice>(std::move(accepted));
    if (m_dh) {
        if (!offered->kn.ke)
            return abandon(FailureReason::NoProposalChosen, "PFS offered but the reply has no KE",
                           codec::NotifyType::PayloadMalformed);
        m_peer_ke = *offered->kn.ke;
    }
    // RFC 3947 5.2: the responder's own address is its NAT-OAr.
    if (sends_nat_oa(ctx, *m_policy))
        m_original = read_nat_oa(m, false, ctx);
    Outcome out;
    out.accepted = true;
    out.finished = true;
    try {
        out.install = pair(ctx);
    } catch (const std::exception& ex) {
        auto refused = abandon(FailureReason::InstallFailed, ex.what(), codec::NotifyType::NoProposalChosen);
        refused.refusal->peer_installed = true;
        return refused;
    }
    // HDR*, HASH(3) -->
    out.send.push_back(hash_payload(crypto::quick_mode_hash3(ctx.prf, ctx.skeyid_a, m_message_id, m_ni, m_nr)));
    return out;
}

Outcome QuickModeTask::on_hash3(const QuickModeContext& ctx, const codec::RawMessage& m) const
{
    // <-- HDR*, HASH(3): the responder's exchange is complete.
    if (!follows_rule(ctx, 3, m) ||
        !hash_verifies(ctx, m, crypto::quick_mode_hash3(ctx.prf, ctx.skeyid_a, m_message_id, m_ni, m_nr), "HASH(3)"))
        return Outcome::dropped();
    ctx.log.info("{}: quick mode complete for ipsec SA {}", ctx.who, m_sa_name);
    Outcome out;
    out.accepted = true;
    out.finished = true;
    return out;
}

DynamicSaPair QuickModeTask::pair(const QuickModeContext& ctx) const
{
    const auto& c = *m_choice;
    const auto protocol = c.proposal.protocol;
    std::uint32_t peer_ah = 0, peer_esp = 0;
    for (const auto& p : c.protocols) {
        if (p.protocol == negotiation::protocol_id::Ah)
            peer_ah = p.spi;
        else if (p.protocol == negotiation::protocol_id::Esp)
            peer_esp = p.spi;
    }
    crypto::SecureBytes g_qm_xy;
    if (m_dh)
        g_qm_xy = m_dh->shared_secret(m_peer_ke);
    // RFC 2409 5.5: KEYMAT of the SA a side receives on uses the SPI it chose.
    auto keys = [&](sadb::Protocol proto, std::uint32_t spi, std::optional<sadb::EncryptionAlgorithm> enc,
                    std::optional<sadb::AuthenticationAlgorithm> auth) {
        const auto sb = spi_bytes(spi);
        crypto::KeymatInputs in{ctx.prf, ctx.skeyid_d, g_qm_xy, proto, sb, m_ni, m_nr};
        return crypto::derive_sa_keys(in, enc, auth);
    };
    const auto& pol = *m_policy;
    auto base = [&](sadb::Direction d) {
        sadb::SaSpec s;
        s.name = pol.name;
        s.protocol = protocol;
        s.direction = d;
        s.mode = pol.mode;
        s.encryption = c.proposal.encryption;
        s.authentication = c.proposal.authentication;
        s.local_address = ctx.local.address.to_uint();
        s.peer_address = ctx.peer.address.to_uint();
        s.replay_window = pol.replay_window;
        s.extended_sequence_numbers = c.proposal.extended_sequence_numbers;
        s.lifetime.hard_seconds = c.lifetime_seconds;
        s.lifetime.hard_bytes = c.lifetime_kilobytes * 1024;
        if (ctx.floated) {
            s.udp_encapsulation = sadb::UdpEncapsulation{ctx.local.port, ctx.peer.port};
            // RFC 3948 3.1.2: inbound transport-mode checksums are fixed with these.
            if (m_original.peer)
                s.udp_encapsulation->peer_original_address = m_original.peer->to_uint();
            if (m_original.local)
                s.udp_encapsulation->local_original_address = m_original.local->to_uint();
        }
        s.dynamic = true;
        return s;
    };
    DynamicSaPair pair;
    pair.name = pol.name;
    pair.peer = ctx.peer.address;
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
    fill(pair.inbound, m_our_spi, m_our_aux_spi);
    fill(pair.outbound, peer_ah, peer_esp);
    return pair;
}

}  // namespace picsec::ike::detail
