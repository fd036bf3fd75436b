// The one IPv4 address type of picsec, shared by the configuration model, the
// IKE codec (ID and NAT-OA payloads) and the engine's public API.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace picsec {

/// An IPv4 address as its four octets in network order (an aggregate, so
/// `Ipv4Address{octets}` builds one from wire bytes).
struct Ipv4Address {
    std::array<std::uint8_t, 4> octets{};

    auto operator<=>(const Ipv4Address&) const = default;
    std::string to_string() const;  ///< dotted quad
    /// Parses dotted-quad text ("192.0.2.1", each part 1-3 digits, 0..255);
    /// nullopt on anything else.
    static std::optional<Ipv4Address> parse(std::string_view text);
    /// The address as a number in host byte order (192.0.2.1 -> 0xc0000201).
    std::uint32_t to_uint() const;
    static Ipv4Address from_uint(std::uint32_t v);
};

}  // namespace picsec
