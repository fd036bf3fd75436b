// The engine's own configuration structs: what libconfig (or a test) hands
// the engine. Plain values, no dependency on the config language.
#pragma once

#include "picsec/ike/crypto/signature.h"
#include "picsec/ike/negotiation/proposal.h"
#include "picsec/ike/types.h"
#include "picsec/sadb/algorithms.h"

#include <botan/secmem.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace spdlog {
class logger;
}

namespace picsec::ike {

/// `security ike policy PEER-ADDRESS`: how phase 1 with this peer is done.
struct IkePolicy {
    /// 0.0.0.0 = any peer, as responder, when it carries an authenticator:
    /// peers are then admitted by their certificate alone.
    Ipv4Address peer;
    IkeVersion version = IkeVersion::V1;
    ExchangeMode mode = ExchangeMode::Main;  ///< IKEv1 only
    std::vector<negotiation::IkeProposal> proposals;  ///< preference order
    Botan::secure_vector<std::uint8_t> pre_shared_key;
    /// Our phase-1 identity: an IPv4 address, user@fqdn, a DN ("C=US, O=Example,
    /// CN=r1") or an FQDN. Empty = ID_IPV4_ADDR of the local address with
    /// pre-shared keys (RFC 2409 5.4), ID_DER_ASN1_DN of our certificate's
    /// subject with signatures.
    std::string local_id;
    /// `local-certificate` / `local-key-pair` with the trusted CAs: signs for us
    /// and checks the peer's certificate chain, ID and SIG (RFC 2409 5.1).
    /// Required when a proposal says rsa-signatures; null otherwise.
    std::shared_ptr<const crypto::SignatureAuthenticator> authenticator;
    /// The peer's IKE port when we initiate; 0 = our own IKE port (RFC 2408
    /// 2.5.2). A test peer speaking from many source ports sets 500 here.
    std::uint16_t peer_port = 0;
    /// IKEv2 with signatures: how our RFC 7427 Digital Signature AUTH
    /// (method 14) is signed. RsaPkcs1Sha256 (sha256WithRSAEncryption, the
    /// default) or RsaPssSha256 (RSASSA-PSS, SHA-256, MGF1-SHA-256, salt 32),
    /// the latter only when the peer announced SHA2-256 in
    /// SIGNATURE_HASH_ALGORITHMS (RFC 7427 4). Verifying accepts both.
    v2::crypto::SignatureScheme signature_scheme = v2::crypto::SignatureScheme::RsaPkcs1Sha256;
};

/// A Quick Mode client identity: a subnet (RFC 2407 4.6.2.1 ID_IPV4_ADDR_SUBNET).
struct ClientId {
    Ipv4Address address;
    std::uint8_t prefix_length = 0;

    auto operator<=>(const ClientId&) const = default;
    std::string to_string() const;  ///< "0.0.0.0/0"
    /// True when every address of `other` lies inside this subnet (a
    /// route-based 0.0.0.0/0 contains every client ID a peer proposes).
    bool contains(const ClientId& other) const;
};

/// `security ipsec security-association NAME` with `dynamic`, joined with
/// its `ipsec-policy` and the peer it is bound to.
struct IpsecSaPolicy {
    std::string name;
    Ipv4Address peer;  ///< 0.0.0.0 = a responder template for any peer
    sadb::Mode mode = sadb::Mode::Tunnel;
    /// Tunnel: 0.0.0.0/0 both sides (route-based). Transport: the peer
    /// addresses /32. Our side first.
    ClientId local_client;
    ClientId peer_client;
    std::vector<negotiation::IpsecProposal> proposals;  ///< preference order
    std::optional<negotiation::DhGroup> pfs_group;
    unsigned replay_window = 64;  ///< 32 or 64 (the services PIC: 64 to 4096 too)
    bool initiate_on_start = true; ///< false = respond only
};

/// Timers, in milliseconds of the clock passed to Engine::tick().
struct EngineTimers {
    std::uint64_t retransmit_base_ms = 500;  ///< doubles after each retry
    unsigned max_retries = 5;                ///< then the exchange gives up
    std::uint64_t dpd_interval_ms = 0;       ///< RFC 3706 idle interval; 0 = DPD off
    unsigned dpd_max_retries = 3;            ///< R-U-THERE without ACK before the peer is dead
    std::uint64_t rekey_margin_ms = 60000;   ///< rekey this long before hard expiry
    std::uint64_t rekey_jitter_ms = 10000;   ///< random extra margin in [0, jitter]
    std::uint64_t half_open_timeout_ms = 30000; ///< responder phase 1 left unfinished
};

/// Everything the engine is configured with.
struct EngineConfig {
    Endpoint local{{}, 500};
    std::uint16_t nat_t_port = 4500;                ///< RFC 3947 4: the port IKE floats to
    std::vector<IkePolicy> ike_policies;            ///< one per peer address
    std::vector<IpsecSaPolicy> ipsec_policies;      ///< dynamic SAs
    EngineTimers timers;
    bool force_nat_t = false;     ///< pretend to be behind NAT (float to 4500, UDP-encapsulated ESP)
    bool send_initial_contact = true; ///< RFC 2407 4.6.3.3 after our first phase 1 with a peer
    /// Responder phase-1 SAs not yet authenticated, and of those from one peer
    /// address. IKEv1 drops the oldest to make room; IKEv2 refuses the new
    /// IKE_SA_INIT (each version counts its own SAs).
    std::size_t max_half_open = 256;
    std::size_t max_half_open_per_peer = 64;
    std::size_t max_ike_sas = 4096;
    /// IKEv2 (RFC 7296 2.6): from this many half-open responder SAs on, an
    /// IKE_SA_INIT request must echo our COOKIE before it costs a D-H or any
    /// state. 0 = always ask.
    std::size_t cookie_threshold = 32;
    /// IKEv2 fragments (RFC 7383): when both sides announced
    /// IKEV2_FRAGMENTATION_SUPPORTED, a protected message whose IPv4 datagram
    /// (IP and UDP headers and the non-ESP marker included) would be longer
    /// than this goes out as SKF fragments of at most this size. The default
    /// 1280 is strongSwan's charon.fragment_size default (the IPv6 minimum
    /// MTU): below common path MTUs (1500, 1492 on PPPoE, tunnels), so a
    /// certificate IKE_AUTH (1.5-5 KB) is not IP-fragmented and lost at NATs
    /// and firewalls that drop IP fragments, and large enough that a PSK
    /// exchange is never split. 576 (RFC 791's datagram every host accepts,
    /// RFC 7383 2.5.1) is the least `picsec run` takes; 0 = never send
    /// fragments (support is still announced).
    std::size_t fragment_size = 1280;
    /// First messages per second from one source address that a 0.0.0.0
    /// (any peer) policy answers; each costs a DH and a signature. 0 = no limit.
    unsigned max_first_messages_per_second = 10;
    /// Logs keys (SKEYID_*, Ka, KEYMAT) at debug level. Off unless a user asks.
    bool log_keys = false;
    /// Logger for every line; null = spdlog's default logger.
    std::shared_ptr<spdlog::logger> logger;
};

}  // namespace picsec::ike
