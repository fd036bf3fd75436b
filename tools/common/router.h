// One router as the daemon runs it: the chassis of ES PICs, the SADB with the
// configured manual SAs, the IKE engine on its sockets, and the control
// commands (`show`, `clear`) answered from live state.
#pragma once

#include "engine_config.h"
#include "engine_host.h"
#include "manual_sas.h"
#include "picsec/config/model.h"
#include "picsec/pic/sa_installer.h"
#include "picsec/sadb/sadb.h"

#include <boost/asio/io_context.hpp>

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace picsec::tools {

struct RouterOptions {
    std::optional<ike::Ipv4Address> local;  ///< IKE source address; default from es- tunnel source
    std::uint16_t ike_port = 500;
    std::uint16_t nat_t_port = 4500;
    bool force_nat_t = false;
    bool log_keys = false;
    bool initiate = true;  ///< bring up dynamic SAs at start (false = respond only)
    /// IKEv2 half-open SAs from which IKE_SA_INIT must echo a COOKIE (RFC 7296 2.6); 0 = always.
    std::size_t cookie_threshold = 32;
    /// IKEv2 (RFC 7383): IPv4 datagrams longer than this go out as SKF fragments
    /// when the peer supports them; 0 = never (EngineConfig::fragment_size).
    std::size_t fragment_size = 1280;
    unsigned dpd_interval_seconds = 0;  ///< idle time before a liveness check (RFC 3706 / RFC 7296 2.4); 0 = off
    /// IKE SAs (IKEv1 and IKEv2, any state) the engine holds at most; unset = EngineConfig's default.
    std::optional<std::size_t> max_ike_sas;
    std::shared_ptr<spdlog::logger> logger;
};

/// The result of a control command: what `picsec` prints and its exit code.
struct ControlReply {
    int exit_code = 0;
    std::string output;
};

class Router {
public:
    /// Plans the engine from a checked model and installs its manual SAs.
    /// Throws std::runtime_error with the reason when the model cannot run
    /// (a dynamic SA without a peer or policy, a manual SA the SADB refuses).
    Router(boost::asio::io_context& io, const config::Model& model, RouterOptions options);

    void start() { m_host->start(); }
    void stop() { m_host->stop(); }

    EngineHost& host() { return *m_host; }
    sadb::Sadb& sadb() { return m_sadb; }
    pic::Chassis& chassis() { return m_chassis; }
    const DaemonPlan& plan() const { return m_plan; }

    /// Takes the configuration in `path` while running, as JUNOS `commit`
    /// does: the commit check first (a failure changes nothing and the reply
    /// carries its diagnostics, exit 1), then the engine's reconfigure()
    /// (unchanged policies keep their SAs) and the manual SAs that changed
    /// replaced in the SADB. The reply lists what changed, one line each.
    ControlReply commit(const std::string& path);

    /// Runs one control command: `show ike security-associations [brief|detail]
    /// [PEER] [--json]`, `show ipsec security-associations [brief|detail] [SA]
    /// [--json]`, `clear ike security-associations [PEER]`, `clear ipsec
    /// security-associations [SA]`, `request ipsec initiate SA`,
    /// `show engine statistics` (CPU time of the periodic ticks),
    /// `export wireshark` (only with key logging on), `commit PATH`.
    ControlReply control(const std::vector<std::string>& args);

    /// Counters of the tunnel traffic the router itself terminated.
    struct TrafficCounters {
        std::uint64_t inner_packets = 0;   ///< inner packets accepted from ESP/AH
        std::uint64_t echo_replies = 0;    ///< ICMP echo requests to our es- addresses answered
        std::uint64_t drops = 0;           ///< IPsec packets the SADB dropped
    };
    const TrafficCounters& traffic() const { return m_traffic; }

private:
    /// Answers an ICMP echo request addressed to one of our es- interface
    /// addresses through the SA it arrived on, as a router does.
    void answer_inner(const sadb::Unprotected& inner);

    /// The settings RouterOptions give every engine configuration.
    void apply_options(ike::EngineConfig& engine) const;
    /// SA name -> installer of its PIC, for the plan's tunnel SAs; the reason
    /// in `error` when a PIC is not in the chassis.
    std::map<std::string, pic::SaInstaller*> installers_for(const DaemonPlan& plan, std::string& error);
    /// Replaces, adds and removes manual SAs to match `next`; one line each.
    std::vector<std::string> commit_manual_sas(std::vector<ManualSa> next);

    RouterOptions m_options;
    DaemonPlan m_plan;
    std::vector<ManualSa> m_manual;
    std::map<pic::PicName, pic::SaInstaller*> m_by_pic;
    std::vector<std::uint32_t> m_inner_addresses;  ///< es- unit family inet addresses
    TrafficCounters m_traffic;
    pic::Chassis m_chassis;
    sadb::Sadb m_sadb;
    std::deque<pic::SaInstaller> m_installers;
    std::unique_ptr<EngineHost> m_host;
    bool m_log_keys;
};

}  // namespace picsec::tools
