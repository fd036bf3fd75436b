// Opaque-body payload helpers and hex rendering for summaries.
#include "blob.h"

namespace picsec::ike::codec::detail {

std::vector<std::uint8_t> read_blob(Reader& r, std::string_view field, std::size_t min, std::size_t max,
                                    NotifyType notify) {
    const std::size_t n = r.remaining();
    if (n < min) {
        r.fail(notify, field,
               std::string(r.payload()) + " " + std::string(field) + ": too short (got " + std::to_string(n) +
                   " bytes, need at least " + std::to_string(min) + ")");
        return {};
    }
    if (n > max) {
        r.fail(notify, field,
               std::string(r.payload()) + " " + std::string(field) + ": too long (got " + std::to_string(n) +
                   " bytes, need at most " + std::to_string(max) + ")");
        return {};
    }
    return r.rest_vec();
}

std::string hex(std::span<const std::uint8_t> b, std::size_t limit) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    const std::size_t n = b.size() < limit ? b.size() : limit;
    out.reserve(2 * n + 3);
    for (std::size_t i = 0; i < n; ++i) {
        out.push_back(digits[b[i] >> 4]);
        out.push_back(digits[b[i] & 0x0f]);
    }
    if (n < b.size()) {
        out += "...";
    }
    return out;
}

}  // namespace picsec::ike::codec::detail
