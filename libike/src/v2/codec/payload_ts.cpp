// Traffic Selector payloads (RFC 7296 3.13) decode, encode and summary.
#include <picsec/ike/v2/payload_ts.h>

#include "wire.h"

namespace picsec::ike::v2 {
namespace {

constexpr std::uint16_t ipv4_selector_length = 16;
constexpr std::string_view ts_type_field = "TS Type";
constexpr std::string_view not_ipv4_range = "not TS_IPV4_ADDR_RANGE";

}  // namespace

TsPayload decode_ts(codec::Reader& r, bool initiator) {
    TsPayload p;
    p.initiator = initiator;
    const auto count = r.u8("Number of TSs");
    r.bytes(3, "RESERVED");
    if (!r.ok()) return p;
    if (count == 0) {
        detail::fail(r, "Number of TSs", "no traffic selector", "0", "at least 1");
        return p;
    }
    p.selectors.reserve(count);
    for (unsigned i = 0; i < count && r.ok(); ++i) {
        const auto type = r.u8(ts_type_field);
        TrafficSelector ts;
        ts.ip_protocol = r.u8("IP Protocol ID");
        const auto length = r.u16("Selector Length");
        if (!r.ok()) break;
        if (type != ts_ipv4_addr_range) {
            detail::fail(r, ts_type_field, not_ipv4_range, std::to_string(type), "7");
            break;
        }
        if (length != ipv4_selector_length) {
            detail::fail(r, "Selector Length", "wrong for TS_IPV4_ADDR_RANGE", std::to_string(length), "16");
            break;
        }
        ts.start_port = r.u16("Start Port");
        ts.end_port = r.u16("End Port");
        ts.start = Ipv4Address{r.array<4>("Starting Address")};
        ts.end = Ipv4Address{r.array<4>("Ending Address")};
        if (r.ok()) p.selectors.push_back(ts);
    }
    return p;
}

DecodeResult<TsPayload> decode_ts_body(std::span<const std::uint8_t> body, bool initiator) {
    auto p = detail::decode_body<TsPayload>(
        body, [initiator](codec::Reader& r) { return decode_ts(r, initiator); }, initiator ? "TSi" : "TSr");
    if (p.ok()) return p;
    // RFC 7296 2.9: a selector picsec cannot enforce is not acceptable, not malformed.
    auto e = p.error();
    if (e.field == ts_type_field && e.message.find(not_ipv4_range) != std::string::npos)
        e.notify = NotifyType::TsUnacceptable;
    return e;
}

void encode(codec::Writer& w, const TsPayload& p) {
    w.u8(static_cast<std::uint8_t>(p.selectors.size()));
    w.u8(0);
    w.u16(0);
    for (const auto& ts : p.selectors) {
        w.u8(ts_ipv4_addr_range);
        w.u8(ts.ip_protocol);
        w.u16(ipv4_selector_length);
        w.u16(ts.start_port);
        w.u16(ts.end_port);
        w.bytes(ts.start.octets);
        w.bytes(ts.end.octets);
    }
}

std::string describe(const TrafficSelector& ts) {
    return ts.start.to_string() + "-" + ts.end.to_string() + " proto " + std::to_string(ts.ip_protocol) + " ports " +
           std::to_string(ts.start_port) + "-" + std::to_string(ts.end_port);
}

std::string describe(const TsPayload& p) {
    std::string s = p.initiator ? "TSi(" : "TSr(";
    for (std::size_t i = 0; i < p.selectors.size(); ++i) {
        if (i) s += ", ";
        s += describe(p.selectors[i]);
    }
    return s + ")";
}

}  // namespace picsec::ike::v2
