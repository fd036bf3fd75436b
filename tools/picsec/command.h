// The picsec command table: each command lives in its own cmd_*.cpp and
// registers a Command here; main() dispatches on the leading words.
#pragma once

#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace picsec::tools {

/// Exit codes shared by every command.
inline constexpr int k_exit_ok = 0;
inline constexpr int k_exit_failed = 1;  ///< the command ran and found errors
inline constexpr int k_exit_usage = 2;   ///< bad command line

/// A command is matched by its leading words ("show ike security-associations")
/// and receives the remaining arguments.
struct Command {
    std::vector<std::string_view> words;
    std::string_view usage;    ///< one line: arguments after the words
    std::string_view summary;  ///< one line: what it does
    std::function<int(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)> run;
};

/// Adds a command to the table; used by static registrars in cmd_*.cpp.
struct CommandRegistrar {
    explicit CommandRegistrar(Command command);
};

const std::vector<Command>& commands();

/// Sends a `show`/`clear`/`request` command (its words plus `args`, minus a
/// `--socket PATH` option that picks the daemon) to a running `picsec run`
/// and prints its answer. Returns the daemon's exit code.
int forward_to_daemon(const std::vector<std::string>& words, const std::vector<std::string>& args, std::ostream& out,
                      std::ostream& err);

}  // namespace picsec::tools
