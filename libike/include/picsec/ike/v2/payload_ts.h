// RFC 7296 3.13 Traffic Selector payloads TSi (44) and TSr (45).
#pragma once

#include <picsec/base/ipv4_address.h>
#include <picsec/ike/codec/reader.h>
#include <picsec/ike/codec/writer.h>
#include <picsec/ike/v2/error.h>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace picsec::ike::v2 {

/*
 * RFC 7296 3.13 Traffic Selector Payload
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Number of TSs |                 RESERVED                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                       <Traffic Selectors>                     ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * RFC 7296 3.13.1 Traffic Selector (TS_IPV4_ADDR_RANGE: length 16)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   TS Type     |IP Protocol ID*|       Selector Length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Start Port*         |           End Port*           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                         Starting Address*                     ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                         Ending Address*                       ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */

/// RFC 7296 3.13.1 TS Type of an IPv4 address range, the one picsec handles.
inline constexpr std::uint8_t ts_ipv4_addr_range = 7;

/// One TS_IPV4_ADDR_RANGE selector. picsec (like the PIC) is IPv4 only: any
/// other TS Type (TS_IPV6_ADDR_RANGE 8, ...) fails decoding with
/// TS_UNACCEPTABLE, so the whole payload is refused rather than narrowed.
struct TrafficSelector {
    std::uint8_t ip_protocol = 0;  ///< 0: any
    std::uint16_t start_port = 0;
    std::uint16_t end_port = 65535;
    Ipv4Address start;
    Ipv4Address end;

    bool operator==(const TrafficSelector&) const = default;
};

/// TSi (initiator) or TSr: at least one selector, Number of TSs of them.
struct TsPayload {
    bool initiator = true;
    std::vector<TrafficSelector> selectors;

    bool operator==(const TsPayload&) const = default;
};

TsPayload decode_ts(codec::Reader& body, bool initiator);
/// The whole body through decode_ts; an unsupported TS Type answers
/// TS_UNACCEPTABLE, every other error INVALID_SYNTAX.
DecodeResult<TsPayload> decode_ts_body(std::span<const std::uint8_t> body, bool initiator);
void encode(codec::Writer& w, const TsPayload& p);
/// "TSi(10.1.0.0-10.1.255.255 proto 0 ports 0-65535)"
std::string describe(const TsPayload& p);
std::string describe(const TrafficSelector& ts);

}  // namespace picsec::ike::v2
