// IKE_SA_INIT and IKE_AUTH (RFC 7296 1.2) as one task per IKE SA and role:
// it owns the exchange material (SPIs, nonces, the D-H pair, both
// IKE_SA_INIT messages for AUTH, the tentative keys) and answers each message
// with an Outcome. Keys reach the IKE SA only in the Outcome of an
// authenticated IKE_AUTH; a message that does not verify changes nothing.
//   Initiator                         Responder
//   HDR, SAi1, KEi, Ni, N(NAT_D)*        -->
//                                   <--  HDR, SAr1, KEr, Nr, N(NAT_D)*
//   HDR, SK {IDi, AUTH, SAi2, TSi, TSr [, N(USE_TRANSPORT_MODE)]}  -->
//                                   <--  HDR, SK {IDr, AUTH, SAr2, TSi, TSr}
#pragma once

#include "outcome.h"

#include "picsec/ike/config.h"
#include "picsec/ike/crypto/dh.h"
#include "picsec/ike/v2/payload.h"

#include <botan/rng.h>
#include <spdlog/spdlog.h>

#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace picsec::ike::detail::v2 {

/// What the task reads from the engine for one call.
struct AuthContext {
    const IkePolicy& policy;
    Endpoint local;
    Endpoint peer;
    /// Responder: our Child SA templates for this peer (its own SAs first,
    /// then 0.0.0.0 ones), in the order IKE_AUTH tries them.
    std::span<const IpsecSaPolicy> children;
    bool force_nat_t = false;  ///< pretend a NAT is in front of us (RFC 7296 2.23)
    /// Initiator: send N(INITIAL_CONTACT) in IKE_AUTH, because no other IKE SA
    /// with this peer is up (RFC 7296 2.4).
    bool initial_contact = false;
    Botan::RandomNumberGenerator& rng;
    spdlog::logger& log;
    std::string who;  ///< log prefix naming the IKE SA
    /// RFC 7383: the IPv4 datagram size our fragments fit (EngineConfig::fragment_size); 0 = none.
    std::size_t fragment_size = 0;
};

class IkeAuthTask {
public:
    /// Initiator: the IKE_SA_INIT request for a new IKE SA whose IKE_AUTH
    /// creates `child`.
    static std::pair<IkeAuthTask, Outcome> initiate(const AuthContext& ctx, const IpsecSaPolicy& child,
                                                    const c2::IkeSpi& spi_i);
    /// Responder: answers an IKE_SA_INIT request. The task exists only when
    /// the request was acceptable; a refusal (NO_PROPOSAL_CHOSEN,
    /// INVALID_KE_PAYLOAD) is answered without state.
    static std::pair<std::optional<IkeAuthTask>, Outcome> respond(const AuthContext& ctx, const c2::Header& h,
                                                                  const std::vector<c2::Payload>& payloads,
                                                                  std::span<const std::uint8_t> raw,
                                                                  const c2::IkeSpi& spi_r);
    /// The next message of the exchange: the IKE_SA_INIT response or the
    /// IKE_AUTH response (initiator), the IKE_AUTH request (responder).
    Outcome on_message(const AuthContext& ctx, const c2::Header& h, std::span<const std::uint8_t> raw);

    Role role() const { return m_role; }
    const c2::IkeSpi& spi_i() const { return m_spi_i; }
    const c2::IkeSpi& spi_r() const { return m_spi_r; }
    /// The Child SA this exchange creates (initiator), once known (responder).
    const IpsecSaPolicy* child_policy() const { return m_child; }
    /// True while we wait for the IKE_SA_INIT response (its SPIr is not ours yet).
    bool awaiting_init_response() const { return m_step == Step::InitResponse; }
    /// The tentative keys once IKE_SA_INIT is done, and IKE_AUTH fragments
    /// held so far: for the engine's message events (read, never changed).
    const SaKeys* keys() const { return m_keys ? &*m_keys : nullptr; }
    const Reassembly& fragments() const { return m_fragments; }

private:
    friend class ObserveTasks;
    enum class Step { InitResponse, AuthResponse, AuthRequest, Done };
    IkeAuthTask(Role role, Step step) : m_role(role), m_step(step) {}

    Outcome on_init_response(const AuthContext& ctx, const c2::Header& h, std::span<const std::uint8_t> raw);
    Outcome on_auth_request(const AuthContext& ctx, const c2::Header& h, std::span<const std::uint8_t> raw);
    Outcome on_auth_response(const AuthContext& ctx, const c2::Header& h, std::span<const std::uint8_t> raw);
    /// The IKE_SA_INIT request for our current group and cookie.
    Bytes init_request(const AuthContext& ctx);
    void derive_keys();
    /// HDR, SK{p} of IKE_AUTH, in fragments when they were agreed and it is long (RFC 7383 2.5).
    Datagrams seal_auth(const AuthContext& ctx, Role sender, std::vector<c2::Payload> p) const;
    bool signatures() const;  ///< the chosen proposal says rsa-signatures
    /// Our ID payload (IDi or IDr) from the policy's local-id.
    c2::IdPayload our_id(const AuthContext& ctx) const;
    /// <InitiatorSignedOctets> or <ResponderSignedOctets> (RFC 7296 2.15).
    std::vector<std::uint8_t> signed_octets(Role signer, const c2::IdPayload& id) const;
    /// Our ID, [CERT+, CERTREQ,] AUTH.
    void add_auth(const AuthContext& ctx, std::vector<c2::Payload>& p) const;
    /// The peer's AUTH: the pre-shared key's MAC, or its certificate chain,
    /// ID match and signature (RFC 7296 2.15, RFC 7427).
    struct PeerAuth {
        bool ok = false;
        std::string detail;  ///< why not
        std::string name;    ///< the ID, printable
        std::string subject, ca;
    };
    PeerAuth check_peer(const AuthContext& ctx, const std::vector<c2::Payload>& payloads, const c2::IdPayload& id,
                        const c2::AuthPayload& auth) const;
    NewChild child_pair(const AuthContext& ctx, const ike::v2::negotiation::ChildChoice& c) const;
    Established established(const std::string& peer_id) const;
    Outcome fail(FailureReason reason, std::string detail, std::uint16_t notify);

    Role m_role;
    Step m_step;
    c2::IkeSpi m_spi_i{}, m_spi_r{};
    const IpsecSaPolicy* m_child = nullptr;
    std::optional<crypto::DhKeyPair> m_dh;
    std::optional<ike::v2::negotiation::IkeChoice> m_choice;
    std::optional<crypto::DhGroup> m_group;  ///< the group our KE uses (initiator)
    Bytes m_cookie;                          ///< RFC 7296 2.6: echoed in the retried request
    Bytes m_ni, m_nr, m_peer_ke;
    Bytes m_init_request, m_init_response;   ///< RealMessage1 and RealMessage2 (RFC 7296 2.15)
    std::optional<SaKeys> m_keys;            ///< tentative until IKE_AUTH verifies
    std::uint32_t m_child_spi = 0;           ///< our inbound Child SA SPI
    bool m_nat_detected = false;
    bool m_transport = false;                ///< the initiator asked for USE_TRANSPORT_MODE
    bool m_fragmentation = false;            ///< both announced IKEV2_FRAGMENTATION_SUPPORTED (RFC 7383 2.3)
    bool m_peer_sha256 = false;              ///< the peer's SIGNATURE_HASH_ALGORITHMS names SHA2-256 (RFC 7427 4)
    Reassembly m_fragments;                  ///< an IKE_AUTH arriving in SKF fragments (RFC 7383)
};

/// A random 8-byte IKE SPI, never zero (RFC 7296 3.1).
c2::IkeSpi random_ike_spi(Botan::RandomNumberGenerator& rng);

}  // namespace picsec::ike::detail::v2
