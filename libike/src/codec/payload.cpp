// Dispatch over the payload union: type, decode, encode and summary.
#include <picsec/ike/codec/payload.h>

namespace picsec::ike::codec {

PayloadType payload_type(const Payload& p) {
    return std::visit([](const auto& v) { return std::decay_t<decltype(v)>::type; }, p);
}

std::string describe(const Payload& p) {
    return std::visit([](const auto& v) { return describe(v); }, p);
}

void encode_body(Writer& w, const Payload& p) {
    std::visit([&w](const auto& v) { encode(w, v); }, p);
}

namespace {

// Exhaustive over PayloadType: a new payload type fails the build here until
// it is given a decoder (or declared not top-level).
bool decode_into(PayloadType type, Reader& r, Payload& out) {
    switch (type) {
    case PayloadType::SecurityAssociation: out = decode_sa(r); return true;
    case PayloadType::KeyExchange: out = decode_ke(r); return true;
    case PayloadType::Identification: out = decode_id(r); return true;
    case PayloadType::Certificate: out = decode_cert(r); return true;
    case PayloadType::CertificateRequest: out = decode_certreq(r); return true;
    case PayloadType::Hash: out = decode_hash(r); return true;
    case PayloadType::Signature: out = decode_sig(r); return true;
    case PayloadType::Nonce: out = decode_nonce(r); return true;
    case PayloadType::Notification: out = decode_notify(r); return true;
    case PayloadType::Delete: out = decode_delete(r); return true;
    case PayloadType::VendorId: out = decode_vendor_id(r); return true;
    case PayloadType::NatD: out = decode_nat_d(r); return true;
    case PayloadType::NatOa: out = decode_nat_oa(r); return true;
    case PayloadType::None:
    case PayloadType::Proposal:
    case PayloadType::Transform: return false;
    }
    return false;
}

}  // namespace

DecodeResult<Payload> decode_payload(PayloadType type, std::span<const std::uint8_t> body) {
    Reader r(body, short_name(type));
    Payload out;
    if (!decode_into(type, r, out)) {
        return DecodeError{NotifyType::InvalidPayloadType, short_name(type), "Next Payload",
                           "Next Payload: not a payload allowed in a message chain (got " +
                               std::to_string(static_cast<unsigned>(type)) + " " + to_string(type) +
                               ", need 1 or 4..13, 20, 21)"};
    }
    r.expect_end();
    if (!r.ok()) return r.error();
    return out;
}

}  // namespace picsec::ike::codec
