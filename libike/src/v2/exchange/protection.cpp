// IKEv2 message protection: the SK payload around an inner payload chain
// (RFC 7296 3.14), built and opened with an IKE SA's keys.
#include "protection.h"

#include <algorithm>

#include "picsec/ike/v2/crypto/sk.h"
#include "picsec/ike/v2/message.h"
#include "picsec/ike/v2/raw_payload.h"

namespace picsec::ike::detail::v2 {

c2::Header header(const c2::IkeSpi& spi_i, const c2::IkeSpi& spi_r, c2::ExchangeType exchange, Role role,
                  bool response, std::uint32_t message_id) {
    c2::Header h;
    h.spi_i = spi_i;
    h.spi_r = spi_r;
    h.exchange = static_cast<std::uint8_t>(exchange);
    h.initiator = role == Role::Initiator;
    h.response = response;
    h.message_id = message_id;
    return h;
}

Bytes plain(c2::Header h, std::span<const c2::Payload> payloads) { return c2::encode_message(h, payloads); }

Bytes seal(const SaKeys& k, c2::Header h, std::span<const c2::Payload> payloads, Botan::RandomNumberGenerator& rng) {
    const auto inner = c2::encode_inner(payloads);
    const std::size_t body = k2::sk_body_size(k.suite, inner.bytes.size());
    // RFC 7296 3.2: the SK generic header's Next Payload names the first inner payload.
    constexpr std::size_t generic = 4;
    h.next = c2::PayloadType::Sk;
    Bytes out = c2::encode_header(h, generic + body);
    out.push_back(static_cast<std::uint8_t>(inner.first));
    out.push_back(0);
    out.push_back(static_cast<std::uint8_t>((generic + body) >> 8));
    out.push_back(static_cast<std::uint8_t>(generic + body));
    const bool initiator = k.role == Role::Initiator;
    const k2::SkKeys keys{initiator ? k.keys.sk_ei : k.keys.sk_er, initiator ? k.keys.sk_ai : k.keys.sk_ar};
    const auto sealed = k2::sk_seal(k.suite, keys, out, inner.bytes, rng);
    out.insert(out.end(), sealed.begin(), sealed.end());
    return out;
}

namespace {

k2::SkKeys peer_keys(const SaKeys& k) {
    const bool from_initiator = k.role != Role::Initiator;
    return {from_initiator ? k.keys.sk_ei : k.keys.sk_er, from_initiator ? k.keys.sk_ai : k.keys.sk_ar};
}

Expected<std::vector<c2::Payload>, std::string> decode_inner(c2::PayloadType first,
                                                             std::span<const std::uint8_t> plaintext) {
    using Result = Expected<std::vector<c2::Payload>, std::string>;
    auto inner = c2::split_chain(first, plaintext);
    if (!inner) return Result(std::string(c2::to_string(inner.error())));
    std::vector<c2::Payload> out;
    for (const auto& p : inner.value().payloads) {
        auto d = c2::decode_payload(p);
        if (!d) {
            // RFC 7296 2.5: an unknown payload without the critical bit is skipped.
            if (!p.critical && !c2::is_known_payload(p.type)) continue;
            return Result(std::string(c2::to_string(d.error())));
        }
        out.push_back(std::move(d.value()));
    }
    return Result(std::move(out));
}

}  // namespace

void Reassembly::reset(std::uint32_t id, std::uint16_t fragments) {
    message_id = id;
    total = fragments;
    first = c2::PayloadType::None;
    parts.assign(fragments, {});
}

bool Reassembly::complete() const {
    return total != 0 && std::all_of(parts.begin(), parts.end(), [](const auto& p) { return p.has_value(); });
}

Expected<std::vector<c2::Payload>, std::string> open(const SaKeys& k, const c2::Header& h,
                                                     std::span<const std::uint8_t> raw) {
    using Result = Expected<std::vector<c2::Payload>, std::string>;
    auto chain = c2::split_chain(h.next, raw.subspan(c2::header_size));
    if (!chain) return Result(c2::to_string(chain.error()));
    const auto& outer = chain.value().payloads;
    if (outer.empty() || outer.back().type != static_cast<std::uint8_t>(c2::PayloadType::Sk))
        return Result(std::string("SK: message is not protected (no SK payload last)"));
    if (outer.size() != 1) return Result(std::string("SK: unprotected payloads before SK"));
    const std::size_t body_offset = raw.size() - outer.back().body.size();
    auto plaintext = k2::sk_open(k.suite, peer_keys(k), raw, body_offset);
    if (!plaintext) return Result(std::string(plaintext.error()));
    return decode_inner(chain.value().inner_first, plaintext.value());
}

Expected<std::optional<std::vector<c2::Payload>>, std::string> open_fragment(const SaKeys& k, const c2::Header& h,
                                                                             std::span<const std::uint8_t> raw,
                                                                             Reassembly& r) {
    using Result = Expected<std::optional<std::vector<c2::Payload>>, std::string>;
    if (h.next != c2::PayloadType::Skf) {
        auto whole = open(k, h, raw);
        if (!whole) return Result(whole.error());
        return Result(std::optional(std::move(whole.value())));
    }
    auto chain = c2::split_chain(h.next, raw.subspan(c2::header_size));
    if (!chain) return Result(c2::to_string(chain.error()));
    const auto& outer = chain.value().payloads;
    if (outer.size() != 1) return Result(std::string("SKF: unprotected payloads before SKF"));
    auto decoded = c2::decode_payload(outer.back());
    if (!decoded) return Result(c2::to_string(decoded.error()));
    const auto& skf = std::get<c2::SkfPayload>(decoded.value());
    if (skf.total_fragments > Reassembly::max_fragments)
        return Result("SKF: " + std::to_string(skf.total_fragments) + " fragments, at most " +
                      std::to_string(Reassembly::max_fragments));
    // RFC 7383 2.6.1: each fragment is verified on its own before it is kept.
    auto plaintext = k2::sk_open(k.suite, peer_keys(k), raw, raw.size() - skf.body.size());
    if (!plaintext) return Result(std::string(plaintext.error()));
    if (r.message_id != h.message_id || r.total != skf.total_fragments) r.reset(h.message_id, skf.total_fragments);
    std::size_t held = plaintext.value().size();
    for (const auto& p : r.parts) held += p ? p->size() : 0;
    if (held > Reassembly::max_bytes)
        return Result("SKF: reassembled message over " + std::to_string(Reassembly::max_bytes) + " bytes");
    if (skf.fragment_number == 1) r.first = skf.first_inner;
    r.parts[skf.fragment_number - 1] = std::move(plaintext.value());
    if (!r.complete()) return Result(std::optional<std::vector<c2::Payload>>());
    Botan::secure_vector<std::uint8_t> all;
    for (const auto& p : r.parts) all.insert(all.end(), p->begin(), p->end());
    const auto first = r.first;
    r.reset(0, 0);
    auto payloads = decode_inner(first, all);
    if (!payloads) return Result(payloads.error());
    return Result(std::optional(std::move(payloads.value())));
}

}  // namespace picsec::ike::detail::v2
