// ike-peer's reports: one negotiation (every message, what the peer chose
// or why it refused, the SAs) and a load run (rates, latency percentiles),
// as human text or JSON.
#pragma once

#include "session.h"

#include <map>
#include <string>
#include <vector>

namespace picsec::tools::peer {

/// One negotiation in text: a line per message, then phase 1, phase 2 and the result.
std::string report_text(const PeerSetup& setup, const SessionResult& r);
/// The same as one JSON object.
std::string report_json(const PeerSetup& setup, const SessionResult& r, bool expect_fail, bool as_expected);
/// One line naming why a failed negotiation failed ("phase 1: no proposal
/// chosen: ..."), empty when it did not fail.
std::string failure_line(const SessionResult& r);

/// The figures of a load run.
struct LoadSummary {
    std::size_t requested = 0;
    std::size_t established = 0;
    std::size_t failed = 0;
    std::size_t timed_out = 0;
    std::size_t not_started = 0;           ///< left when the time limit ended the run
    double elapsed_s = 0;
    double setups_per_second = 0;
    std::vector<double> latencies_ms;      ///< of established negotiations, sorted
    std::map<std::string, std::size_t> failure_reasons;
    /// The phase-1 identities sent: "load-1.x .. load-N.x" with
    /// --identity-per-sa, the one --identity, or empty (our address).
    std::string identities;
    bool initial_contact = false;  ///< each SA's phase 1 carried INITIAL-CONTACT
    // The flood sent alongside (zero when none).
    std::size_t flood_sent = 0;
    std::size_t flood_bytes = 0;
    std::size_t flood_answers = 0;
    std::size_t flood_answer_bytes = 0;
    /// IKEv2: answers that were IKE_SA_INIT responses asking for a COOKIE (RFC 7296 2.6).
    std::size_t flood_cookies = 0;
};

/// Percentile p (0..100) of a sorted sample, nearest rank.
double percentile(const std::vector<double>& sorted, double p);
std::string load_text(const LoadSummary& s);
std::string load_json(const LoadSummary& s);

}  // namespace picsec::tools::peer
