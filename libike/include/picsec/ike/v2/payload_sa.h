// RFC 7296 3.3 Security Association payload: the proposals of an offer, or
// the one accepted proposal of an answer.
#pragma once

#include <picsec/ike/v2/payload_proposal.h>

#include <string>
#include <vector>

namespace picsec::ike::v2 {

/*
 * RFC 7296 3.3 Security Association Payload
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                          <Proposals>                          ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */

/// The SA payload body. Proposal numbering (RFC 7296 3.3.1): no proposal is
/// numbered 0; with several proposals the first is 1 and each next is the
/// previous or the previous + 1. A single proposal may carry any number (an
/// answer repeats the number of the proposal it accepted).
struct SaPayload {
    std::vector<Proposal> proposals;

    bool operator==(const SaPayload&) const = default;
};

/// Decode the body: 1..max_proposals_per_sa proposals.
SaPayload decode_sa(codec::Reader& body);
void encode(codec::Writer& w, const SaPayload& p);
std::string describe(const SaPayload& p);

}  // namespace picsec::ike::v2
