// The phase-1 task's steps (RFC 2409 5): how each message of Main Mode and
// Aggressive Mode is checked and answered, and the step table that picks the
// step for the message the task expects next.
#include "phase1_task.h"

#include "message_rules.h"
#include "payload_read.h"

#include "picsec/ike/codec/payload_ke.h"
#include "picsec/ike/codec/payload_nonce.h"
#include "picsec/ike/codec/payload_sa.h"
#include "picsec/ike/negotiation/sa_payload.h"

#include <algorithm>
#include <variant>

namespace picsec::ike::detail {

using codec::ExchangeType;
using codec::PayloadType;

std::vector<codec::RawPayload> our_vendor_ids();
void note_vendor_ids(const codec::RawMessage& m, Phase1Outcome& out);

namespace {

Bytes random_nonce(Botan::RandomNumberGenerator& rng)
{
    Bytes n(32);
    rng.randomize(n.data(), n.size());
    return n;
}

void append(std::vector<codec::RawPayload>& out, std::vector<codec::RawPayload> more)
{
    for (auto& p : more)
        out.push_back(std::move(p));
}

Phase1Outcome taken()
{
    Phase1Outcome out;
    out.accepted = true;
    return out;
}

Phase1Outcome failed(FailureReason reason, std::string detail, codec::NotifyType notify)
{
    auto out = taken();
    out.failure = Phase1Fault{reason, std::move(detail), notify};
    return out;
}

// Initiator, message 2 of either mode: the responder's choice in its SA
// payload, which must be exactly one of the transforms we offered (RFC 2409
// 5). Empty when the SA payload is missing or malformed (the message rule
// check then names the problem); a ReplyError when it is not one we offered.
using Phase1Reply = std::variant<std::monostate, negotiation::Phase1Choice, negotiation::ReplyError>;

Phase1Reply read_phase1_reply(const Phase1Context& ctx, const codec::RawMessage& m, const std::string& who)
{
    if (m.count(PayloadType::SecurityAssociation) != 1)
        return std::monostate{};
    auto sa_p = typed<codec::SaPayload>(m.find(PayloadType::SecurityAssociation), codec::decode_sa, "SA", ctx.log,
                                        who);
    if (!sa_p)
        return std::monostate{};
    auto offer = negotiation::to_phase1_offer(*sa_p);
    if (!offer) {
        ctx.log.info("{}: {}", who, codec::to_string(offer.error()));
        return std::monostate{};
    }
    auto accepted =
        negotiation::accept_phase1_reply(ctx.policy.proposals, *offer, responder_lifetime(m, ctx.log, who).seconds);
    if (auto* err = std::get_if<negotiation::ReplyError>(&accepted))
        return std::move(*err);
    return std::get<negotiation::Phase1Choice>(std::move(accepted));
}

}  // namespace

/// The phase-1 step table: which step takes which message (RFC 2409 5). The
/// message rule for {mode, number, method} is checked before the step runs.
struct Phase1Steps {
    using Step = Phase1Outcome (Phase1Task::*)(const Phase1Context&, const codec::RawMessage&, const std::string&);
    struct Entry {
        ExchangeMode mode;
        Role role;
        unsigned number;
        Step step;
    };
    static constexpr Entry k_table[] = {
        {ExchangeMode::Main, Role::Initiator, 2, &Phase1Task::main_mode_2},
        {ExchangeMode::Main, Role::Responder, 3, &Phase1Task::main_mode_3},
        {ExchangeMode::Main, Role::Initiator, 4, &Phase1Task::main_mode_4},
        {ExchangeMode::Main, Role::Responder, 5, &Phase1Task::main_mode_5},
        {ExchangeMode::Main, Role::Initiator, 6, &Phase1Task::main_mode_6},
        {ExchangeMode::Aggressive, Role::Initiator, 2, &Phase1Task::aggressive_mode_2},
        {ExchangeMode::Aggressive, Role::Responder, 3, &Phase1Task::aggressive_mode_3},
    };
};

std::pair<Phase1Task, Phase1Outcome> Phase1Task::initiate(const Phase1Context& ctx, ExchangeMode mode)
{
    Phase1Task t(mode, Role::Initiator);
    const auto offer = negotiation::build_phase1_offer(ctx.policy.proposals);
    auto sa_payload = codec::make_payload(negotiation::to_sa_payload(offer));
    t.m_sa_i_b = sa_payload.body;
    auto out = taken();
    out.send.push_back(std::move(sa_payload));
    if (mode == ExchangeMode::Aggressive) {
        // RFC 2409 5.4: HDR, SA, KE, Ni, IDii -->. The group is fixed by the first proposal.
        t.m_dh = crypto::DhKeyPair::generate(ctx.policy.proposals.front().group, ctx.rng);
        t.m_g_xi = t.m_dh->public_value();
        t.m_ni = random_nonce(ctx.rng);
        auto id = codec::make_payload(t.local_identity(ctx));
        t.m_id_i_b = id.body;
        out.send.push_back(codec::make_payload(codec::KePayload{t.m_g_xi}));
        out.send.push_back(codec::make_payload(codec::NoncePayload{t.m_ni}));
        out.send.push_back(std::move(id));
        append(out.send, t.certreq_payloads(ctx));
    }
    append(out.send, our_vendor_ids());
    out.await_answer = true;
    ctx.log.info("{} {} mode: phase 1 initiated, {} proposals offered", ctx.who, to_string(mode),
                 ctx.policy.proposals.size());
    return {std::move(t), std::move(out)};
}

Phase1Start Phase1Task::respond(const Phase1Context& ctx, const codec::RawMessage& m)
{
    const auto mode =
        m.header.exchange_type == ExchangeType::Aggressive ? ExchangeMode::Aggressive : ExchangeMode::Main;
    if (auto err = check(*find_rule(m.header.exchange_type, 1), m)) {
        ctx.log.info("{}: {}, ignored", ctx.who, codec::to_string(*err));
        return {};
    }
    auto sa_body =
        typed<codec::SaPayload>(m.find(PayloadType::SecurityAssociation), codec::decode_sa, "SA", ctx.log, ctx.who);
    if (!sa_body)
        return {};
    auto offer = negotiation::to_phase1_offer(*sa_body);
    if (!offer) {
        ctx.log.info("{}: {}", ctx.who, codec::to_string(offer.error()));
        return {};
    }
    // Without a certificate we cannot sign: rsa-signatures proposals do not match.
    auto selected = negotiation::select_phase1(*offer, ctx.policy.proposals, {ctx.policy.authenticator != nullptr});
    if (auto* report = std::get_if<negotiation::MismatchReport>(&selected)) {
        ctx.log.warn("{} {} mode: phase 1 refused: {}", ctx.who, to_string(mode), report->to_string());
        return {std::nullopt,
                failed(FailureReason::NoProposalChosen, report->to_string(), codec::NotifyType::NoProposalChosen)};
    }
    Phase1Task t(mode, Role::Responder);
    // Aggressive Mode 1 carries KE, Ni and IDii: read before any state exists.
    if (mode == ExchangeMode::Aggressive) {
        auto kn = read_ke_nonce(m, true, ctx.log, ctx.who);
        if (!kn)
            return {};
        t.m_g_xi = std::move(*kn->ke);
        t.m_ni = std::move(kn->nonce);
        t.m_id_i_b = m.find(PayloadType::Identification)->body;
    }
    t.m_choice = std::get<negotiation::Phase1Choice>(std::move(selected));
    t.m_sa_i_b = m.find(PayloadType::SecurityAssociation)->body;
    auto out = taken();
    out.choice = t.m_choice;
    note_vendor_ids(m, out);
    t.m_peer_nat_t = out.peer_nat_t;
    return {std::move(t), std::move(out)};
}

Phase1Outcome Phase1Task::answer_first(const Phase1Context& ctx)
{
    ctx.log.info("{} {} mode: phase 1 responder, chose proposal {}", ctx.who, to_string(m_mode),
                 m_choice->proposal.name);
    auto out = taken();
    out.send.push_back(codec::make_payload(negotiation::to_sa_payload(m_choice->reply)));
    if (m_choice->send_responder_lifetime) {
        Bytes cookies(ctx.cky_i.begin(), ctx.cky_i.end());
        cookies.insert(cookies.end(), ctx.cky_r.begin(), ctx.cky_r.end());
        out.send.push_back(responder_lifetime_notify(codec::ProtocolId::Isakmp, std::move(cookies),
                                                     m_choice->lifetime_seconds));
    }
    m_next = 3;
    if (m_mode == ExchangeMode::Main) {
        append(out.send, our_vendor_ids());
        return out;
    }
    // <-- HDR, SA, KE, Nr, IDir, HASH_R | [ CERT, ] SIG_R [, CERTREQ ] [, NAT-D, NAT-D]
    m_dh = crypto::DhKeyPair::generate(m_choice->proposal.group, ctx.rng);
    m_g_xr = m_dh->public_value();
    m_nr = random_nonce(ctx.rng);
    try {
        out.keys = derive_keys(ctx, m_g_xi);
    } catch (const std::exception& e) {
        return failed(FailureReason::Internal, std::string("KE: ") + e.what(), codec::NotifyType::InvalidKeyInformation);
    }
    auto id = codec::make_payload(local_identity(ctx));
    m_id_r_b = id.body;
    out.send.push_back(codec::make_payload(codec::KePayload{m_g_xr}));
    out.send.push_back(codec::make_payload(codec::NoncePayload{m_nr}));
    out.send.push_back(std::move(id));
    try {
        append(out.send, auth_payloads(ctx));
    } catch (const crypto::CryptoError& e) {
        return failed(FailureReason::Internal, e.what(), codec::NotifyType::AuthenticationFailed);
    }
    append(out.send, certreq_payloads(ctx));
    append(out.send, our_vendor_ids());
    if (m_peer_nat_t)
        append(out.send, nat_d_payloads(ctx));
    return out;
}

Phase1Outcome Phase1Task::on_message(const Phase1Context& ctx, const codec::RawMessage& m)
{
    const auto& table = Phase1Steps::k_table;
    const auto entry = std::find_if(std::begin(table), std::end(table), [&](const Phase1Steps::Entry& s) {
        return s.mode == m_mode && s.role == m_role && s.number == m_next;
    });
    if (entry == std::end(table))
        return Phase1Outcome::dropped();
    // Initiator, message 2: which rule applies depends on the authentication
    // method the responder chose (RFC 2409 5.1 SIG vs 5.4 HASH), so its
    // choice is read and checked against our offer before the rule.
    auto method = auth_method(ctx);
    if (entry->number == 2) {
        const std::string who = ctx.who + (m_mode == ExchangeMode::Aggressive ? " aggressive mode 2" : " main mode 2");
        auto reply = read_phase1_reply(ctx, m, who);
        if (auto* err = std::get_if<negotiation::ReplyError>(&reply)) {
            auto out = failed(FailureReason::NoProposalChosen, err->to_string(), codec::NotifyType::NoProposalChosen);
            out.responder_cookie = m.header.responder_cookie;
            return out;
        }
        auto* c = std::get_if<negotiation::Phase1Choice>(&reply);
        if (!c)
            return Phase1Outcome::dropped();  // SA payload missing or malformed: logged by read_phase1_reply
        method = c->proposal.auth_method;
        m_reply = std::move(*c);
    }
    const auto* rule = find_rule(m.header.exchange_type, m_next, method);
    if (auto err = rule ? check(*rule, m) : std::nullopt; !rule || err) {
        if (err)
            ctx.log.info("{}: {}, dropped", ctx.who, codec::to_string(*err));
        m_reply.reset();
        return Phase1Outcome::dropped();
    }
    const std::string who = ctx.who + " " + std::string(rule->name);
    if (ctx.log.should_log(spdlog::level::debug))
        ctx.log.debug("{}: <-- {}", who, m.summary());
    Phase1Outcome out;
    try {
        out = (this->*(entry->step))(ctx, m, who);
    } catch (const crypto::CryptoError& e) {
        out = failed(FailureReason::Internal, e.what(), codec::NotifyType::InvalidKeyInformation);
    }
    m_reply.reset();
    return out;
}

// Both modes, initiator, message 2: the responder's choice (checked against
// our offer by on_message) and its cookie.
Phase1Outcome Phase1Task::take_choice(const codec::RawMessage& m)
{
    auto out = taken();
    m_choice = std::move(m_reply);
    m_reply.reset();
    out.choice = m_choice;
    out.responder_cookie = m.header.responder_cookie;
    note_vendor_ids(m, out);
    m_peer_nat_t = out.peer_nat_t;
    return out;
}

/// The context with the responder cookie message 2 brought: the keys, HASH_R
/// and NAT-D hashes name it before the engine has applied it.
static Phase1Context with_responder_cookie(const Phase1Context& ctx, const codec::RawMessage& m)
{
    Phase1Context c = ctx;
    c.cky_r = m.header.responder_cookie;
    return c;
}

// Main Mode, initiator: <-- HDR, SA  then  HDR, KE, Ni [, NAT-D, NAT-D] -->
Phase1Outcome Phase1Task::main_mode_2(const Phase1Context& ctx, const codec::RawMessage& m, const std::string& who)
{
    (void)who;
    auto out = take_choice(m);
    m_dh = crypto::DhKeyPair::generate(m_choice->proposal.group, ctx.rng);
    m_g_xi = m_dh->public_value();
    m_ni = random_nonce(ctx.rng);
    out.send = ke_nonce_payloads(with_responder_cookie(ctx, m), m_peer_nat_t);
    out.await_answer = true;
    m_next = 4;
    return out;
}

// Main Mode, responder: <-- HDR, KE, Ni [, NAT-D, NAT-D]  then  HDR, KE, Nr [, NAT-D, NAT-D] -->
Phase1Outcome Phase1Task::main_mode_3(const Phase1Context& ctx, const codec::RawMessage& m, const std::string& who)
{
    auto kn = read_ke_nonce(m, true, ctx.log, who);
    if (!kn)
        return Phase1Outcome::dropped();
    m_g_xi = std::move(*kn->ke);
    m_ni = std::move(kn->nonce);
    m_dh = crypto::DhKeyPair::generate(m_choice->proposal.group, ctx.rng);
    m_g_xr = m_dh->public_value();
    m_nr = random_nonce(ctx.rng);
    auto out = taken();
    out.keys = derive_keys(ctx, m_g_xi);
    const bool nat_d = m.count(PayloadType::NatD) >= 2;
    if (nat_d)
        out.nat_detected = ctx.force_nat_t || nat_detected(ctx, m);
    out.send = ke_nonce_payloads(ctx, m_peer_nat_t && nat_d);
    m_next = 5;
    return out;
}

// Main Mode, initiator: <-- HDR, KE, Nr [, NAT-D, NAT-D]
// then HDR*, IDii, HASH_I | [ CERT, ] SIG_I [, N(INITIAL-CONTACT)] -->
Phase1Outcome Phase1Task::main_mode_4(const Phase1Context& ctx, const codec::RawMessage& m, const std::string& who)
{
    auto kn = read_ke_nonce(m, true, ctx.log, who);
    if (!kn)
        return Phase1Outcome::dropped();
    m_g_xr = std::move(*kn->ke);
    m_nr = std::move(kn->nonce);
    auto out = taken();
    out.keys = derive_keys(ctx, m_g_xr);
    out.nat_detected = m.count(PayloadType::NatD) >= 2 && (ctx.force_nat_t || nat_detected(ctx, m));
    // RFC 3947 4: float to the NAT-T port from message 5 on.
    out.float_to_nat_t = *out.nat_detected && m_peer_nat_t;
    auto id = codec::make_payload(local_identity(ctx));
    m_id_i_b = id.body;
    out.send.push_back(std::move(id));
    append(out.send, auth_payloads(ctx));
    if (auto n = initial_contact(ctx))
        out.send.push_back(std::move(*n));
    out.encrypt = true;
    out.await_answer = true;
    m_next = 6;
    return out;
}

// Main Mode, responder: <-- HDR*, IDii, HASH_I | [ CERT, ] SIG_I [, N(INITIAL-CONTACT)]
// then HDR*, IDir, HASH_R | [ CERT, ] SIG_R -->
Phase1Outcome Phase1Task::main_mode_5(const Phase1Context& ctx, const codec::RawMessage& m, const std::string& who)
{
    auto id = typed<codec::IdPayload>(m.find(PayloadType::Identification), codec::decode_id, "ID", ctx.log, who);
    if (!id)
        return Phase1Outcome::dropped();
    m_id_i_b = m.find(PayloadType::Identification)->body;
    ctx.log.info("{}: peer identity {}", ctx.who, codec::describe(*id));
    auto out = taken();
    if (!authenticated(ctx, m, who, out))
        return out;
    auto our_id = codec::make_payload(local_identity(ctx));
    m_id_r_b = our_id.body;
    out.send.push_back(std::move(our_id));
    append(out.send, auth_payloads(ctx));
    out.encrypt = true;
    out.done = true;
    return out;
}

// Main Mode, initiator: <-- HDR*, IDir, HASH_R | [ CERT, ] SIG_R
Phase1Outcome Phase1Task::main_mode_6(const Phase1Context& ctx, const codec::RawMessage& m, const std::string& who)
{
    if (!m.find(PayloadType::Identification))
        return Phase1Outcome::dropped();
    m_id_r_b = m.find(PayloadType::Identification)->body;
    auto out = taken();
    out.done = authenticated(ctx, m, who, out);
    return out;
}

// Aggressive Mode, initiator: <-- HDR, SA, KE, Nr, IDir, HASH_R | [ CERT, ] SIG_R [, NAT-D, NAT-D]
// then HDR*, HASH_I | [ CERT, ] SIG_I [, N(INITIAL-CONTACT)] [, NAT-D, NAT-D] -->
Phase1Outcome Phase1Task::aggressive_mode_2(const Phase1Context& ctx, const codec::RawMessage& m,
                                            const std::string& who)
{
    auto kn = read_ke_nonce(m, true, ctx.log, who);
    if (!kn)
        return Phase1Outcome::dropped();
    auto out = take_choice(m);
    if (m_choice->proposal.group != m_dh->group()) {
        out.failure = Phase1Fault{FailureReason::NoProposalChosen, "responder chose another DH group than our KE",
                                  codec::NotifyType::NoProposalChosen};
        return out;
    }
    const auto c = with_responder_cookie(ctx, m);
    m_g_xr = std::move(*kn->ke);
    m_nr = std::move(kn->nonce);
    out.keys = derive_keys(c, m_g_xr);
    m_id_r_b = m.find(PayloadType::Identification)->body;
    if (!authenticated(c, m, who, out))
        return out;
    out.nat_detected = c.force_nat_t || nat_detected(c, m);
    out.float_to_nat_t = *out.nat_detected && m_peer_nat_t;
    out.send = auth_payloads(c);
    if (auto n = initial_contact(c))
        out.send.push_back(std::move(*n));
    if (m_peer_nat_t)
        append(out.send, nat_d_payloads(c));
    // A repeated message 2 means our message 3 was lost: it is answered again from the reply cache.
    out.encrypt = true;
    out.done = true;
    return out;
}

// Aggressive Mode, responder: <-- HDR*, HASH_I | [ CERT, ] SIG_I [, N(INITIAL-CONTACT)] [, NAT-D, NAT-D]
Phase1Outcome Phase1Task::aggressive_mode_3(const Phase1Context& ctx, const codec::RawMessage& m,
                                            const std::string& who)
{
    auto out = taken();
    if (m.count(PayloadType::NatD) >= 2)
        out.nat_detected = ctx.force_nat_t || nat_detected(ctx, m);
    out.done = authenticated(ctx, m, who, out);
    return out;
}

}  // namespace picsec::ike::detail
