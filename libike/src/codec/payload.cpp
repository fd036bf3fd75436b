// Dispatch over the payload union: type, decode (through decode_body, as the
// exchanges decode), encode and summary.
#include <picsec/ike/codec/payload.h>

namespace picsec::ike::codec {

PayloadType payload_type(const Payload& p) {
    return std::visit([](const auto& v) { return std::decay_t<decltype(v)>::type; }, p);
}

std::string describe(const Payload& p) {
    return std::visit([](const auto& v) { return describe(v); }, p);
}

RawPayload make_payload(const Payload& p) {
    return std::visit([](const auto& v) { return make_payload(v); }, p);
}

std::vector<RawPayload> make_payloads(std::span<const Payload> payloads) {
    std::vector<RawPayload> out;
    out.reserve(payloads.size());
    for (const auto& p : payloads) out.push_back(make_payload(p));
    return out;
}

namespace {

template <class P, class F>
DecodeResult<Payload> typed(const RawPayload& raw, F decoder) {
    auto p = decode_body<P>(raw, decoder, short_name(P::type));
    if (!p.ok()) return p.error();
    return Payload{std::move(p).value()};
}

}  // namespace

// Exhaustive over PayloadType: a new payload type fails the build here until
// it is given a decoder (or declared not top-level).
DecodeResult<Payload> decode_payload(const RawPayload& raw) {
    switch (raw.type) {
    case PayloadType::SecurityAssociation: return typed<SaPayload>(raw, decode_sa);
    case PayloadType::KeyExchange: return typed<KePayload>(raw, decode_ke);
    case PayloadType::Identification: return typed<IdPayload>(raw, decode_id);
    case PayloadType::Certificate: return typed<CertPayload>(raw, decode_cert);
    case PayloadType::CertificateRequest: return typed<CertReqPayload>(raw, decode_certreq);
    case PayloadType::Hash: return typed<HashPayload>(raw, decode_hash);
    case PayloadType::Signature: return typed<SigPayload>(raw, decode_sig);
    case PayloadType::Nonce: return typed<NoncePayload>(raw, decode_nonce);
    case PayloadType::Notification: return typed<NotifyPayload>(raw, decode_notify);
    case PayloadType::Delete: return typed<DeletePayload>(raw, decode_delete);
    case PayloadType::VendorId: return typed<VendorIdPayload>(raw, decode_vendor_id);
    case PayloadType::NatD: return typed<NatDPayload>(raw, decode_nat_d);
    case PayloadType::NatOa: return typed<NatOaPayload>(raw, decode_nat_oa);
    case PayloadType::None:
    case PayloadType::Proposal:
    case PayloadType::Transform: break;
    }
    return DecodeError{NotifyType::InvalidPayloadType, short_name(raw.type), "Next Payload",
                       "Next Payload: not a payload allowed in a message chain (got " +
                           std::to_string(static_cast<unsigned>(raw.type)) + " " + to_string(raw.type) +
                           ", need 1 or 4..13, 20, 21)"};
}

DecodeResult<std::vector<Payload>> decode_payloads(std::span<const RawPayload> chain) {
    std::vector<Payload> out;
    out.reserve(chain.size());
    for (const auto& raw : chain) {
        auto p = decode_payload(raw);
        if (!p.ok()) return p.error();
        out.push_back(std::move(p).value());
    }
    return out;
}

}  // namespace picsec::ike::codec
