// Quick Mode (RFC 2409 5.5) as a task: one object per exchange and role that
// owns its material (nonces, PFS key pair, SPIs, client IDs, the choice) and
// answers each message with an Outcome. It reads its IKE SA's keys and
// addresses through a QuickModeContext and never sees the engine, so it is
// tested by feeding it messages.
//   Initiator                         Responder
//   HDR*, HASH(1), SA, Ni [, KE] [, IDci, IDcr] [, NAT-OAi, NAT-OAr]  -->
//                <--  HDR*, HASH(2), SA, Nr [, KE] [, IDci, IDcr] [, NAT-OAi, NAT-OAr]
//   HDR*, HASH(3)                                -->
#pragma once

#include "outcome.h"

#include "picsec/ike/codec/message.h"
#include "picsec/ike/codec/payload_id.h"
#include "picsec/ike/config.h"
#include "picsec/ike/crypto/dh.h"
#include "picsec/ike/crypto/types.h"
#include "picsec/ike/negotiation/phase2.h"
#include "picsec/ike/snapshot.h"

#include <botan/rng.h>
#include <spdlog/spdlog.h>

#include <optional>
#include <span>
#include <string>
#include <utility>

namespace picsec::ike::detail {

/// What a Quick Mode reads from its IKE SA: the phase-1 PRF and keys (RFC
/// 2409 5.5: SKEYID_a for the HASHes, SKEYID_d for KEYMAT) and the SA's
/// endpoints. Borrowed for one call.
struct QuickModeContext {
    crypto::HashAlgorithm prf = crypto::HashAlgorithm::Sha1;
    crypto::ByteView skeyid_d;
    crypto::ByteView skeyid_a;
    Endpoint local;
    Endpoint peer;
    bool floated = false;  ///< RFC 3947: the IKE SA runs on the NAT-T port
    Botan::RandomNumberGenerator& rng;
    spdlog::logger& log;
    std::string who;  ///< log prefix naming the IKE SA and the exchange
};

/// RFC 3947 5.2: the original addresses a peer states in NAT-OA, as this
/// side sees them; set only for a transport-mode SA over NAT-T.
struct OriginalAddresses {
    std::optional<Ipv4Address> peer;   ///< the peer's own address as the peer knows it
    std::optional<Ipv4Address> local;  ///< our address as the peer addresses it
};

class QuickModeTask {
public:
    /// Starts an exchange for `policy`: the Outcome sends HASH(1), SA, Ni ... and awaits HASH(2).
    static std::pair<QuickModeTask, Outcome> initiate(const QuickModeContext& ctx, const IpsecSaPolicy& policy,
                                                      std::uint32_t message_id);
    /// Answers a first message: nullopt when it is dropped (malformed, or
    /// HASH(1) does not verify); otherwise the task and an accepted Outcome
    /// (the install and HASH(2), or a refusal that finishes the exchange).
    /// `policies` are searched for the peer's own SAs first, then 0.0.0.0 ones.
    static std::optional<std::pair<QuickModeTask, Outcome>> respond(const QuickModeContext& ctx,
                                                                    std::span<const IpsecSaPolicy> policies,
                                                                    const codec::RawMessage& m);
    /// Message 2 (we initiated) or 3 (we responded).
    Outcome on_message(const QuickModeContext& ctx, const codec::RawMessage& m);

    /// The refusal naming our SPI, for a failure the engine meets applying an Outcome.
    Refusal refusal(FailureReason reason, std::string detail, codec::NotifyType notify) const;

    std::uint32_t message_id() const { return m_message_id; }
    Role role() const { return m_role; }
    const std::string& sa_name() const { return m_sa_name; }
    const IpsecSaPolicy* policy() const { return m_policy; }
    /// The agreed SA, once the peer's SA payload was accepted.
    const std::optional<negotiation::Phase2Choice>& choice() const { return m_choice; }
    std::uint32_t our_spi() const { return m_our_spi; }          ///< inbound SPI (first protocol)
    std::uint32_t our_aux_spi() const { return m_our_aux_spi; }  ///< inbound ESP SPI of a bundle
    /// The number of the message this task takes next (RFC 2409 5.5).
    unsigned next_message() const { return m_role == Role::Initiator ? 2 : 3; }

private:
    friend class ObserveTasks;  // the state oracle (observe.cpp) reads the material
    QuickModeTask(std::uint32_t message_id, Role role) : m_message_id(message_id), m_role(role) {}
    /// The initiator drops its exchange after refusing the reply.
    Outcome abandon(FailureReason reason, std::string detail, codec::NotifyType notify) const;
    Outcome on_reply(const QuickModeContext& ctx, const codec::RawMessage& m);
    Outcome on_hash3(const QuickModeContext& ctx, const codec::RawMessage& m) const;
    /// Both halves of the agreed SA with their KEYMAT (RFC 2409 5.5).
    DynamicSaPair pair(const QuickModeContext& ctx) const;

    std::uint32_t m_message_id = 0;
    Role m_role = Role::Initiator;
    std::string m_sa_name;
    const IpsecSaPolicy* m_policy = nullptr;
    negotiation::Phase2Policy m_p2;
    std::vector<std::uint8_t> m_ni, m_nr;
    std::optional<crypto::DhKeyPair> m_dh;
    std::vector<std::uint8_t> m_peer_ke;
    std::uint32_t m_our_spi = 0;
    std::uint32_t m_our_aux_spi = 0;
    std::optional<negotiation::Phase2Choice> m_choice;
    OriginalAddresses m_original;
};

/// Wire value of an IPv4 client ID subnet (RFC 2407 4.6.2.5).
codec::IdPayload client_id_payload(const ClientId& c);
std::optional<ClientId> client_id_from(const codec::IdPayload& p);
/// An SPI as the 4 octets a payload carries.
std::vector<std::uint8_t> spi_bytes(std::uint32_t v);

}  // namespace picsec::ike::detail
