// Command-line option parsing for picsec's commands.
#include "cli_args.h"

namespace picsec::tools {

std::optional<std::string> ParsedArgs::get(const std::string& option) const {
    auto it = options.find(option);
    if (it == options.end()) return std::nullopt;
    return it->second;
}

ParsedArgs parse_args(const std::vector<std::string>& args, const std::set<std::string>& with_value,
                      const std::set<std::string>& flags) {
    ParsedArgs p;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (with_value.count(a) != 0) {
            if (i + 1 >= args.size()) {
                p.error = "option " + a + " needs a value";
                return p;
            }
            if (p.options.count(a) != 0) {
                p.error = "option " + a + " given twice";
                return p;
            }
            p.options[a] = args[++i];
        } else if (flags.count(a) != 0) {
            p.flags.insert(a);
        } else if (a.size() > 1 && a[0] == '-') {
            p.error = "unknown option '" + a + "'";
            return p;
        } else {
            p.positional.push_back(a);
        }
    }
    return p;
}

std::optional<unsigned long> parse_number(std::string_view text, unsigned long min, unsigned long max) {
    if (text.empty() || text.size() > 10) return std::nullopt;
    unsigned long v = 0;
    for (const char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        v = v * 10 + static_cast<unsigned long>(c - '0');
    }
    if (v < min || v > max) return std::nullopt;
    return v;
}

std::optional<std::uint16_t> parse_port(std::string_view text) {
    const auto v = parse_number(text, 1, 65535);
    if (!v) return std::nullopt;
    return static_cast<std::uint16_t>(*v);
}

}  // namespace picsec::tools
