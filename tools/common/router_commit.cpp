// `commit` on the running daemon: the new configuration is checked, planned
// and handed to the engine (ike::Engine::reconfigure()); manual SAs that
// changed are replaced in the SADB.
#include "router.h"

#include <botan/mem_ops.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>
#include <sstream>

namespace picsec::tools {
namespace {

bool same_key(const Botan::secure_vector<std::uint8_t>& a, const Botan::secure_vector<std::uint8_t>& b) {
    return a.size() == b.size() && Botan::constant_time_compare(a.data(), b.data(), a.size());
}

bool same_lifetime(const sadb::Lifetime& a, const sadb::Lifetime& b) {
    return a.soft_seconds == b.soft_seconds && a.hard_seconds == b.hard_seconds && a.soft_bytes == b.soft_bytes &&
           a.hard_bytes == b.hard_bytes;
}

bool same_udp(const std::optional<sadb::UdpEncapsulation>& a, const std::optional<sadb::UdpEncapsulation>& b) {
    if (!a || !b) return a.has_value() == b.has_value();
    return a->source_port == b->source_port && a->destination_port == b->destination_port &&
           a->peer_original_address == b->peer_original_address && a->local_original_address == b->local_original_address;
}

bool same_spec(const sadb::SaSpec& a, const sadb::SaSpec& b) {
    return a.name == b.name && a.spi == b.spi && a.auxiliary_spi == b.auxiliary_spi && a.protocol == b.protocol &&
           a.direction == b.direction && a.mode == b.mode && a.encryption == b.encryption &&
           same_key(a.encryption_key, b.encryption_key) && a.authentication == b.authentication &&
           same_key(a.authentication_key, b.authentication_key) && a.local_address == b.local_address &&
           a.peer_address == b.peer_address && a.replay_window == b.replay_window &&
           same_lifetime(a.lifetime, b.lifetime) && same_udp(a.udp_encapsulation, b.udp_encapsulation);
}

// The specs of each manual SA, by name (one per direction block).
std::map<std::string, std::vector<const sadb::SaSpec*>> by_name(const std::vector<ManualSa>& sas) {
    std::map<std::string, std::vector<const sadb::SaSpec*>> out;
    for (const auto& sa : sas) out[sa.spec.name].push_back(&sa.spec);
    return out;
}

bool same_specs(const std::vector<const sadb::SaSpec*>& a, const std::vector<const sadb::SaSpec*>& b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](auto* x, auto* y) { return same_spec(*x, *y); });
}

}  // namespace

std::vector<std::string> Router::commit_manual_sas(std::vector<ManualSa> next) {
    std::vector<std::string> lines;
    const auto old = by_name(m_manual);
    const auto now = by_name(next);
    std::set<std::string> names;
    for (const auto& [n, specs] : old) names.insert(n);
    for (const auto& [n, specs] : now) names.insert(n);
    std::size_t unchanged = 0;
    for (const auto& name : names) {
        const auto o = old.find(name);
        const auto n = now.find(name);
        if (o != old.end() && n != now.end() && same_specs(o->second, n->second)) {
            ++unchanged;
            continue;
        }
        // Replaced whole: a changed key or SPI starts a new SA (counters and
        // replay window from zero), as on a JUNOS commit.
        for (const auto id : m_sadb.find_by_name(name))
            if (const auto* st = m_sadb.get(id); st && !st->spec.dynamic) m_sadb.remove(id);
        std::string failed;
        if (n != now.end())
            for (const auto* spec : n->second)
                if (auto added = m_sadb.add(*spec); !added && failed.empty()) failed = added.error().message;
        const char* what = o == old.end() ? "added" : n == now.end() ? "removed" : "replaced";
        lines.push_back("manual security-association " + name + ": " + what + (failed.empty() ? "" : ", not installed: " + failed));
    }
    if (!names.empty()) lines.push_back("unchanged: " + std::to_string(unchanged) + " manual security-associations");
    m_manual = std::move(next);
    return lines;
}

ControlReply Router::commit(const std::string& path) {
    std::ostringstream diagnostics;
    const auto model = load_checked_config(path, diagnostics);
    if (!model) return {1, diagnostics.str() + "commit failed: " + path + ": configuration check failed, nothing changed\n"};
    auto plan = plan_daemon(*model, m_options.local, m_options.ike_port, m_options.nat_t_port);
    if (!plan.problems.empty()) {
        std::string out = diagnostics.str();
        for (const auto& p : plan.problems) out += p + "\n";
        return {1, out + "commit failed: " + path + ": nothing changed\n"};
    }
    apply_options(plan.engine);
    std::string missing;
    auto installers = installers_for(plan, missing);
    if (!missing.empty()) return {1, diagnostics.str() + "commit failed: " + missing + "; nothing changed\n"};
    auto diff = m_host->reconfigure(plan.engine, std::move(installers));
    if (diff.refused) return {1, "commit failed: " + *diff.refused + "; nothing changed\n"};
    std::string out = diagnostics.str();
    for (const auto& line : diff.lines()) out += line + "\n";
    // The engine logs its own changes (reconfigure: ...); the SADB's are logged here.
    for (const auto& line : commit_manual_sas(manual_sas(*model))) {
        if (m_options.logger) m_options.logger->info("commit: {}", line);
        out += line + "\n";
    }
    m_plan = std::move(plan);
    return {0, out + "commit complete\n"};
}

}  // namespace picsec::tools
