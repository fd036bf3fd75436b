// One-line, unambiguous rendering of peer-supplied text (ID names, DNs) for
// logs and show output, so a peer cannot forge log lines before it is
// authenticated.
#pragma once

#include <string>
#include <string_view>

namespace picsec::ike::codec {

/// `text` with every byte outside printable ASCII (0x20..0x7e), and the
/// backslash itself, written as `\xNN` (two lower-case hex digits): the result
/// is one line and maps back to exactly one byte string. Apply it once, where
/// a peer's bytes become a description; already escaped text must not be
/// passed again.
std::string printable(std::string_view text);

}  // namespace picsec::ike::codec
