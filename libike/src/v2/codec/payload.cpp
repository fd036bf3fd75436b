// Dispatch over the IKEv2 payload union: type, decode, encode and summary.
#include <picsec/ike/v2/payload.h>

#include "wire.h"

namespace picsec::ike::v2 {
namespace {

PayloadType type_of(const SaPayload&) { return PayloadType::Sa; }
PayloadType type_of(const KePayload&) { return PayloadType::Ke; }
PayloadType type_of(const IdPayload& p) { return p.initiator ? PayloadType::IdI : PayloadType::IdR; }
PayloadType type_of(const CertPayload&) { return PayloadType::Cert; }
PayloadType type_of(const CertReqPayload&) { return PayloadType::CertReq; }
PayloadType type_of(const AuthPayload&) { return PayloadType::Auth; }
PayloadType type_of(const NoncePayload&) { return PayloadType::Nonce; }
PayloadType type_of(const NotifyPayload&) { return PayloadType::Notify; }
PayloadType type_of(const DeletePayload&) { return PayloadType::Delete; }
PayloadType type_of(const VendorIdPayload&) { return PayloadType::VendorId; }
PayloadType type_of(const TsPayload& p) { return p.initiator ? PayloadType::TsI : PayloadType::TsR; }
PayloadType type_of(const SkPayload&) { return PayloadType::Sk; }
PayloadType type_of(const SkfPayload&) { return PayloadType::Skf; }

PayloadType inner_of(const Payload& p) {
    if (const auto* sk = std::get_if<SkPayload>(&p)) return sk->first_inner;
    if (const auto* skf = std::get_if<SkfPayload>(&p)) return skf->first_inner;
    return PayloadType::None;
}

template <class P, class F>
DecodeResult<Payload> typed(const RawPayload& raw, F decoder) {
    auto p = detail::decode_body<P>(raw.body, decoder, name(static_cast<PayloadType>(raw.type)));
    if (!p.ok()) return p.error();
    return Payload{std::move(p).value()};
}

DecodeResult<Payload> unknown(const RawPayload& raw) {
    const auto n = name(static_cast<PayloadType>(raw.type));
    if (raw.critical) {
        // RFC 7296 2.5: the Notification Data of the answer is the payload type.
        return DecodeError{NotifyType::UnsupportedCriticalPayload, n, "Next Payload",
                           n + " Next Payload: critical payload of an unsupported type (got " + std::to_string(raw.type) +
                               ", need 33..46 or 53)"};
    }
    return DecodeError{NotifyType::InvalidSyntax, n, "Next Payload",
                       n + " Next Payload: not a payload type picsec decodes (got " + std::to_string(raw.type) +
                           ", need 33..46 or 53)"};
}

}  // namespace

PayloadType payload_type(const Payload& p) {
    return std::visit([](const auto& v) { return type_of(v); }, p);
}

std::string describe(const Payload& p) {
    return std::visit([](const auto& v) { return describe(v); }, p);
}

RawPayload make_payload(const Payload& p) {
    codec::Writer w;
    std::visit([&w](const auto& v) { encode(w, v); }, p);
    return RawPayload{static_cast<std::uint8_t>(payload_type(p)), false, w.take(), inner_of(p)};
}

std::vector<RawPayload> make_payloads(std::span<const Payload> payloads) {
    std::vector<RawPayload> out;
    out.reserve(payloads.size());
    for (const auto& p : payloads) out.push_back(make_payload(p));
    return out;
}

// Exhaustive over PayloadType: a new payload type fails the build here until
// it is given a decoder (or declared undecoded). Values outside the enum fall
// through to unknown().
DecodeResult<Payload> decode_payload(const RawPayload& raw) {
    using codec::Reader;
    switch (static_cast<PayloadType>(raw.type)) {
    case PayloadType::Sa: return typed<SaPayload>(raw, decode_sa);
    case PayloadType::Ke: return typed<KePayload>(raw, decode_ke);
    case PayloadType::IdI: return typed<IdPayload>(raw, [](Reader& r) { return decode_id(r, true); });
    case PayloadType::IdR: return typed<IdPayload>(raw, [](Reader& r) { return decode_id(r, false); });
    case PayloadType::Cert: return typed<CertPayload>(raw, decode_cert);
    case PayloadType::CertReq: return typed<CertReqPayload>(raw, decode_certreq);
    case PayloadType::Auth: return typed<AuthPayload>(raw, decode_auth);
    case PayloadType::Nonce: return typed<NoncePayload>(raw, decode_nonce);
    case PayloadType::Notify: return typed<NotifyPayload>(raw, decode_notify);
    case PayloadType::Delete: return typed<DeletePayload>(raw, decode_delete);
    case PayloadType::VendorId: return typed<VendorIdPayload>(raw, decode_vendor_id);
    case PayloadType::TsI:
    case PayloadType::TsR: {
        auto ts = decode_ts_body(raw.body, raw.type == static_cast<std::uint8_t>(PayloadType::TsI));
        if (!ts.ok()) return ts.error();
        return Payload{std::move(ts).value()};
    }
    case PayloadType::Sk:
        return typed<SkPayload>(raw, [&raw](Reader& r) { return decode_sk(r, raw.inner_first); });
    case PayloadType::Skf:
        return typed<SkfPayload>(raw, [&raw](Reader& r) { return decode_skf(r, raw.inner_first); });
    case PayloadType::None:
    case PayloadType::Cp:
    case PayloadType::Eap: break;
    }
    return unknown(raw);
}

bool is_known_payload(std::uint8_t type) {
    switch (static_cast<PayloadType>(type)) {
    case PayloadType::Sa:
    case PayloadType::Ke:
    case PayloadType::IdI:
    case PayloadType::IdR:
    case PayloadType::Cert:
    case PayloadType::CertReq:
    case PayloadType::Auth:
    case PayloadType::Nonce:
    case PayloadType::Notify:
    case PayloadType::Delete:
    case PayloadType::VendorId:
    case PayloadType::TsI:
    case PayloadType::TsR:
    case PayloadType::Sk:
    case PayloadType::Skf: return true;
    case PayloadType::None:
    case PayloadType::Cp:
    case PayloadType::Eap: return false;
    }
    return false;
}

DecodeResult<std::vector<Payload>> decode_payloads(std::span<const RawPayload> chain) {
    std::vector<Payload> out;
    out.reserve(chain.size());
    for (const auto& raw : chain) {
        // RFC 7296 2.5: skip a non-critical payload of a type we do not know.
        if (!is_known_payload(raw.type) && !raw.critical) continue;
        auto p = decode_payload(raw);
        if (!p.ok()) return p.error();
        out.push_back(std::move(p).value());
    }
    return out;
}

}  // namespace picsec::ike::v2
