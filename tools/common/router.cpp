// The daemon's router: PICs, SADB, engine host and control commands.
#include "router.h"

#include <cstdio>

#include "manual_sas.h"
#include "show_ike.h"
#include "show_ipsec.h"
#include "wireshark_export.h"

#include <botan/hex.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <stdexcept>

namespace picsec::tools {
namespace {

struct ShowArgs {
    ShowLevel level = ShowLevel::Standard;
    std::optional<std::string> filter;
    bool json = false;
    std::string error;
};

ShowArgs parse_show(const std::vector<std::string>& args, std::size_t from) {
    ShowArgs s;
    for (std::size_t i = from; i < args.size(); ++i) {
        const auto& a = args[i];
        if (a == "brief") s.level = ShowLevel::Brief;
        else if (a == "detail") s.level = ShowLevel::Detail;
        else if (a == "--json") s.json = true;
        else if (!s.filter) s.filter = a;
        else s.error = "unexpected argument '" + a + "'";
    }
    return s;
}

bool starts(const std::vector<std::string>& args, std::initializer_list<std::string_view> words) {
    if (args.size() < words.size()) return false;
    std::size_t i = 0;
    for (auto w : words)
        if (args[i++] != w) return false;
    return true;
}

// Per tick: CPU microseconds of the engine's and the SADB's tick (this
// thread's CPU time, not wall time), summed, mean, latest and largest.
std::string format_statistics(const EngineHost::TickStatistics& t, std::size_t sadb_records) {
    const auto us = [](std::uint64_t ns) { return std::to_string(ns / 1000) + "." + std::to_string(ns / 100 % 10); };
    const auto line = [&](const char* what, std::uint64_t sum, std::uint64_t last, std::uint64_t max) {
        return std::string(what) + ": total " + us(sum) + " us, mean " + us(t.ticks ? sum / t.ticks : 0) + " us, last " +
               us(last) + " us, max " + us(max) + " us\n";
    };
    return "ticks: " + std::to_string(t.ticks) + "\n" + line("engine tick CPU", t.engine_ns, t.last_engine_ns, t.max_engine_ns) +
           line("SADB tick CPU", t.sadb_ns, t.last_sadb_ns, t.max_sadb_ns) +
           "SADB records: " + std::to_string(sadb_records) + "\n";
}

}  // namespace

Router::Router(boost::asio::io_context& io, const config::Model& model, RouterOptions options)
    : m_options(std::move(options)),
      m_plan(plan_daemon(model, m_options.local, m_options.ike_port, m_options.nat_t_port)),
      m_chassis(model.platform.value), m_log_keys(m_options.log_keys) {
    if (!m_plan.problems.empty()) throw std::runtime_error(m_plan.problems.front());
    if (m_plan.engine.local.address == ike::Ipv4Address{} && !m_plan.engine.ipsec_policies.empty())
        throw std::runtime_error("no local address: give --local or an es- or ms- interface with a tunnel source");
    m_manual = manual_sas(model);
    for (const auto& sa : m_manual) {
        auto added = m_sadb.add(sa.spec);
        if (!added) throw std::runtime_error("manual SA " + sa.spec.name + ": " + added.error().message);
    }
    // Every es- interface is an ES PIC and every ms- interface a services
    // PIC; SAs with no PIC of their own (transport mode) land on the first
    // one, or on es-0/0/0.
    for (const auto& itf : model.interfaces)
        if (itf.pic) m_chassis.add_pic(*itf.pic);
    if (m_chassis.pics().empty()) m_chassis.add_pic(pic::PicName{0, 0, 0});
    std::vector<pic::PicName> names;
    for (const auto& entry : m_chassis.pics()) names.push_back(entry.first);
    for (const auto& name : names) {
        m_installers.emplace_back(*m_chassis.find(name), m_sadb);
        m_by_pic[name] = &m_installers.back();
    }
    std::string unused;
    auto by_name = installers_for(m_plan, unused);

    apply_options(m_plan.engine);
    m_host = std::make_unique<EngineHost>(io, m_plan.engine, m_installers.front(), std::move(by_name));

    for (const auto& itf : model.interfaces)
        for (const auto& unit : itf.units)
            for (const auto& a : unit.addresses) m_inner_addresses.push_back(a.address.to_uint());
    m_host->on_inner_packet = [this](const sadb::Unprotected& inner) { answer_inner(inner); };
    m_host->on_drop = [this, logger = m_options.logger](const std::string& why) {
        ++m_traffic.drops;
        if (logger) logger->info("IPsec packet dropped: {}", why);
    };
}

void Router::apply_options(ike::EngineConfig& engine) const {
    engine.force_nat_t = m_options.force_nat_t;
    engine.log_keys = m_options.log_keys;
    engine.cookie_threshold = m_options.cookie_threshold;
    engine.fragment_size = m_options.fragment_size;
    engine.timers.dpd_interval_ms = std::uint64_t{m_options.dpd_interval_seconds} * 1000;
    if (m_options.max_ike_sas) engine.max_ike_sas = *m_options.max_ike_sas;
    engine.logger = m_options.logger;
    for (auto& p : engine.ipsec_policies) p.initiate_on_start = m_options.initiate;
}

std::map<std::string, pic::SaInstaller*> Router::installers_for(const DaemonPlan& plan, std::string& error) {
    std::map<std::string, pic::SaInstaller*> by_name;
    for (const auto& [sa, pic_name] : plan.sa_pics) {
        const pic::PicName key{pic_name.fpc, pic_name.pic, 0, pic_name.kind};
        if (auto it = m_by_pic.find(key); it != m_by_pic.end()) by_name[sa] = it->second;
        else if (error.empty()) error = "security-association " + sa + ": " + pic::to_string(key) + " is not in the running chassis (adding a PIC needs a restart)";
    }
    return by_name;
}

void Router::answer_inner(const sadb::Unprotected& inner) {
    ++m_traffic.inner_packets;
    const auto& p = inner.packet;
    if (p.size() < 28 || (p[0] >> 4) != 4 || p[9] != 1) return;
    const std::size_t ihl = std::size_t(p[0] & 0x0f) * 4;
    if (ihl < 20 || p.size() < ihl + 8 || p[ihl] != 8) return;  // ICMP echo request only
    const std::uint32_t dst = std::uint32_t(p[16]) << 24 | std::uint32_t(p[17]) << 16 | std::uint32_t(p[18]) << 8 | p[19];
    if (std::find(m_inner_addresses.begin(), m_inner_addresses.end(), dst) == m_inner_addresses.end()) return;
    const auto* sa = m_sadb.get(inner.sa);
    if (!sa) return;
    // The reply: addresses swapped, type 0, ICMP checksum adjusted for the
    // type change (RFC 1624: the type is the high byte of the first word).
    std::vector<std::uint8_t> reply(p.begin(), p.end());
    for (int i = 0; i < 4; ++i) std::swap(reply[12 + i], reply[16 + i]);
    reply[ihl] = 0;
    std::uint32_t sum = std::uint32_t(reply[ihl + 2] << 8 | reply[ihl + 3]) + 0x0800;
    sum = (sum & 0xffff) + (sum >> 16);
    reply[ihl + 2] = static_cast<std::uint8_t>(sum >> 8);
    reply[ihl + 3] = static_cast<std::uint8_t>(sum);
    if (m_host->send_protected(sa->spec.name, reply).empty()) ++m_traffic.echo_replies;
}

ControlReply Router::control(const std::vector<std::string>& args) {
    auto& engine = m_host->engine();
    if (starts(args, {"show", "ike", "security-associations"})) {
        auto s = parse_show(args, 3);
        if (!s.error.empty()) return {2, s.error + "\n"};
        const auto sas = engine.ike_security_associations();
        if (s.filter && std::none_of(sas.begin(), sas.end(), [&](const auto& sa) { return sa.peer.address.to_string() == *s.filter; }))
            return {1, "no IKE security association with peer " + *s.filter + "\n"};
        return {0, show_ike_security_associations(sas, s.level, s.filter, s.json)};
    }
    if (starts(args, {"show", "ipsec", "security-associations"})) {
        auto s = parse_show(args, 3);
        if (!s.error.empty()) return {2, s.error + "\n"};
        std::vector<sadb::SaState> shown;
        for (auto& st : states(m_sadb))
            if (!s.filter || st.spec.name == *s.filter) shown.push_back(std::move(st));
        if (s.filter && shown.empty()) return {1, "no IPsec security association named " + *s.filter + "\n"};
        return {0, s.json ? ipsec_sas_json(shown, m_sadb.now()) : format_ipsec_sas(shown, s.level, m_sadb.now())};
    }
    if (starts(args, {"show", "engine", "statistics"})) {
        if (args.size() > 3) return {2, "unexpected argument '" + args[3] + "'\n"};
        return {0, format_statistics(m_host->tick_statistics(), m_sadb.size())};
    }
    if (starts(args, {"clear", "ike", "security-associations"})) {
        if (args.size() > 4) return {2, "unexpected argument '" + args[4] + "'\n"};
        if (args.size() > 3 && !ike::Ipv4Address::parse(args[3])) return {2, args[3] + ": not an IPv4 address\n"};
        std::size_t cleared = 0;
        for (const auto& sa : engine.ike_security_associations()) {
            if (args.size() > 3 && sa.peer.address.to_string() != args[3]) continue;
            engine.clear_ike(sa.peer.address);
            ++cleared;
        }
        if (args.size() > 3 && cleared == 0) return {1, "no IKE security association with peer " + args[3] + "\n"};
        return {0, "cleared " + std::to_string(cleared) + " IKE security associations\n"};
    }
    if (starts(args, {"clear", "ipsec", "security-associations"})) {
        if (args.size() > 4) return {2, "unexpected argument '" + args[4] + "'\n"};
        const std::string name = args.size() > 3 ? args[3] : std::string{};
        std::size_t matching = 0;
        for (const auto& sa : engine.ipsec_security_associations())
            if (name.empty() || sa.name == name) ++matching;
        if (!name.empty() && matching == 0) return {1, "no dynamic IPsec security association named " + name + "\n"};
        engine.clear_ipsec(name);
        return {0, "cleared " + std::to_string(matching) + " IPsec security associations\n"};
    }
    if (starts(args, {"request", "ipsec", "initiate"}) && args.size() == 4) {
        // Up already: say so, and add no second pair.
        for (const auto& sa : engine.ipsec_security_associations())
            if (sa.name == args[3]) {
                char spis[64];
                std::snprintf(spis, sizeof spis, "SPI in 0x%08x out 0x%08x", sa.inbound_spi, sa.outbound_spi);
                return {0, "ipsec SA " + args[3] + " is already up (" + spis + ")\n"};
            }
        m_host->expect_outcome(args[3]);
        if (!engine.initiate(args[3])) return {1, "no dynamic security-association " + args[3] + "\n"};
        return {0, "initiating " + args[3] + "\n"};
    }
    if (starts(args, {"request", "ipsec", "outcome"}) && args.size() == 4) {
        // Polled by `request ipsec initiate`: 0 up, 1 failed, 3 still negotiating.
        const auto* o = m_host->outcome(args[3]);
        if (!o) return {1, "no negotiation of " + args[3] + " was requested\n"};
        switch (o->state) {
        case EngineHost::SaOutcome::State::Up: return {0, "ipsec SA " + args[3] + " is up (" + o->detail + ")\n"};
        case EngineHost::SaOutcome::State::Failed: return {1, o->detail + "\n"};
        case EngineHost::SaOutcome::State::Pending: return {3, "ipsec SA " + args[3] + " is still negotiating\n"};
        }
    }
    if (starts(args, {"commit"})) {
        if (args.size() != 2) return {2, "usage: commit PATH\n"};
        return commit(args[1]);
    }
    if (starts(args, {"export", "wireshark"})) {
        // One "ikev1 <record>" or "ikev2 <record>" line per IKE SA and one
        // "esp <record>" line per ESP SA (manual and dynamic); key material,
        // so only on request.
        if (!m_log_keys) return {1, "key export is off: start picsec run with --log-keys\n"};
        std::string out;
        for (const auto& k : engine.export_ike_keys()) {
            switch (k.version) {
                case ike::IkeVersion::V1:
                    out += "ikev1 " + IkeV1KeyRecord{ike::to_hex(k.initiator_cookie), Botan::hex_encode(k.encryption_key, false)}.to_uat() + "\n";
                    break;
                case ike::IkeVersion::V2: {
                    const auto encr = wireshark_ikev2_name(k.encryption);
                    if (!encr) break;  // Wireshark cannot decrypt it
                    const auto hex = [](const auto& v) { return Botan::hex_encode(v, false); };
                    const IkeV2KeyRecord r{ike::to_hex(k.initiator_cookie), ike::to_hex(k.responder_cookie),
                                           hex(k.sk_ei), hex(k.sk_er), std::string(*encr), hex(k.sk_ai), hex(k.sk_ar),
                                           std::string(wireshark_ikev2_name(k.integrity))};
                    out += "ikev2 " + r.to_uat() + "\n";
                    break;
                }
            }
        }
        for (const auto& st : states(m_sadb)) {
            const auto& spec = st.spec;
            const EspEndpoints ends{spec.local_address, spec.local_address != 0, spec.peer_address, spec.peer_address != 0};
            for (const auto& r : esp_sa_records(spec, ends)) out += "esp " + r.to_uat() + "\n";
        }
        return {0, out};
    }
    std::string joined;
    for (const auto& a : args) joined += (joined.empty() ? "" : " ") + a;
    return {2, "unknown control command '" + joined + "'\n"};
}

}  // namespace picsec::tools
