// One-line rendering of mismatch reports and reply errors (see mismatch.h).
#include "picsec/ike/negotiation/mismatch.h"

namespace picsec::ike::negotiation {
namespace {

std::string difference_text(const MismatchEntry& e) {
    std::string s = e.attribute + " theirs " + e.theirs + " ours " + e.ours;
    if (!e.our_proposal.empty()) s += " (" + e.our_proposal + ")";
    return s;
}

}  // namespace

std::string MismatchReport::to_string() const {
    std::string line = "no proposal chosen: ";
    switch (reason) {
        case MismatchReason::EmptyOffer: return line + "peer offered no proposals";
        case MismatchReason::NoLocalProposals: return line + "no local proposals configured";
        case MismatchReason::NoMatch: break;
    }
    const MismatchEntry* prev = nullptr;
    for (const auto& e : entries) {
        const bool new_proposal = prev == nullptr || prev->proposal_number != e.proposal_number;
        const bool new_protocol = new_proposal || prev->protocol != e.protocol;
        std::string prefix;
        if (new_proposal || (e.protocol.empty() && !e.transform_number))
            prefix = "proposal " + std::to_string(e.proposal_number);
        if (new_protocol && !e.protocol.empty()) prefix += (prefix.empty() ? "" : " ") + e.protocol;
        if (e.transform_number)
            prefix += (prefix.empty() ? "" : " ") + std::string("transform ") + std::to_string(*e.transform_number);
        if (prev != nullptr) line += "; ";
        line += prefix + ": " + difference_text(e);
        prev = &e;
    }
    return line;
}

std::string ReplyError::to_string() const {
    std::string line = "invalid proposal reply: " + problem;
    if (!difference) return line;
    std::string where = difference->protocol;
    if (difference->transform_number)
        where += (where.empty() ? "" : " ") + std::string("transform ") + std::to_string(*difference->transform_number);
    return line + ": " + (where.empty() ? "" : where + ": ") + difference_text(*difference);
}

}  // namespace picsec::ike::negotiation
