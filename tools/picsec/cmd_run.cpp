// `picsec run`: the daemon. Runs the IKE engine on UDP sockets, with the
// configured manual SAs installed and a control socket for show/clear.
#include "cli_args.h"
#include "command.h"
#include "control_socket.h"
#include "manual_sas.h"
#include "router.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <ostream>
#include <thread>

namespace picsec::tools {
namespace {

struct RunArgs {
    std::string config;
    std::string socket = k_default_control_socket;
    RouterOptions options;
    std::string log_level = "info";
};

// Sets `port` from `text` (1..65535); false when it is not a port.
bool port_option(const std::string& text, std::uint16_t& port) {
    const auto p = parse_port(text);
    if (p) port = *p;
    return p.has_value();
}

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    RunArgs a;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const auto& k = args[i];
        const bool has_value = i + 1 < args.size();
        if (k == "-c" && has_value) a.config = args[++i];
        else if (k == "--port" && has_value) {
            if (!port_option(args[++i], a.options.ike_port)) return err << "picsec run: --port " << args[i] << ": not a port (1-65535)\n", k_exit_usage;
        } else if (k == "--nat-t-port" && has_value) {
            if (!port_option(args[++i], a.options.nat_t_port)) return err << "picsec run: --nat-t-port " << args[i] << ": not a port (1-65535)\n", k_exit_usage;
        } else if (k == "--local" && has_value) {
            a.options.local = ike::Ipv4Address::parse(args[++i]);
            if (!a.options.local) return err << "picsec run: bad --local address " << args[i] << '\n', k_exit_usage;
        } else if (k == "--socket" && has_value) a.socket = args[++i];
        else if (k == "--log-level" && has_value) a.log_level = args[++i];
        else if (k == "--cookie-threshold" && has_value) {
            const auto n = parse_number(args[++i], 0, 1000000);
            if (!n) return err << "picsec run: --cookie-threshold " << args[i] << ": not a number (0-1000000)\n", k_exit_usage;
            a.options.cookie_threshold = static_cast<std::size_t>(*n);
        } else if (k == "--fragment-size" && has_value) {
            // RFC 7383 2.5.1: 576 is the IPv4 datagram every host takes; 0 turns sending fragments off.
            const auto n = parse_number(args[++i], 0, 65535);
            if (!n || (*n != 0 && *n < 576)) return err << "picsec run: --fragment-size " << args[i] << ": not 0 or a datagram size (576-65535)\n", k_exit_usage;
            a.options.fragment_size = static_cast<std::size_t>(*n);
        } else if (k == "--dpd-interval" && has_value) {
            const auto n = parse_number(args[++i], 0, 86400);
            if (!n) return err << "picsec run: --dpd-interval " << args[i] << ": not a number of seconds (0-86400)\n", k_exit_usage;
            a.options.dpd_interval_seconds = static_cast<unsigned>(*n);
        } else if (k == "--max-ike-sas" && has_value) {
            const auto n = parse_number(args[++i], 1, 1000000);
            if (!n) return err << "picsec run: --max-ike-sas " << args[i] << ": not a number (1-1000000)\n", k_exit_usage;
            a.options.max_ike_sas = static_cast<std::size_t>(*n);
        } else if (k == "--log-keys") a.options.log_keys = true;
        else if (k == "--force-nat-t") a.options.force_nat_t = true;
        else if (k == "--passive") a.options.initiate = false;
        else return err << "picsec run: unexpected argument '" << k << "'\n", k_exit_usage;
    }
    if (a.config.empty()) return err << "usage: picsec run -c FILE " << "[--port N] [--nat-t-port N] [--local ADDR] [--socket PATH] [--passive] [--force-nat-t] [--cookie-threshold N] [--fragment-size BYTES] [--dpd-interval S] [--max-ike-sas N] [--log-keys] [--log-level L]\n", k_exit_usage;
    auto model = load_checked_config(a.config, err);
    if (!model) return k_exit_failed;
    std::error_code ec;
    const std::string config_path = std::filesystem::absolute(a.config, ec).string();

    auto logger = spdlog::stderr_color_mt("picsec");
    logger->set_level(spdlog::level::from_str(a.log_level));
    logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%l%$ %v");
    a.options.logger = logger;

    boost::asio::io_context io;
    Router router(io, *model, a.options);
    router.host().on_failure = [&](const std::string& why) { logger->warn("{}", why); };
    // The control socket first: a daemon already running on it is left
    // undisturbed, before any socket is bound or datagram sent.
    ControlServer control(io, a.socket, [&](const std::vector<std::string>& request) {
        auto r = router.control(request);
        return std::pair{r.exit_code, r.output};
    });
    router.start();
    // SIGHUP: take the file we started with again, as `picsec commit -c` does.
    boost::asio::signal_set hangup(io, SIGHUP);
    std::function<void()> wait_hangup = [&] {
        hangup.async_wait([&](boost::system::error_code ec, int) {
            if (ec) return;
            logger->info("SIGHUP: committing {}", config_path);
            const auto r = router.commit(config_path);
            // What changed is already logged (reconfigure: ..., commit: ...); a refusal says why here.
            std::size_t from = 0;
            for (auto nl = r.output.find('\n'); r.exit_code != 0 && nl != std::string::npos;
                 from = nl + 1, nl = r.output.find('\n', from))
                logger->warn("{}", r.output.substr(from, nl - from));
            if (r.exit_code == 0) logger->info("SIGHUP: commit complete");
            wait_hangup();
        });
    };
    wait_hangup();
    boost::asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](boost::system::error_code, int) {
        logger->info("stopping");
        router.stop();
        hangup.cancel();
        io.stop();
    });
    for (const auto& name : router.plan().unbound)
        logger->info("dynamic SA {}: not used, no es- interface or BGP neighbor names it yet", name);
    logger->info("picsec running: IKE on {}:{} and NAT-T port {}, control socket {}",
                 router.plan().engine.local.address.to_string(), a.options.ike_port, a.options.nat_t_port, a.socket);
    out.flush();
    io.run();
    return k_exit_ok;
}

const CommandRegistrar k_run{{{"run"}, "-c FILE [--port N] [--nat-t-port N] [--local ADDR] [--socket PATH] [--passive] [--force-nat-t] [--cookie-threshold N] [--fragment-size BYTES] [--dpd-interval S] [--max-ike-sas N] [--log-keys] [--log-level L]",
                              "run the IKE engine as a daemon on its UDP ports", run}};

}  // namespace

int forward_to_daemon(const std::vector<std::string>& words, const std::vector<std::string>& args, std::ostream& out,
                      std::ostream& err) {
    std::vector<std::string> request = words;
    std::string socket = k_default_control_socket;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--socket" && i + 1 < args.size()) socket = args[++i];
        else request.push_back(args[i]);
    }
    int code = 0;
    std::string text;
    if (!control_request(socket, request, code, text)) {
        err << "picsec: " << text << '\n';
        return k_exit_failed;
    }
    (code == 0 ? out : err) << text;
    return code;
}

namespace {

const CommandRegistrar k_show_ike{{{"show", "ike", "security-associations"}, "[brief|detail] [PEER] [--json] [--socket PATH]",
    "show the running daemon's IKE security associations",
    [](const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
        return forward_to_daemon({"show", "ike", "security-associations"}, args, out, err);
    }}};

const CommandRegistrar k_show_statistics{{{"show", "engine", "statistics"}, "[--socket PATH]",
    "show the CPU time the running daemon's engine and SADB ticks take",
    [](const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
        return forward_to_daemon({"show", "engine", "statistics"}, args, out, err);
    }}};

const CommandRegistrar k_clear_ike{{{"clear", "ike", "security-associations"}, "[PEER] [--socket PATH]",
    "delete IKE security associations of the running daemon (the peer is told)",
    [](const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
        return forward_to_daemon({"clear", "ike", "security-associations"}, args, out, err);
    }}};

const CommandRegistrar k_clear_ipsec{{{"clear", "ipsec", "security-associations"}, "[SA] [--socket PATH]",
    "delete dynamic IPsec security associations of the running daemon (the peer is told)",
    [](const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
        return forward_to_daemon({"clear", "ipsec", "security-associations"}, args, out, err);
    }}};

// `request ipsec initiate SA`: asks the daemon to negotiate, then polls the
// outcome until phase 2 is up or failed, or --wait seconds have passed.
int initiate(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    const ParsedArgs p = parse_args(args, {"--socket", "--wait"}, {"--no-wait"});
    if (!p.error.empty() || p.positional.size() != 1)
        return err << "usage: picsec request ipsec initiate SA [--wait SECONDS | --no-wait] [--socket PATH]\n",
               k_exit_usage;
    std::optional<unsigned long> wait = 40;  // phase 1 gives up after about 32 s of retransmissions
    if (const auto w = p.get("--wait")) {
        wait = parse_number(*w, 1, 3600);
        if (!wait) return err << "picsec: --wait " << *w << ": not a number of seconds (1-3600)\n", k_exit_usage;
    }
    const auto& sa = p.positional.front();
    const std::string socket = p.get("--socket").value_or(k_default_control_socket);
    int code = 0;
    std::string text;
    if (!control_request(socket, {"request", "ipsec", "initiate", sa}, code, text))
        return err << "picsec: " << text << '\n', k_exit_failed;
    if (code != 0 || p.has("--no-wait") || text.find("already up") != std::string::npos)
        return (code == 0 ? out : err) << text, code;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(*wait);
    while (true) {
        if (!control_request(socket, {"request", "ipsec", "outcome", sa}, code, text))
            return err << "picsec: " << text << '\n', k_exit_failed;
        if (code != 3) return (code == 0 ? out : err) << text, code == 0 ? k_exit_ok : k_exit_failed;
        if (std::chrono::steady_clock::now() >= deadline) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    err << "picsec: ipsec SA " << sa << " still negotiating after " << *wait << " s\n";
    return k_exit_failed;
}

const CommandRegistrar k_initiate{{{"request", "ipsec", "initiate"}, "SA [--wait SECONDS | --no-wait] [--socket PATH]",
    "make the running daemon negotiate the dynamic SA now and report the outcome", initiate}};

}  // namespace
}  // namespace picsec::tools
