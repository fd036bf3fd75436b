// One ike-peer negotiation on its own UDP socket: an Engine with our side's
// policies, a record of every message exchanged, and the outcome (SAs up, or
// why phase 1 / phase 2 failed). Installing SAs is a no-op that accepts all
// (ike-peer tests the peer, not a kernel).
#pragma once

#include "peer_setup.h"

#include "picsec/ike/engine.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace Botan {
class RandomNumberGenerator;
}

namespace picsec::tools::peer {

/// One message of the exchange, as the engine saw it.
struct MessageRecord {
    double at_ms = 0;  ///< since the session started
    bool sent = false;
    ike::MessageEvent event;
};

/// How a negotiation ended.
enum class Outcome { Established, Failed, Timeout };
std::string_view to_string(Outcome o);

struct SessionResult {
    Outcome outcome = Outcome::Timeout;
    double elapsed_ms = 0;
    std::vector<MessageRecord> messages;
    std::optional<ike::IkeSaInfo> ike_sa;
    std::vector<ike::IpsecSaInfo> ipsec_sas;
    std::optional<ike::Phase1Failure> phase1_failure;
    std::optional<ike::Phase2Failure> phase2_failure;
    bool ikev2 = false;  ///< the policy speaks IKEv2: notify numbers are RFC 7296's
};

/// Runs one negotiation (initiator: brings up setup.sa_name; responder: waits
/// for the peer's first phase 2) and calls `done` once, from the io_context,
/// when it is over or `timeout` passed.
class Session : public ike::Callbacks {
public:
    using Done = std::function<void(Session&)>;
    Session(boost::asio::io_context& io, PeerSetup setup, Botan::RandomNumberGenerator& rng,
            std::chrono::milliseconds timeout, Done done);
    ~Session() override;

    /// Binds the socket (throws std::system_error naming the endpoint) and starts.
    void start();
    /// Closes the socket and stops the timers; the result stays readable.
    void stop();

    const SessionResult& result() const { return m_result; }
    boost::asio::io_context& io() { return m_io; }
    const PeerSetup& setup() const { return m_setup; }
    ike::Endpoint local() const { return m_setup.engine.local; }
    std::size_t datagrams_received() const { return m_datagrams_in; }
    std::size_t bytes_received() const { return m_bytes_in; }

    /// Sees each datagram the engine sends (index counts from 1). Returning
    /// false keeps it from the wire; the hook may send it later with send_raw.
    std::function<bool(Session&, unsigned index, const std::vector<std::uint8_t>& bytes, const ike::Endpoint& to)>
        outgoing_hook;
    void send_raw(std::span<const std::uint8_t> bytes, const ike::Endpoint& to);
    /// Sees each datagram that arrives, before the engine does.
    std::function<void(Session&, std::span<const std::uint8_t> bytes)> incoming_hook;

    // ike::Callbacks
    void send_datagram(const ike::Endpoint& from, const ike::Endpoint& to, std::span<const std::uint8_t> bytes) override;
    ike::InstallResult install_sa(const ike::DynamicSaPair&) override { return ike::InstallResult::installed(); }
    void delete_sa(const ike::SaPairId&) override {}
    void phase1_up(const ike::IkeSaInfo& info) override;
    void phase1_failed(const ike::Phase1Failure& f) override;
    void phase2_up(const ike::IpsecSaInfo& info) override;
    void phase2_failed(const ike::Phase2Failure& f) override;
    void message_sent(const ike::MessageEvent& e) override;
    void message_received(const ike::MessageEvent& e) override;

private:
    void receive();
    void tick();
    void finish(Outcome o);
    double now_ms() const;

    boost::asio::io_context& m_io;
    PeerSetup m_setup;
    Botan::RandomNumberGenerator& m_rng;
    std::chrono::milliseconds m_timeout;
    Done m_done;
    boost::asio::ip::udp::socket m_socket;
    boost::asio::ip::udp::endpoint m_sender;
    std::vector<std::uint8_t> m_buffer;
    boost::asio::steady_timer m_tick;
    boost::asio::steady_timer m_deadline;
    std::chrono::steady_clock::time_point m_start;
    std::unique_ptr<ike::Engine> m_engine;
    SessionResult m_result;
    unsigned m_sent = 0;
    std::size_t m_datagrams_in = 0;
    std::size_t m_bytes_in = 0;
    bool m_finished = false;
    bool m_open = false;
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
};

}  // namespace picsec::tools::peer
