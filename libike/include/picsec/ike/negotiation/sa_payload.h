// Maps SA payloads (the codec's RFC 2408 3.4-3.6 structures) to and from the
// offers negotiation works on: RFC 2409 Appendix A phase 1 attributes, RFC
// 2407 4.5 IPsec attributes, with raw values so unknown ones still reach the
// mismatch report.
#pragma once

#include "picsec/ike/codec/error.h"
#include "picsec/ike/codec/payload_sa.h"
#include "picsec/ike/negotiation/offer.h"

namespace picsec::ike::negotiation {

/// Phase 1: one PROTO_ISAKMP proposal whose KEY_IKE transforms carry ENC,
/// KEY_LENGTH, HASH, AUTH, GROUP and the life pairs (RFC 2409 5, App. A).
codec::SaPayload to_sa_payload(const Phase1Offer& offer);
/// Quick Mode: one Proposal payload per protocol, sharing the proposal's
/// number (RFC 2408 4.2), with the protocol's SPI (4 bytes).
codec::SaPayload to_sa_payload(const Phase2Offer& offer);

/// RFC 2409 5: exactly one PROTO_ISAKMP proposal, else BAD-PROPOSAL-SYNTAX.
/// Life pairs are checked by the codec (codec::decode_lifetimes); a value
/// over 8 bytes is BAD-PROPOSAL-SYNTAX; classes we never send are kept in
/// other_attributes.
codec::DecodeResult<Phase1Offer> to_phase1_offer(const codec::SaPayload& sa);
/// Quick Mode: AH / ESP proposals grouped by number; an SPI other than 4
/// bytes is INVALID-SPI.
codec::DecodeResult<Phase2Offer> to_phase2_offer(const codec::SaPayload& sa);

}  // namespace picsec::ike::negotiation
