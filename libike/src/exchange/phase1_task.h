// Phase 1 (RFC 2409 5.1 signatures, 5.4 pre-shared keys) as a task: Main Mode
// (6 messages) and Aggressive Mode (3 messages), initiator or responder. The
// task owns the exchange material (SA_i_b, DH pair, g^xi/g^xr, nonces, ID
// bodies, SKEYID) and answers each message with a Phase1Outcome; the engine
// applies it only when the message was taken. It reads the policy, cookies
// and endpoints through a Phase1Context and never sees the engine.
#pragma once

#include "outcome.h"

#include "picsec/ike/codec/message.h"
#include "picsec/ike/codec/payload_id.h"
#include "picsec/ike/config.h"
#include "picsec/ike/crypto/dh.h"
#include "picsec/ike/crypto/phase1.h"
#include "picsec/ike/negotiation/phase1.h"
#include "picsec/ike/snapshot.h"

#include <botan/rng.h>
#include <spdlog/spdlog.h>

#include <optional>
#include <variant>
#include <string>

namespace picsec::ike::detail {

/// What phase 1 reads from its IKE SA and the engine, borrowed for one call.
struct Phase1Context {
    const IkePolicy& policy;
    Endpoint local;
    Endpoint peer;
    Cookie cky_i{};
    Cookie cky_r{};  ///< zero until the responder's message 2
    bool force_nat_t = false;      ///< pretend a NAT (EngineConfig::force_nat_t)
    bool initial_contact = false;  ///< our first phase 1 with this peer: send INITIAL-CONTACT (RFC 2407 4.6.3.3)
    bool log_keys = false;         ///< log SKEYID_* (EngineConfig::log_keys)
    Botan::RandomNumberGenerator& rng;
    spdlog::logger& log;
    std::string who;  ///< log prefix naming the IKE SA
};

/// Phase 1 failed after the message was taken: what to report and tell the peer.
struct Phase1Fault {
    FailureReason reason = FailureReason::Internal;
    std::string detail;
    codec::NotifyType notify = codec::NotifyType::NoProposalChosen;
};

/// Who the peer proved to be (RFC 2409 5.1: its ID, certificate subject and CA).
struct AuthenticatedPeer {
    std::string id;
    std::string subject;
    std::string ca;
};

/// A phase-1 task's verdict on one message (or on starting).
struct Phase1Outcome {
    bool accepted = false;  ///< false: dropped, nothing else set
    /// The next message (payloads before encryption); empty: none.
    std::vector<codec::RawPayload> send;
    bool encrypt = false;       ///< `send` goes encrypted (RFC 2409 5.3)
    bool await_answer = false;  ///< `send` is a request to retransmit; else a reply resent on a repeat
    std::optional<Cookie> responder_cookie;           ///< initiator, message 2
    std::optional<negotiation::Phase1Choice> choice;  ///< the proposal, once chosen
    std::optional<crypto::Phase1Keys> keys;           ///< derived with this message (RFC 2409 5)
    bool peer_nat_t = false;  ///< the peer's RFC 3947 vendor ID was in this message
    bool peer_dpd = false;    ///< the peer's RFC 3706 vendor ID was in this message
    std::optional<bool> nat_detected;  ///< NAT-D evaluated (RFC 3947 3.2)
    bool float_to_nat_t = false;  ///< initiator: from our next message on, use the NAT-T port (RFC 3947 4)
    std::optional<AuthenticatedPeer> peer;  ///< the peer is authenticated
    bool initial_contact = false;  ///< the authenticated peer sent INITIAL-CONTACT
    bool done = false;             ///< phase 1 is complete
    std::optional<Phase1Fault> failure;

    static Phase1Outcome dropped() { return {}; }
};

class Phase1Task {
public:
    /// Initiator: message 1 (Main Mode: SA; Aggressive Mode: SA, KE, Ni, IDii).
    static std::pair<Phase1Task, Phase1Outcome> initiate(const Phase1Context& ctx, ExchangeMode mode);

    /// Responder, message 1, before any state exists (see Phase1Start).
    static struct Phase1Start respond(const Phase1Context& ctx, const codec::RawMessage& m);
    /// Responder: message 2, once the SA has its responder cookie.
    Phase1Outcome answer_first(const Phase1Context& ctx);

    /// Any later message of this exchange (RFC 2409 5: the step table says
    /// which handler takes it; its message rule is checked first).
    Phase1Outcome on_message(const Phase1Context& ctx, const codec::RawMessage& m);

    ExchangeMode mode() const { return m_mode; }
    Role role() const { return m_role; }
    /// The number of the message this task expects next.
    unsigned next_message() const { return m_next; }

private:
    friend class ObserveTasks;  // the state oracle (observe.cpp) reads the material
    Phase1Task(ExchangeMode mode, Role role) : m_mode(mode), m_role(role) {}
    friend struct Phase1Steps;

    // Steps (phase1_task.cpp), one per {mode, role, message number}.
    Phase1Outcome main_mode_2(const Phase1Context& ctx, const codec::RawMessage& m, const std::string& who);
    Phase1Outcome main_mode_3(const Phase1Context& ctx, const codec::RawMessage& m, const std::string& who);
    Phase1Outcome main_mode_4(const Phase1Context& ctx, const codec::RawMessage& m, const std::string& who);
    Phase1Outcome main_mode_5(const Phase1Context& ctx, const codec::RawMessage& m, const std::string& who);
    Phase1Outcome main_mode_6(const Phase1Context& ctx, const codec::RawMessage& m, const std::string& who);
    Phase1Outcome aggressive_mode_2(const Phase1Context& ctx, const codec::RawMessage& m, const std::string& who);
    Phase1Outcome aggressive_mode_3(const Phase1Context& ctx, const codec::RawMessage& m, const std::string& who);

    /// Both modes, initiator, message 2: adopts m_reply and the responder cookie.
    Phase1Outcome take_choice(const codec::RawMessage& m);

    // Material (phase1_material.cpp).
    crypto::AuthMethod auth_method(const Phase1Context& ctx) const;
    /// SKEYID and its descendants once both KE and both nonces are known (RFC 2409 5).
    crypto::Phase1Keys derive_keys(const Phase1Context& ctx, const std::vector<std::uint8_t>& peer_ke);
    codec::IdPayload local_identity(const Phase1Context& ctx) const;
    std::vector<codec::RawPayload> nat_d_payloads(const Phase1Context& ctx) const;
    bool nat_detected(const Phase1Context& ctx, const codec::RawMessage& m) const;
    /// KE, Ni|Nr [, CERTREQ] [, NAT-D, NAT-D] from our DH pair and nonce.
    std::vector<codec::RawPayload> ke_nonce_payloads(const Phase1Context& ctx, bool nat_d) const;
    /// N(INITIAL-CONTACT) when the context asks for it.
    std::optional<codec::RawPayload> initial_contact(const Phase1Context& ctx) const;

    // Authentication (phase1_auth.cpp).
    /// Our HASH_I/HASH_R, or our certificates and SIG_I/SIG_R.
    std::vector<codec::RawPayload> auth_payloads(const Phase1Context& ctx) const;
    /// CERTREQ payloads naming our trusted CAs, when phase 1 uses signatures.
    std::vector<codec::RawPayload> certreq_payloads(const Phase1Context& ctx) const;
    /// Checks the peer's HASH or certificates + SIG: the peer, or the failure.
    std::variant<AuthenticatedPeer, Phase1Fault> authenticate_peer(const Phase1Context& ctx,
                                                                   const codec::RawMessage& m,
                                                                   const std::string& who) const;
    /// Fills `out` as authenticated (INITIAL-CONTACT noted), or as failed.
    bool authenticated(const Phase1Context& ctx, const codec::RawMessage& m, const std::string& who,
                       Phase1Outcome& out) const;

    ExchangeMode m_mode;
    Role m_role;
    unsigned m_next = 2;
    std::vector<std::uint8_t> m_sa_i_b;
    std::optional<crypto::DhKeyPair> m_dh;
    std::vector<std::uint8_t> m_g_xi, m_g_xr, m_ni, m_nr, m_id_i_b, m_id_r_b;
    std::optional<negotiation::Phase1Choice> m_choice;
    /// Initiator, message 2: the responder's choice, read and checked by
    /// on_message, handed to the step (never kept past one message).
    std::optional<negotiation::Phase1Choice> m_reply;
    std::optional<crypto::Phase1Keys> m_keys;
    bool m_peer_nat_t = false;
};

/// A responder's answer to message 1: a task with the proposal chosen (the
/// engine then creates the SA and calls answer_first()), or an Outcome
/// alone: dropped, or refused with a failure (no proposal chosen) that the
/// engine reports without keeping any state.
struct Phase1Start {
    std::optional<Phase1Task> task;
    Phase1Outcome outcome;
};

/// True when the message carries N(INITIAL-CONTACT) (RFC 2407 4.6.3.3).
bool has_initial_contact(const codec::RawMessage& m);

}  // namespace picsec::ike::detail
