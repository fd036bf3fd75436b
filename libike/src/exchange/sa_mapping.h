// Maps SA payloads (codec) to and from the offers negotiation works on
// (RFC 2409 Appendix A phase-1 attributes, RFC 2407 4.5 IPsec attributes).
// Thin adapter until the codec carries these helpers itself.
#pragma once

#include "picsec/ike/codec/payload_sa.h"
#include "picsec/ike/negotiation/offer.h"

namespace picsec::ike::detail {

codec::SaPayload to_sa_payload(const negotiation::Phase1Offer& offer);
codec::SaPayload to_sa_payload(const negotiation::Phase2Offer& offer);

/// RFC 2409 5: one ISAKMP proposal; anything else is BAD-PROPOSAL-SYNTAX.
codec::DecodeResult<negotiation::Phase1Offer> to_phase1_offer(const codec::SaPayload& sa);
/// Quick Mode: AH/ESP proposals grouped by number.
codec::DecodeResult<negotiation::Phase2Offer> to_phase2_offer(const codec::SaPayload& sa);

}  // namespace picsec::ike::detail
