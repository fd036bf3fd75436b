// The payload union of an IKEv1 message: one alternative per payload type
// that may appear in a message's payload chain (RFC 2408 3.1, RFC 3947).
#pragma once

#include <picsec/ike/codec/payload_cert.h>
#include <picsec/ike/codec/payload_certreq.h>
#include <picsec/ike/codec/payload_delete.h>
#include <picsec/ike/codec/payload_hash.h>
#include <picsec/ike/codec/payload_id.h>
#include <picsec/ike/codec/payload_ke.h>
#include <picsec/ike/codec/payload_nat_d.h>
#include <picsec/ike/codec/payload_nat_oa.h>
#include <picsec/ike/codec/payload_nonce.h>
#include <picsec/ike/codec/payload_notify.h>
#include <picsec/ike/codec/payload_sa.h>
#include <picsec/ike/codec/payload_sig.h>
#include <picsec/ike/codec/payload_vendor_id.h>

#include <string>
#include <variant>

namespace picsec::ike::codec {

/// Any top-level payload. Proposal and Transform only occur inside an SA.
using Payload = std::variant<SaPayload, KePayload, IdPayload, CertPayload, CertReqPayload, HashPayload, SigPayload,
                             NoncePayload, NotifyPayload, DeletePayload, VendorIdPayload, NatDPayload, NatOaPayload>;

/// The Next Payload value announcing `p`.
PayloadType payload_type(const Payload& p);

/// One-line summary of a payload for logs and tests, e.g. "N(INITIAL-CONTACT PROTO_ISAKMP spi=...)".
std::string describe(const Payload& p);

/// Decode the body of a payload of the given (top-level) type. A type with no
/// alternative in Payload (NONE, Proposal, Transform, unknown) answers
/// INVALID-PAYLOAD-TYPE. Trailing bytes in the body are an error.
DecodeResult<Payload> decode_payload(PayloadType type, std::span<const std::uint8_t> body);
/// Append the payload body (without the generic header).
void encode_body(Writer& w, const Payload& p);

}  // namespace picsec::ike::codec
