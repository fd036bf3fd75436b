// Plain value types shared by the engine's public API: IPv4 addresses, UDP
// endpoints and ISAKMP cookies.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace picsec::ike {

/// An IPv4 address in network byte order.
struct Ipv4Address {
    std::array<std::uint8_t, 4> octets{};

    auto operator<=>(const Ipv4Address&) const = default;
    std::string to_string() const;
    /// Parses dotted-quad text ("192.0.2.1"); nullopt on anything else.
    static std::optional<Ipv4Address> parse(std::string_view text);
    std::uint32_t to_uint() const;
    static Ipv4Address from_uint(std::uint32_t v);
};

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

/// Phase-1 exchange mode (RFC 2409 5).
enum class ExchangeMode { Main, Aggressive };

std::string_view to_string(ExchangeMode m);

}  // namespace picsec::ike
