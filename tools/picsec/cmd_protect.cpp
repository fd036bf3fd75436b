// `picsec protect` and `picsec unprotect`: apply a configured manual SA to
// every IPv4 packet of a pcap (outbound side), or verify and remove it
// (inbound side), reporting per packet what was accepted or dropped.
#include "command.h"

#include <botan/auto_rng.h>

#include <filesystem>
#include <ostream>

#include "capture_ipsec.h"
#include "cli_args.h"
#include "manual_sas.h"
#include "pcap.h"

namespace picsec::tools {
namespace {

constexpr std::string_view k_usage = "-c FILE --sa NAME --in IN.pcap --out OUT.pcap";

struct Setup {
    sadb::Sadb db;
    PcapFile input;
    std::string out_path;
    std::string sa_name;
};

/// Parses the arguments, loads the config, installs the SA and reads the
/// input capture; on failure prints why and sets `exit_code`.
std::optional<Setup> prepare(const char* verb, const std::vector<std::string>& args, std::ostream& err,
                             int& exit_code) {
    const ParsedArgs p = parse_args(args, {"-c", "--sa", "--in", "--out"}, {});
    std::string why = p.error;
    if (why.empty() && !p.positional.empty()) why = "unexpected argument '" + p.positional[0] + "'";
    if (why.empty() && (!p.get("-c") || !p.get("--sa") || !p.get("--in") || !p.get("--out")))
        why = "needs -c, --sa, --in and --out";
    if (!why.empty()) {
        err << "picsec " << verb << ": " << why << "\nusage: picsec " << verb << " " << k_usage << "\n";
        exit_code = k_exit_usage;
        return std::nullopt;
    }
    exit_code = k_exit_failed;
    // The output is checked before any work: it must not be the input, and
    // its directory must exist (a failure at the end would lose the run).
    std::error_code ec;
    const std::filesystem::path in_path = *p.get("--in"), out_path = *p.get("--out");
    if (std::filesystem::exists(out_path, ec) && std::filesystem::equivalent(in_path, out_path, ec)) {
        err << "picsec " << verb << ": --out " << out_path.string() << " is the input file; give another\n";
        exit_code = k_exit_usage;
        return std::nullopt;
    }
    const auto dir = out_path.has_parent_path() ? out_path.parent_path() : std::filesystem::path(".");
    if (!std::filesystem::is_directory(dir, ec)) {
        err << "picsec: --out " << out_path.string() << ": directory " << dir.string() << " does not exist\n";
        return std::nullopt;
    }
    if (std::filesystem::is_directory(out_path, ec)) {
        err << "picsec: --out " << out_path.string() << ": is a directory\n";
        return std::nullopt;
    }
    const auto model = load_checked_config(*p.get("-c"), err);
    if (!model) return std::nullopt;
    const std::string name = *p.get("--sa");
    const auto sas = manual_sas(*model, name);
    if (sas.empty()) {
        err << "picsec: security-association " << name << ": no manual SA with this name in " << *p.get("-c")
            << "\n";
        return std::nullopt;
    }
    std::string error;
    auto db = install(sas, error);
    if (!db) {
        err << "picsec: " << error << "\n";
        return std::nullopt;
    }
    auto in = read_pcap(*p.get("--in"));
    if (!in.file) {
        err << "picsec: " << in.error << "\n";
        return std::nullopt;
    }
    return Setup{std::move(*db), std::move(*in.file), *p.get("--out"), name};
}

int finish(const char* verb, const CaptureResult& r, const std::string& out_path, std::ostream& out,
           std::ostream& err) {
    for (const auto& f : r.frames) out << f.line() << "\n";
    out << r.summary(verb) << "\n";
    if (auto e = write_pcap(out_path, r.output); !e.empty()) {
        err << "picsec: " << e << "\n";
        return k_exit_failed;
    }
    return r.dropped == 0 ? k_exit_ok : k_exit_failed;
}

int run_protect(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    int code = k_exit_failed;
    auto s = prepare("protect", args, err, code);
    if (!s) return code;
    const auto id = s->db.find_outbound(s->sa_name);
    if (!id) {
        err << "picsec: security-association " << s->sa_name
            << ": has no outbound or bidirectional direction to protect with\n";
        return k_exit_failed;
    }
    Botan::AutoSeeded_RNG rng;  // RFC 4303 2.3: IVs must be unpredictable
    return finish("protected", protect_capture(s->db, *id, s->input, rng), s->out_path, out, err);
}

int run_unprotect(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    int code = k_exit_failed;
    auto s = prepare("unprotect", args, err, code);
    if (!s) return code;
    return finish("accepted", unprotect_capture(s->db, s->input), s->out_path, out, err);
}

const CommandRegistrar k_protect{{{"protect"}, k_usage,
                                  "protect each IPv4 packet of a pcap with a manual SA's outbound side", run_protect}};
const CommandRegistrar k_unprotect{
    {{"unprotect"}, k_usage, "verify and remove a manual SA's IPsec from each packet of a pcap", run_unprotect}};

}  // namespace
}  // namespace picsec::tools
