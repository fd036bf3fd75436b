// `picsec show configuration FILE`: the configuration as picsec loaded it, in
// JUNOS brace form (keys as "$9$", `inactive:` kept, skipped hierarchies
// annotated). Loading problems go to stderr; errors exit 1.
#include "command.h"

#include <ostream>

#include "cli_args.h"
#include "picsec/config/show.h"

namespace picsec::tools {
namespace {

constexpr std::string_view k_usage = "FILE | -c FILE";

int run_show_configuration(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    const ParsedArgs p = parse_args(args, {"-c"}, {});
    const auto c = p.get("-c");
    if (!p.error.empty() || p.positional.size() != (c ? 0u : 1u)) {
        err << "picsec show configuration: " << (p.error.empty() ? "expected one FILE" : p.error) << "\n"
            << "usage: picsec show configuration " << k_usage << "\n";
        return k_exit_usage;
    }
    const config::Shown shown = config::show_file(c ? *c : p.positional[0]);
    config::Diagnostics problems;
    for (const auto& d : shown.diagnostics)
        if (d.severity != config::Severity::Note) problems.push_back(d);
    err << config::format(problems);
    out << shown.text;
    return shown.ok() ? k_exit_ok : k_exit_failed;
}

const CommandRegistrar k_show_configuration{
    {{"show", "configuration"}, k_usage,
     "print a configuration file as loaded, in JUNOS brace form with keys as $9$ (exit 0, 1 on errors)",
     run_show_configuration}};

}  // namespace
}  // namespace picsec::tools
