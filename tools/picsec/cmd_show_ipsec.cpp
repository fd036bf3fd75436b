// `picsec show ipsec security-associations [brief|detail] [SA-NAME] [--json]
// [-c FILE | --socket PATH]`: with -c, the configured manual SAs as installed
// into a fresh SADB; otherwise the running daemon's SADB (manual and dynamic).
#include "command.h"

#include <ostream>

#include "cli_args.h"
#include "manual_sas.h"
#include "show_ipsec.h"

namespace picsec::tools {
namespace {

constexpr std::string_view k_usage = "[brief|detail] [SA-NAME] [--json] [-c FILE | --socket PATH]";

int usage(std::ostream& err, const std::string& why) {
    err << "picsec show ipsec security-associations: " << why << "\n"
        << "usage: picsec show ipsec security-associations " << k_usage << "\n";
    return k_exit_usage;
}

int run_show(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    const ParsedArgs p = parse_args(args, {"-c", "--socket"}, {"--json"});
    if (!p.error.empty()) return usage(err, p.error);
    if (!p.get("-c")) return forward_to_daemon({"show", "ipsec", "security-associations"}, args, out, err);
    ShowLevel level = ShowLevel::Standard;
    std::optional<std::string> name;
    for (const auto& word : p.positional) {
        if (word == "brief" && level == ShowLevel::Standard && !name) {
            level = ShowLevel::Brief;
        } else if (word == "detail" && level == ShowLevel::Standard && !name) {
            level = ShowLevel::Detail;
        } else if (!name) {
            name = word;
        } else {
            return usage(err, "unexpected argument '" + word + "'");
        }
    }
    const auto config_path = p.get("-c");

    const auto model = load_checked_config(*config_path, err);
    if (!model) return k_exit_failed;
    std::vector<ManualSa> sas = name ? manual_sas(*model, *name) : manual_sas(*model);
    if (name && sas.empty()) {
        err << "picsec: security-association " << *name << ": no manual SA with this name in " << *config_path
            << "\n";
        return k_exit_failed;
    }
    std::string error;
    auto db = install(sas, error);
    if (!db) {
        err << "picsec: " << error << "\n";
        return k_exit_failed;
    }
    const auto list = states(*db);
    out << (p.has("--json") ? ipsec_sas_json(list) : format_ipsec_sas(list, level));
    return k_exit_ok;
}

const CommandRegistrar k_show_ipsec{{{"show", "ipsec", "security-associations"}, k_usage,
                                     "show IPsec SAs: the configured manual ones (-c) or the running daemon's", run_show}};

}  // namespace
}  // namespace picsec::tools
