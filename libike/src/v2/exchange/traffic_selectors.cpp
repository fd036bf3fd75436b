// Traffic selector narrowing (RFC 7296 2.9) over IPv4 address ranges.
#include "traffic_selectors.h"

#include <algorithm>

namespace picsec::ike::detail::v2 {
namespace {

std::uint32_t first(const ClientId& c) {
    const std::uint32_t mask = c.prefix_length == 0 ? 0 : ~std::uint32_t{0} << (32 - c.prefix_length);
    return c.address.to_uint() & mask;
}
std::uint32_t last(const ClientId& c) {
    const std::uint32_t mask = c.prefix_length == 0 ? 0 : ~std::uint32_t{0} << (32 - c.prefix_length);
    return first(c) | ~mask;
}

}  // namespace

ike::v2::TrafficSelector selector(const ClientId& c) {
    ike::v2::TrafficSelector t;
    t.ip_protocol = 0;
    t.start_port = 0;
    t.end_port = 65535;
    t.start = Ipv4Address::from_uint(first(c));
    t.end = Ipv4Address::from_uint(last(c));
    return t;
}

bool within(const ike::v2::TsPayload& ts, const ClientId& c) {
    if (ts.selectors.empty()) return false;
    return std::all_of(ts.selectors.begin(), ts.selectors.end(), [&](const auto& t) {
        return t.start.to_uint() <= t.end.to_uint() && t.start.to_uint() >= first(c) && t.end.to_uint() <= last(c);
    });
}

std::optional<ike::v2::TrafficSelector> narrow(const ike::v2::TsPayload& ts, const ClientId& c) {
    // RFC 7296 2.9: the first selector is the most specific one (the
    // packet that triggered the request); the answer is its intersection
    // with what we allow.
    for (const auto& t : ts.selectors) {
        const std::uint32_t lo = std::max(t.start.to_uint(), first(c));
        const std::uint32_t hi = std::min(t.end.to_uint(), last(c));
        if (lo > hi || t.start_port > t.end_port) continue;
        auto out = t;
        out.start = Ipv4Address::from_uint(lo);
        out.end = Ipv4Address::from_uint(hi);
        return out;
    }
    return std::nullopt;
}

}  // namespace picsec::ike::detail::v2
