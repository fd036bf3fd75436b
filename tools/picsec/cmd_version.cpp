// `picsec version`: prints the version of picsec and of the libraries it uses.
#include "command.h"

#include <botan/version.h>

#include <ostream>

namespace picsec::tools {
namespace {

const CommandRegistrar k_version{{{"version"}, "", "print the picsec and Botan versions",
    [](const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
        if (!args.empty()) {
            err << "picsec version: takes no arguments\n";
            return k_exit_usage;
        }
        out << "picsec " << PICSEC_VERSION << ", Botan " << Botan::short_version_string() << "\n";
        return k_exit_ok;
    }}};

}  // namespace
}  // namespace picsec::tools
