// Internal: value -> name tables for logging, one table per enum.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace picsec::ike::codec::detail {

struct Name {
    std::uint32_t value;
    std::string_view name;
};

/// The table's name for `value`, or "UNKNOWN(<value>)".
std::string lookup(std::span<const Name> table, std::uint32_t value);
bool contains(std::span<const Name> table, std::uint32_t value);

}  // namespace picsec::ike::codec::detail
