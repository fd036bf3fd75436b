// Security Association payload (RFC 2408 3.4, RFC 2407 4.6.1) decode with its
// Proposal chain, encode and summary.
#include <picsec/ike/codec/limits.h>
#include <picsec/ike/codec/payload_sa.h>

#include "generic_header.h"

namespace picsec::ike::codec {

SaPayload decode_sa(Reader& r) {
    SaPayload sa;
    sa.doi = r.u32("DOI");
    sa.situation = r.u32("Situation");
    if (!r.ok()) return sa;
    if (sa.doi != ipsec_doi) {
        r.fail(NotifyType::DoiNotSupported, "DOI", "unsupported", std::to_string(sa.doi), "1 (IPSEC)");
        return sa;
    }
    if (sa.situation != sit_identity_only) {
        r.fail(NotifyType::SituationNotSupported, "Situation", "unsupported", std::to_string(sa.situation),
               "1 (SIT_IDENTITY_ONLY)");
        return sa;
    }
    if (r.empty()) {
        r.fail(NotifyType::BadProposalSyntax, "Proposal", "no proposals", "0", "at least 1");
        return sa;
    }
    std::uint8_t next = static_cast<std::uint8_t>(PayloadType::Proposal);
    while (r.ok() && next != static_cast<std::uint8_t>(PayloadType::None)) {
        if (next != static_cast<std::uint8_t>(PayloadType::Proposal)) {
            r.fail(NotifyType::BadProposalSyntax, "Next Payload", "not a Proposal inside an SA",
                   std::to_string(next), "2 (Proposal) or 0");
            break;
        }
        if (sa.proposals.size() == max_proposals_per_sa) {
            r.fail(NotifyType::PayloadMalformed, "Proposal", "too many proposals",
                   "more than " + std::to_string(max_proposals_per_sa),
                   "at most " + std::to_string(max_proposals_per_sa));
            break;
        }
        auto g = detail::read_generic(r, "Proposal");
        if (!r.ok()) break;
        auto p = decode_proposal(g.body);
        g.body.expect_end();
        if (!g.body.ok()) {
            r.fail(g.body.error());
            break;
        }
        // RFC 2408 4.2: proposal numbers increase monotonically; equal numbers
        // are one combined offer.
        if (!sa.proposals.empty() && p.number < sa.proposals.back().number) {
            r.fail(NotifyType::BadProposalSyntax, "Proposal #", "proposal numbers go down",
                   std::to_string(p.number), "at least " + std::to_string(sa.proposals.back().number));
            break;
        }
        sa.proposals.push_back(std::move(p));
        next = g.next;
    }
    return sa;
}

void encode(Writer& w, const SaPayload& sa) {
    w.u32(sa.doi);
    w.u32(sa.situation);
    for (std::size_t i = 0; i < sa.proposals.size(); ++i) {
        const bool last = i + 1 == sa.proposals.size();
        const auto start = w.size();
        const auto len =
            detail::begin_generic(w, static_cast<std::uint8_t>(last ? PayloadType::None : PayloadType::Proposal));
        encode(w, sa.proposals[i]);
        w.end_length16(len, start, "Proposal");
    }
}

std::string describe(const SaPayload& sa) {
    std::string s = "SA(";
    bool first = true;
    for (const auto& p : sa.proposals) {
        if (!first) s += "; ";
        first = false;
        s += describe(p);
    }
    return s + ")";
}

DecodeResult<SaPayload> decode_sa_payload(std::span<const std::uint8_t> body) {
    Reader r(body, "SA");
    auto sa = decode_sa(r);
    r.expect_end();
    if (!r.ok()) return r.error();
    return sa;
}

}  // namespace picsec::ike::codec
