// One ike-peer negotiation on its own socket (see session.h).
#include "session.h"

#include <boost/asio/ip/address_v4.hpp>
#include <boost/asio/post.hpp>

#include <system_error>

namespace picsec::tools::peer {

namespace asio = boost::asio;
using asio::ip::udp;

std::string_view to_string(Outcome o) {
    switch (o) {
    case Outcome::Established: return "established";
    case Outcome::Failed: return "failed";
    case Outcome::Timeout: return "timeout";
    }
    return "?";
}

namespace {
udp::endpoint to_asio(const ike::Endpoint& e) { return {asio::ip::address_v4(e.address.to_uint()), e.port}; }
ike::Endpoint from_asio(const udp::endpoint& e) {
    return {ike::Ipv4Address::from_uint(e.address().to_v4().to_uint()), e.port()};
}
}  // namespace

Session::Session(asio::io_context& io, PeerSetup setup, Botan::RandomNumberGenerator& rng,
                 std::chrono::milliseconds timeout, Done done)
    : m_io(io), m_setup(std::move(setup)), m_rng(rng), m_timeout(timeout), m_done(std::move(done)), m_socket(io),
      m_buffer(16384), m_tick(io), m_deadline(io) {
    m_result.ikev2 = !m_setup.engine.ike_policies.empty() &&
                     m_setup.engine.ike_policies.front().version == ike::IkeVersion::V2;
}

Session::~Session() {
    *m_alive = false;
    stop();
}

void Session::start() {
    const auto want = to_asio(m_setup.engine.local);
    m_socket.open(udp::v4());
    if (want.port() != 0) m_socket.set_option(udp::socket::reuse_address(true));
    boost::system::error_code ec;
    m_socket.bind(want, ec);
    if (ec)
        throw std::system_error(ec.value(), std::generic_category(),
                                "cannot bind UDP " + m_setup.engine.local.to_string());
    m_open = true;
    // The engine speaks from the port we really got; NAT-T on the same port
    // (no separate 4500 socket: a test peer never floats unless a NAT is seen).
    m_setup.engine.local = from_asio(m_socket.local_endpoint());
    m_setup.engine.nat_t_port = m_setup.engine.local.port;
    for (auto& p : m_setup.engine.ipsec_policies) p.initiate_on_start = false;
    m_start = std::chrono::steady_clock::now();
    m_engine = std::make_unique<ike::Engine>(m_setup.engine, *this, m_rng);
    m_engine->tick(0);
    if (m_setup.role == ike::Role::Initiator && !m_engine->initiate(m_setup.sa_name)) {
        finish(Outcome::Failed);
        return;
    }
    receive();
    tick();
    m_deadline.expires_after(m_timeout);
    m_deadline.async_wait([this, alive = m_alive](boost::system::error_code e) {
        if (!e && *alive) finish(Outcome::Timeout);
    });
}

void Session::stop() {
    if (!m_open) return;
    m_open = false;
    m_tick.cancel();
    m_deadline.cancel();
    boost::system::error_code ec;
    m_socket.close(ec);
}

double Session::now_ms() const {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - m_start).count();
}

void Session::receive() {
    m_socket.async_receive_from(asio::buffer(m_buffer), m_sender,
                                [this, alive = m_alive](boost::system::error_code ec, std::size_t n) {
                                    if (ec || !*alive || !m_open) return;
                                    ++m_datagrams_in;
                                    m_bytes_in += n;
                                    if (incoming_hook) incoming_hook(*this, std::span(m_buffer.data(), n));
                                    if (!m_finished)
                                        m_engine->received_datagram(std::span(m_buffer.data(), n), from_asio(m_sender),
                                                                    m_setup.engine.local);
                                    receive();
                                });
}

void Session::tick() {
    m_tick.expires_after(std::chrono::milliseconds(50));
    m_tick.async_wait([this, alive = m_alive](boost::system::error_code ec) {
        if (ec || !*alive || !m_open || m_finished) return;
        m_engine->tick(static_cast<std::uint64_t>(now_ms()));
        tick();
    });
}

void Session::finish(Outcome o) {
    if (m_finished) return;
    m_finished = true;
    m_result.outcome = o;
    m_result.elapsed_ms = now_ms();
    // Let the engine finish what it is sending (QM HASH(3) follows phase2_up).
    asio::post(m_io, [this, alive = m_alive] {
        if (!*alive) return;
        m_tick.cancel();
        m_deadline.cancel();
        if (m_done) m_done(*this);
    });
}

void Session::send_raw(std::span<const std::uint8_t> bytes, const ike::Endpoint& to) {
    if (!m_open) return;
    boost::system::error_code ec;
    m_socket.send_to(asio::buffer(bytes.data(), bytes.size()), to_asio(to), 0, ec);
}

void Session::send_datagram(const ike::Endpoint&, const ike::Endpoint& to, std::span<const std::uint8_t> bytes) {
    ++m_sent;
    if (outgoing_hook && !outgoing_hook(*this, m_sent, std::vector<std::uint8_t>(bytes.begin(), bytes.end()), to))
        return;
    send_raw(bytes, to);
}

void Session::phase1_up(const ike::IkeSaInfo& info) { m_result.ike_sa = info; }

void Session::phase1_failed(const ike::Phase1Failure& f) {
    if (!m_result.phase1_failure) m_result.phase1_failure = f;
    finish(Outcome::Failed);
}

void Session::phase2_up(const ike::IpsecSaInfo& info) {
    m_result.ipsec_sas.push_back(info);
    for (const auto& sa : m_engine->ike_security_associations())
        if (sa.state == ike::IkeSaState::Established) m_result.ike_sa = sa;
    finish(Outcome::Established);
}

void Session::phase2_failed(const ike::Phase2Failure& f) {
    if (!m_result.phase2_failure) m_result.phase2_failure = f;
    finish(Outcome::Failed);
}

void Session::message_sent(const ike::MessageEvent& e) { m_result.messages.push_back({now_ms(), true, e}); }

void Session::message_received(const ike::MessageEvent& e) { m_result.messages.push_back({now_ms(), false, e}); }

}  // namespace picsec::tools::peer
