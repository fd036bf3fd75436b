// `picsec check [--json] FILE`: loads a configuration and runs the commit
// check, printing every diagnostic as "FILE:LINE:COL: error: PATH: message"
// (and a note for each hierarchy picsec skips).
#include "command.h"

#include <ostream>

#include "cli_args.h"
#include "picsec/config/load.h"

namespace picsec::tools {
namespace {

int run_check(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    const ParsedArgs p = parse_args(args, {}, {"--json"});
    if (!p.error.empty() || p.positional.size() != 1) {
        err << "picsec check: " << (p.error.empty() ? "expected one FILE" : p.error) << "\n"
            << "usage: picsec check [--json] FILE\n";
        return k_exit_usage;
    }
    const std::string& file = p.positional[0];
    const config::Result r = config::check_file(file);
    if (p.has("--json")) {
        out << config::to_json(r.diagnostics) << "\n";
    } else {
        out << config::format(r.diagnostics);
        if (r.ok()) {
            std::vector<std::string> counts;
            auto count = [&](std::size_t n, const char* what) {
                if (n != 0) counts.push_back(std::to_string(n) + " " + what + (n == 1 ? "" : "s"));
            };
            count(config::warning_count(r.diagnostics), "warning");
            count(config::note_count(r.diagnostics), "note");
            out << file << ": configuration check succeeds";
            for (std::size_t k = 0; k < counts.size(); ++k) out << (k == 0 ? " (" : ", ") << counts[k];
            out << (counts.empty() ? "\n" : ")\n");
        }
    }
    return r.ok() ? k_exit_ok : k_exit_failed;
}

const CommandRegistrar k_check{{{"check"}, "[--json] FILE",
                                "commit-check a configuration file (exit 0 clean, 1 errors, 2 usage)", run_check}};

}  // namespace
}  // namespace picsec::tools
