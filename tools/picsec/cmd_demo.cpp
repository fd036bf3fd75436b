// `picsec demo`: two routers on loopback negotiate Main Mode + Quick Mode
// with PFS from an embedded configuration, install dynamic SAs with a
// 64-packet replay window into their ES PIC models, pass ESP packets both
// ways, and print both sides' `show` output.
#include "cli_args.h"
#include "command.h"
#include "pcap.h"
#include "picsec/config/load.h"
#include "router.h"
#include "show_ike.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <botan/auto_rng.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <ostream>

namespace picsec::tools {
namespace {

// Router A's configuration; router B's is the same with the addresses and
// inner networks swapped (see demo_config()).
constexpr const char* k_demo_template = R"(/* picsec demo: router @SELF@ */
security {
    ike {
        proposal demo-ike {
            authentication-method pre-shared-keys;
            dh-group group2;
            authentication-algorithm sha1;
            encryption-algorithm 3des-cbc;
            lifetime-seconds 3600;
        }
        policy @PEER@ {
            mode main;
            proposals demo-ike;
            pre-shared-key ascii-text "picsec-demo-pre-shared-key";
        }
    }
    ipsec {
        proposal demo-esp {
            protocol esp;
            authentication-algorithm hmac-sha1-96;
            encryption-algorithm 3des-cbc;
            lifetime-seconds 28800;
        }
        policy demo-pfs {
            perfect-forward-secrecy {
                keys group2;
            }
            proposals demo-esp;
        }
        security-association sa-demo {
            mode tunnel;
            dynamic {
                ipsec-policy demo-pfs;
                replay-window-size 64;
            }
        }
    }
}
interfaces {
    es-0/0/0 {
        unit 0 {
            tunnel {
                source @SELF@;
                destination @PEER@;
            }
            family inet {
                ipsec-sa sa-demo;
                address @INNER_SELF@/32 {
                    destination @INNER_PEER@;
                }
            }
        }
    }
}
)";

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
    for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
    return s;
}

std::string demo_config(bool a) {
    std::string s = k_demo_template;
    s = replace_all(s, "@SELF@", a ? "127.0.0.1" : "127.0.0.2");
    s = replace_all(s, "@PEER@", a ? "127.0.0.2" : "127.0.0.1");
    s = replace_all(s, "@INNER_SELF@", a ? "10.0.1.1" : "10.0.2.1");
    return replace_all(s, "@INNER_PEER@", a ? "10.0.2.1" : "10.0.1.1");
}

// An ICMP echo request or reply between the inner addresses.
std::vector<std::uint8_t> icmp_echo(std::uint32_t src, std::uint32_t dst, bool reply, std::uint16_t seq) {
    std::vector<std::uint8_t> p(20 + 8 + 32);
    p[0] = 0x45;
    p[2] = 0;
    p[3] = static_cast<std::uint8_t>(p.size());
    p[8] = 64;
    p[9] = 1;
    for (int i = 0; i < 4; ++i) {
        p[12 + i] = static_cast<std::uint8_t>(src >> (24 - 8 * i));
        p[16 + i] = static_cast<std::uint8_t>(dst >> (24 - 8 * i));
    }
    auto sum = [](const std::uint8_t* d, std::size_t n) {
        std::uint32_t s = 0;
        for (std::size_t i = 0; i + 1 < n; i += 2) s += std::uint32_t(d[i] << 8 | d[i + 1]);
        while (s >> 16) s = (s & 0xffff) + (s >> 16);
        return static_cast<std::uint16_t>(~s);
    };
    auto c = sum(p.data(), 20);
    p[10] = static_cast<std::uint8_t>(c >> 8);
    p[11] = static_cast<std::uint8_t>(c);
    p[20] = reply ? 0 : 8;
    p[24] = 0x70;
    p[25] = 0x63;
    p[26] = static_cast<std::uint8_t>(seq >> 8);
    p[27] = static_cast<std::uint8_t>(seq);
    for (std::size_t i = 28; i < p.size(); ++i) p[i] = static_cast<std::uint8_t>('a' + (i - 28) % 26);
    c = sum(p.data() + 20, p.size() - 20);
    p[22] = static_cast<std::uint8_t>(c >> 8);
    p[23] = static_cast<std::uint8_t>(c);
    return p;
}

std::string spi_of(const std::vector<std::uint8_t>& esp_packet) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%02x%02x%02x%02x", esp_packet[20], esp_packet[21], esp_packet[22], esp_packet[23]);
    return buf;
}

int demo(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    std::uint16_t port = 10500;
    std::string pcap_path;
    std::string log_level = "warn";
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--port" && i + 1 < args.size()) {
            // Both the IKE port and the one above it (NAT-T) must be ports.
            const auto p = parse_number(args[++i], 1, 65534);
            if (!p) return err << "picsec demo: --port " << args[i] << ": not a port (1-65534)\n", k_exit_usage;
            port = static_cast<std::uint16_t>(*p);
        }
        else if (args[i] == "--pcap" && i + 1 < args.size()) pcap_path = args[++i];
        else if (args[i] == "--log-level" && i + 1 < args.size()) log_level = args[++i];
        else return err << "usage: picsec demo [--port N] [--pcap FILE] [--log-level L]\n", k_exit_usage;
    }
    auto logger = spdlog::stderr_color_mt("demo");
    logger->set_level(spdlog::level::from_str(log_level));

    boost::asio::io_context io;
    std::vector<std::unique_ptr<Router>> routers;
    const char* names[2] = {"A", "B"};
    for (int i = 0; i < 2; ++i) {
        auto loaded = config::check_string(demo_config(i == 0), std::string("demo-") + names[i] + ".conf");
        if (!loaded.ok()) {
            err << config::format(loaded.diagnostics);
            return k_exit_failed;
        }
        RouterOptions o;
        o.ike_port = port;
        o.nat_t_port = static_cast<std::uint16_t>(port + 1);
        o.initiate = i == 0;  // A initiates, B responds
        o.logger = logger;
        routers.push_back(std::make_unique<Router>(io, loaded.model, o));
    }
    out << "picsec demo: router A 127.0.0.1 (es-0/0/0, inner 10.0.1.1) <-> router B 127.0.0.2 (es-0/0/0, inner 10.0.2.1)\n"
        << "  IKE: Main Mode, pre-shared key, 3des-cbc/sha1/group2; Quick Mode: ESP 3des-cbc/hmac-sha1-96, PFS group2, tunnel\n\n";
    int up = 0;
    std::string failure;
    for (int i = 0; i < 2; ++i) {
        auto& host = routers[i]->host();
        host.on_phase2_up = [&, i](const ike::IpsecSaInfo& sa) {
            out << "router " << names[i] << ": IPsec SA " << sa.name << " up with " << sa.peer.address.to_string() << '\n';
            if (++up == 2) io.stop();
        };
        host.on_failure = [&, i](const std::string& why) {
            failure = std::string("router ") + names[i] + ": " + why;
            io.stop();
        };
        routers[i]->start();
    }
    boost::asio::steady_timer deadline(io, std::chrono::seconds(20));
    deadline.async_wait([&](boost::system::error_code ec) {
        if (!ec) {
            failure = "negotiation did not finish within 20 seconds";
            io.stop();
        }
    });
    io.run();
    if (up < 2) {
        err << "picsec demo: " << (failure.empty() ? "negotiation failed" : failure) << '\n';
        return k_exit_failed;
    }

    // ESP both ways through the two SADBs, then one replayed packet.
    out << "\nESP traffic (tunnel mode, protected by one router's SADB, verified by the other's):\n";
    Botan::AutoSeeded_RNG rng;
    PcapFile capture;
    capture.link_type = k_link_raw;
    const std::uint32_t inner[2] = {0x0a000101, 0x0a000201};
    std::vector<std::uint8_t> last;
    int failures = 0;
    for (std::uint16_t seq = 1; seq <= 3; ++seq) {
        for (int from = 0; from < 2; ++from) {
            const int to = 1 - from;
            auto plain = icmp_echo(inner[from], inner[to], from == 1, seq);
            auto esp = routers[from]->sadb().protect("sa-demo", plain, rng);
            if (!esp) {
                out << "  " << names[from] << ": cannot protect: " << esp.error().message << '\n';
                ++failures;
                continue;
            }
            capture.packets.push_back({static_cast<std::uint32_t>(seq), 0, {}, *esp, {}});
            auto got = routers[to]->sadb().unprotect(*esp);
            out << "  " << names[from] << " -> " << names[to] << "  ESP SPI " << spi_of(*esp) << ", " << esp->size()
                << " bytes, ICMP echo " << (from == 0 ? "request" : "reply") << " seq " << seq << ": ";
            if (got && got->packet == plain) out << "accepted, inner packet intact\n";
            else {
                out << "DROPPED (" << (got ? std::string("inner packet differs") : got.error().message) << ")\n";
                ++failures;
            }
            last = *esp;
        }
    }
    auto replayed = routers[0]->sadb().unprotect(last);
    out << "  B -> A  the last packet again (a replay): "
        << (replayed ? std::string("accepted (WRONG)") : "dropped: " + replayed.error().message) << "\n";
    if (replayed) ++failures;
    if (!pcap_path.empty()) {
        if (auto e = write_pcap(pcap_path, capture); !e.empty()) err << "picsec demo: " << e << '\n';
        else out << "  ESP packets written to " << pcap_path << '\n';
    }

    for (int i = 0; i < 2; ++i) {
        out << "\n=== router " << names[i] << ": show ike security-associations detail ===\n"
            << routers[i]->control({"show", "ike", "security-associations", "detail"}).output
            << "=== router " << names[i] << ": show ipsec security-associations detail ===\n"
            << routers[i]->control({"show", "ipsec", "security-associations", "detail"}).output;
        for (const auto& [name, p] : routers[i]->chassis().pics())
            out << "ES PIC " << p.name_string() << ": " << p.dynamic_sa_count() << " of " << p.dynamic_sa_limit()
                << " dynamic SAs in use\n";
    }
    return failures == 0 ? k_exit_ok : k_exit_failed;
}

const CommandRegistrar k_demo{{{"demo"}, "[--port N] [--pcap FILE] [--log-level L]",
                               "two routers on loopback negotiate IKE, install dynamic SAs and pass ESP", demo}};

}  // namespace
}  // namespace picsec::tools
