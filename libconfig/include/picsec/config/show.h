// A loaded configuration printed back as JUNOS `show configuration` prints
// it: brace form, four-space indents, `inactive:` markers, every key in its
// "$9$" form, and the hierarchies picsec does not model kept as written
// under a `/* not modelled by picsec, skipped */` annotation.
//
//   auto s = picsec::config::show_file("router.conf");
//   std::cerr << picsec::config::format(s.diagnostics);
//   if (s.ok()) std::cout << s.text;
#pragma once

#include <string>
#include <string_view>

#include "picsec/config/diagnostic.h"

namespace picsec::config {

/// The configuration text and what loading it said (notes for skipped
/// hierarchies, warnings, errors). `text` is empty when there are errors.
struct Shown {
    std::string text;
    Diagnostics diagnostics;

    bool ok() const { return error_count(diagnostics) == 0; }
};

/// Loads `text` (no commit check) and prints it back.
Shown show_string(std::string_view text, const std::string& filename = "<config>");
/// As show_string(); an unreadable file is one error diagnostic at 0:0.
Shown show_file(const std::string& path);

}  // namespace picsec::config
