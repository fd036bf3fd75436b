// Applying an SADB to a whole capture: protect every IPv4 packet of a pcap
// with one outbound SA, or unprotect every packet, with a per-packet report
// of what was accepted or dropped and why.
#pragma once

#include <botan/rng.h>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "pcap.h"
#include "picsec/sadb/drop.h"
#include "picsec/sadb/sadb.h"

namespace picsec::tools {

/// What happened to one frame.
struct FrameReport {
    std::size_t number = 0;  ///< 1-based, as Wireshark counts frames
    enum class Outcome { Processed, Dropped, PassedThrough } outcome = Outcome::Processed;
    std::optional<sadb::DropReason> reason;  ///< when Dropped
    std::string text;                        ///< one line: what was done, or why not

    /// "packet N: ..." as printed by protect / unprotect.
    std::string line() const;
};

/// The output capture (same link type and link headers as the input; dropped
/// frames left out, non-IPv4 frames copied unchanged) and one report per frame.
struct CaptureResult {
    PcapFile output;
    std::vector<FrameReport> frames;
    std::size_t processed = 0;
    std::size_t dropped = 0;
    std::size_t passed_through = 0;

    /// "N packets: P protected, D dropped, S not IPv4 (copied)"; `verb` is
    /// "protected" or "accepted".
    std::string summary(const std::string& verb) const;
};

/// Protects each IPv4 packet with SA `id` (its outbound side).
CaptureResult protect_capture(sadb::Sadb& db, sadb::SaId id, const PcapFile& input,
                              Botan::RandomNumberGenerator& rng);

/// Unprotects each IPv4 packet with the inbound SAs of `db`: replay check,
/// ICV check, decryption; the output holds the inner packets.
CaptureResult unprotect_capture(sadb::Sadb& db, const PcapFile& input);

}  // namespace picsec::tools
