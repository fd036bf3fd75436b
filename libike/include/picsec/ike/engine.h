// The IKE engine (IKEv1 and IKEv2): datagrams and timer ticks in, callbacks out. No I/O, no
// threads, no global state; one Engine per local address.
#pragma once

#include "picsec/ike/callbacks.h"
#include "picsec/ike/config.h"
#include "picsec/ike/reconfigure.h"
#include "picsec/ike/snapshot.h"

#include <botan/secmem.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace Botan {
class RandomNumberGenerator;
}

namespace picsec::ike {

class Engine;
namespace detail {
struct ObservedState;
/// Internal: the engine's observable state, for oracles in tests and fuzz
/// targets (libike/src/exchange/observe.h).
ObservedState observe(const Engine& engine);
}  // namespace detail

/// Key material of one IKE SA for Wireshark. Exists only for key export.
/// IKEv1 (ikev1_decryption_table): the cookies and the encryption key Ka.
/// IKEv2 (ikev2_decryption_table): SPIi and SPIr in the cookie fields, and
/// SK_ei, SK_er, SK_ai, SK_ar (RFC 7296 2.14) with the SA's ENCR and INTEG.
struct IkeKeyExport {
    IkeVersion version = IkeVersion::V1;
    Cookie initiator_cookie{};
    Cookie responder_cookie{};
    Botan::secure_vector<std::uint8_t> encryption_key;  ///< IKEv1 Ka
    Botan::secure_vector<std::uint8_t> sk_ei, sk_er, sk_ai, sk_ar;  ///< IKEv2
    algo::EncryptionAlgorithm encryption = algo::EncryptionAlgorithm::Aes128Cbc;      ///< IKEv2 ENCR
    algo::AuthenticationAlgorithm integrity = algo::AuthenticationAlgorithm::HmacSha1_96;  ///< IKEv2 INTEG
};

/// Drives IKEv1 (RFC 2409) and IKEv2 (RFC 7296, policies with version 2) for
/// one local address.
///
/// - received_datagram(): every UDP datagram for our IKE ports (500 and the
///   NAT-T port, non-ESP marker included on the latter).
/// - tick(): call with a monotonic millisecond clock, at least every 100 ms;
///   it runs retransmission, DPD, lifetimes and rekeying. The first call
///   starts the SAs configured with initiate_on_start.
/// - Everything outward goes through Callbacks, synchronously.
class Engine {
public:
    Engine(EngineConfig config, Callbacks& callbacks, Botan::RandomNumberGenerator& rng);
    ~Engine();
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    void received_datagram(std::span<const std::uint8_t> bytes, Endpoint from, Endpoint to);
    void tick(std::uint64_t now_ms);

    /// Brings up the IPsec SA `name` (phase 1 first if needed). False when
    /// no such SA is configured.
    bool initiate(std::string_view ipsec_sa_name);

    /// Deletes every IKE SA with this peer, telling the peer (Delete).
    void clear_ike(const Ipv4Address& peer);
    /// Deletes the IPsec SAs named `name` (all of them when empty), telling the peer.
    void clear_ipsec(std::string_view name);

    /// Takes a new configuration while SAs are up, as a JUNOS `commit` does
    /// (the caller has run the commit check). Unchanged IKE policies and
    /// dynamic SAs keep their SAs (same cookies or SPIs, same IPsec SAs). A
    /// changed or removed IKE policy loses its IKE SAs and their IPsec SAs, a
    /// changed or removed dynamic SA its IPsec SAs; the peer is told with
    /// Delete payloads, through the same paths as clear_ike()/clear_ipsec()
    /// (DeleteReason::Reconfigured). Then what changed or was added and
    /// initiates is negotiated again. Engine-wide settings (timers, limits)
    /// apply from now on. Returns what differed and what was done; when
    /// ConfigDiff::refused is set (the local endpoint changed), nothing was.
    ConfigDiff reconfigure(EngineConfig config);

    std::vector<IkeSaInfo> ike_security_associations() const;
    std::vector<IpsecSaInfo> ipsec_security_associations() const;

    /// Keys for Wireshark export. Only returns data when the engine was
    /// configured with log_keys = true (the key-logging switch); empty otherwise.
    std::vector<IkeKeyExport> export_ike_keys() const;

    struct Impl;

private:
    friend detail::ObservedState detail::observe(const Engine& engine);
    std::unique_ptr<Impl> m_impl;
};

}  // namespace picsec::ike
