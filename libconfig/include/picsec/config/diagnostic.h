// Diagnostics of the configuration loader and commit check, and their two
// renderings: "FILE:LINE:COL: error: PATH: message" text and JSON.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace picsec::config {

/// A position in a configuration file; line and column count from 1.
/// line == 0 means "not from the file" (a default value).
struct Location {
    std::string file;
    std::uint32_t line = 0;
    std::uint32_t column = 0;
};

/// Error (the configuration is refused), Warning (accepted, but probably not
/// what was meant) or Note (information: e.g. a hierarchy picsec skips).
enum class Severity { Error, Warning, Note };

/// One finding. `path` is the statement's hierarchy path with names, e.g.
/// "security ipsec security-association sa1 manual direction bidirectional spi"
/// (empty for pure syntax errors); `message` says what was found and what was
/// expected and never contains key material.
struct Diagnostic {
    std::string file;
    std::uint32_t line = 0;
    std::uint32_t column = 0;
    std::string path;
    std::string message;
    Severity severity = Severity::Error;
};

using Diagnostics = std::vector<Diagnostic>;

std::string to_string(Severity s);  ///< "error" / "warning" / "note"

/// "FILE:LINE:COL: error: PATH: message" ("PATH: " omitted when empty).
std::string format(const Diagnostic& d);
/// One formatted diagnostic per line.
std::string format(const Diagnostics& ds);

/// JSON object {"file","line","column","severity","path","message"}.
std::string to_json(const Diagnostic& d);
/// {"errors":N,"warnings":M,"notes":K,"diagnostics":[...]}
std::string to_json(const Diagnostics& ds);

std::size_t error_count(const Diagnostics& ds);
std::size_t warning_count(const Diagnostics& ds);
std::size_t note_count(const Diagnostics& ds);

/// Builds a diagnostic at a location.
Diagnostic make_diagnostic(const Location& at, std::string path, std::string message,
                           Severity severity = Severity::Error);

}  // namespace picsec::config
