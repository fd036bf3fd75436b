// Shared payload helpers of the IKEv2 tasks.
#include "payloads.h"

#include <algorithm>

namespace picsec::ike::detail::v2 {

using c2::NotifyType;
using Bytes = std::vector<std::uint8_t>;

Bytes random_bytes(Botan::RandomNumberGenerator& rng, std::size_t n) {
    Bytes b(n);
    rng.randomize(b.data(), b.size());
    return b;
}

std::uint32_t random_child_spi(Botan::RandomNumberGenerator& rng) {
    std::uint32_t v = 0;
    while (v < 0x10000) {  // clear of the manual SPI range 256..16639
        const auto b = random_bytes(rng, 4);
        v = (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) | (std::uint32_t{b[2]} << 8) | b[3];
    }
    return v;
}

c2::NotifyPayload notify(NotifyType type, Bytes data) {
    c2::NotifyPayload n;
    n.type = static_cast<std::uint16_t>(type);
    n.data = std::move(data);
    return n;
}

const c2::IdPayload* find_id(const std::vector<c2::Payload>& payloads, bool initiator) {
    for (const auto& p : payloads)
        if (const auto* x = std::get_if<c2::IdPayload>(&p); x && x->initiator == initiator) return x;
    return nullptr;
}
const c2::TsPayload* find_ts(const std::vector<c2::Payload>& payloads, bool initiator) {
    for (const auto& p : payloads)
        if (const auto* x = std::get_if<c2::TsPayload>(&p); x && x->initiator == initiator) return x;
    return nullptr;
}
const c2::NotifyPayload* find_notify(const std::vector<c2::Payload>& payloads, NotifyType type) {
    for (const auto& p : payloads)
        if (const auto* x = std::get_if<c2::NotifyPayload>(&p); x && x->type == static_cast<std::uint16_t>(type))
            return x;
    return nullptr;
}
/// The first error notify (RFC 7296 3.10.1: types below 16384).
const c2::NotifyPayload* find_error(const std::vector<c2::Payload>& payloads) {
    for (const auto& p : payloads)
        if (const auto* x = std::get_if<c2::NotifyPayload>(&p); x && x->type < 16384) return x;
    return nullptr;
}

std::string notify_name(std::uint16_t type) { return std::string(c2::name(static_cast<NotifyType>(type))); }


std::vector<std::uint8_t> spi_bytes(std::uint32_t spi) {
    return {static_cast<std::uint8_t>(spi >> 24), static_cast<std::uint8_t>(spi >> 16),
            static_cast<std::uint8_t>(spi >> 8), static_cast<std::uint8_t>(spi)};
}

std::uint32_t spi_value(const std::vector<std::uint8_t>& bytes) {
    std::uint32_t v = 0;
    for (auto b : bytes) v = (v << 8) | b;
    return v;
}

std::string printable_id(const c2::IdPayload& id) {
    switch (id.type) {
    case c2::IdType::Ipv4Addr:
        if (id.data.size() == 4) return Ipv4Address{{id.data[0], id.data[1], id.data[2], id.data[3]}}.to_string();
        break;
    case c2::IdType::Fqdn:
    case c2::IdType::Rfc822Addr: {
        std::string s(id.data.begin(), id.data.end());
        if (std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c < 0x7f; })) return s;
        break;
    }
    case c2::IdType::Ipv6Addr:
    case c2::IdType::DerAsn1Dn:
    case c2::IdType::DerAsn1Gn:
    case c2::IdType::KeyId: break;
    }
    static constexpr char k_hex[] = "0123456789abcdef";
    std::string s = "0x";
    for (auto b : id.data) {
        s += k_hex[b >> 4];
        s += k_hex[b & 15];
    }
    return s;
}

}  // namespace picsec::ike::detail::v2
