// SA payload (RFC 7296 3.3) decode with its proposal chain, encode, summary.
#include <picsec/ike/v2/error.h>
#include <picsec/ike/v2/payload_sa.h>

#include "wire.h"

namespace picsec::ike::v2 {
namespace {

// RFC 7296 3.3.1 Last Substruc of a proposal: 0 for the last, 2 otherwise.
constexpr std::uint8_t more_proposals = 2;

}  // namespace

SaPayload decode_sa(codec::Reader& r) {
    SaPayload sa;
    std::uint8_t last = more_proposals;
    while (r.ok() && last == more_proposals) {
        if (sa.proposals.size() == max_proposals_per_sa) {
            detail::fail(r, "Proposal", "too many proposals", "more than " + std::to_string(max_proposals_per_sa),
                         "at most " + std::to_string(max_proposals_per_sa));
            break;
        }
        auto g = detail::read_generic(r, "Proposal", "Proposal Length");
        if (!r.ok()) break;
        if (g.next != 0 && g.next != more_proposals) {
            detail::fail(r, "Last Substruc", "not 0 or 2 in a proposal", std::to_string(g.next), "0 or 2");
            break;
        }
        auto p = decode_proposal(g.body);
        g.body.expect_end();
        if (!g.body.ok()) {
            r.fail(g.body.error());
            break;
        }
        sa.proposals.push_back(std::move(p));
        last = g.next;
    }
    if (!r.ok()) return sa;
    // RFC 7296 3.3.1 proposal numbering.
    for (std::size_t i = 0; i < sa.proposals.size(); ++i) {
        const unsigned n = sa.proposals[i].number;
        if (n == 0) {
            detail::fail(r, "Proposal Num", "proposals are numbered from 1", "0", "at least 1");
        } else if (i == 0 && sa.proposals.size() > 1 && n != 1) {
            detail::fail(r, "Proposal Num", "the first of several proposals is not 1", std::to_string(n), "1");
        } else if (i > 0) {
            const unsigned prev = sa.proposals[i - 1].number;
            if (n != prev && n != prev + 1) {
                detail::fail(r, "Proposal Num", "not the previous number or the next one", std::to_string(n),
                             std::to_string(prev) + " or " + std::to_string(prev + 1));
            }
        }
    }
    return sa;
}

void encode(codec::Writer& w, const SaPayload& sa) {
    for (std::size_t i = 0; i < sa.proposals.size(); ++i) {
        const auto start = w.size();
        const auto len = detail::begin_generic(w, i + 1 < sa.proposals.size() ? more_proposals : 0, false);
        encode(w, sa.proposals[i]);
        w.end_length16(len, start, "Proposal");
    }
}

std::string describe(const SaPayload& sa) {
    std::string s = "SA(";
    for (std::size_t i = 0; i < sa.proposals.size(); ++i) {
        if (i) s += " ";
        s += describe(sa.proposals[i]);
    }
    return s + ")";
}

}  // namespace picsec::ike::v2
