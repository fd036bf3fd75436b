// `picsec commit -c FILE`: hands a configuration to the running daemon, which
// checks it and takes it without a restart (Router::commit()).
#include "cli_args.h"
#include "command.h"
#include "control_socket.h"

#include <filesystem>
#include <ostream>

namespace picsec::tools {
namespace {

// Exit 0 when the daemon took the configuration, 1 when the check failed or
// the daemon refused it (nothing changed) or cannot be reached, 2 on usage.
int commit(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    const ParsedArgs p = parse_args(args, {"-c", "--socket"}, {});
    if (!p.error.empty() || !p.positional.empty() || !p.get("-c"))
        return err << "usage: picsec commit -c FILE [--socket PATH]\n", k_exit_usage;
    // The daemon reads the file itself, from its own working directory.
    std::error_code ec;
    const auto path = std::filesystem::absolute(*p.get("-c"), ec);
    if (ec) return err << "picsec commit: " << *p.get("-c") << ": " << ec.message() << '\n', k_exit_failed;
    int code = 0;
    std::string text;
    if (!control_request(p.get("--socket").value_or(k_default_control_socket), {"commit", path.string()}, code, text))
        return err << "picsec: " << text << '\n', k_exit_failed;
    (code == 0 ? out : err) << text;
    return code;
}

const CommandRegistrar k_commit{{{"commit"}, "-c FILE [--socket PATH]",
    "check FILE and make the running daemon take it; unchanged SAs stay up (exit 0 taken, 1 check failed or refused)",
    commit}};

}  // namespace
}  // namespace picsec::tools
