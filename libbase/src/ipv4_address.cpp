// Text and number forms of the IPv4 address (see ipv4_address.h).
#include "picsec/base/ipv4_address.h"

#include <charconv>

namespace picsec {

std::string Ipv4Address::to_string() const
{
    return std::to_string(octets[0]) + "." + std::to_string(octets[1]) + "." + std::to_string(octets[2]) + "." +
           std::to_string(octets[3]);
}

std::optional<Ipv4Address> Ipv4Address::parse(std::string_view text)
{
    Ipv4Address a;
    const char* p = text.data();
    const char* end = text.data() + text.size();
    for (int i = 0; i < 4; ++i) {
        if (i > 0) {
            if (p == end || *p != '.')
                return std::nullopt;
            ++p;
        }
        unsigned v = 0;
        auto [next, ec] = std::from_chars(p, end, v);
        if (ec != std::errc{} || next == p || next - p > 3 || v > 255)
            return std::nullopt;
        a.octets[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v);
        p = next;
    }
    if (p != end)
        return std::nullopt;
    return a;
}

std::uint32_t Ipv4Address::to_uint() const
{
    return (std::uint32_t{octets[0]} << 24) | (std::uint32_t{octets[1]} << 16) | (std::uint32_t{octets[2]} << 8) |
           octets[3];
}

Ipv4Address Ipv4Address::from_uint(std::uint32_t v)
{
    return Ipv4Address{{static_cast<std::uint8_t>(v >> 24), static_cast<std::uint8_t>(v >> 16),
                        static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)}};
}

}  // namespace picsec
