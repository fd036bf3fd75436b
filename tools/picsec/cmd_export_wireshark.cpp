// `picsec export wireshark -c FILE --out DIR`: writes Wireshark's esp_sa
// table and preferences for the configured manual SAs, so Wireshark and
// tshark decrypt and authenticate their ESP packets.
#include "command.h"

#include <ostream>

#include "cli_args.h"
#include "manual_sas.h"
#include "wireshark_export.h"

namespace picsec::tools {
namespace {

int run_export(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    const ParsedArgs p = parse_args(args, {"-c", "--out"}, {});
    if (!p.error.empty() || !p.positional.empty() || !p.get("-c") || !p.get("--out")) {
        std::string why = p.error;
        if (why.empty()) why = p.positional.empty() ? "needs -c FILE and --out DIR" : "unexpected argument '" + p.positional[0] + "'";
        err << "picsec export wireshark: " << why << "\n"
            << "usage: picsec export wireshark -c FILE --out DIR\n";
        return k_exit_usage;
    }
    const auto model = load_checked_config(*p.get("-c"), err);
    if (!model) return k_exit_failed;
    std::vector<EspSaRecord> records;
    for (const auto& sa : manual_sas(*model)) {
        EspEndpoints ends{sa.spec.local_address, sa.local_known, sa.spec.peer_address, sa.peer_known};
        for (auto& r : esp_sa_records(sa.spec, ends)) records.push_back(std::move(r));
    }
    const std::string dir = *p.get("--out");
    if (auto e = write_wireshark_config(dir, records); !e.empty()) {
        err << "picsec: " << e << "\n";
        return k_exit_failed;
    }
    out << "wrote " << dir << "/esp_sa (" << records.size() << (records.size() == 1 ? " ESP SA" : " ESP SAs")
        << ") and " << dir << "/preferences\n"
        << "use: WIRESHARK_CONFIG_DIR=" << dir << " tshark -r FILE.pcap\n";
    return k_exit_ok;
}

const CommandRegistrar k_export{{{"export", "wireshark"}, "-c FILE --out DIR",
                                 "write Wireshark's esp_sa table for the configured manual SAs", run_export}};

}  // namespace
}  // namespace picsec::tools
