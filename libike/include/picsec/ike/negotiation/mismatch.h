// Why negotiation failed, as data: for each offered proposal / transform the
// first attribute that differed from our closest proposal, theirs vs ours,
// rendered as one log line.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace picsec::ike::negotiation {

/// One difference: the first attribute, in matching order, of one offered
/// transform (or of a whole proposal) that differed from our closest proposal.
struct MismatchEntry {
    std::uint8_t proposal_number = 0;
    std::string protocol;                         ///< "ah" / "esp" / ...; empty in phase 1 and for proposal-level entries
    std::optional<std::uint8_t> transform_number; ///< absent when the whole proposal differed (protocol set, no transforms)
    std::string attribute;    ///< JUNOS keyword: encryption-algorithm, key-length, authentication-algorithm,
                              ///< authentication-method, dh-group, encapsulation-mode, pfs-group, protocol, ...
    std::string theirs;       ///< the peer's value, rendered ("3des-cbc", "none", "unknown(9)")
    std::string ours;         ///< our value, rendered
    std::string our_proposal; ///< name of our proposal compared against (the closest one)

    friend bool operator==(const MismatchEntry&, const MismatchEntry&) = default;
};

enum class MismatchReason {
    NoMatch,           ///< see entries
    EmptyOffer,        ///< the peer's SA payload held no proposal / transform
    NoLocalProposals,  ///< we have nothing configured to match against
};

/// The structured NO-PROPOSAL-CHOSEN explanation returned by select_phase1/2.
struct MismatchReport {
    MismatchReason reason = MismatchReason::NoMatch;
    std::vector<MismatchEntry> entries;  ///< in offer order; the structured form for the API / JSON

    /// One line, e.g. `no proposal chosen: proposal 1 transform 1:
    /// encryption-algorithm theirs 3des-cbc ours aes-128-cbc (p1); transform 2:
    /// dh-group theirs group2 ours group14 (p1)`. The proposal number and
    /// protocol are only repeated when they change; "(name)" is our proposal.
    std::string to_string() const;

    friend bool operator==(const MismatchReport&, const MismatchReport&) = default;
};

/// Why an initiator refused the responder's reply SA payload.
struct ReplyError {
    std::string problem;                   ///< e.g. "reply changed proposal 2"
    std::optional<MismatchEntry> difference; ///< the altered attribute, when there is one

    /// One line: `invalid proposal reply: <problem>[: [esp ]transform N:
    /// <attribute> theirs X ours Y (our proposal)]`.
    std::string to_string() const;

    friend bool operator==(const ReplyError&, const ReplyError&) = default;
};

}  // namespace picsec::ike::negotiation
