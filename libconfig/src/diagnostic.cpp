// Text and JSON rendering of diagnostics (see diagnostic.h).
#include "picsec/config/diagnostic.h"

#include <cstdio>

namespace picsec::config {
namespace {

std::string json_string(const std::string& s) {
    std::string out = "\"";
    for (unsigned char c : s) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", c);
                    out += buf;
                } else {
                    out += static_cast<char>(c);
                }
        }
    }
    return out + "\"";
}

}  // namespace

std::string to_string(Severity s) {
    switch (s) {
        case Severity::Error: return "error";
        case Severity::Warning: return "warning";
        case Severity::Note: return "note";
    }
    return "error";
}

std::string format(const Diagnostic& d) {
    std::string out = d.file + ":" + std::to_string(d.line) + ":" + std::to_string(d.column) + ": " +
                      to_string(d.severity) + ": ";
    if (!d.path.empty()) out += d.path + ": ";
    return out + d.message;
}

std::string format(const Diagnostics& ds) {
    std::string out;
    for (const auto& d : ds) out += format(d) + "\n";
    return out;
}

std::string to_json(const Diagnostic& d) {
    return "{\"file\":" + json_string(d.file) + ",\"line\":" + std::to_string(d.line) +
           ",\"column\":" + std::to_string(d.column) + ",\"severity\":" + json_string(to_string(d.severity)) +
           ",\"path\":" + json_string(d.path) + ",\"message\":" + json_string(d.message) + "}";
}

std::string to_json(const Diagnostics& ds) {
    std::string out = "{\"errors\":" + std::to_string(error_count(ds)) +
                      ",\"warnings\":" + std::to_string(warning_count(ds)) +
                      ",\"notes\":" + std::to_string(note_count(ds)) + ",\"diagnostics\":[";
    for (std::size_t i = 0; i < ds.size(); ++i) out += (i ? "," : "") + to_json(ds[i]);
    return out + "]}";
}

std::size_t error_count(const Diagnostics& ds) {
    std::size_t n = 0;
    for (const auto& d : ds) n += d.severity == Severity::Error;
    return n;
}

std::size_t warning_count(const Diagnostics& ds) {
    std::size_t n = 0;
    for (const auto& d : ds) n += d.severity == Severity::Warning;
    return n;
}

std::size_t note_count(const Diagnostics& ds) {
    std::size_t n = 0;
    for (const auto& d : ds) n += d.severity == Severity::Note;
    return n;
}

Diagnostic make_diagnostic(const Location& at, std::string path, std::string message, Severity severity) {
    return Diagnostic{at.file, at.line, at.column, std::move(path), std::move(message), severity};
}

}  // namespace picsec::config
