// Helpers for the configuration tests: build a config from set lines and
// compute the expected "t.conf:LINE:COL: severity: PATH: message" text.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "picsec/config/load.h"

namespace picsec::config::test {

/// Lines of a set-style configuration; line numbers count from 1.
struct Lines {
    std::vector<std::string> lines;

    std::string text() const {
        std::string out;
        for (const auto& l : lines) out += l + "\n";
        return out;
    }
    /// Appends a line and returns its line number.
    std::size_t add(std::string line) {
        lines.push_back(std::move(line));
        return lines.size();
    }
    /// The 1-based column of the word `word` in line `line` (first whole-word match).
    std::size_t column(std::size_t line, const std::string& word) const {
        const std::string& l = lines.at(line - 1);
        std::size_t pos = 0;
        while ((pos = l.find(word, pos)) != std::string::npos) {
            bool starts = pos == 0 || l[pos - 1] == ' ';
            bool ends = pos + word.size() == l.size() || l[pos + word.size()] == ' ';
            if (starts && ends) return pos + 1;
            ++pos;
        }
        throw std::logic_error("word not found in test line: " + word);
    }
    /// The expected formatted diagnostic at the word `word` of line `line`.
    std::string at(std::size_t line, const std::string& word, const std::string& path, const std::string& message,
                   const std::string& severity = "error") const {
        return "t.conf:" + std::to_string(line) + ":" + std::to_string(column(line, word)) + ": " + severity + ": " +
               path + ": " + message + "\n";
    }
};

/// check_string() over the lines, formatted.
inline std::string check(const Lines& l) { return format(check_string(l.text(), "t.conf").diagnostics); }
inline std::string check(const std::string& text) { return format(check_string(text, "t.conf").diagnostics); }

inline const std::string k_sa = "set security ipsec security-association sa1 ";
inline const std::string k_dir = k_sa + "manual direction bidirectional ";
inline const std::string k_sa_path = "security ipsec security-association sa1";
inline const std::string k_dir_path = k_sa_path + " manual direction bidirectional";

/// A clean manual ESP tunnel SA sa1 on es-0/0/0 (9 lines).
inline Lines manual_tunnel_sa() {
    Lines l;
    l.add(k_dir + "protocol esp");
    l.add(k_dir + "spi 300");
    l.add(k_dir + "authentication algorithm hmac-sha1-96");
    l.add(k_dir + "authentication key ascii-text abcdefghijklmnopqrst");
    l.add(k_dir + "encryption algorithm 3des-cbc");
    l.add(k_dir + "encryption key ascii-text abcdefghijklmnopqrstuvwx");
    l.add("set interfaces es-0/0/0 unit 0 tunnel source 10.0.0.1");
    l.add("set interfaces es-0/0/0 unit 0 tunnel destination 10.0.0.2");
    l.add("set interfaces es-0/0/0 unit 0 family inet ipsec-sa sa1");
    return l;
}

/// A clean dynamic tunnel SA dyn on es-1/0/0 with peer 10.0.0.2.
inline Lines dynamic_tunnel_sa() {
    Lines l;
    l.add("set security ike proposal ike1 authentication-method pre-shared-keys");
    l.add("set security ike policy 10.0.0.2 proposals ike1");
    l.add("set security ike policy 10.0.0.2 pre-shared-key ascii-text secret");
    l.add("set security ipsec proposal esp1 protocol esp");
    l.add("set security ipsec policy pol1 proposals esp1");
    l.add("set security ipsec security-association dyn dynamic ipsec-policy pol1");
    l.add("set interfaces es-1/0/0 unit 0 tunnel source 10.0.0.1");
    l.add("set interfaces es-1/0/0 unit 0 tunnel destination 10.0.0.2");
    l.add("set interfaces es-1/0/0 unit 0 family inet ipsec-sa dyn");
    return l;
}

}  // namespace picsec::config::test
