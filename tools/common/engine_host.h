// The Boost.Asio adapter around the IKE engine: UDP sockets on the IKE and
// NAT-T ports, a periodic tick, and the engine's callbacks implemented with
// the PIC model (dynamic SA admission) and the SADB (ESP/AH processing).
#pragma once

#include "picsec/ike/engine.h"
#include "picsec/pic/sa_installer.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <array>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>

namespace picsec::tools {

/// Runs one Engine on real sockets. All work happens on the io_context's
/// thread: datagrams and ticks go into the engine, its callbacks come back
/// synchronously.
class EngineHost : public ike::Callbacks {
public:
    /// `installers` maps an SA name to the PIC installer it lands on;
    /// `fallback` takes every other name (transport-mode SAs). All installers
    /// share one SADB (the router's), which inbound ESP is looked up in.
    EngineHost(boost::asio::io_context& io, ike::EngineConfig config, pic::SaInstaller& fallback,
               std::map<std::string, pic::SaInstaller*> installers = {});
    ~EngineHost() override;

    /// Opens the sockets (throws std::system_error naming the endpoint when a
    /// bind fails) and starts the tick timer.
    void start();
    void stop();

    ike::Engine& engine() { return *m_engine; }
    /// Hands a new configuration to the running engine (ike::Engine::
    /// reconfigure()) and, unless it was refused, takes `installers` as the
    /// map of SA names to PICs.
    ike::ConfigDiff reconfigure(ike::EngineConfig config, std::map<std::string, pic::SaInstaller*> installers);
    const ike::EngineConfig& config() const { return m_config; }

    /// Called for every inner packet an inbound ESP/AH SA accepted.
    std::function<void(const sadb::Unprotected&)> on_inner_packet;
    /// Called for IPsec packets the SADB dropped, with the drop's message.
    std::function<void(const std::string&)> on_drop;

    /// Protects an IPv4 packet with the newest outbound SA named `sa` and
    /// sends it (UDP-encapsulated on the NAT-T socket when the SA says so;
    /// raw ESP is not available to a UDP host and is refused). Returns an
    /// error text, empty on success.
    std::string send_protected(const std::string& sa, std::span<const std::uint8_t> inner);

    // ike::Callbacks
    void send_datagram(const ike::Endpoint& from, const ike::Endpoint& to,
                       std::span<const std::uint8_t> bytes) override;
    ike::InstallResult install_sa(const ike::DynamicSaPair& pair) override;
    void delete_sa(const ike::SaPairId& id) override;
    void phase1_up(const ike::IkeSaInfo& info) override;
    void phase1_failed(const ike::Phase1Failure& failure) override;
    void phase2_up(const ike::IpsecSaInfo& info) override;
    void phase2_failed(const ike::Phase2Failure& failure) override;
    /// picsec run keeps no per-message trace: the engine need not build one.
    bool wants_message_events() const override { return false; }

    /// The last outcome of each dynamic SA's negotiation, by SA name, for
    /// `request ipsec initiate` to report: Pending from the request until
    /// phase 2 comes up or fails.
    struct SaOutcome {
        enum class State { Pending, Up, Failed } state = State::Pending;
        std::string detail;  ///< SPIs when up, the reason when failed
    };
    void expect_outcome(const std::string& sa) { m_outcomes[sa] = SaOutcome{}; }
    const SaOutcome* outcome(const std::string& sa) const;

    /// The CPU time (this thread's) the periodic ticks took: the engine's
    /// tick and the SADB's, for `show engine statistics`.
    struct TickStatistics {
        std::uint64_t ticks = 0;
        std::uint64_t engine_ns = 0, sadb_ns = 0;            ///< summed over all ticks
        std::uint64_t last_engine_ns = 0, last_sadb_ns = 0;  ///< the latest tick
        std::uint64_t max_engine_ns = 0, max_sadb_ns = 0;
    };
    const TickStatistics& tick_statistics() const { return m_tick_statistics; }

    /// Event hooks for the demo and tests (optional).
    std::function<void(const ike::IpsecSaInfo&)> on_phase2_up;
    std::function<void(const std::string&)> on_failure;

private:
    std::map<std::string, SaOutcome> m_outcomes;
    std::map<std::uint32_t, std::string> m_phase1_failures;  ///< last phase-1 failure by peer address

    struct Socket;
    /// Waits until the socket is readable, then drains it (drain()) and waits again.
    void receive(Socket& s);
    /// Reads every queued datagram in batches (recvmmsg) and hands each to
    /// the engine or the SADB; answers the engine sends meanwhile are queued
    /// and leave in one sendmmsg per socket afterwards.
    void drain(Socket& s);
    void dispatch(Socket& s, std::span<const std::uint8_t> data, const boost::asio::ip::udp::endpoint& from);
    /// Sends the datagrams queued on the socket (sendmmsg).
    void flush(Socket& s);
    void flush_all();
    void schedule_tick();
    void handle_esp(std::span<const std::uint8_t> esp, const boost::asio::ip::udp::endpoint& from,
                    std::uint16_t local_port);
    pic::SaInstaller& installer_for(const std::string& name);

    boost::asio::io_context& m_io;
    ike::EngineConfig m_config;
    std::unique_ptr<Botan::RandomNumberGenerator> m_rng;
    std::unique_ptr<ike::Engine> m_engine;
    std::unique_ptr<Socket> m_ike;
    std::unique_ptr<Socket> m_nat_t;
    boost::asio::steady_timer m_timer;
    std::chrono::steady_clock::time_point m_epoch;
    pic::SaInstaller& m_fallback;
    std::map<std::string, pic::SaInstaller*> m_installers;
    TickStatistics m_tick_statistics;
    bool m_running = false;
    bool m_batching = false;  ///< inside drain() or a tick: send_datagram queues
};

}  // namespace picsec::tools
