// Boost.Asio adapter around the IKE engine (see engine_host.h).
#include "engine_host.h"

#include <cstdio>

#include <botan/chacha_rng.h>
#include <botan/system_rng.h>
#include <spdlog/spdlog.h>

#include <boost/asio/ip/address_v4.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <system_error>
#include <vector>

namespace picsec::tools {

namespace asio = boost::asio;
using asio::ip::udp;

namespace {

/// Datagrams read (recvmmsg) or sent (sendmmsg) per system call. Under load
/// several initiators' messages are queued by the time the socket is read.
constexpr std::size_t k_batch = 16;
/// One receive slot holds the largest IPv4 UDP payload.
constexpr std::size_t k_slot_bytes = 65536;

sockaddr_in to_sockaddr(const ike::Endpoint& e) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(e.address.to_uint());
    a.sin_port = htons(e.port);
    return a;
}

udp::endpoint from_sockaddr(const sockaddr_in& a) {
    return {asio::ip::address_v4(ntohl(a.sin_addr.s_addr)), ntohs(a.sin_port)};
}

}  // namespace

struct EngineHost::Socket {
    explicit Socket(asio::io_context& io) : socket(io) {}
    udp::socket socket;
    udp::endpoint local;
    // Receive batch. The slots are left uninitialised: a large allocation is
    // mapped on demand, so only the pages datagrams land in become resident.
    std::unique_ptr<std::uint8_t[]> slots{new std::uint8_t[k_batch * k_slot_bytes]};
    std::array<mmsghdr, k_batch> in_headers{};
    std::array<iovec, k_batch> in_iov{};
    std::array<sockaddr_in, k_batch> in_from{};
    // Send queue: the bytes of each queued datagram, back to back, and where
    // each one goes.
    struct Queued {
        std::size_t offset = 0;
        std::size_t size = 0;
        sockaddr_in to{};
    };
    std::vector<std::uint8_t> out_bytes;
    std::vector<Queued> out;
};

namespace {

std::uint64_t thread_cpu_ns() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<std::uint64_t>(t.tv_sec) * 1000000000u + static_cast<std::uint64_t>(t.tv_nsec);
}

udp::endpoint to_asio(const ike::Endpoint& e) {
    return {asio::ip::address_v4(e.address.to_uint()), e.port};
}

ike::Endpoint from_asio(const udp::endpoint& e) {
    return {ike::Ipv4Address::from_uint(e.address().to_v4().to_uint()), e.port()};
}

std::uint16_t checksum(std::span<const std::uint8_t> header) {
    std::uint32_t sum = 0;
    for (std::size_t i = 0; i + 1 < header.size(); i += 2) sum += std::uint32_t(header[i] << 8 | header[i + 1]);
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    return static_cast<std::uint16_t>(~sum);
}

// Rebuilds the IPv4 + UDP headers the socket API stripped, so the SADB sees
// the RFC 3948 packet it expects.
std::vector<std::uint8_t> wrap_udp(std::span<const std::uint8_t> payload, const udp::endpoint& from,
                                   const udp::endpoint& to) {
    const std::size_t total = 20 + 8 + payload.size();
    std::vector<std::uint8_t> p(total);
    const auto src = from.address().to_v4().to_bytes();
    const auto dst = to.address().to_v4().to_bytes();
    p[0] = 0x45;
    p[2] = static_cast<std::uint8_t>(total >> 8);
    p[3] = static_cast<std::uint8_t>(total);
    p[8] = 64;
    p[9] = 17;
    std::copy(src.begin(), src.end(), p.begin() + 12);
    std::copy(dst.begin(), dst.end(), p.begin() + 16);
    const auto sum = checksum(std::span(p).first(20));
    p[10] = static_cast<std::uint8_t>(sum >> 8);
    p[11] = static_cast<std::uint8_t>(sum);
    p[20] = static_cast<std::uint8_t>(from.port() >> 8);
    p[21] = static_cast<std::uint8_t>(from.port());
    p[22] = static_cast<std::uint8_t>(to.port() >> 8);
    p[23] = static_cast<std::uint8_t>(to.port());
    p[24] = static_cast<std::uint8_t>((total - 20) >> 8);
    p[25] = static_cast<std::uint8_t>(total - 20);
    std::copy(payload.begin(), payload.end(), p.begin() + 28);
    return p;
}

}  // namespace

EngineHost::EngineHost(asio::io_context& io, ike::EngineConfig config, pic::SaInstaller& fallback,
                       std::map<std::string, pic::SaInstaller*> installers)
    : m_io(io), m_config(std::move(config)), m_rng(std::make_unique<Botan::ChaCha_RNG>(Botan::system_rng())),
      m_timer(io), m_epoch(std::chrono::steady_clock::now()), m_fallback(fallback),
      m_installers(std::move(installers)) {
    m_engine = std::make_unique<ike::Engine>(m_config, *this, *m_rng);
}

EngineHost::~EngineHost() = default;

ike::ConfigDiff EngineHost::reconfigure(ike::EngineConfig config, std::map<std::string, pic::SaInstaller*> installers) {
    // The engine's deletes and first messages leave as one batch, as after a tick.
    m_batching = true;
    auto diff = m_engine->reconfigure(config);
    m_batching = false;
    flush_all();
    if (diff.refused) return diff;
    m_config = std::move(config);
    m_installers = std::move(installers);
    return diff;
}

void EngineHost::start() {
    auto open = [&](std::uint16_t port) {
        auto s = std::make_unique<Socket>(m_io);
        s->local = udp::endpoint(asio::ip::address_v4(m_config.local.address.to_uint()), port);
        s->socket.open(udp::v4());
        // No SO_REUSEADDR: a second daemon on a busy address:port must fail
        // to bind, not share the port and take half the first one's datagrams.
        boost::system::error_code ec;
        s->socket.bind(s->local, ec);
        if (ec)
            throw std::system_error(ec.value(), std::generic_category(),
                                    "cannot bind UDP " + s->local.address().to_string() + ":" + std::to_string(port));
        return s;
    };
    m_ike = open(m_config.local.port);
    m_nat_t = open(m_config.nat_t_port);
    m_running = true;
    receive(*m_ike);
    receive(*m_nat_t);
    schedule_tick();
}

void EngineHost::stop() {
    m_running = false;
    m_timer.cancel();
    if (m_ike) m_ike->socket.close();
    if (m_nat_t) m_nat_t->socket.close();
}

void EngineHost::receive(Socket& s) {
    // Readiness, then our own reads: no speculative read per datagram, and
    // one recvmmsg takes every datagram queued meanwhile.
    s.socket.async_wait(udp::socket::wait_read, [this, &s](boost::system::error_code ec) {
        if (ec || !m_running) return;
        drain(s);
        if (m_running) receive(s);
    });
}

void EngineHost::drain(Socket& s) {
    m_batching = true;
    while (m_running) {
        for (std::size_t i = 0; i < k_batch; ++i) {
            s.in_iov[i] = iovec{s.slots.get() + i * k_slot_bytes, k_slot_bytes};
            auto& h = s.in_headers[i].msg_hdr;
            h = msghdr{};
            h.msg_name = &s.in_from[i];
            h.msg_namelen = sizeof(sockaddr_in);
            h.msg_iov = &s.in_iov[i];
            h.msg_iovlen = 1;
            s.in_headers[i].msg_len = 0;
        }
        const int n = ::recvmmsg(s.socket.native_handle(), s.in_headers.data(), k_batch, MSG_DONTWAIT, nullptr);
        if (n < 0) {
            if (errno == EINTR) continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                spdlog::warn("receive on UDP port {} failed: {}", s.local.port(), std::strerror(errno));
            break;
        }
        for (int i = 0; i < n && m_running; ++i) {
            const auto& h = s.in_headers[static_cast<std::size_t>(i)];
            if ((h.msg_hdr.msg_flags & MSG_TRUNC) != 0 || h.msg_hdr.msg_namelen != sizeof(sockaddr_in)) continue;
            dispatch(s, std::span<const std::uint8_t>(s.slots.get() + std::size_t(i) * k_slot_bytes, h.msg_len),
                     from_sockaddr(s.in_from[static_cast<std::size_t>(i)]));
        }
        // A short batch means the queue was empty when it was read. A datagram
        // arriving later raises a new (edge-triggered) readiness event, which
        // the wait re-armed in receive() picks up: the io_context polls only
        // after this handler returns.
        if (static_cast<std::size_t>(n) < k_batch) break;
    }
    m_batching = false;
    flush_all();
}

void EngineHost::dispatch(Socket& s, std::span<const std::uint8_t> data, const udp::endpoint& from) {
    const bool nat_t = &s == m_nat_t.get();
    const std::size_t n = data.size();
    // RFC 3948 2.2: on the NAT-T port a zero non-ESP marker means IKE,
    // anything else is the SPI of a UDP-encapsulated ESP packet; a
    // single 0xff byte is a NAT-keepalive.
    if (nat_t && n == 1 && data[0] == 0xff) {
    } else if (nat_t && n >= 8 && (data[0] | data[1] | data[2] | data[3]) != 0) {
        handle_esp(data, from, s.local.port());
    } else {
        m_engine->received_datagram(data, from_asio(from), from_asio(s.local));
    }
}

void EngineHost::flush(Socket& s) {
    if (s.out.empty()) return;
    std::array<mmsghdr, k_batch> headers{};
    std::array<iovec, k_batch> iov{};
    std::size_t done = 0;
    while (done < s.out.size()) {
        const std::size_t count = std::min(k_batch, s.out.size() - done);
        for (std::size_t i = 0; i < count; ++i) {
            auto& q = s.out[done + i];
            iov[i] = iovec{s.out_bytes.data() + q.offset, q.size};
            headers[i] = mmsghdr{};
            headers[i].msg_hdr.msg_name = &q.to;
            headers[i].msg_hdr.msg_namelen = sizeof(sockaddr_in);
            headers[i].msg_hdr.msg_iov = &iov[i];
            headers[i].msg_hdr.msg_iovlen = 1;
        }
        const int sent = ::sendmmsg(s.socket.native_handle(), headers.data(), static_cast<unsigned>(count), 0);
        if (sent < 0) {
            if (errno == EINTR) continue;
            // sendmmsg reports an error only for the first datagram; skip it
            // and send the rest.
            const auto& q = s.out[done];
            spdlog::warn("send to {}:{} failed: {}", asio::ip::address_v4(ntohl(q.to.sin_addr.s_addr)).to_string(),
                         ntohs(q.to.sin_port), std::strerror(errno));
            ++done;
        } else {
            done += static_cast<std::size_t>(sent);
        }
    }
    s.out.clear();
    s.out_bytes.clear();
}

void EngineHost::flush_all() {
    if (m_ike) flush(*m_ike);
    if (m_nat_t) flush(*m_nat_t);
}

void EngineHost::handle_esp(std::span<const std::uint8_t> esp, const udp::endpoint& from, std::uint16_t local_port) {
    auto packet = wrap_udp(esp, from, udp::endpoint(asio::ip::address_v4(m_config.local.address.to_uint()), local_port));
    auto r = m_fallback.sadb().unprotect(packet);
    if (r) {
        if (on_inner_packet) on_inner_packet(*r);
    } else if (on_drop) {
        on_drop(r.error().message);
    }
}

void EngineHost::schedule_tick() {
    m_timer.expires_after(std::chrono::milliseconds(100));
    m_timer.async_wait([this](boost::system::error_code ec) {
        if (ec || !m_running) return;
        const auto now = std::chrono::steady_clock::now() - m_epoch;
        const auto ms = static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(now).count());
        m_batching = true;
        const auto t0 = thread_cpu_ns();
        m_engine->tick(ms);
        const auto t1 = thread_cpu_ns();
        m_fallback.sadb().tick(ms / 1000);
        const auto t2 = thread_cpu_ns();
        m_batching = false;
        auto& st = m_tick_statistics;
        ++st.ticks;
        st.last_engine_ns = t1 - t0;
        st.last_sadb_ns = t2 - t1;
        st.engine_ns += st.last_engine_ns;
        st.sadb_ns += st.last_sadb_ns;
        st.max_engine_ns = std::max(st.max_engine_ns, st.last_engine_ns);
        st.max_sadb_ns = std::max(st.max_sadb_ns, st.last_sadb_ns);
        flush_all();
        schedule_tick();
    });
}

void EngineHost::send_datagram(const ike::Endpoint& from, const ike::Endpoint& to, std::span<const std::uint8_t> bytes) {
    Socket* s = from.port == m_config.nat_t_port ? m_nat_t.get() : m_ike.get();
    if (!s || !s->socket.is_open()) return;
    if (m_batching) {
        // The bytes are only valid during this call: keep a copy until the
        // batch leaves.
        s->out.push_back(Socket::Queued{s->out_bytes.size(), bytes.size(), to_sockaddr(to)});
        s->out_bytes.insert(s->out_bytes.end(), bytes.begin(), bytes.end());
        if (s->out.size() >= k_batch) flush(*s);
        return;
    }
    boost::system::error_code ec;
    s->socket.send_to(asio::buffer(bytes.data(), bytes.size()), to_asio(to), 0, ec);
    if (ec) spdlog::warn("send to {} failed: {}", to.to_string(), ec.message());
}

pic::SaInstaller& EngineHost::installer_for(const std::string& name) {
    auto it = m_installers.find(name);
    return it == m_installers.end() ? m_fallback : *it->second;
}

ike::InstallResult EngineHost::install_sa(const ike::DynamicSaPair& pair) {
    auto& installer = installer_for(pair.name);
    auto refused = installer.install(pair.inbound, pair.outbound);
    if (!refused) return ike::InstallResult::installed();
    ike::InstallResult r;
    r.status = installer.pic().dynamic_sa_count() >= installer.pic().dynamic_sa_limit()
                   ? ike::InstallResult::Status::AdmissionLimit
                   : ike::InstallResult::Status::Rejected;
    r.reason = installer.pic().name_string() + ": " + refused->message;
    return r;
}

void EngineHost::delete_sa(const ike::SaPairId& id) { installer_for(id.name).remove(id.inbound_spi, id.protocol); }

void EngineHost::phase1_up(const ike::IkeSaInfo&) {}

void EngineHost::phase1_failed(const ike::Phase1Failure& failure) {
    const std::string why = "phase 1 with " + failure.peer.to_string() + " failed: " +
                            std::string(ike::to_string(failure.reason)) + ": " + failure.detail;
    m_phase1_failures[failure.peer.address.to_uint()] = why;
    if (on_failure) on_failure(why);
}

void EngineHost::phase2_up(const ike::IpsecSaInfo& info) {
    char spis[64];
    std::snprintf(spis, sizeof spis, "SPI in 0x%08x out 0x%08x", info.inbound_spi, info.outbound_spi);
    m_outcomes[info.name] = SaOutcome{SaOutcome::State::Up, spis};
    if (on_phase2_up) on_phase2_up(info);
}

void EngineHost::phase2_failed(const ike::Phase2Failure& failure) {
    // A phase-2 failure caused by its phase 1 names that failure.
    const auto p1 = m_phase1_failures.find(failure.peer.address.to_uint());
    const std::string why = failure.detail == "phase 1 failed" && p1 != m_phase1_failures.end()
                                ? p1->second
                                : "phase 2 " + failure.name + " with " + failure.peer.to_string() + " failed: " +
                                      std::string(ike::to_string(failure.reason)) + ": " + failure.detail;
    m_outcomes[failure.name] = SaOutcome{SaOutcome::State::Failed, why};
    if (on_failure) on_failure(why);
}

const EngineHost::SaOutcome* EngineHost::outcome(const std::string& sa) const {
    const auto it = m_outcomes.find(sa);
    return it == m_outcomes.end() ? nullptr : &it->second;
}

std::string EngineHost::send_protected(const std::string& sa, std::span<const std::uint8_t> inner) {
    auto& installer = installer_for(sa);
    auto id = installer.sadb().find_outbound(sa);
    if (!id) return "no outbound SA named " + sa;
    const auto* state = installer.sadb().get(*id);
    if (!state->spec.udp_encapsulation) return "SA " + sa + " is not UDP-encapsulated; raw ESP needs a raw socket";
    auto protected_packet = installer.sadb().protect(*id, inner, *m_rng);
    if (!protected_packet) return protected_packet.error().message;
    // Strip the IPv4 and UDP headers: the socket adds its own.
    const auto& p = *protected_packet;
    const std::size_t ihl = std::size_t(p[0] & 0x0f) * 4;
    if (p.size() < ihl + 8) return "protected packet too short";
    const ike::Endpoint to{ike::Ipv4Address::from_uint(state->spec.peer_address),
                           state->spec.udp_encapsulation->destination_port};
    boost::system::error_code ec;
    m_nat_t->socket.send_to(asio::buffer(p.data() + ihl + 8, p.size() - ihl - 8), to_asio(to), 0, ec);
    return ec ? ec.message() : std::string{};
}

}  // namespace picsec::tools
