// Plain value types shared by the engine's public API: IPv4 addresses, UDP
// endpoints and ISAKMP cookies.
#pragma once

#include "picsec/base/algorithms.h"
#include "picsec/base/ipv4_address.h"

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace picsec::ike {

/// The one IPv4 address type (picsec/base/ipv4_address.h).
using picsec::Ipv4Address;

/// A UDP endpoint (address + port) a datagram came from or goes to.
struct Endpoint {
    Ipv4Address address;
    std::uint16_t port = 500;

    auto operator<=>(const Endpoint&) const = default;
    std::string to_string() const;  ///< "192.0.2.1:500"
};

/// An ISAKMP cookie (RFC 2408 3.1); all-zero means "not yet chosen".
using Cookie = std::array<std::uint8_t, 8>;

std::string to_hex(const Cookie& c);

/// Phase-1 exchange mode (RFC 2409 5), from the algorithm table.
using algo::ExchangeMode;

std::string_view to_string(ExchangeMode m);  ///< its keyword: "main", "aggressive"

/// The IKE protocol an IKE policy speaks: IKEv1 (RFC 2409), the ES PIC's
/// only one and the default, or IKEv2 (RFC 7296).
enum class IkeVersion : std::uint8_t { V1 = 1, V2 = 2 };

}  // namespace picsec::ike
