// RFC 2408 3.4 / RFC 2407 4.6.1 Security Association payload: DOI, situation
// and the proposals it carries.
#pragma once

#include <picsec/ike/codec/payload_proposal.h>

#include <cstdint>
#include <string>
#include <vector>

namespace picsec::ike::codec {

/*
 * RFC 2407 4.6.1 Security Association Payload (IPsec DOI)
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !              Domain of Interpretation (IPSEC DOI)             !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !                          Situation                            !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * (followed by Proposal payloads)
 */

/// The SA payload body. Only the IPsec DOI with SIT_IDENTITY_ONLY is
/// supported (the labeled-domain fields of SIT_SECRECY/SIT_INTEGRITY are not).
struct SaPayload {
    static constexpr PayloadType type = PayloadType::SecurityAssociation;
    std::uint32_t doi = ipsec_doi;
    std::uint32_t situation = sit_identity_only;
    std::vector<Proposal> proposals;

    bool operator==(const SaPayload&) const = default;
};

/// Decode the SA body: DOI other than IPSEC answers DOI-NOT-SUPPORTED, other
/// situations SITUATION-NOT-SUPPORTED, no proposals or proposal numbers going
/// down BAD-PROPOSAL-SYNTAX, more than max_proposals_per_sa PAYLOAD-MALFORMED.
SaPayload decode_sa(Reader& body);
void encode(Writer& w, const SaPayload& p);
std::string describe(const SaPayload& p);

/// Decode one SA payload body on its own (the fuzz and test entry point).
DecodeResult<SaPayload> decode_sa_payload(std::span<const std::uint8_t> body);

}  // namespace picsec::ike::codec
