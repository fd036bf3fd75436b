// `picsec run`: the daemon. Runs the IKE engine on UDP sockets, with the
// configured manual SAs installed and a control socket for show/clear.
#include "command.h"
#include "control_socket.h"
#include "manual_sas.h"
#include "router.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <ostream>

namespace picsec::tools {
namespace {

struct RunArgs {
    std::string config;
    std::string socket = k_default_control_socket;
    RouterOptions options;
    std::string log_level = "info";
};

bool parse_port(const std::string& text, std::uint16_t& port) {
    try {
        const auto v = std::stoul(text);
        if (v == 0 || v > 65535) return false;
        port = static_cast<std::uint16_t>(v);
        return true;
    } catch (const std::exception&) {
        return false;
    }
}

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    RunArgs a;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const auto& k = args[i];
        const bool has_value = i + 1 < args.size();
        if (k == "-c" && has_value) a.config = args[++i];
        else if (k == "--port" && has_value) {
            if (!parse_port(args[++i], a.options.ike_port)) return err << "picsec run: bad --port " << args[i] << '\n', k_exit_usage;
        } else if (k == "--nat-t-port" && has_value) {
            if (!parse_port(args[++i], a.options.nat_t_port)) return err << "picsec run: bad --nat-t-port " << args[i] << '\n', k_exit_usage;
        } else if (k == "--local" && has_value) {
            a.options.local = ike::Ipv4Address::parse(args[++i]);
            if (!a.options.local) return err << "picsec run: bad --local address " << args[i] << '\n', k_exit_usage;
        } else if (k == "--socket" && has_value) a.socket = args[++i];
        else if (k == "--log-level" && has_value) a.log_level = args[++i];
        else if (k == "--log-keys") a.options.log_keys = true;
        else if (k == "--force-nat-t") a.options.force_nat_t = true;
        else if (k == "--passive") a.options.initiate = false;
        else return err << "picsec run: unexpected argument '" << k << "'\n", k_exit_usage;
    }
    if (a.config.empty()) return err << "usage: picsec run -c FILE " << "[--port N] [--nat-t-port N] [--local ADDR] [--socket PATH] [--passive] [--force-nat-t] [--log-keys] [--log-level L]\n", k_exit_usage;
    auto model = load_checked_config(a.config, err);
    if (!model) return k_exit_failed;

    auto logger = spdlog::stderr_color_mt("picsec");
    logger->set_level(spdlog::level::from_str(a.log_level));
    logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%l%$ %v");
    a.options.logger = logger;

    boost::asio::io_context io;
    Router router(io, *model, a.options);
    router.host().on_failure = [&](const std::string& why) { logger->warn("{}", why); };
    router.start();
    ControlServer control(io, a.socket, [&](const std::vector<std::string>& request) {
        auto r = router.control(request);
        return std::pair{r.exit_code, r.output};
    });
    boost::asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](boost::system::error_code, int) {
        logger->info("stopping");
        router.stop();
        io.stop();
    });
    logger->info("picsec running: IKE on {}:{} and NAT-T port {}, control socket {}",
                 router.plan().engine.local.address.to_string(), a.options.ike_port, a.options.nat_t_port, a.socket);
    out.flush();
    io.run();
    return k_exit_ok;
}

const CommandRegistrar k_run{{{"run"}, "-c FILE [--port N] [--nat-t-port N] [--local ADDR] [--socket PATH] [--passive] [--force-nat-t] [--log-keys]",
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

const CommandRegistrar k_initiate{{{"request", "ipsec", "initiate"}, "SA [--socket PATH]",
    "make the running daemon negotiate the dynamic SA now",
    [](const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
        return forward_to_daemon({"request", "ipsec", "initiate"}, args, out, err);
    }}};

}  // namespace
}  // namespace picsec::tools
