// Splitting and assembling IKEv2 payload chains (RFC 7296 3.2, 3.14).
#include <picsec/ike/codec/error.h>
#include <picsec/ike/v2/raw_payload.h>

#include "wire.h"

namespace picsec::ike::v2 {
namespace {

bool is_encrypted(std::uint8_t type) {
    return type == static_cast<std::uint8_t>(PayloadType::Sk) || type == static_cast<std::uint8_t>(PayloadType::Skf);
}

DecodeError chain_error(std::uint8_t type, std::string field, std::string message) {
    return DecodeError{NotifyType::InvalidSyntax, name(static_cast<PayloadType>(type)), std::move(field),
                       std::move(message)};
}

}  // namespace

DecodeResult<Chain> split_chain(PayloadType first, std::span<const std::uint8_t> body) {
    Chain out;
    detail::Reader r(body, "payload chain");
    auto type = static_cast<std::uint8_t>(first);
    while (type != static_cast<std::uint8_t>(PayloadType::None)) {
        const auto payload_name = name(static_cast<PayloadType>(type));
        if (out.payloads.size() == max_payloads_per_message) {
            return chain_error(type, "Next Payload",
                               payload_name + " Next Payload: too many payloads (got more than " +
                                   std::to_string(max_payloads_per_message) + ", need at most " +
                                   std::to_string(max_payloads_per_message) + ")");
        }
        auto g = detail::read_generic(r, payload_name);
        if (!r.ok()) return detail::from_reader(r.error());
        const auto bytes = g.body.rest();
        RawPayload p{type, g.critical, {bytes.begin(), bytes.end()}};
        if (is_encrypted(type)) {
            // RFC 7296 3.14: SK is the last payload; its Next Payload is the
            // first payload inside it.
            p.inner_first = static_cast<PayloadType>(g.next);
            out.inner_first = p.inner_first;
            out.payloads.push_back(std::move(p));
            if (!r.empty()) {
                return chain_error(type, "Payload Length",
                                   payload_name + " Payload Length: not the last payload (got " +
                                       std::to_string(r.remaining()) + " bytes after it, need 0)");
            }
            return out;
        }
        out.payloads.push_back(std::move(p));
        type = g.next;
    }
    if (!r.empty()) {
        const auto last = out.payloads.empty() ? std::uint8_t{0} : out.payloads.back().type;
        return chain_error(last, "Payload Length",
                           name(static_cast<PayloadType>(last)) +
                               " Payload Length: trailing bytes after the last payload (got " +
                               std::to_string(r.remaining()) + " bytes, need 0)");
    }
    return out;
}

std::vector<std::uint8_t> encode_chain(std::span<const RawPayload> payloads) {
    detail::Writer w;
    for (std::size_t i = 0; i < payloads.size(); ++i) {
        const auto& p = payloads[i];
        const bool last = i + 1 == payloads.size();
        std::uint8_t next = last ? 0 : payloads[i + 1].type;
        if (is_encrypted(p.type)) {
            if (!last) throw codec::EncodeError(name(static_cast<PayloadType>(p.type)) + ": not the last payload");
            next = static_cast<std::uint8_t>(p.inner_first);
        }
        const auto start = w.size();
        const auto len = detail::begin_generic(w, next, p.critical);
        w.bytes(p.body);
        w.end_length16(len, start, name(static_cast<PayloadType>(p.type)));
    }
    return w.take();
}

}  // namespace picsec::ike::v2
