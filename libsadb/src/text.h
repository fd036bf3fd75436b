// Internal: small formatting helpers for drop and error messages.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

namespace picsec::sadb::detail {

/// "0x" followed by the value in hex, zero-padded to `digits`.
inline std::string hex(std::uint32_t v, int digits = 8) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%0*x", digits, static_cast<unsigned>(v));
    return buf;
}

/// Dotted-quad text of a host-order IPv4 address.
inline std::string address(std::uint32_t a) {
    return std::to_string(a >> 24) + "." + std::to_string((a >> 16) & 0xff) + "." +
           std::to_string((a >> 8) & 0xff) + "." + std::to_string(a & 0xff);
}

}  // namespace picsec::sadb::detail
