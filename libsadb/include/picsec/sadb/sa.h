// The SA model: what an installed IPsec SA is (SaSpec, as configured or as
// negotiated by IKE), its counters and its lifetime state.
#pragma once

#include <botan/secmem.h>

#include <cstdint>
#include <optional>
#include <string>

#include "picsec/sadb/algorithms.h"

namespace picsec::sadb {

/// RFC 4301 4.4.2.1 SA lifetimes; 0 means "no limit" for that field.
struct Lifetime {
    std::uint64_t soft_seconds = 0;
    std::uint64_t hard_seconds = 0;
    std::uint64_t soft_bytes = 0;
    std::uint64_t hard_bytes = 0;
};

/// RFC 3948 UDP encapsulation of ESP (NAT traversal): a UDP header with these
/// ports and checksum 0 sits between the IPv4 header and the ESP header.
///
/// In transport mode the inner TCP/UDP checksums cover the sender's original
/// addresses, which IKE learns from NAT-OA (RFC 3947 5.2). Inbound, the SADB
/// fixes those checksums for the addresses the packet arrived with (RFC 3948
/// 3.1.2; see nat_t.h). Both are IPv4, host byte order; unset when unknown.
struct UdpEncapsulation {
    std::uint16_t source_port = 4500;
    std::uint16_t destination_port = 4500;
    /// The peer's own address as the peer knows it (before its NAT).
    std::optional<std::uint32_t> peer_original_address = std::nullopt;
    /// Our address as the peer addresses it (differs from ours when we are behind a NAT).
    std::optional<std::uint32_t> local_original_address = std::nullopt;
};

/// Everything needed to install one SA.
///
/// - Protocol::Ah / Esp: one SA under `spi`.
/// - Protocol::Bundle: AH over ESP. Outbound packets are protected with ESP
///   under `auxiliary_spi` (encryption only) and then AH under `spi`
///   (authentication); inbound packets must carry both.
/// - Direction::Bidirectional: the same SPI and keys protect outbound and
///   verify inbound packets (the ES PIC's manual SAs). Dynamic SAs from IKE
///   are installed as two specs, one Inbound and one Outbound.
/// - Mode::Tunnel: a new outer IPv4 header local_address -> peer_address with
///   protocol 4 (IP-in-IP) is added outbound and removed inbound.
struct SaSpec {
    std::string name;
    std::uint32_t spi = 0;
    std::uint32_t auxiliary_spi = 0;  ///< the ESP SPI of a bundle; 0 otherwise
    Protocol protocol = Protocol::Esp;
    Direction direction = Direction::Bidirectional;
    Mode mode = Mode::Tunnel;
    std::optional<EncryptionAlgorithm> encryption;
    Botan::secure_vector<std::uint8_t> encryption_key;
    std::optional<AuthenticationAlgorithm> authentication;
    Botan::secure_vector<std::uint8_t> authentication_key;
    std::uint32_t local_address = 0;  ///< IPv4, host byte order; tunnel source
    std::uint32_t peer_address = 0;   ///< IPv4, host byte order; tunnel destination
    unsigned replay_window = 64;      ///< 0 = off, 32, or 64 to ReplayWindow::k_max_size
    /// RFC 4303 2.2.1 / RFC 4304: 64-bit sequence numbers, the high half
    /// implicit (ESP and AH; not a bundle; needs an ICV and a window).
    bool extended_sequence_numbers = false;
    Lifetime lifetime;
    std::optional<UdpEncapsulation> udp_encapsulation;  ///< ESP only
    bool dynamic = false;             ///< installed by IKE rather than configured
};

/// Checks a spec for internal consistency (algorithms fit the protocol, key
/// lengths match the algorithm table, SPIs outside the reserved range 1..255
/// of RFC 4303 2.1, the window size, ESN with an ICV and a window, ...). Returns an empty string when the
/// spec is usable, else "field: why (got X, need Y)".
std::string validate(const SaSpec& spec);

/// Per-SA counters, as shown by `show ipsec security-associations detail`.
struct SaCounters {
    std::uint64_t packets = 0;           ///< packets protected + unprotected successfully
    std::uint64_t bytes = 0;             ///< inner (cleartext) bytes of those packets
    std::uint64_t outbound_packets = 0;
    std::uint64_t outbound_bytes = 0;
    std::uint64_t inbound_packets = 0;
    std::uint64_t inbound_bytes = 0;
    std::uint64_t replay_drops = 0;      ///< duplicate or too-old sequence numbers
    std::uint64_t auth_failures = 0;     ///< ICV did not verify
    std::uint64_t padding_errors = 0;    ///< bad ESP padding or pad length
    std::uint64_t malformed_drops = 0;   ///< bad lengths after the SA was found
    std::uint64_t expired_drops = 0;     ///< packets refused after the hard lifetime
    std::uint64_t policy_drops = 0;      ///< packets that did not match the SA's shape
    std::uint64_t sequence_overflows = 0; ///< outbound packets refused at sequence 2^32 - 1 (2^64 - 1 with ESN; the SA needs a rekey)
};

/// Lifetime bookkeeping of one SA. Times are the caller's clock in seconds,
/// as passed to Sadb::tick().
struct LifetimeState {
    std::uint64_t installed_at = 0;
    bool soft_expired = false;
    bool hard_expired = false;  ///< packets are refused; removed at the next tick()
};

}  // namespace picsec::sadb
