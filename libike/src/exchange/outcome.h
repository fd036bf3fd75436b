// What a task decided about one message: the engine applies it only when the
// message was authentic and fresh (`accepted`), so a dropped message changes
// nothing. Tasks build Outcomes; they never send, install or report.
#pragma once

#include "picsec/ike/callbacks.h"
#include "picsec/ike/codec/payload_notify.h"
#include "picsec/ike/codec/raw_payload.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace picsec::ike::detail {

/// A dropped datagram's cause worth naming if the exchange then times out.
enum class DropCause : std::uint8_t {
    None,
    Undecryptable,      ///< an encrypted phase-1 message decrypted to no payloads
    UnprotectedNotify,  ///< an unprotected error notify that could not be the peer's
};
/// "; last dropped: ..." for a failure detail; empty for None.
std::string describe(DropCause c);

/// An exchange refused after the peer was authenticated: the notify to send
/// (RFC 2408 3.14.1) and the failure to report.
struct Refusal {
    FailureReason reason = FailureReason::Internal;
    std::string detail;
    codec::NotifyType notify = codec::NotifyType::NoProposalChosen;
    std::vector<std::uint8_t> spi;  ///< the SPI the notify names
    /// The peer installed its half already (a Quick Mode responder installs
    /// before HASH(2)): the engine also sends a Delete for it (RFC 2408 3.15).
    bool peer_installed = false;
};

/// A task's verdict on one message, or on starting an exchange.
struct Outcome {
    /// The message verified (HASH) and belongs to this exchange: the engine
    /// commits its IV, NAT-T float and liveness. False: dropped, nothing else set.
    bool accepted = false;
    /// The next message of this exchange (payloads before encryption); empty: none.
    std::vector<codec::RawPayload> send;
    /// `send` is a request: retransmit it until answered (RFC 2408 5).
    bool await_answer = false;
    /// The SA pair to install before `send` goes out; if the installer
    /// refuses it the engine sends the refusal instead (nothing half-installed).
    std::optional<DynamicSaPair> install;
    std::optional<Refusal> refusal;
    /// The exchange is over: the engine forgets the task and its message ID
    /// becomes a completed one.
    bool finished = false;

    static Outcome dropped() { return {}; }
};

}  // namespace picsec::ike::detail
