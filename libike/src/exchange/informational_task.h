// The Informational exchange (RFC 2409 5.7) as a task: one message, checked
// and read into an Outcome the engine applies - answer R-U-THERE, note an
// ACK (RFC 3706), end a phase 1 or a Quick Mode the peer refused, delete what
// the peer deleted. It never sees the engine, so it is tested by feeding it
// messages.
#pragma once

#include "outcome.h"

#include "picsec/ike/codec/payload_notify.h"
#include "picsec/ike/codec/raw_payload.h"
#include "picsec/ike/crypto/types.h"
#include "picsec/ike/types.h"

#include <spdlog/spdlog.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace picsec::ike::detail {

/// What an Informational reads from its IKE SA, borrowed for one call.
struct InformationalContext {
    bool has_keys = false;  ///< phase-1 keys exist: only a protected message counts
    crypto::HashAlgorithm prf = crypto::HashAlgorithm::Sha1;
    crypto::ByteView skeyid_a;
    Cookie cky_i{};
    Cookie cky_r{};
    bool negotiating = false;  ///< phase 1 is not done yet
    bool from_peer = false;    ///< the datagram came from the peer's own address and port
    std::string from;          ///< where it came from, for the log
    spdlog::logger& log;
    std::string who;
};

/// A Quick Mode the peer refused: our SPI it names (0: none) and why.
struct QuickModeRefused {
    std::uint32_t spi = 0;
    codec::NotifyType notify = codec::NotifyType::NoProposalChosen;
};

/// What one Informational message asks of the engine. Effects come in the
/// message's order; a terminal one (phase1_refused, delete_ike) ends it.
struct InformationalOutcome {
    bool accepted = false;  ///< authentic (HASH(1)), or an unprotected notify the rules let count
    std::optional<DropCause> drop_cause;  ///< why a dropped message was dropped, for a later failure's detail
    std::vector<std::vector<std::uint8_t>> dpd_requests;  ///< R-U-THERE data to answer with R-U-THERE-ACK
    bool dpd_ack = false;
    std::vector<QuickModeRefused> quick_mode_refused;
    std::vector<std::uint32_t> deleted_spis;  ///< the peer's inbound SPIs: our outbound ones
    std::optional<codec::NotifyType> phase1_refused;
    bool delete_ike = false;
};

InformationalOutcome read_informational(const InformationalContext& ctx, const codec::RawMessage& m);

}  // namespace picsec::ike::detail
