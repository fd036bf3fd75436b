// What an IKEv2 task decided about one message. As in IKEv1 (outcome.h),
// the engine applies it only when `accepted`: a dropped message changes
// nothing. Tasks build complete datagrams; they never send or install.
#pragma once

#include "protection.h"

#include "picsec/ike/callbacks.h"
#include "picsec/ike/v2/negotiation.h"

#include <optional>
#include <string>

namespace picsec::ike::detail::v2 {

/// The IKE SA is authenticated: what the engine keeps of the exchange.
struct Established {
    SaKeys keys;
    ike::v2::negotiation::IkeChoice choice;
    c2::IkeSpi spi_r{};
    std::string peer_id;  ///< the peer's IDi/IDr, printable
    std::string peer_subject, peer_ca;  ///< with signatures: its certificate and the CA it validated to
    bool nat_detected = false;
    /// Responder: IKE_AUTH carried N(INITIAL_CONTACT) (RFC 7296 2.4).
    bool initial_contact = false;
    /// RFC 7383 2.3: both sides announced IKEV2_FRAGMENTATION_SUPPORTED, so
    /// our long protected messages go out as SKF fragments.
    bool fragmentation = false;
};

/// A negotiated Child SA, ready to install.
struct NewChild {
    DynamicSaPair pair;
    ike::v2::negotiation::ChildChoice choice;
    sadb::Mode mode = sadb::Mode::Tunnel;
    Role role = Role::Initiator;  ///< ours in the exchange that created it
};

/// The exchange failed; `notify` is the IKEv2 Notify type sent or received (0: none).
struct Failure {
    FailureReason reason = FailureReason::Internal;
    std::string detail;
    std::uint16_t notify = 0;
    bool child_only = false;  ///< the IKE SA stands; only its Child SA was refused
};

struct Outcome {
    bool accepted = false;
    /// The datagrams of a message to send: our next request (`request`) or
    /// our response; several when it goes out in fragments (RFC 7383).
    Datagrams send;
    bool request = false;
    /// Responder: the response to send instead of `send` when the installer
    /// refuses the Child SA (the IKE SA stands, the Child SA is refused).
    Datagrams send_if_refused;
    std::optional<NewChild> child;
    std::optional<Established> established;
    std::optional<Failure> failure;
    /// The exchange is over (established or failed): the engine drops the task.
    bool finished = false;
    /// RFC 7296 2.23: a NAT is between us; the IKE SA moves to the NAT-T port
    /// and its Child SAs use UDP encapsulation.
    bool nat_detected = false;
    /// Why a message was dropped (for the log and a later timeout's detail).
    std::string drop_note;

    static Outcome dropped() { return {}; }
};

}  // namespace picsec::ike::detail::v2
