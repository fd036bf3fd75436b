// picsec: the command-line front end and daemon of the picsec libraries.
#include "command.h"

#include <algorithm>
#include <iostream>

namespace picsec::tools {
namespace {

std::vector<Command>& table() {
    static std::vector<Command> t;
    return t;
}

std::string usage_line(const Command& c) {
    std::string line = "picsec";
    for (auto w : c.words) (line += ' ') += w;
    if (!c.usage.empty()) (line += ' ') += c.usage;
    return line;
}

// The commands whose words start with `prefix` (all of them for an empty one).
void print_usage(std::ostream& out, const std::vector<std::string>& prefix = {}) {
    out << "usage: picsec COMMAND [ARGS]\n\ncommands:\n";
    for (const auto& c : table()) {
        if (prefix.size() > c.words.size() || !std::equal(prefix.begin(), prefix.end(), c.words.begin())) continue;
        out << "  " << usage_line(c) << "\n      " << c.summary << '\n';
    }
}

bool wants_help(const std::vector<std::string>& args) {
    return std::any_of(args.begin(), args.end(), [](const std::string& a) { return a == "--help" || a == "-h"; });
}

// The leading words of `args` that begin at least one command ("show ike").
std::vector<std::string> command_prefix(const std::vector<std::string>& args) {
    std::vector<std::string> prefix;
    for (const auto& a : args) {
        prefix.push_back(a);
        const bool begins = std::any_of(table().begin(), table().end(), [&](const Command& c) {
            return prefix.size() <= c.words.size() && std::equal(prefix.begin(), prefix.end(), c.words.begin());
        });
        if (!begins) {
            prefix.pop_back();
            break;
        }
    }
    return prefix;
}

}  // namespace

CommandRegistrar::CommandRegistrar(Command command) { table().push_back(std::move(command)); }

const std::vector<Command>& commands() { return table(); }

}  // namespace picsec::tools

int main(int argc, char** argv) {
    using namespace picsec::tools;
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "help" || args[0] == "--help" || args[0] == "-h") {
        print_usage(args.empty() ? std::cerr : std::cout);
        return args.empty() ? k_exit_usage : k_exit_ok;
    }
    // The longest matching word sequence wins ("show ike ..." before "show").
    const Command* best = nullptr;
    for (const auto& c : commands()) {
        if (c.words.size() > args.size()) continue;
        if (!std::equal(c.words.begin(), c.words.end(), args.begin())) continue;
        if (!best || c.words.size() > best->words.size()) best = &c;
    }
    if (!best) {
        // "picsec show" or "picsec request security": the commands it begins.
        const auto prefix = command_prefix(args);
        if (prefix.empty()) std::cerr << "picsec: unknown command '" << args[0] << "'\n";
        const bool help = !prefix.empty() && wants_help(args);
        print_usage(help ? std::cout : std::cerr, prefix);
        return help ? k_exit_ok : k_exit_usage;
    }
    std::vector<std::string> rest(args.begin() + static_cast<long>(best->words.size()), args.end());
    if (wants_help(rest)) {
        // Help never runs the command: no daemon contacted, no file written.
        std::cout << "usage: " << usage_line(*best) << "\n  " << best->summary << '\n';
        return k_exit_ok;
    }
    try {
        return best->run(rest, std::cout, std::cerr);
    } catch (const std::exception& e) {
        std::cerr << "picsec: " << e.what() << '\n';
        return k_exit_failed;
    }
}
