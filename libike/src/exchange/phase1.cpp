// Phase 1 (RFC 2409 5.1 signatures, 5.4 pre-shared keys): Main Mode (6
// messages) and Aggressive Mode (3 messages), as tasks building and checking
// their messages. What authenticates is in auth_signature.cpp.
#include "phase1_support.h"

#include "picsec/ike/negotiation/sa_payload.h"

#include "picsec/ike/crypto/nat_d.h"
#include "picsec/ike/crypto/prf.h"

#include <botan/hex.h>

#include <variant>

namespace picsec::ike {

using namespace detail;
using codec::ExchangeType;
using codec::PayloadType;

namespace detail {

const Bytes k_vid_rfc3947 = Botan::hex_decode("4a131c81070358455c5728f20e95452f");
const Bytes k_vid_dpd = Botan::hex_decode("afcad71368a1f1c96b8696fc77570100");

std::string hex(std::span<const std::uint8_t> b) { return Botan::hex_encode(b.data(), b.size(), false); }

crypto::HashAlgorithm prf_hash(const IkeSa& sa) { return sa.choice->proposal.hash; }

codec::IdPayload local_identity(const IkeSa& sa)
{
    codec::IdPayload id;
    const auto& configured = sa.policy->local_id;
    const auto& auth = sa.policy->authenticator;
    const bool signatures = auth && auth_method(sa) == crypto::AuthMethod::RsaSignatures;
    if (configured.empty() && signatures) {
        // RFC 2409 5.1 with certificates: our subject DN (ID_DER_ASN1_DN).
        id.data = codec::DerAsn1Dn{auth->local_subject()};
    } else if (configured.empty()) {
        id.data = codec::Ipv4Address{sa.local.address.octets};
    } else if (auto a = Ipv4Address::parse(configured)) {
        id.data = codec::Ipv4Address{a->octets};
    } else if (configured.find('@') != std::string::npos) {
        id.data = codec::UserFqdn{configured};
    } else if (auto der = auth && configured.find('=') != std::string::npos ? auth->encode_dn(configured) : Bytes{};
               !der.empty()) {
        id.data = codec::DerAsn1Dn{std::move(der)};
    } else {
        id.data = codec::Fqdn{configured};
    }
    return id;
}

std::vector<codec::RawPayload> nat_d_payloads(const IkeSa& sa, bool force, Botan::RandomNumberGenerator& rng)
{
    const auto h = prf_hash(sa);
    // RFC 3947 3.2: first the hash of the destination (peer), then of the source (us).
    const auto remote = crypto::nat_d_hash(h, sa.cky_i, sa.cky_r, sa.peer.address.octets, sa.peer.port);
    Bytes local;
    if (force) {
        // Pretend to be behind a NAT: a hash of an address we do not have.
        Bytes fake(4);
        rng.randomize(fake.data(), fake.size());
        local = crypto::nat_d_hash(h, sa.cky_i, sa.cky_r, fake, sa.local.port);
    } else {
        local = crypto::nat_d_hash(h, sa.cky_i, sa.cky_r, sa.local.address.octets, sa.local.port);
    }
    return {codec::make_payload(codec::NatDPayload{remote}), codec::make_payload(codec::NatDPayload{local})};
}

bool nat_detected(const IkeSa& sa, const codec::RawMessage& m)
{
    if (m.count(PayloadType::NatD) < 2)
        return false;
    const auto h = prf_hash(sa);
    const auto ours = crypto::nat_d_hash(h, sa.cky_i, sa.cky_r, sa.local.address.octets, sa.local.port);
    const auto theirs = crypto::nat_d_hash(h, sa.cky_i, sa.cky_r, sa.peer.address.octets, sa.peer.port);
    // The first NAT-D payload is the hash of the address the peer sent to (us).
    bool we_behind = m.find(PayloadType::NatD, 0)->body != ours;
    bool they_behind = true;
    for (std::size_t i = 1; i < m.count(PayloadType::NatD); ++i)
        they_behind = they_behind && m.find(PayloadType::NatD, i)->body != theirs;
    return we_behind || they_behind;
}

void note_vendor_ids(IkeSa& sa, const codec::RawMessage& m)
{
    for (const auto& p : m.payloads) {
        if (p.type != PayloadType::VendorId)
            continue;
        sa.peer_nat_t = sa.peer_nat_t || p.body == k_vid_rfc3947;
        sa.peer_dpd = sa.peer_dpd || p.body == k_vid_dpd;
    }
}

codec::RawPayload responder_lifetime_notify(codec::ProtocolId protocol, Bytes spi, std::uint32_t seconds)
{
    // RFC 2407 4.6.3.1: the SA is named by protocol and SPI, the data holds its life pairs.
    const codec::Lifetime life{codec::LifeType::Seconds, seconds};
    codec::NotifyPayload n;
    n.doi = codec::ipsec_doi;
    n.protocol = protocol;
    n.spi = std::move(spi);
    n.notify_type = codec::NotifyType::ResponderLifetime;
    n.data = codec::encode_responder_lifetime(std::span(&life, 1), protocol);
    return codec::make_payload(n);
}

negotiation::ResponderLifetime responder_lifetime(const codec::RawMessage& m,
                                                  spdlog::logger& log,
                                                  const std::string& who) {
    negotiation::ResponderLifetime out;
    for (std::size_t i = 0; const auto* raw = m.find(PayloadType::Notification, i); ++i) {
        auto n = codec::decode_body<codec::NotifyPayload>(*raw, codec::decode_notify, "Notify");
        if (!n || n->notify_type != codec::NotifyType::ResponderLifetime)
            continue;
        auto lifetimes = codec::decode_responder_lifetime(n->data, n->protocol);
        if (!lifetimes) {
            log.info("{}: RESPONDER-LIFETIME ignored: {}", who, codec::to_string(lifetimes.error()));
            continue;
        }
        log.info("{}: RESPONDER-LIFETIME received", who);
        if (auto s = codec::lifetime_of(*lifetimes, codec::LifeType::Seconds))
            out.seconds = static_cast<std::uint32_t>(std::min<std::uint64_t>(*s, 0xffffffffu));
        out.kilobytes = codec::lifetime_of(*lifetimes, codec::LifeType::Kilobytes);
    }
    return out;
}

}  // namespace detail

namespace {

std::vector<codec::RawPayload> our_vendor_ids()
{
    return {codec::make_payload(codec::VendorIdPayload{k_vid_rfc3947}),
            codec::make_payload(codec::VendorIdPayload{k_vid_dpd})};
}

}  // namespace

// RFC 2407 4.6.3.3: N(INITIAL-CONTACT) in the first authenticated message
// (Main Mode 5, Aggressive Mode 3) of our first phase 1 with this peer.
static std::optional<codec::RawPayload> initial_contact(const Engine::Impl& e, const IkeSa& sa)
{
    if (!e.config.send_initial_contact)
        return std::nullopt;
    if (auto it = e.contacted.find(sa.peer.address.to_uint()); it != e.contacted.end() && it->second)
        return std::nullopt;
    codec::NotifyPayload n;
    n.protocol = codec::ProtocolId::Isakmp;
    n.spi.assign(sa.cky_i.begin(), sa.cky_i.end());
    n.spi.insert(n.spi.end(), sa.cky_r.begin(), sa.cky_r.end());
    n.notify_type = codec::NotifyType::InitialContact;
    return codec::make_payload(n);
}

// Derives SKEYID and its descendants once both KE and both nonces are known
// (RFC 2409 5: SKEYID = prf(pre-shared-key, Ni_b | Nr_b) for pre-shared keys,
// prf(Ni_b | Nr_b, g^xy) for signatures).
static void derive_keys(Engine::Impl& e, IkeSa& sa, const Bytes& peer_ke)
{
    sa.g_xy = sa.dh->shared_secret(peer_ke);
    const auto& prop = sa.choice->proposal;
    crypto::SecureBytes skeyid;
    switch (prop.auth_method) {
    case crypto::AuthMethod::PreSharedKeys:
        skeyid = crypto::skeyid_pre_shared_key(prop.hash, sa.policy->pre_shared_key, sa.ni, sa.nr);
        break;
    case crypto::AuthMethod::RsaSignatures: skeyid = crypto::skeyid_signature(prop.hash, sa.ni, sa.nr, sa.g_xy); break;
    }
    crypto::Phase1Inputs in{prop.hash, prop.encryption, sa.g_xy, sa.g_xi, sa.g_xr, sa.cky_i, sa.cky_r};
    sa.keys = crypto::derive_phase1_keys(in, std::move(skeyid));
    sa.ivs.emplace(prop.hash, prop.encryption, sa.keys->iv);
    if (e.config.log_keys)
        e.log->debug("{}: [key logging] SKEYID_d {} SKEYID_a {} SKEYID_e {} Ka {}", sa.name(), hex(sa.keys->skeyid_d),
                     hex(sa.keys->skeyid_a), hex(sa.keys->skeyid_e), hex(sa.keys->ka));
}


// Initiator, message 2 of either mode: the responder's choice in its SA
// payload, which must be exactly one of the transforms we offered (RFC 2409
// 5). Empty when the SA payload is missing or malformed (the message rule
// check then names the problem); a ReplyError when it is not one we offered.
using Phase1Reply = std::variant<std::monostate, negotiation::Phase1Choice, negotiation::ReplyError>;

static Phase1Reply read_phase1_reply(Engine::Impl& e,
                                     const IkeSa& sa,
                                     const codec::RawMessage& m,
                                     const std::string& who) {
    if (m.count(PayloadType::SecurityAssociation) != 1)
        return std::monostate{};
    auto sa_p = typed<codec::SaPayload>(m.find(PayloadType::SecurityAssociation), codec::decode_sa, "SA", *e.log, who);
    if (!sa_p)
        return std::monostate{};
    auto offer = negotiation::to_phase1_offer(*sa_p);
    if (!offer) {
        e.log->info("{}: {}", who, codec::to_string(offer.error()));
        return std::monostate{};
    }
    auto accepted =
        negotiation::accept_phase1_reply(sa.policy->proposals, *offer, responder_lifetime(m, *e.log, who).seconds);
    if (auto* err = std::get_if<negotiation::ReplyError>(&accepted))
        return std::move(*err);
    return std::get<negotiation::Phase1Choice>(std::move(accepted));
}

void Engine::Impl::start_phase1(const IkePolicy& policy, Endpoint peer, std::string pending_sa)
{
    if (policy.proposals.empty()) {
        log->warn("peer {}: IKE policy has no proposals", peer.address.to_string());
        return;
    }
    auto& sa = new_sa(Role::Initiator, policy.mode, policy, peer);
    if (!pending_sa.empty())
        sa.pending.push_back(std::move(pending_sa));
    sa.lifecycle.handle(LifecycleEvent::Start);
    const auto offer = negotiation::build_phase1_offer(policy.proposals);
    auto sa_payload = codec::make_payload(negotiation::to_sa_payload(offer));
    sa.sa_i_b = sa_payload.body;
    std::vector<codec::RawPayload> payloads{sa_payload};
    ExchangeType ex = ExchangeType::IdentityProtection;
    if (policy.mode == ExchangeMode::Aggressive) {
        // RFC 2409 5.4: HDR, SA, KE, Ni, IDii -->. The group is fixed by the first proposal.
        ex = ExchangeType::Aggressive;
        sa.dh = crypto::DhKeyPair::generate(policy.proposals.front().group, rng);
        sa.g_xi = sa.dh->public_value();
        sa.ni = random_bytes(32);
        auto id = codec::make_payload(local_identity(sa));
        sa.id_i_b = id.body;
        payloads.push_back(codec::make_payload(codec::KePayload{sa.g_xi}));
        payloads.push_back(codec::make_payload(codec::NoncePayload{sa.ni}));
        payloads.push_back(id);
        for (auto& cr : certreq_payloads(sa))
            payloads.push_back(std::move(cr));
    }
    for (auto& v : our_vendor_ids())
        payloads.push_back(v);
    const auto bytes = build(sa, ex, 0, payloads, false);
    sa.next_in = 2;
    log->info("{} {} mode: phase 1 initiated, {} proposals offered", sa.name(), to_string(sa.mode),
              policy.proposals.size());
    send(sa, bytes);
    arm(sa.rtx, bytes);
}

void Engine::Impl::phase1_respond_first(const codec::RawMessage& m, std::span<const std::uint8_t> raw, Endpoint from,
                                        Endpoint to)
{
    const auto* policy = ike_policy_for(from.address);
    const std::string who = "peer " + from.address.to_string() + " [" + to_hex(m.header.initiator_cookie) + "]";
    if (!policy) {
        log->info("{}: no IKE policy for this peer, ignored", who);
        return;
    }
    if (ike_sas.size() >= config.max_ike_sas) {
        log->warn("{}: IKE SA table full ({}), ignored", who, ike_sas.size());
        return;
    }
    const auto mode =
        m.header.exchange_type == ExchangeType::Aggressive ? ExchangeMode::Aggressive : ExchangeMode::Main;
    if (mode != policy->mode) {
        // The exchange mode is the policy's: an Aggressive Mode answer would
        // carry HASH_R to anyone who asks, enough for an offline dictionary
        // attack on the pre-shared key. No answer, not even a notify.
        log->warn("{}: peer uses {} mode, the policy says {} mode: no answer", who, to_string(mode),
                  to_string(policy->mode));
        return;
    }
    if (!first_message_allowed(from.address, *policy))
        return;
    const auto* rule = find_rule(m.header.exchange_type, 1);
    if (auto err = check(*rule, m)) {
        log->info("{}: {}, ignored", who, codec::to_string(*err));
        return;
    }
    auto sa_body = typed<codec::SaPayload>(m.find(PayloadType::SecurityAssociation), codec::decode_sa, "SA", *log, who);
    if (!sa_body)
        return;
    auto offer = negotiation::to_phase1_offer(*sa_body);
    if (!offer) {
        log->info("{}: {}", who, codec::to_string(offer.error()));
        return;
    }
    // Without a certificate we cannot sign: rsa-signatures proposals do not match.
    auto selected = negotiation::select_phase1(*offer, policy->proposals, {policy->authenticator != nullptr});
    if (auto* report = std::get_if<negotiation::MismatchReport>(&selected)) {
        const auto line = report->to_string();
        log->warn("{} {} mode: phase 1 refused: {}", who, to_string(mode), line);
        send_unprotected_notify(to, from, m.header, codec::NotifyType::NoProposalChosen);
        Phase1Failure f;
        f.peer = from;
        f.initiator_cookie = m.header.initiator_cookie;
        f.reason = FailureReason::NoProposalChosen;
        f.detail = line;
        f.notify = static_cast<std::uint16_t>(codec::NotifyType::NoProposalChosen);
        callbacks.phase1_failed(f);
        return;
    }
    make_room_for_half_open(from.address);
    auto& sa = new_sa(Role::Responder, mode, *policy, from, m.header.initiator_cookie);
    sa.local = to;
    sa.choice = std::get<negotiation::Phase1Choice>(std::move(selected));
    sa.sa_i_b = m.find(PayloadType::SecurityAssociation)->body;
    sa.half_open_deadline_ms = now + config.timers.half_open_timeout_ms;
    note_vendor_ids(sa, m);
    sa.lifecycle.handle(LifecycleEvent::Start);
    log->info("{} {} mode: phase 1 responder, chose proposal {}", sa.name(), to_string(mode),
              sa.choice->proposal.name);
    std::vector<codec::RawPayload> out{codec::make_payload(negotiation::to_sa_payload(sa.choice->reply))};
    if (sa.choice->send_responder_lifetime) {
        Bytes cookies(sa.cky_i.begin(), sa.cky_i.end());
        cookies.insert(cookies.end(), sa.cky_r.begin(), sa.cky_r.end());
        out.push_back(responder_lifetime_notify(codec::ProtocolId::Isakmp, std::move(cookies),
                                                sa.choice->lifetime_seconds));
    }
    if (mode == ExchangeMode::Aggressive) {
        auto ke = typed<codec::KePayload>(m.find(PayloadType::KeyExchange), codec::decode_ke, "KE", *log, sa.name());
        auto ni = typed<codec::NoncePayload>(m.find(PayloadType::Nonce), codec::decode_nonce, "Nonce", *log, sa.name());
        if (!ke || !ni) {
            sa.lifecycle.handle(LifecycleEvent::Phase1Failed);
            return;
        }
        sa.g_xi = ke->data;
        sa.ni = ni->data;
        sa.id_i_b = m.find(PayloadType::Identification)->body;
        sa.dh = crypto::DhKeyPair::generate(sa.choice->proposal.group, rng);
        sa.g_xr = sa.dh->public_value();
        sa.nr = random_bytes(32);
        try {
            derive_keys(*this, sa, sa.g_xi);
        } catch (const std::exception& e) {
            fail_phase1(sa, FailureReason::Internal, std::string("KE: ") + e.what(),
                        codec::NotifyType::InvalidKeyInformation, true);
            return;
        }
        auto id = codec::make_payload(local_identity(sa));
        sa.id_r_b = id.body;
        out.push_back(codec::make_payload(codec::KePayload{sa.g_xr}));
        out.push_back(codec::make_payload(codec::NoncePayload{sa.nr}));
        out.push_back(id);
        try {
            // <-- HDR, SA, KE, Nr, IDir, HASH_R | [ CERT, ] SIG_R [, CERTREQ ]
            for (auto& p : phase1_auth_payloads(sa))
                out.push_back(std::move(p));
        } catch (const crypto::CryptoError& e) {
            fail_phase1(sa, FailureReason::Internal, e.what(), codec::NotifyType::AuthenticationFailed, true);
            return;
        }
        for (auto& cr : certreq_payloads(sa))
            out.push_back(std::move(cr));
        for (auto& v : our_vendor_ids())
            out.push_back(v);
        if (sa.peer_nat_t)
            for (auto& p : nat_d_payloads(sa, config.force_nat_t, rng))
                out.push_back(p);
    } else {
        for (auto& v : our_vendor_ids())
            out.push_back(v);
    }
    sa.next_in = 3;
    const auto bytes = build(sa, m.header.exchange_type, 0, out, false);
    // Until the peer is authenticated we never send by ourselves: the reply
    // is resent only when the request is (one datagram in, one out).
    sa.cache.remember(raw, bytes);
    sa.last_received.assign(raw.begin(), raw.end());
    send(sa, bytes);
}

bool Engine::Impl::phase1_process(IkeSa& sa, const codec::RawMessage& m)
{
    const bool aggressive = sa.mode == ExchangeMode::Aggressive;
    if ((m.header.exchange_type == ExchangeType::Aggressive) != aggressive || sa.established())
        return false;
    // Initiator, message 2: which rule applies depends on the authentication
    // method the responder chose (RFC 2409 5.1 SIG vs 5.4 HASH), so its
    // choice is read and checked against our offer before the rule.
    auto method = auth_method(sa);
    std::optional<negotiation::Phase1Choice> chosen;
    if (sa.role == Role::Initiator && sa.next_in == 2) {
        const std::string who = sa.name() + (aggressive ? " aggressive mode 2" : " main mode 2");
        auto reply = read_phase1_reply(*this, sa, m, who);
        if (auto* err = std::get_if<negotiation::ReplyError>(&reply)) {
            sa.cky_r = m.header.responder_cookie;
            fail_phase1(sa, FailureReason::NoProposalChosen, err->to_string(), codec::NotifyType::NoProposalChosen,
                        true);
            return true;
        }
        if (auto* c = std::get_if<negotiation::Phase1Choice>(&reply)) {
            method = c->proposal.auth_method;
            chosen = std::move(*c);
        }
    }
    const auto* rule = find_rule(m.header.exchange_type, sa.next_in, method);
    if (!rule)
        return false;
    if (auto err = check(*rule, m)) {
        log->info("{}: {}, dropped", sa.name(), codec::to_string(*err));
        return false;
    }
    const std::string who = sa.name() + " " + std::string(rule->name);
    if (log->should_log(spdlog::level::debug))
        log->debug("{}: <-- {}", who, m.summary());
    try {
        // Initiator, message 2 of either mode: the responder's SA choice.
        if (sa.role == Role::Initiator && sa.next_in == 2) {
            if (!chosen)
                return false;  // SA payload malformed: logged by read_phase1_reply
            sa.choice = std::move(*chosen);
            sa.cky_r = m.header.responder_cookie;
            sa.lifecycle.set_context(sa.name());
            note_vendor_ids(sa, m);
            if (!aggressive) {
                // HDR, KE, Ni [, NAT-D, NAT-D] -->
                sa.dh = crypto::DhKeyPair::generate(sa.choice->proposal.group, rng);
                sa.g_xi = sa.dh->public_value();
                sa.ni = random_bytes(32);
                // RFC 2409 5.1: [ CERTREQ ] after the nonce asks for the peer's certificate.
                std::vector<codec::RawPayload> out{codec::make_payload(codec::KePayload{sa.g_xi}),
                                            codec::make_payload(codec::NoncePayload{sa.ni})};
                for (auto& cr : certreq_payloads(sa))
                    out.push_back(std::move(cr));
                if (sa.peer_nat_t)
                    for (auto& p : nat_d_payloads(sa, config.force_nat_t, rng))
                        out.push_back(p);
                const auto bytes = build(sa, ExchangeType::IdentityProtection, 0, out, false);
                sa.next_in = 4;
                send(sa, bytes);
                arm(sa.rtx, bytes);
                return true;
            }
            // Aggressive: <-- HDR, SA, KE, Nr, IDir, HASH_R [, NAT-D, NAT-D]
            auto ke = typed<codec::KePayload>(m.find(PayloadType::KeyExchange), codec::decode_ke, "KE", *log, who);
            auto nr = typed<codec::NoncePayload>(m.find(PayloadType::Nonce), codec::decode_nonce, "Nonce", *log, who);
            if (!ke || !nr)
                return false;
            if (sa.choice->proposal.group != sa.dh->group()) {
                fail_phase1(sa, FailureReason::NoProposalChosen, "responder chose another DH group than our KE",
                            codec::NotifyType::NoProposalChosen, true);
                return true;
            }
            sa.g_xr = ke->data;
            sa.nr = nr->data;
            derive_keys(*this, sa, sa.g_xr);
            sa.id_r_b = m.find(PayloadType::Identification)->body;
            if (!phase1_authenticate_peer(sa, m, who))
                return true;
            sa.nat_detected = config.force_nat_t || nat_detected(sa, m);
            if (sa.nat_detected && sa.peer_nat_t)
                float_to_nat_t(sa, config.nat_t_port);
            // HDR*, HASH_I | [ CERT, ] SIG_I [, N(INITIAL-CONTACT)] [, NAT-D, NAT-D] -->
            std::vector<codec::RawPayload> out = phase1_auth_payloads(sa);
            if (auto n = initial_contact(*this, sa))
                out.push_back(std::move(*n));
            if (sa.peer_nat_t)
                for (auto& p : nat_d_payloads(sa, config.force_nat_t, rng))
                    out.push_back(p);
            const auto bytes = build(sa, ExchangeType::Aggressive, 0, out, true);
            sa.rtx.disarm();
            // A repeated message 2 means our message 3 was lost: answer it again.
            reply(sa, bytes);
            phase1_done(sa);
            return true;
        }
        // Responder, Main Mode message 3: <-- HDR, KE, Ni [, NAT-D, NAT-D]
        if (sa.role == Role::Responder && sa.next_in == 3 && !aggressive) {
            auto ke = typed<codec::KePayload>(m.find(PayloadType::KeyExchange), codec::decode_ke, "KE", *log, who);
            auto ni = typed<codec::NoncePayload>(m.find(PayloadType::Nonce), codec::decode_nonce, "Nonce", *log, who);
            if (!ke || !ni)
                return false;
            sa.g_xi = ke->data;
            sa.ni = ni->data;
            sa.dh = crypto::DhKeyPair::generate(sa.choice->proposal.group, rng);
            sa.g_xr = sa.dh->public_value();
            sa.nr = random_bytes(32);
            derive_keys(*this, sa, sa.g_xi);
            if (m.count(PayloadType::NatD) >= 2)
                sa.nat_detected = config.force_nat_t || nat_detected(sa, m);
            // <-- HDR, KE, Nr [, NAT-D, NAT-D]
            std::vector<codec::RawPayload> out{codec::make_payload(codec::KePayload{sa.g_xr}),
                                               codec::make_payload(codec::NoncePayload{sa.nr})};
            for (auto& cr : certreq_payloads(sa))
                out.push_back(std::move(cr));
            if (sa.peer_nat_t && m.count(PayloadType::NatD) >= 2)
                for (auto& p : nat_d_payloads(sa, config.force_nat_t, rng))
                    out.push_back(p);
            const auto bytes = build(sa, ExchangeType::IdentityProtection, 0, out, false);
            sa.next_in = 5;
            reply(sa, bytes);
            return true;
        }
        // Initiator, Main Mode message 4: <-- HDR, KE, Nr [, NAT-D, NAT-D]
        if (sa.role == Role::Initiator && sa.next_in == 4) {
            auto ke = typed<codec::KePayload>(m.find(PayloadType::KeyExchange), codec::decode_ke, "KE", *log, who);
            auto nr = typed<codec::NoncePayload>(m.find(PayloadType::Nonce), codec::decode_nonce, "Nonce", *log, who);
            if (!ke || !nr)
                return false;
            sa.g_xr = ke->data;
            sa.nr = nr->data;
            derive_keys(*this, sa, sa.g_xr);
            sa.nat_detected = m.count(PayloadType::NatD) >= 2 && (config.force_nat_t || nat_detected(sa, m));
            if (sa.nat_detected && sa.peer_nat_t)  // RFC 3947 4: float to the NAT-T port from message 5 on
                float_to_nat_t(sa, config.nat_t_port);
            // HDR*, IDii, HASH_I | [ CERT, ] SIG_I [, N(INITIAL-CONTACT)] -->
            auto id = codec::make_payload(local_identity(sa));
            sa.id_i_b = id.body;
            std::vector<codec::RawPayload> out{id};
            for (auto& p : phase1_auth_payloads(sa))
                out.push_back(std::move(p));
            if (auto n = initial_contact(*this, sa))
                out.push_back(std::move(*n));
            const auto bytes = build(sa, ExchangeType::IdentityProtection, 0, out, true);
            sa.next_in = 6;
            send(sa, bytes);
            arm(sa.rtx, bytes);
            return true;
        }
        // Responder, Main Mode 5: <-- HDR*, IDii, HASH_I; Aggressive 3: <-- HDR*, HASH_I
        if (sa.role == Role::Responder && ((sa.next_in == 5 && !aggressive) || (sa.next_in == 3 && aggressive))) {
            if (!aggressive) {
                auto id =
                    typed<codec::IdPayload>(m.find(PayloadType::Identification), codec::decode_id, "ID", *log, who);
                if (!id)
                    return false;
                sa.id_i_b = m.find(PayloadType::Identification)->body;
                log->info("{}: peer identity {}", sa.name(), codec::describe(*id));
            } else if (m.count(PayloadType::NatD) >= 2) {
                sa.nat_detected = config.force_nat_t || nat_detected(sa, m);
            }
            if (!phase1_authenticate_peer(sa, m, who))
                return true;
            for (std::size_t i = 0; const auto* raw = m.find(PayloadType::Notification, i); ++i) {
                auto n = codec::decode_body<codec::NotifyPayload>(*raw, codec::decode_notify, "Notify");
                if (n && n->notify_type == codec::NotifyType::InitialContact)
                    initial_contact_received(sa);
            }
            sa.rtx.disarm();
            if (!aggressive) {
                // <-- HDR*, IDir, HASH_R | [ CERT, ] SIG_R
                auto id = codec::make_payload(local_identity(sa));
                sa.id_r_b = id.body;
                std::vector<codec::RawPayload> out{id};
                for (auto& p : phase1_auth_payloads(sa))
                    out.push_back(std::move(p));
                const auto bytes = build(sa, ExchangeType::IdentityProtection, 0, out, true);
                reply(sa, bytes);
            }
            phase1_done(sa);
            return true;
        }
        // Initiator, Main Mode 6: <-- HDR*, IDir, HASH_R
        if (sa.role == Role::Initiator && sa.next_in == 6) {
            if (!m.find(PayloadType::Identification))
                return false;
            sa.id_r_b = m.find(PayloadType::Identification)->body;
            if (!phase1_authenticate_peer(sa, m, who))
                return true;
            sa.rtx.disarm();
            phase1_done(sa);
            return true;
        }
    } catch (const crypto::CryptoError& e) {
        fail_phase1(sa, FailureReason::Internal, e.what(), codec::NotifyType::InvalidKeyInformation, true);
        return true;
    }
    return false;
}

void Engine::Impl::phase1_done(IkeSa& sa)
{
    adopt_phase1_iv(sa);
    // Every message using the exchange material is built: keep only the keys
    // (an established SA's memory is what bounds how many a responder holds).
    sa.dh.reset();
    sa.g_xy.clear();
    sa.g_xy.shrink_to_fit();
    for (auto* b : {&sa.g_xi, &sa.g_xr, &sa.sa_i_b, &sa.id_i_b, &sa.id_r_b})
        detail::Bytes().swap(*b);
    sa.lifecycle.handle(LifecycleEvent::Phase1Done);
    sa.established_ms = now;
    sa.half_open_deadline_ms = 0;
    sa.next_in = 0;
    sa.last_drop.clear();
    contacted[sa.peer.address.to_uint()] = true;
    const std::uint64_t life_ms = std::uint64_t{sa.choice->lifetime_seconds} * 1000;
    sa.hard_at_ms = now + life_ms;
    if (sa.role == Role::Initiator)
        sa.rekey_at_ms = rekey_time(sa.hard_at_ms, life_ms);
    sa.dpd_next_ms = config.timers.dpd_interval_ms ? now + config.timers.dpd_interval_ms : 0;
    log->info("{} {} mode: phase 1 established, proposal {} lifetime {} s{}", sa.name(), to_string(sa.mode),
              sa.choice->proposal.name, sa.choice->lifetime_seconds, sa.floated ? ", NAT-T" : "");
    callbacks.phase1_up(info(sa));
    // A replacement SA retires the one it rekeyed.
    retire_rekeyed(sa);
    auto pending = std::move(sa.pending);
    sa.pending.clear();
    for (const auto& name : pending)
        if (const auto* p = ipsec_policy(name))
            start_quick_mode(sa, *p);
}

}  // namespace picsec::ike

namespace picsec::ike {

void Engine::Impl::initial_contact_received(IkeSa& sa)
{
    // RFC 2407 4.6.3.3: the peer has rebooted, so what it had with us is
    // gone. "The peer" is its authenticated identity at this address: hosts
    // behind one NAT or a concentrator share the address, not the identity,
    // and an SA still negotiating belongs to nobody yet.
    log->info("{}: INITIAL-CONTACT: removing older SAs of {}", sa.name(), sa.peer_id);
    for (auto& [c, other] : ike_sas)
        if (other.get() != &sa && other->peer.address == sa.peer.address && other->established() &&
            other->peer_id == sa.peer_id)
            kill(*other, DeleteReason::PeerDelete);
    for (std::size_t k = ipsec_sas.size(); k-- > 0;)
        if (ipsec_sas[k].info.peer.address == sa.peer.address && ipsec_sas[k].peer_id == sa.peer_id)
            remove_ipsec(k, DeleteReason::PeerDelete, false);
}

}  // namespace picsec::ike
