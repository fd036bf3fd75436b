// The payload union of an IKEv2 message (RFC 7296 3.2): one alternative per
// payload type picsec decodes, with dispatch by type for decode, encode and
// log summaries.
#pragma once

#include <picsec/ike/v2/payload_auth.h>
#include <picsec/ike/v2/payload_cert.h>
#include <picsec/ike/v2/payload_certreq.h>
#include <picsec/ike/v2/payload_delete.h>
#include <picsec/ike/v2/payload_id.h>
#include <picsec/ike/v2/payload_ke.h>
#include <picsec/ike/v2/payload_nonce.h>
#include <picsec/ike/v2/payload_notify.h>
#include <picsec/ike/v2/payload_sa.h>
#include <picsec/ike/v2/payload_sk.h>
#include <picsec/ike/v2/payload_skf.h>
#include <picsec/ike/v2/payload_ts.h>
#include <picsec/ike/v2/payload_vendor_id.h>
#include <picsec/ike/v2/raw_payload.h>

#include <span>
#include <string>
#include <variant>
#include <vector>

namespace picsec::ike::v2 {

/// Any payload picsec decodes. CP (47) and EAP (48) are not decoded: they
/// stay RawPayloads (picsec neither assigns addresses nor runs EAP).
using Payload = std::variant<SaPayload, KePayload, IdPayload, CertPayload, CertReqPayload, AuthPayload, NoncePayload,
                             NotifyPayload, DeletePayload, VendorIdPayload, TsPayload, SkPayload, SkfPayload>;

/// The Next Payload value announcing `p` (IDi / IDr and TSi / TSr by their flag).
PayloadType payload_type(const Payload& p);

/// One line for logs, e.g. "N(NAT_DETECTION_SOURCE_IP)", "SA(#1 IKE [ENCR 12/256, ...])".
std::string describe(const Payload& p);

/// Decode one raw payload by its type; trailing bytes in the body are an
/// error. A type with no alternative in Payload answers
/// UNSUPPORTED_CRITICAL_PAYLOAD when its Critical bit is set, INVALID_SYNTAX
/// otherwise, naming the type. The Critical bit of a known type is ignored
/// (RFC 7296 3.2).
DecodeResult<Payload> decode_payload(const RawPayload& raw);

/// Decode a split chain in order. RFC 7296 2.5: payloads of an unknown type
/// are skipped unless critical (then UNSUPPORTED_CRITICAL_PAYLOAD, with the
/// type in the message); the first other error stops.
DecodeResult<std::vector<Payload>> decode_payloads(std::span<const RawPayload> chain);

/// The raw form of a typed payload (Critical bit clear).
RawPayload make_payload(const Payload& p);
std::vector<RawPayload> make_payloads(std::span<const Payload> payloads);

/// Whether picsec decodes payloads of this raw type (has an alternative in Payload).
bool is_known_payload(std::uint8_t type);

}  // namespace picsec::ike::v2
