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
    if (!sa.lifecycle.handle(LifecycleEvent::Start))
        return;
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
    // Aggressive Mode 1 carries KE and Ni: read before any state exists.
    std::optional<KeNonce> kn;
    if (mode == ExchangeMode::Aggressive && !(kn = read_ke_nonce(m, true, *log, who)))
        return;
    make_room_for_half_open(from.address);
    auto& sa = new_sa(Role::Responder, mode, *policy, from, m.header.initiator_cookie);
    sa.local = to;
    sa.choice = std::get<negotiation::Phase1Choice>(std::move(selected));
    sa.sa_i_b = m.find(PayloadType::SecurityAssociation)->body;
    note_vendor_ids(sa, m);
    if (!sa.lifecycle.handle(LifecycleEvent::Start))
        return;
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
        sa.g_xi = std::move(*kn->ke);
        sa.ni = std::move(kn->nonce);
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

namespace {

/// What a phase-1 step handler is given: the message (its rule checked) and,
/// at initiator message 2, the responder's choice already read.
struct Phase1Input {
    Engine::Impl& e;
    IkeSa& sa;
    const codec::RawMessage& m;
    const std::string& who;
    std::optional<negotiation::Phase1Choice> chosen;
};

/// A step handler: true when the message was taken (answered, or phase 1
/// failed), false when it is dropped and nothing changed.
using Phase1Handler = bool (*)(Phase1Input&);

// HDR, KE, Ni [, CERTREQ] [, NAT-D, NAT-D] --> (Main Mode 3) from our
// fresh DH pair and nonce.
std::vector<codec::RawPayload> ke_nonce_payloads(Engine::Impl& e, IkeSa& sa, bool nat_d)
{
    std::vector<codec::RawPayload> out{codec::make_payload(codec::KePayload{sa.role == Role::Initiator ? sa.g_xi : sa.g_xr}),
                                       codec::make_payload(codec::NoncePayload{sa.role == Role::Initiator ? sa.ni : sa.nr})};
    // RFC 2409 5.1: [ CERTREQ ] after the nonce asks for the peer's certificate.
    for (auto& cr : e.certreq_payloads(sa))
        out.push_back(std::move(cr));
    if (nat_d)
        for (auto& p : nat_d_payloads(sa, e.config.force_nat_t, e.rng))
            out.push_back(p);
    return out;
}

// Both modes, initiator, message 2: the responder's choice and cookie.
void take_choice(Phase1Input& in)
{
    in.sa.choice = std::move(*in.chosen);
    in.sa.cky_r = in.m.header.responder_cookie;
    in.sa.lifecycle.set_context(in.sa.name());
    note_vendor_ids(in.sa, in.m);
}

// Main Mode, initiator: <-- HDR, SA  then  HDR, KE, Ni [, NAT-D, NAT-D] -->
bool main_mode_2(Phase1Input& in)
{
    auto& [e, sa, m, who, chosen] = in;
    take_choice(in);
    sa.dh = crypto::DhKeyPair::generate(sa.choice->proposal.group, e.rng);
    sa.g_xi = sa.dh->public_value();
    sa.ni = e.random_bytes(32);
    const auto bytes = e.build(sa, ExchangeType::IdentityProtection, 0, ke_nonce_payloads(e, sa, sa.peer_nat_t), false);
    sa.next_in = 4;
    e.send(sa, bytes);
    e.arm(sa.rtx, bytes);
    return true;
}

// Main Mode, responder: <-- HDR, KE, Ni [, NAT-D, NAT-D]  then  HDR, KE, Nr [, NAT-D, NAT-D] -->
bool main_mode_3(Phase1Input& in)
{
    auto& [e, sa, m, who, chosen] = in;
    auto kn = read_ke_nonce(m, true, *e.log, who);
    if (!kn)
        return false;
    sa.g_xi = std::move(*kn->ke);
    sa.ni = std::move(kn->nonce);
    sa.dh = crypto::DhKeyPair::generate(sa.choice->proposal.group, e.rng);
    sa.g_xr = sa.dh->public_value();
    sa.nr = e.random_bytes(32);
    derive_keys(e, sa, sa.g_xi);
    const bool nat_d = m.count(PayloadType::NatD) >= 2;
    if (nat_d)
        sa.nat_detected = e.config.force_nat_t || nat_detected(sa, m);
    const auto bytes =
        e.build(sa, ExchangeType::IdentityProtection, 0, ke_nonce_payloads(e, sa, sa.peer_nat_t && nat_d), false);
    sa.next_in = 5;
    e.reply(sa, bytes);
    return true;
}

// Main Mode, initiator: <-- HDR, KE, Nr [, NAT-D, NAT-D]
// then HDR*, IDii, HASH_I | [ CERT, ] SIG_I [, N(INITIAL-CONTACT)] -->
bool main_mode_4(Phase1Input& in)
{
    auto& [e, sa, m, who, chosen] = in;
    auto kn = read_ke_nonce(m, true, *e.log, who);
    if (!kn)
        return false;
    sa.g_xr = std::move(*kn->ke);
    sa.nr = std::move(kn->nonce);
    derive_keys(e, sa, sa.g_xr);
    sa.nat_detected = m.count(PayloadType::NatD) >= 2 && (e.config.force_nat_t || nat_detected(sa, m));
    if (sa.nat_detected && sa.peer_nat_t)  // RFC 3947 4: float to the NAT-T port from message 5 on
        e.float_to_nat_t(sa, Endpoint{sa.peer.address, e.config.nat_t_port});
    auto id = codec::make_payload(local_identity(sa));
    sa.id_i_b = id.body;
    std::vector<codec::RawPayload> out{id};
    for (auto& p : e.phase1_auth_payloads(sa))
        out.push_back(std::move(p));
    if (auto n = initial_contact(e, sa))
        out.push_back(std::move(*n));
    const auto bytes = e.build(sa, ExchangeType::IdentityProtection, 0, out, true);
    sa.next_in = 6;
    e.send(sa, bytes);
    e.arm(sa.rtx, bytes);
    return true;
}

// Responder, after authenticating the initiator: INITIAL-CONTACT, if any.
void initial_contact_notifies(Engine::Impl& e, IkeSa& sa, const codec::RawMessage& m)
{
    for (std::size_t i = 0; const auto* raw = m.find(PayloadType::Notification, i); ++i) {
        auto n = codec::decode_body<codec::NotifyPayload>(*raw, codec::decode_notify, "Notify");
        if (n && n->notify_type == codec::NotifyType::InitialContact)
            e.initial_contact_received(sa);
    }
}

// Main Mode, responder: <-- HDR*, IDii, HASH_I | [ CERT, ] SIG_I [, N(INITIAL-CONTACT)]
// then HDR*, IDir, HASH_R | [ CERT, ] SIG_R -->
bool main_mode_5(Phase1Input& in)
{
    auto& [e, sa, m, who, chosen] = in;
    auto id = typed<codec::IdPayload>(m.find(PayloadType::Identification), codec::decode_id, "ID", *e.log, who);
    if (!id)
        return false;
    sa.id_i_b = m.find(PayloadType::Identification)->body;
    e.log->info("{}: peer identity {}", sa.name(), codec::describe(*id));
    if (!e.phase1_authenticate_peer(sa, m, who))
        return true;
    initial_contact_notifies(e, sa, m);
    auto our_id = codec::make_payload(local_identity(sa));
    sa.id_r_b = our_id.body;
    std::vector<codec::RawPayload> out{our_id};
    for (auto& p : e.phase1_auth_payloads(sa))
        out.push_back(std::move(p));
    e.reply(sa, e.build(sa, ExchangeType::IdentityProtection, 0, out, true));
    e.phase1_done(sa);
    return true;
}

// Main Mode, initiator: <-- HDR*, IDir, HASH_R | [ CERT, ] SIG_R
bool main_mode_6(Phase1Input& in)
{
    auto& [e, sa, m, who, chosen] = in;
    if (!m.find(PayloadType::Identification))
        return false;
    sa.id_r_b = m.find(PayloadType::Identification)->body;
    if (!e.phase1_authenticate_peer(sa, m, who))
        return true;
    e.phase1_done(sa);
    return true;
}

// Aggressive Mode, initiator: <-- HDR, SA, KE, Nr, IDir, HASH_R | [ CERT, ] SIG_R [, NAT-D, NAT-D]
// then HDR*, HASH_I | [ CERT, ] SIG_I [, N(INITIAL-CONTACT)] [, NAT-D, NAT-D] -->
bool aggressive_mode_2(Phase1Input& in)
{
    auto& [e, sa, m, who, chosen] = in;
    auto kn = read_ke_nonce(m, true, *e.log, who);
    if (!kn)
        return false;
    take_choice(in);
    if (sa.choice->proposal.group != sa.dh->group()) {
        e.fail_phase1(sa, FailureReason::NoProposalChosen, "responder chose another DH group than our KE",
                      codec::NotifyType::NoProposalChosen, true);
        return true;
    }
    sa.g_xr = std::move(*kn->ke);
    sa.nr = std::move(kn->nonce);
    derive_keys(e, sa, sa.g_xr);
    sa.id_r_b = m.find(PayloadType::Identification)->body;
    if (!e.phase1_authenticate_peer(sa, m, who))
        return true;
    sa.nat_detected = e.config.force_nat_t || nat_detected(sa, m);
    if (sa.nat_detected && sa.peer_nat_t)
        e.float_to_nat_t(sa, Endpoint{sa.peer.address, e.config.nat_t_port});
    std::vector<codec::RawPayload> out = e.phase1_auth_payloads(sa);
    if (auto n = initial_contact(e, sa))
        out.push_back(std::move(*n));
    if (sa.peer_nat_t)
        for (auto& p : nat_d_payloads(sa, e.config.force_nat_t, e.rng))
            out.push_back(p);
    // A repeated message 2 means our message 3 was lost: answer it again.
    e.reply(sa, e.build(sa, ExchangeType::Aggressive, 0, out, true));
    e.phase1_done(sa);
    return true;
}

// Aggressive Mode, responder: <-- HDR*, HASH_I | [ CERT, ] SIG_I [, N(INITIAL-CONTACT)] [, NAT-D, NAT-D]
bool aggressive_mode_3(Phase1Input& in)
{
    auto& [e, sa, m, who, chosen] = in;
    if (m.count(PayloadType::NatD) >= 2)
        sa.nat_detected = e.config.force_nat_t || nat_detected(sa, m);
    if (!e.phase1_authenticate_peer(sa, m, who))
        return true;
    initial_contact_notifies(e, sa, m);
    e.phase1_done(sa);
    return true;
}

/// The phase-1 step table: which handler takes which message (RFC 2409 5).
/// `number` is the message the SA expects next (IkeSa::next_in); the message
/// rule for it is checked before the handler runs.
struct Phase1Step {
    ExchangeMode mode;
    Role role;
    unsigned number;
    Phase1Handler handler;
};

constexpr Phase1Step k_phase1_steps[] = {
    {ExchangeMode::Main, Role::Initiator, 2, main_mode_2},
    {ExchangeMode::Main, Role::Responder, 3, main_mode_3},
    {ExchangeMode::Main, Role::Initiator, 4, main_mode_4},
    {ExchangeMode::Main, Role::Responder, 5, main_mode_5},
    {ExchangeMode::Main, Role::Initiator, 6, main_mode_6},
    {ExchangeMode::Aggressive, Role::Initiator, 2, aggressive_mode_2},
    {ExchangeMode::Aggressive, Role::Responder, 3, aggressive_mode_3},
};

}  // namespace

bool Engine::Impl::phase1_process(IkeSa& sa, const codec::RawMessage& m)
{
    const auto exchange_mode =
        m.header.exchange_type == ExchangeType::Aggressive ? ExchangeMode::Aggressive : ExchangeMode::Main;
    if (exchange_mode != sa.mode || sa.established())
        return false;
    const auto step = std::find_if(std::begin(k_phase1_steps), std::end(k_phase1_steps), [&](const Phase1Step& s) {
        return s.mode == sa.mode && s.role == sa.role && s.number == sa.next_in;
    });
    if (step == std::end(k_phase1_steps))
        return false;
    // Initiator, message 2: which rule applies depends on the authentication
    // method the responder chose (RFC 2409 5.1 SIG vs 5.4 HASH), so its
    // choice is read and checked against our offer before the rule.
    auto method = auth_method(sa);
    std::optional<negotiation::Phase1Choice> chosen;
    if (step->number == 2) {
        const std::string who = sa.name() + (sa.mode == ExchangeMode::Aggressive ? " aggressive mode 2" : " main mode 2");
        auto reply = read_phase1_reply(*this, sa, m, who);
        if (auto* err = std::get_if<negotiation::ReplyError>(&reply)) {
            sa.cky_r = m.header.responder_cookie;
            fail_phase1(sa, FailureReason::NoProposalChosen, err->to_string(), codec::NotifyType::NoProposalChosen,
                        true);
            return true;
        }
        auto* c = std::get_if<negotiation::Phase1Choice>(&reply);
        if (!c)
            return false;  // SA payload missing or malformed: logged by read_phase1_reply
        method = c->proposal.auth_method;
        chosen = std::move(*c);
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
    Phase1Input in{*this, sa, m, who, std::move(chosen)};
    try {
        return step->handler(in);
    } catch (const crypto::CryptoError& e) {
        fail_phase1(sa, FailureReason::Internal, e.what(), codec::NotifyType::InvalidKeyInformation, true);
        return true;
    }
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
    if (!sa.lifecycle.handle(LifecycleEvent::Phase1Done))
        return;
    contacted[sa.peer.address.to_uint()] = true;
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
