// ike-peer --load: N negotiations, each from its own source port, at most C
// at a time and R started per second, bounded by a time limit; optionally
// with a bounded flood of bogus first messages and malformed datagrams sent
// at the same time (--flood), and each SA with its own identity.
#pragma once

#include "report.h"
#include "session.h"

#include <chrono>
#include <iosfwd>

namespace picsec::tools::peer {

struct LoadOptions {
    std::size_t count = 0;             ///< negotiations to set up (0 = flood only)
    double rate = 0;                   ///< started per second; 0 = as fast as concurrency allows
    std::size_t concurrency = 16;
    std::chrono::milliseconds timeout{10000};   ///< per negotiation
    std::chrono::milliseconds time_limit{60000}; ///< whole run
    bool progress = false;             ///< live line on stderr (a terminal)
    std::size_t flood = 0;             ///< bogus datagrams to send
    double flood_rate = 1000;          ///< per second
    /// Each SA its own phase-1 identity: SA n (from 1) sends
    /// identity_for_sa(identity_base, n) (peer_setup.h). Each SA has its own
    /// engine, so with send_initial_contact every one sends INITIAL-CONTACT.
    bool identity_per_sa = false;
    std::string identity_base;
};

/// Runs the load (and flood) to completion or the time limit.
LoadSummary run_load(const PeerSetup& base, const LoadOptions& options, Botan::RandomNumberGenerator& rng,
                     std::ostream& progress);

/// The first message the initiator would send for `base` (a template for the flood).
std::vector<std::uint8_t> first_message(const PeerSetup& base, Botan::RandomNumberGenerator& rng);

}  // namespace picsec::tools::peer
