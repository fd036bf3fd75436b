// `picsec export wireshark (-c FILE | --socket PATH) --out DIR`: writes
// Wireshark's esp_sa table and preferences for the configured manual SAs
// (-c), or for every SA of a running daemon started with --log-keys plus its
// ikev1_decryption_table and ikev2_decryption_table (--socket), so Wireshark and tshark decrypt IKE and
// ESP and check ESP's ICVs.
#include "command.h"

#include <ostream>

#include "cli_args.h"
#include "control_socket.h"
#include "manual_sas.h"
#include "wireshark_export.h"

namespace picsec::tools {
namespace {

// Keys of a running daemon: "ikev1 <record>", "ikev2 <record>" and "esp <record>" lines.
int export_from_daemon(const std::string& socket, const std::string& dir, std::ostream& out, std::ostream& err) {
    int code = 0;
    std::string text;
    if (!control_request(socket, {"export", "wireshark"}, code, text) || code != 0) {
        err << "picsec: " << text << (text.ends_with('\n') ? "" : "\n");
        return k_exit_failed;
    }
    std::vector<IkeV1KeyRecord> ike;
    std::string esp_text, ikev2_text;
    std::size_t ikev2_count = 0;
    for (std::size_t at = 0; at < text.size();) {
        const auto nl = text.find('\n', at);
        const std::string line = text.substr(at, nl == std::string::npos ? std::string::npos : nl - at);
        at = nl == std::string::npos ? text.size() : nl + 1;
        if (line.starts_with("esp ")) esp_text += line.substr(4) + "\n";
        if (line.starts_with("ikev2 ")) {
            ikev2_text += line.substr(6) + "\n";
            ++ikev2_count;
        }
        // cookie,key: both bare hex.
        if (line.starts_with("ikev1 "))
            if (const auto comma = line.find(','); comma != std::string::npos)
                ike.push_back({line.substr(6, comma - 6), line.substr(comma + 1)});
    }
    // The ESP records come already rendered by the daemon; they are written
    // with the rest, owner-only from the first byte.
    if (auto e = write_wireshark_config_lines(dir, esp_text, ike, ikev2_text); !e.empty()) {
        err << "picsec: " << e << "\n";
        return k_exit_failed;
    }
    out << "wrote " << dir << "/ikev1_decryption_table (" << ike.size() << " IKEv1 SAs), " << dir
        << "/ikev2_decryption_table (" << ikev2_count << " IKEv2 SAs), " << dir << "/esp_sa and " << dir
        << "/preferences\n"
        << "use: WIRESHARK_CONFIG_DIR=" << dir << " tshark -r FILE.pcap\n";
    return k_exit_ok;
}

int run_export(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    const ParsedArgs p = parse_args(args, {"-c", "--out", "--socket"}, {});
    const bool one_source = p.get("-c").has_value() != p.get("--socket").has_value();
    if (!p.error.empty() || !p.positional.empty() || !one_source || !p.get("--out")) {
        std::string why = p.error;
        if (why.empty()) why = p.positional.empty() ? "needs --out DIR and one of -c FILE or --socket PATH" : "unexpected argument '" + p.positional[0] + "'";
        err << "picsec export wireshark: " << why << "\n"
            << "usage: picsec export wireshark (-c FILE | --socket PATH) --out DIR\n";
        return k_exit_usage;
    }
    if (p.get("--socket")) return export_from_daemon(*p.get("--socket"), *p.get("--out"), out, err);
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

const CommandRegistrar k_export{{{"export", "wireshark"}, "(-c FILE | --socket PATH) --out DIR",
                                 "write Wireshark's key tables: manual SAs (-c) or a running daemon's IKE and IPsec SAs",
                                 run_export}};

}  // namespace
}  // namespace picsec::tools
