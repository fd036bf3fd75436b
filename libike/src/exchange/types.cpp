// Text forms of the engine's plain value types.
#include "picsec/ike/types.h"

namespace picsec::ike {

std::string Endpoint::to_string() const { return address.to_string() + ":" + std::to_string(port); }

std::string to_hex(const Cookie& c)
{
    static constexpr char digits[] = "0123456789abcdef";
    std::string s;
    s.reserve(16);
    for (auto b : c) {
        s.push_back(digits[b >> 4]);
        s.push_back(digits[b & 0xf]);
    }
    return s;
}

std::string_view to_string(ExchangeMode m) { return algo::keyword(m); }

}  // namespace picsec::ike
