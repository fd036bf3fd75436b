// The payload union of an IKEv1 message: one alternative per payload type
// that may appear in a message's payload chain (RFC 2408 3.1, RFC 3947).
// Decoding goes through decode_body, as in the exchanges; tools, tests and
// fuzz targets use it to read any payload by its type.
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
#include <picsec/ike/codec/raw_payload.h>

#include <span>
#include <string>
#include <variant>
#include <vector>

namespace picsec::ike::codec {

/// Any top-level payload. Proposal and Transform only occur inside an SA.
using Payload = std::variant<SaPayload, KePayload, IdPayload, CertPayload, CertReqPayload, HashPayload, SigPayload,
                             NoncePayload, NotifyPayload, DeletePayload, VendorIdPayload, NatDPayload, NatOaPayload>;

/// The Next Payload value announcing `p`.
PayloadType payload_type(const Payload& p);

/// One-line summary of a payload for logs and tests, e.g. "N(INITIAL-CONTACT PROTO_ISAKMP spi=...)".
std::string describe(const Payload& p);

/// Decode a raw payload with its type's decoder through decode_body. A type
/// with no alternative in Payload (NONE, Proposal, Transform, unknown) answers
/// INVALID-PAYLOAD-TYPE. Trailing bytes in the body are an error.
DecodeResult<Payload> decode_payload(const RawPayload& raw);
/// Every payload of a chain split by split_chain, in order; the first error stops.
DecodeResult<std::vector<Payload>> decode_payloads(std::span<const RawPayload> chain);
/// The raw form of a typed payload (make_payload of the alternative it holds).
RawPayload make_payload(const Payload& p);
std::vector<RawPayload> make_payloads(std::span<const Payload> payloads);

}  // namespace picsec::ike::codec
