// Why a packet was not protected or unprotected: a reason code for counters
// and tests, and a human message naming the field ("what: why (got X, need Y)").
#pragma once

#include <string>
#include <string_view>

namespace picsec::sadb {

enum class DropReason {
    Malformed,        ///< a length, version or header field is wrong
    UnknownSpi,       ///< no inbound SA for this SPI and protocol
    UnknownSa,        ///< protect() named an SA id or name that is not installed
    WrongDirection,   ///< protect() on an inbound-only SA
    BadIcv,           ///< integrity check value did not verify
    Replay,           ///< anti-replay window: duplicate or too old (RFC 4303 3.4.3)
    BadPadding,       ///< ESP padding bytes or pad length wrong (RFC 4303 2.4)
    Expired,          ///< the SA reached its hard lifetime
    SequenceOverflow, ///< the outbound sequence number would cycle (RFC 4303 3.3.3)
    PolicyMismatch,   ///< the packet does not match what the SA requires (e.g. bundle without AH)
    NotIpsec,         ///< not ESP/AH: IKE on port 4500, NAT keepalive, other protocol
    DummyPacket,      ///< ESP next header 59, a traffic-flow-confidentiality dummy (RFC 4303 2.6)
};

std::string_view to_string(DropReason r);

/// A packet that could not be processed, with the reason and a message that
/// names the field. Never contains key material.
struct Drop {
    DropReason reason;
    std::string message;
};

}  // namespace picsec::sadb
