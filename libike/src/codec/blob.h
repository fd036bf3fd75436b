// Internal helpers shared by payloads whose body is one opaque byte string,
// and hex rendering for summaries.
#pragma once

#include <picsec/ike/codec/reader.h>
#include <picsec/ike/codec/writer.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace picsec::ike::codec::detail {

/// Read the rest of `r` as the payload's data, requiring min..max bytes.
std::vector<std::uint8_t> read_blob(Reader& r, std::string_view field, std::size_t min, std::size_t max,
                                    NotifyType notify);

/// Lower-case hex of at most `limit` bytes, "..." appended when cut.
std::string hex(std::span<const std::uint8_t> b, std::size_t limit = 64);

}  // namespace picsec::ike::codec::detail
