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

namespace {

constexpr std::size_t generic_header = 4;  ///< RFC 7296 3.2
constexpr std::size_t skf_numbers = 4;     ///< RFC 7383 2.5: Fragment Number, Total Fragments

k2::SkKeys our_keys(const SaKeys& k) {
    const bool initiator = k.role == Role::Initiator;
    return {initiator ? k.keys.sk_ei : k.keys.sk_er, initiator ? k.keys.sk_ai : k.keys.sk_ar};
}

// HDR, SK{plaintext} or HDR, SKF{plaintext} (fragment `number` of `total`):
// RFC 7296 3.14 and RFC 7383 2.5 share all but the fragment numbers.
Bytes seal_one(const SaKeys& k, c2::Header h, c2::PayloadType first, std::span<const std::uint8_t> plaintext,
               Botan::RandomNumberGenerator& rng, std::uint16_t number = 0, std::uint16_t total = 0) {
    const bool fragment = total != 0;
    const std::size_t length = generic_header + (fragment ? skf_numbers : 0) + k2::sk_body_size(k.suite, plaintext.size());
    h.next = fragment ? c2::PayloadType::Skf : c2::PayloadType::Sk;
    Bytes out = c2::encode_header(h, length);
    // The generic header's Next Payload names the first inner payload (0 in later fragments).
    out.push_back(static_cast<std::uint8_t>(fragment && number != 1 ? c2::PayloadType::None : first));
    out.push_back(0);
    out.push_back(static_cast<std::uint8_t>(length >> 8));
    out.push_back(static_cast<std::uint8_t>(length));
    if (fragment)
        for (const std::uint16_t v : {number, total}) {
            out.push_back(static_cast<std::uint8_t>(v >> 8));
            out.push_back(static_cast<std::uint8_t>(v));
        }
    const auto sealed = k2::sk_seal(k.suite, our_keys(k), out, plaintext, rng);
    out.insert(out.end(), sealed.begin(), sealed.end());
    return out;
}

}  // namespace

Bytes seal(const SaKeys& k, c2::Header h, std::span<const c2::Payload> payloads, Botan::RandomNumberGenerator& rng) {
    const auto inner = c2::encode_inner(payloads);
    return seal_one(k, h, inner.first, inner.bytes, rng);
}

std::size_t message_limit(std::size_t datagram_size) {
    constexpr std::size_t ip_udp_marker = 20 + 8 + 4;
    if (datagram_size == 0) return 0;
    return datagram_size > ip_udp_marker ? datagram_size - ip_udp_marker : 1;
}

Datagrams seal_message(const SaKeys& k, c2::Header h, std::span<const c2::Payload> payloads,
                       Botan::RandomNumberGenerator& rng, std::size_t limit) {
    const auto inner = c2::encode_inner(payloads);
    const std::size_t whole = c2::header_size + generic_header + k2::sk_body_size(k.suite, inner.bytes.size());
    if (limit == 0 || whole <= limit) return {seal_one(k, h, inner.first, inner.bytes, rng)};
    // The most plaintext one fragment carries within `limit` (at least one byte).
    constexpr std::size_t fixed = c2::header_size + generic_header + skf_numbers;
    std::size_t chunk = limit > fixed ? limit - fixed : 1;
    while (chunk > 1 && fixed + k2::sk_body_size(k.suite, chunk) > limit) --chunk;
    const std::size_t total = (inner.bytes.size() + chunk - 1) / chunk;
    Datagrams out;
    for (std::size_t i = 0; i < total; ++i) {
        const std::size_t from = i * chunk;
        const auto part = std::span(inner.bytes).subspan(from, std::min(chunk, inner.bytes.size() - from));
        out.push_back(seal_one(k, h, inner.first, part, rng, static_cast<std::uint16_t>(i + 1),
                               static_cast<std::uint16_t>(total)));
    }
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

bool first_fragment_verifies(const SaKeys& k, const c2::Header& h, std::span<const std::uint8_t> raw) {
    if (h.next != c2::PayloadType::Skf) return false;
    auto chain = c2::split_chain(h.next, raw.subspan(c2::header_size));
    if (!chain || chain.value().payloads.size() != 1) return false;
    auto decoded = c2::decode_payload(chain.value().payloads.front());
    if (!decoded) return false;
    const auto& skf = std::get<c2::SkfPayload>(decoded.value());
    return skf.fragment_number == 1 && k2::sk_open(k.suite, peer_keys(k), raw, raw.size() - skf.body.size());
}

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
