// Loading a picsec configuration (JUNOS syntax: bracketed hierarchy and/or
// `set` lines) into the typed model, and the commit check over that model.
//
//   auto r = picsec::config::check_file("router.conf");
//   std::cout << picsec::config::format(r.diagnostics);      // FILE:LINE:COL: error: PATH: message
//   return r.ok() ? 0 : 1;
//
// Nothing here throws on bad input; every problem becomes a Diagnostic.
#pragma once

#include <string>
#include <string_view>

#include "picsec/config/diagnostic.h"
#include "picsec/config/model.h"
#include "picsec/config/syntax.h"

namespace picsec::config {

/// A loaded (and possibly checked) configuration.
struct Result {
    Model model;              ///< everything that parsed; partial when there are errors
    Diagnostics diagnostics;  ///< in file order

    /// True when no diagnostic is an error (warnings allowed).
    bool ok() const { return error_count(diagnostics) == 0; }
};

/// Parses text: syntax, unknown statements, bad values, out-of-range numbers,
/// duplicate definitions, key encoding. Does not run the commit check.
Result load_string(std::string_view text, const std::string& filename = "<config>");

/// As load_string(); an unreadable file is one error diagnostic at 0:0.
Result load_file(const std::string& path);

/// The commit check (docs/configuration.md, "Commit check"): the semantic
/// rules over a loaded model, errors and warnings, in file order.
Diagnostics commit_check(const Model& model);

/// load_string() then, when loading found no error, commit_check(); all
/// diagnostics sorted by position. What `picsec check` runs.
Result check_string(std::string_view text, const std::string& filename = "<config>");
Result check_file(const std::string& path);

}  // namespace picsec::config
