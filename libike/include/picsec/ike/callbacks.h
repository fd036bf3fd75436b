// Everything the engine does to the outside world goes through Callbacks:
// sending datagrams, installing and deleting IPsec SAs, and reporting events.
// The engine never blocks, never opens sockets and never keeps threads.
#pragma once

#include "picsec/ike/snapshot.h"
#include "picsec/ike/types.h"
#include "picsec/sadb/sa.h"

#include <cstdint>
#include <span>
#include <string>

namespace picsec::ike {

/// A negotiated SA as two specs: the inbound one (our SPI) and the outbound
/// one (the peer's SPI), each already carrying keys, replay window, lifetime
/// and UDP encapsulation.
struct DynamicSaPair {
    std::string name;  ///< the `security-association` name
    Ipv4Address peer;
    sadb::SaSpec inbound;
    sadb::SaSpec outbound;
};

/// What install_sa() answered. Refused means nothing was installed (the
/// installer must not keep half of a pair).
struct InstallResult {
    enum class Status { Installed, AdmissionLimit, Rejected };
    Status status = Status::Installed;
    std::string reason;  ///< for the log line when refused

    static InstallResult installed() { return {}; }
    bool ok() const { return status == Status::Installed; }
};
std::string_view to_string(InstallResult::Status s);

/// Names an installed pair for deletion.
struct SaPairId {
    std::string name;
    Ipv4Address peer;
    sadb::Protocol protocol = sadb::Protocol::Esp;
    std::uint32_t inbound_spi = 0;
    std::uint32_t outbound_spi = 0;
};

/// Why phase 1 or phase 2 failed.
enum class FailureReason {
    NoProposalChosen,     ///< proposals did not match (mismatch says why)
    AuthenticationFailed, ///< HASH_I/HASH_R or QM HASH did not verify (wrong PSK)
    Timeout,              ///< peer silent after all retransmissions
    PeerNotify,           ///< the peer sent an error Notify
    AdmissionLimit,       ///< the PIC refused the SA
    InstallFailed,        ///< the installer rejected the SA
    NoPolicy,             ///< nothing configured for this peer / SA
    Internal,             ///< a crypto or codec failure on our side
};
std::string_view to_string(FailureReason r);

struct Phase1Failure {
    Endpoint peer;
    Cookie initiator_cookie{};
    Cookie responder_cookie{};
    FailureReason reason = FailureReason::Internal;
    std::string detail;    ///< one line; the mismatch report's line for NoProposalChosen
    std::uint16_t notify = 0; ///< the Notify type sent or received, 0 if none
};

struct Phase2Failure {
    std::string name;      ///< the SA name when known
    Endpoint peer;
    FailureReason reason = FailureReason::Internal;
    std::string detail;
    std::uint16_t notify = 0;
};

/// Why an SA went away.
/// Reconfigured: a new configuration changed or removed the policy it was
/// negotiated under (Engine::reconfigure()).
enum class DeleteReason { PeerDelete, LocalClear, HardExpiry, Rekeyed, PeerDead, Reconfigured };
std::string_view to_string(DeleteReason r);

/// One IKE message the engine sent or accepted, for test tools and traces:
/// header fields and the payload chain in RFC notation as the engine sees it
/// (decrypted), e.g. "HDR*, HASH, N(INITIAL-CONTACT)". No key material.
struct MessageEvent {
    Endpoint local;
    Endpoint peer;
    Cookie initiator_cookie{};
    Cookie responder_cookie{};
    std::string exchange;           ///< exchange type name (RFC 2408 3.1)
    std::uint32_t message_id = 0;
    bool encrypted = false;
    std::string summary;            ///< "HDR*, HASH, SA, Nonce"
    std::size_t length = 0;         ///< ISAKMP message length in bytes
};

/// The engine's view of the world. Implemented by the Asio adapter in
/// tools/, by tests, and by libpic for install_sa/delete_sa.
class Callbacks {
public:
    virtual ~Callbacks() = default;

    /// Sends one UDP datagram. On the NAT-T port the engine has already put the
    /// 4-byte non-ESP marker in front (RFC 3948 2.2).
    virtual void send_datagram(const Endpoint& from, const Endpoint& to, std::span<const std::uint8_t> bytes) = 0;
    /// Installs both halves of a negotiated SA, or neither.
    virtual InstallResult install_sa(const DynamicSaPair& pair) = 0;
    /// Removes a pair installed earlier.
    virtual void delete_sa(const SaPairId& id) = 0;

    virtual void phase1_up(const IkeSaInfo&) {}
    virtual void phase1_failed(const Phase1Failure&) {}
    virtual void phase2_up(const IpsecSaInfo&) {}
    virtual void phase2_failed(const Phase2Failure&) {}
    virtual void ike_sa_deleted(const IkeSaInfo&, DeleteReason) {}
    virtual void ipsec_sa_deleted(const IpsecSaInfo&, DeleteReason) {}
    /// Every message built and sent (retransmissions are not repeated here).
    virtual void message_sent(const MessageEvent&) {}
    /// Every message that decoded (and decrypted) far enough to be dispatched.
    virtual void message_received(const MessageEvent&) {}
    /// False when message_sent / message_received do nothing: the engine then
    /// skips building the MessageEvent (its RFC-notation summary) per message.
    virtual bool wants_message_events() const { return true; }
};

}  // namespace picsec::ike
