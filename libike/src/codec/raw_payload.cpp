// The raw payload chain: splitting without decoding bodies, and assembly
// with linked generic headers (RFC 2408 3.2).
#include <picsec/ike/codec/raw_payload.h>

#include <picsec/ike/codec/limits.h>

#include "generic_header.h"

#include <functional>

namespace picsec::ike::codec {

const RawPayload* RawMessage::find(PayloadType t, std::size_t nth) const {
    for (const auto& p : payloads)
        if (p.type == t && nth-- == 0) return &p;
    return nullptr;
}

std::size_t RawMessage::count(PayloadType t) const {
    std::size_t n = 0;
    for (const auto& p : payloads) n += p.type == t ? 1 : 0;
    return n;
}

std::string RawMessage::summary() const {
    std::string s = header.encryption ? "HDR*" : "HDR";
    for (const auto& p : payloads) s += ", " + short_name(p.type);
    return s;
}

namespace detail {

std::optional<DecodeError> walk_chain(PayloadType first, std::span<const std::uint8_t> body,
                                      const std::function<std::optional<DecodeError>(RawPayload&&)>& each,
                                      std::span<const std::uint8_t>& rest) {
    Reader r(body, "payload chain");
    auto type = first;
    std::size_t count = 0;
    while (type != PayloadType::None) {
        if (count == max_payloads_per_message) {
            return DecodeError{NotifyType::PayloadMalformed, short_name(type), "Next Payload",
                               "payload chain: too many payloads (got more than " +
                                   std::to_string(max_payloads_per_message) + ", need at most " +
                                   std::to_string(max_payloads_per_message) + ")"};
        }
        auto g = read_generic(r, short_name(type));
        if (!r.ok()) return r.error();
        const auto bytes = g.body.rest();
        if (auto e = each(RawPayload{type, std::vector<std::uint8_t>(bytes.begin(), bytes.end())})) return e;
        ++count;
        type = static_cast<PayloadType>(g.next);
    }
    rest = r.rest();
    return std::nullopt;
}

DecodeError trailing_bytes(std::string payload, std::size_t size) {
    return DecodeError{NotifyType::PayloadMalformed, std::move(payload), "Payload Length",
                       std::string("payload chain: trailing bytes after the last payload (got ") +
                           std::to_string(size) + " bytes, need 0)"};
}

}  // namespace detail

DecodeResult<std::vector<RawPayload>> split_chain(PayloadType first, std::span<const std::uint8_t> bytes,
                                                  bool allow_padding) {
    std::vector<RawPayload> out;
    std::span<const std::uint8_t> rest;
    auto e = detail::walk_chain(first, bytes, [&](RawPayload&& p) -> std::optional<DecodeError> {
        out.push_back(std::move(p));
        return std::nullopt;
    }, rest);
    if (e) return *e;
    // RFC 2409 5.3: the padding of a decrypted body; peers differ in what they pad with.
    if (!allow_padding && !rest.empty())
        return detail::trailing_bytes(out.empty() ? std::string("payload chain") : short_name(out.back().type),
                                      rest.size());
    return out;
}

std::vector<std::uint8_t> encode_chain(const std::vector<RawPayload>& payloads) {
    Writer w;
    detail::write_chain(w, std::span<const RawPayload>(payloads), [](const RawPayload& p) { return p.type; },
                        [&w](const RawPayload& p) { w.bytes(p.body); });
    return w.take();
}

}  // namespace picsec::ike::codec
