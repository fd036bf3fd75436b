// IKEv2 traffic selectors (RFC 7296 2.9, 3.13) against a Child SA's
// configured client subnets: what we offer and how the responder narrows.
#pragma once

#include "picsec/ike/config.h"
#include "picsec/ike/v2/payload_ts.h"

#include <optional>

namespace picsec::ike::detail::v2 {

/// A subnet as an address range, any protocol and port.
ike::v2::TrafficSelector selector(const ClientId& c);
/// True when every selector of `ts` lies inside `c` (the initiator's check
/// of the responder's narrowed answer).
bool within(const ike::v2::TsPayload& ts, const ClientId& c);
/// RFC 7296 2.9: the part of the peer's first selector that `c` allows,
/// as an address range with the peer's protocol and ports; nullopt when
/// none of it does.
std::optional<ike::v2::TrafficSelector> narrow(const ike::v2::TsPayload& ts, const ClientId& c);

}  // namespace picsec::ike::detail::v2
