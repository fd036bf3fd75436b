// A small command-line option parser for picsec's commands: options that
// take a value ("-c FILE", "--sa NAME"), flags ("--json") and positional
// words, with a usage error naming the offending argument.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace picsec::tools {

struct ParsedArgs {
    std::map<std::string, std::string> options;  ///< by the name as listed (e.g. "-c")
    std::set<std::string> flags;
    std::vector<std::string> positional;
    std::string error;  ///< non-empty on a usage error

    bool has(const std::string& flag) const { return flags.count(flag) != 0; }
    std::optional<std::string> get(const std::string& option) const;
};

/// `text` as a whole decimal number in [min, max]: digits only, no sign,
/// spaces or suffix; nullopt otherwise.
std::optional<unsigned long> parse_number(std::string_view text, unsigned long min, unsigned long max);
/// A UDP port, 1..65535.
std::optional<std::uint16_t> parse_port(std::string_view text);

/// Parses `args`. `with_value` lists options taking a value, `flags` the
/// flags; any other word starting with '-' is an error, as is an option
/// given twice or without its value.
ParsedArgs parse_args(const std::vector<std::string>& args, const std::set<std::string>& with_value,
                      const std::set<std::string>& flags);

}  // namespace picsec::tools
