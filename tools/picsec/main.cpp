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

void print_usage(std::ostream& out) {
    out << "usage: picsec COMMAND [ARGS]\n\ncommands:\n";
    for (const auto& c : table()) {
        std::string line = "  picsec";
        for (auto w : c.words) (line += ' ') += w;
        if (!c.usage.empty()) (line += ' ') += c.usage;
        out << line << "\n      " << c.summary << '\n';
    }
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
        std::cerr << "picsec: unknown command '" << args[0] << "'\n";
        print_usage(std::cerr);
        return k_exit_usage;
    }
    std::vector<std::string> rest(args.begin() + static_cast<long>(best->words.size()), args.end());
    try {
        return best->run(rest, std::cout, std::cerr);
    } catch (const std::exception& e) {
        std::cerr << "picsec: " << e.what() << '\n';
        return k_exit_failed;
    }
}
