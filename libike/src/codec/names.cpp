// Table lookup for protocol value names.
#include "names.h"

namespace picsec::ike::codec::detail {

std::string lookup(std::span<const Name> table, std::uint32_t value) {
    for (const auto& n : table) {
        if (n.value == value) return std::string(n.name);
    }
    return "UNKNOWN(" + std::to_string(value) + ")";
}

bool contains(std::span<const Name> table, std::uint32_t value) {
    for (const auto& n : table) {
        if (n.value == value) return true;
    }
    return false;
}

}  // namespace picsec::ike::codec::detail
