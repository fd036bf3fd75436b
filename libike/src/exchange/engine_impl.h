// Internal state of the engine: IKE SAs (phase 1 + their Quick Modes) and
// installed IPsec SAs, and the tasks that build and process each exchange.
#pragma once

#include "due_index.h"
#include "ike_sa_machine.h"
#include "informational_task.h"
#include "message_rules.h"
#include "payload_read.h"
#include "phase1_task.h"
#include "quick_mode_task.h"
#include "retransmit.h"
#include "../v2/exchange/ike_sa.h"
#include "../v2/exchange/sa_index.h"

#include "picsec/ike/codec/payload_id.h"
#include "picsec/ike/codec/payload_notify.h"
#include "picsec/ike/codec/raw_payload.h"
#include "picsec/ike/crypto/cipher.h"
#include "picsec/ike/crypto/dh.h"
#include "picsec/ike/crypto/phase1.h"
#include "picsec/ike/engine.h"
#include "picsec/ike/negotiation/phase1.h"
#include "picsec/ike/negotiation/phase2.h"

#include <botan/rng.h>
#include <spdlog/spdlog.h>

#include <map>
#include <memory>
#include <optional>
#include <span>
#include <set>
#include <utility>
#include <vector>

namespace picsec::ike {

namespace detail {

using Bytes = std::vector<std::uint8_t>;

/// A Quick Mode exchange in flight (RFC 2409 5.5), keyed by message ID: the
/// task and what the engine keeps for it (retransmission, reply cache).
struct QuickMode {
    QuickMode(QuickModeTask t, std::uint64_t started) : task(std::move(t)), started_ms(started) {}
    QuickModeTask task;
    Retransmitter rtx;
    ResponseCache cache;
    bool installed = false;  ///< responder installed before sending HASH(2)
    std::uint64_t started_ms = 0;
};

/// An installed IPsec SA pair.
struct IpsecSaRecord {
    IpsecSaInfo info;
    std::uint64_t ike_serial = 0;
    std::string peer_id;  ///< the identity the IKE SA that negotiated it authenticated (INITIAL-CONTACT)
    std::uint64_t installed_ms = 0;
    std::uint64_t rekey_at_ms = 0;  ///< initiator side: start a new Quick Mode
    std::uint64_t hard_at_ms = 0;   ///< delete
    bool rekey_started = false;
    Role role = Role::Initiator;
};

/// One IKE SA: phase-1 state, keys, Quick Modes.
struct IkeSa {
    IkeSa(std::shared_ptr<spdlog::logger> logger, std::string context)
        : lifecycle(std::move(logger), std::move(context)) {
    }

    std::uint64_t serial = 0;
    Role role = Role::Initiator;
    ExchangeMode mode = ExchangeMode::Main;
    Endpoint local, peer;
    Cookie cky_i{}, cky_r{};
    const IkePolicy* policy = nullptr;
    IkeSaLifecycle lifecycle;
    /// The phase-1 exchange while it runs: its task owns the exchange
    /// material; gone once phase 1 is done.
    std::unique_ptr<Phase1Task> phase1;
    std::optional<negotiation::Phase1Choice> choice;
    std::optional<crypto::Phase1Keys> keys;
    std::optional<crypto::IvChain> ivs;
    Retransmitter rtx;
    ResponseCache cache;
    std::map<std::uint32_t, QuickMode> quick_modes;
    /// Message IDs of the Quick Mode and Informational exchanges completed on
    /// this SA, sorted: a message carrying one again is a replay and is
    /// dropped before it is decrypted (RFC 2408 3.1: a message ID names one
    /// exchange for the life of the IKE SA).
    std::vector<std::uint32_t> completed_ids;
    bool completed(std::uint32_t message_id) const;
    void complete(std::uint32_t message_id);
    /// Why the last datagram for this SA was dropped (diagnostics only: it
    /// names a likely cause when the exchange later times out).
    DropCause last_drop = DropCause::None;
    std::vector<std::string> pending;  ///< IPsec SAs waiting for this phase 1
    // NAT-T (RFC 3947) and DPD (RFC 3706).
    bool peer_nat_t = false;
    bool peer_dpd = false;
    bool nat_detected = false;
    bool floated = false;
    /// An encrypted message from the peer decrypted to valid payloads: the
    /// peer holds our phase-1 keys, so our error notifies can be protected.
    bool peer_has_keys = false;
    std::uint64_t last_heard_ms = 0;
    std::uint32_t dpd_seq = 0;
    unsigned dpd_outstanding = 0;
    std::uint64_t dpd_next_ms = 0;
    // Lifetime (RFC 2409 / JUNOS: seconds).
    std::uint64_t created_ms = 0;
    std::uint64_t established_ms = 0;
    std::uint64_t rekey_at_ms = 0;
    std::uint64_t hard_at_ms = 0;
    std::uint64_t half_open_deadline_ms = 0;
    // Who the peer turned out to be (RFC 2409 5.1: its certificate and CA).
    std::string peer_id;
    std::string peer_subject;
    std::string peer_ca;

    /// "peer 192.0.2.2 [icookie:rcookie]" for log lines, built again only
    /// when the peer address or the responder cookie changed.
    const std::string& name() const;
    bool established() const
    {
        const auto s = lifecycle.state();
        return s == LifecycleState::Established || s == LifecycleState::Rekeying;
    }

private:
    mutable std::string m_name;  ///< name() as last built, for m_name_address / m_name_cky_r
    mutable Ipv4Address m_name_address{};
    mutable Cookie m_name_cky_r{};
};

}  // namespace detail

struct Engine::Impl {
    Impl(EngineConfig c, Callbacks& cb, Botan::RandomNumberGenerator& r);

    EngineConfig config;
    /// A configuration replaced by reconfigure(), kept while an IKE SA may
    /// still point into it: an exchange that was in flight when it was
    /// replaced (its task holds the old policies), or an SA whose policy was
    /// not moved to the new configuration (a dead or deleted one).
    struct RetiredConfig {
        std::unique_ptr<EngineConfig> config;
        std::set<std::uint64_t> holders;  ///< serials of those IKE SAs
    };
    std::vector<RetiredConfig> retired_configs;
    std::uint64_t next_release_ms = 0;
    /// Serials of the IKE SAs (IKEv1 and IKEv2) among `among` (all when
    /// null) that may point into `retired`.
    std::set<std::uint64_t> holders_of(const EngineConfig& retired, const std::set<std::uint64_t>* among) const;
    /// Frees the retired configurations nothing points into any more.
    void release_retired_configs();
    Callbacks& callbacks;
    Botan::RandomNumberGenerator& rng;
    std::shared_ptr<spdlog::logger> log;
    std::uint64_t now = 0;
    bool started = false;
    std::uint64_t next_serial = 1;
    std::map<Cookie, std::unique_ptr<detail::IkeSa>> ike_sas;  ///< by initiator cookie
    /// Responder IKE SAs that may still be half-open, oldest first (initiator
    /// cookie and serial). make_room_for_half_open() prunes entries that have
    /// left Negotiating, so it looks at the half-open SAs, not the whole table.
    std::vector<std::pair<Cookie, std::uint64_t>> half_open;
    /// IKE SAs that entered Rekeying (initiator cookie and serial): the SAs
    /// a new phase 1 may retire, so phase1_done() need not walk the table.
    std::vector<std::pair<Cookie, std::uint64_t>> rekeying;
    /// When each IKE SA (by initiator cookie) next has tick work: a tick
    /// visits the SAs due and those touched since (new, sent a datagram,
    /// changed state), not the whole table.
    detail::DueIndex<Cookie> due;
    /// IKE SAs that entered Dead (initiator cookie and serial), reaped at the end of a tick.
    std::vector<std::pair<Cookie, std::uint64_t>> dead;
    /// No IPsec SA record has tick work before this time (a lower bound).
    std::uint64_t ipsec_due_ms = 0;
    std::vector<detail::IpsecSaRecord> ipsec_sas;
    /// The secret of our IKEv2 cookies (RFC 7296 2.6), drawn at the first use.
    Botan::secure_vector<std::uint8_t> v2_cookie_secret;
    /// IKEv2 SAs by our own SPI (SPIi when we initiated, SPIr otherwise).
    std::map<ike::v2::IkeSpi, std::unique_ptr<detail::v2::IkeSa>> v2_sas;
    detail::v2::SaIndex v2_index;  ///< lookups over v2_sas by serial, IKE_SA_INIT and half-open state
    detail::DueIndex<ike::v2::IkeSpi> v2_due;  ///< when each IKEv2 SA (our SPI) next has tick work
    std::vector<ike::v2::IkeSpi> v2_dead;      ///< IKEv2 SAs that died, reaped at the end of a tick
    std::map<std::uint32_t, bool> contacted;  ///< peers we sent INITIAL-CONTACT to

    /// The message being processed and what it would change. The engine
    /// commits the IV chain and the NAT-T float to the IKE SA, and sends what
    /// the handler queued, only after the handler accepted the message as
    /// authentic and fresh; a dropped message changes nothing.
    struct Inbound {
        detail::IkeSa* sa = nullptr;
        std::span<const std::uint8_t> raw;  ///< the request, for reply caches
        Endpoint from;                       ///< where it came from
        std::uint32_t message_id = 0;
        std::optional<detail::Bytes> next_iv;  ///< RFC 2409 App. B: the chain after this message
        bool decrypted = false;  ///< it was encrypted and decrypted to valid payloads
        std::optional<Endpoint> float_peer;  ///< RFC 3947 4: the peer endpoint to follow to our NAT-T port
        std::vector<detail::Bytes> sends;  ///< messages for sa, sent after the commit
    };
    Inbound inbound;
    /// RFC 2408 2.5.3 anti-clogging for the 0.0.0.0 policy: first messages
    /// per source address in the current one-second window.
    std::map<std::uint32_t, std::pair<std::uint64_t, unsigned>> first_message_window;

    // ingress.cpp: a datagram's way from bytes to a handler, and the commit.
    void received(std::span<const std::uint8_t> bytes, Endpoint from, Endpoint to);
    /// Decrypts, checks and dispatches a message for a known IKE SA.
    void received_for(detail::IkeSa& sa, const codec::Header& h, std::span<const std::uint8_t> raw, Endpoint from,
                      Endpoint to);
    /// Applies what an accepted message changes, then sends the queued messages.
    void commit(detail::IkeSa& sa, bool accepted);
    /// False (and a log line) when a first message from `from` to a 0.0.0.0
    /// policy exceeds the per-address rate.
    bool first_message_allowed(const Ipv4Address& from, const IkePolicy& policy);
    // engine.cpp: sending, timers.
    void on_tick();
    /// When sa next has tick work (retransmission, half-open expiry,
    /// lifetimes, DPD); nothing when it has none.
    std::optional<std::uint64_t> next_due(const detail::IkeSa& sa) const;
    /// Lowers ipsec_due_ms to when rec next has tick work.
    void note_ipsec_due(const detail::IpsecSaRecord& rec);
    void send(detail::IkeSa& sa, const detail::Bytes& bytes);
    /// Sends an answer to the request being processed and remembers it, so a
    /// retransmitted request gets the same answer (RFC 2409 5).
    void reply(detail::IkeSa& sa, const detail::Bytes& bytes);
    /// Arms a retransmitter with our request (RFC 2408 5: the initiator retransmits).
    void arm(detail::Retransmitter& rtx, const detail::Bytes& bytes);
    /// A fresh message ID for an exchange we start on sa (RFC 2408 3.1).
    std::uint32_t new_message_id(const detail::IkeSa& sa);
    /// When an SA the engine set up at `now` with `life_ms` starts its rekey:
    /// the configured margin plus random jitter before expiry, at most 90%
    /// of the life (so two peers' rekeys do not collide).
    std::uint64_t rekey_time(std::uint64_t hard_at_ms, std::uint64_t life_ms);
    /// The phase-1 message being processed has been judged (phase 1 is
    /// done, or refused in a protected notify): new exchanges' IVs start
    /// from its last block (RFC 2409 App. B), so the chain takes it now.
    void adopt_phase1_iv(detail::IkeSa& sa);
    /// RFC 3947 4: moves sa to our NAT-T port and the peer to `peer` (its
    /// NAT-T port as we send to it, or where its accepted message came from).
    void float_to_nat_t(detail::IkeSa& sa, Endpoint peer);
    /// Builds a message; encrypts the chain when `encrypt` (RFC 2409 5.3).
    detail::Bytes build(detail::IkeSa& sa, codec::ExchangeType ex, std::uint32_t msgid,
                        const std::vector<codec::RawPayload>& payloads, bool encrypt);
    const IkePolicy* ike_policy_for(const Ipv4Address& peer) const;
    /// The policy configured for exactly this address (0.0.0.0 = the any-peer one).
    const IkePolicy* ike_policy_exact(const Ipv4Address& peer) const;
    // reconfigure.cpp
    ConfigDiff reconfigure(EngineConfig next);
    const IpsecSaPolicy* ipsec_policy(std::string_view name) const;
    detail::IkeSa* find_established(const Ipv4Address& peer);
    detail::IkeSa* find_any(const Ipv4Address& peer);
    detail::IkeSa& new_sa(Role role, ExchangeMode mode, const IkePolicy& policy, Endpoint peer, Cookie peer_cky_i = {});
    /// Flood resistance: before a new responder phase 1, drops the oldest
    /// half-open SA of this peer (or of all peers) when its table is full.
    void make_room_for_half_open(const Ipv4Address& peer);
    /// Deletes (and tells the peer about) the Rekeying SAs with sa's peer:
    /// sa has replaced them.
    void retire_rekeyed(detail::IkeSa& sa);
    /// Calls visit(sa) for each SA of `index` (half_open or rekeying), in
    /// index order, that still exists and is in `state`; drops the others.
    template <typename Visit>
    void visit_index(std::vector<std::pair<Cookie, std::uint64_t>>& index, detail::LifecycleState state, Visit visit);
    void fail_phase1(detail::IkeSa& sa,
                     FailureReason reason,
                     std::string detail,
                     codec::NotifyType notify,
                     bool tell_peer);
    void kill(detail::IkeSa& sa, DeleteReason reason);
    /// The entry action of sa's lifecycle machine: the work entering state
    /// `s` means (ike_sa_machine.h).
    void entered(detail::IkeSa& sa, detail::LifecycleState s);
    detail::Bytes random_bytes(std::size_t n);
    IkeSaInfo info(const detail::IkeSa& sa) const;
    bool initiate(std::string_view name);

    // phase1.cpp: Main and Aggressive Mode, run by a Phase1Task.
    detail::Phase1Context phase1_context(const detail::IkeSa& sa);
    void start_phase1(const IkePolicy& policy, Endpoint peer, std::string pending_sa);
    void phase1_respond_first(const codec::RawMessage& m,
                              std::span<const std::uint8_t> raw,
                              Endpoint from,
                              Endpoint to);
    bool phase1_process(detail::IkeSa& sa, const codec::RawMessage& m);
    /// Applies a phase-1 task's Outcome; false when the message was dropped.
    bool apply(detail::IkeSa& sa, detail::Phase1Outcome out);
    void phase1_done(detail::IkeSa& sa);
    /// INITIAL-CONTACT (RFC 2407 4.6.3.3): removes the established SAs with
    /// the same peer identity at sa's address, and their IPsec SAs.
    void initial_contact_received(detail::IkeSa& sa);

    // quick_mode.cpp
    detail::QuickModeContext quick_mode_context(const detail::IkeSa& sa, std::uint32_t message_id);
    void start_quick_mode(detail::IkeSa& sa, const IpsecSaPolicy& policy);
    bool quick_mode_process(detail::IkeSa& sa, const codec::RawMessage& m);
    /// Applies a Quick Mode task's Outcome; false when the message was dropped.
    bool apply(detail::IkeSa& sa, detail::QuickMode& qm, detail::Outcome out);
    /// Installs the pair and records the IPsec SA; the refusal when the installer refused.
    std::optional<detail::Refusal> install_quick_mode_sa(detail::IkeSa& sa, const detail::QuickMode& qm,
                                                         DynamicSaPair pair);
    /// Tells the peer (RFC 2408 3.14.1), logs and reports a refused Quick Mode.
    void refuse_quick_mode(detail::IkeSa& sa, const detail::QuickMode& qm, const detail::Refusal& r);

    // ../v2/exchange/engine_v2.cpp: IKEv2 (RFC 7296) on the same tables and callbacks.
    void v2_received(std::span<const std::uint8_t> bytes, Endpoint from, Endpoint to);
    void v2_respond_first(const ike::v2::Header& h, std::span<const std::uint8_t> raw, Endpoint from, Endpoint to);
    /// RFC 7296 2.6: true when the request may go on; otherwise it was
    /// answered with N(COOKIE) (no state kept).
    bool v2_cookie_ok(const ike::v2::Header& h, const std::vector<ike::v2::Payload>& payloads, Endpoint from,
                      Endpoint to);
    /// RFC 7296 2.5: answers an IKE_SA_INIT request carrying an unknown
    /// critical payload of `type` with N(UNSUPPORTED_CRITICAL_PAYLOAD) (no state).
    void v2_refuse_critical(const ike::v2::Header& h, std::uint8_t type, Endpoint from, Endpoint to);
    void v2_received_for(detail::v2::IkeSa& sa, const ike::v2::Header& h, std::span<const std::uint8_t> raw,
                         Endpoint from, Endpoint to);
    /// Starts IKE_SA_INIT towards `policy`'s peer; IKE_AUTH creates `child`.
    void v2_start(const IkePolicy& policy, const IpsecSaPolicy& child);
    /// A new IKEv2 SA in the table under our SPI, its lifecycle wired to v2_entered().
    detail::v2::IkeSa& v2_new_sa(Role role, Endpoint local, Endpoint peer, const ike::v2::IkeSpi& spi_i,
                                 const ike::v2::IkeSpi& spi_r, const IkePolicy& policy);
    detail::v2::AuthContext v2_context(const detail::v2::IkeSa& sa, Endpoint local, Endpoint peer);
    /// Applies a task's Outcome for the message `h` (null: we start the exchange).
    void v2_apply(detail::v2::IkeSa& sa, detail::v2::Outcome out, const ike::v2::Header* h,
                  std::span<const std::uint8_t> raw, Endpoint from, Endpoint to);
    bool v2_install_child(detail::v2::IkeSa& sa, const detail::v2::NewChild& child);
    void v2_fail(detail::v2::IkeSa& sa, const detail::v2::Failure& f);
    void v2_send(detail::v2::IkeSa& sa, const detail::Bytes& bytes);
    void v2_send_all(detail::v2::IkeSa& sa, const detail::v2::Datagrams& datagrams);
    /// Caches our response to the request `raw` (RFC 7296 2.3, RFC 7383 2.6.1).
    void v2_remember(detail::v2::IkeSa& sa, const ike::v2::Header* h, std::span<const std::uint8_t> raw,
                     detail::v2::Datagrams response);
    /// The IKE message size our fragments keep to on this SA; 0 = no fragments (RFC 7383).
    std::size_t v2_message_limit(const detail::v2::IkeSa& sa) const;
    void v2_send_from(Endpoint local, Endpoint peer, const detail::Bytes& bytes);
    // ../v2/exchange/events_v2.cpp: message_sent / message_received for IKEv2
    // (nothing is built when the callbacks want no events).
    /// A message we built from `payloads` (the inner ones of SK{}); not for retransmissions.
    void v2_sent_event(Endpoint local, Endpoint peer, std::span<const std::uint8_t> bytes,
                       std::span<const ike::v2::Payload> payloads);
    /// The same for a message sent as datagrams (RFC 7383 fragments: one event, their total length).
    void v2_sent_event(Endpoint local, Endpoint peer, const detail::v2::Datagrams& datagrams,
                       std::span<const ike::v2::Payload> payloads);
    /// A message a task of `sa` built (an Outcome's `send`), read back from its datagrams.
    void v2_sent_built(const detail::v2::IkeSa& sa, Endpoint local, Endpoint peer, const detail::v2::Datagrams& bytes);
    /// A message from the peer that decoded (and verified and decrypted).
    void v2_received_event(Endpoint local, Endpoint peer, const ike::v2::Header& h, std::size_t length,
                           std::span<const ike::v2::Payload> payloads, bool encrypted);
    /// Before `sa`'s task reads the message: the event when it will read (decodes, or verifies and decrypts).
    void v2_task_received_event(const detail::v2::IkeSa& sa, const ike::v2::Header& h,
                                std::span<const std::uint8_t> raw, Endpoint from, Endpoint to);
    /// A request of ours, queued behind the outstanding one (RFC 7296 2.3):
    /// INFORMATIONAL, or CREATE_CHILD_SA with the task that reads its answer.
    void v2_request(detail::v2::IkeSa& sa, std::vector<ike::v2::Payload> payloads,
                    ike::v2::ExchangeType exchange = ike::v2::ExchangeType::Informational,
                    std::unique_ptr<detail::v2::CreateChildTask> task = nullptr);
    void v2_informational(detail::v2::IkeSa& sa, const ike::v2::Header& h, const std::vector<ike::v2::Payload>& p,
                          std::span<const std::uint8_t> raw);
    /// The answer to our outstanding request: its task's Outcome, then the next queued request.
    void v2_response(detail::v2::IkeSa& sa, const ike::v2::Header& h, const std::vector<ike::v2::Payload>& p);
    void v2_create_child(detail::v2::IkeSa& sa, const ike::v2::Header& h, const std::vector<ike::v2::Payload>& p,
                         std::span<const std::uint8_t> raw);
    detail::v2::ChildContext v2_child_context(const detail::v2::IkeSa& sa);
    /// Applies a CREATE_CHILD_SA Outcome; returns the payloads to answer with (responder).
    std::vector<ike::v2::Payload> v2_apply_child(detail::v2::IkeSa& sa, detail::v2::ChildOutcome out);
    /// The IKE SA `n` that rekeyed `old` takes over its Child SAs (RFC 7296 2.18).
    void v2_adopt(detail::v2::IkeSa& old, detail::v2::NewIkeSa n);
    void v2_rekey_ike(detail::v2::IkeSa& sa);
    /// Starts CREATE_CHILD_SA on an established SA for `child` (a rekey when one of its pairs is due).
    void v2_start_child(detail::v2::IkeSa& sa, const IpsecSaPolicy& child);
    void v2_delete_ike(detail::v2::IkeSa& sa, DeleteReason reason, bool tell_peer);
    void v2_entered(detail::v2::IkeSa& sa, detail::LifecycleState s);
    void v2_tick();
    /// As next_due(), for an IKEv2 SA.
    std::optional<std::uint64_t> v2_next_due(const detail::v2::IkeSa& sa) const;
    detail::v2::IkeSa* v2_find(std::uint64_t serial);
    /// An IKEv2 pair the peer created that we rekey ourselves (its SA names the peer).
    bool v2_rekeys_as_responder(const detail::IpsecSaRecord& rec);
    detail::v2::IkeSa* v2_find_established(const Ipv4Address& peer);
    void v2_initial_contact(const detail::v2::IkeSa& sa);
    IkeSaInfo v2_info(const detail::v2::IkeSa& sa) const;

    // informational.cpp: Notify, Delete, DPD.
    void send_notify(detail::IkeSa& sa, codec::NotifyType type, codec::ProtocolId proto, detail::Bytes spi,
                     detail::Bytes data = {});
    void send_unprotected_notify(Endpoint local, Endpoint peer, const codec::Header& about, codec::NotifyType type);
    void send_delete_ike(detail::IkeSa& sa);
    void send_delete_ipsec(detail::IkeSa& sa, const detail::IpsecSaRecord& rec);
    bool informational_process(detail::IkeSa& sa, const codec::RawMessage& m);
    /// Applies what a received Informational asks; false when it was dropped.
    bool apply(detail::IkeSa& sa, detail::InformationalOutcome out);
    /// Ends our Quick Mode the peer refused (RFC 2408 3.14.1).
    void quick_mode_refused(detail::IkeSa& sa, const detail::QuickModeRefused& refused);
    void remove_ipsec(std::size_t index, DeleteReason reason, bool tell_peer);
    void dpd_tick(detail::IkeSa& sa);
};

namespace detail {
/// The public state an SA's lifecycle state shows as (IKEv1 and IKEv2).
inline IkeSaState snapshot_state(LifecycleState s)
{
    switch (s) {
    case LifecycleState::Idle:
    case LifecycleState::Negotiating: return IkeSaState::Negotiating;
    case LifecycleState::Established: return IkeSaState::Established;
    case LifecycleState::Rekeying: return IkeSaState::Rekeying;
    case LifecycleState::Dead: return IkeSaState::Dead;
    }
    return IkeSaState::Dead;
}
/// The PRF of the SA's chosen proposal (RFC 2409 5: the HASHes and KEYMAT use it).
inline crypto::HashAlgorithm prf_hash(const IkeSa& sa) { return sa.choice->proposal.hash; }
/// The MessageEvent for one message (RFC notation summary, notify types named).
MessageEvent message_event(const Endpoint& local, const Endpoint& peer, const codec::Header& h, std::size_t length,
                           const std::vector<codec::RawPayload>& payloads);
}  // namespace detail

}  // namespace picsec::ike
