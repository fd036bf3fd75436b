// ike-peer --load and --flood (see load.h).
#include "load.h"

#include "mutate.h"

#include <botan/rng.h>
#include <boost/asio/ip/address_v4.hpp>

#include <algorithm>
#include <cstdio>
#include <map>
#include <ostream>

namespace picsec::tools::peer {

namespace asio = boost::asio;
using asio::ip::udp;
using Clock = std::chrono::steady_clock;

std::vector<std::uint8_t> first_message(const PeerSetup& base, Botan::RandomNumberGenerator& rng) {
    asio::io_context io;
    std::vector<std::uint8_t> captured;
    PeerSetup s = base;
    s.engine.local.port = 0;
    Session session(io, s, rng, std::chrono::milliseconds(1000), {});
    session.outgoing_hook = [&](Session&, unsigned index, const std::vector<std::uint8_t>& bytes, const ike::Endpoint&) {
        if (index == 1) captured = bytes;
        return false;
    };
    session.start();
    session.stop();
    return captured;
}

namespace {

// Bogus datagrams from a few source ports; counts what comes back.
class Flood {
public:
    Flood(asio::io_context& io, const PeerSetup& base, const LoadOptions& o, Botan::RandomNumberGenerator& rng)
        : m_rng(rng), m_total(o.flood), m_rate(o.flood_rate),
          m_peer(asio::ip::address_v4(base.peer.address.to_uint()), base.peer.port) {
        if (m_total == 0) return;
        m_template = first_message(base, rng);
        m_variants = mutate(m_template);
        for (int i = 0; i < 8; ++i) {
            auto s = std::make_unique<Sock>(io);
            s->socket.open(udp::v4());
            s->socket.bind(udp::endpoint(asio::ip::address_v4(base.engine.local.address.to_uint()), 0));
            m_socks.push_back(std::move(s));
            receive(*m_socks.back());
        }
    }

    bool done() const { return m_sent >= m_total; }

    // Sends what the rate allows by `elapsed`.
    void pump(double elapsed_s) {
        if (m_total == 0 || m_template.empty()) {
            m_sent = m_total;
            return;
        }
        const auto allowed = std::min<std::size_t>(m_total, static_cast<std::size_t>(elapsed_s * m_rate) + 1);
        while (m_sent < allowed) send_one();
    }

    void summarize(LoadSummary& s) const {
        s.flood_sent = m_sent;
        s.flood_bytes = m_bytes;
        s.flood_answers = m_answers;
        s.flood_answer_bytes = m_answer_bytes;
        s.flood_cookies = m_cookies;
    }

private:
    struct Sock {
        explicit Sock(asio::io_context& io) : socket(io) {}
        udp::socket socket;
        udp::endpoint sender;
        std::array<std::uint8_t, 4096> buffer{};
    };

    void receive(Sock& s) {
        s.socket.async_receive_from(asio::buffer(s.buffer), s.sender, [this, &s](boost::system::error_code ec, std::size_t n) {
            if (ec) return;
            ++m_answers;
            m_answer_bytes += n;
            // RFC 7296 2.6: HDR(IKE_SA_INIT, R), N(COOKIE) as the first payload.
            const auto& a = s.buffer;
            if (n >= 36 && (a[17] >> 4) == 2 && a[18] == 34 && (a[19] & 0x20) && a[16] == 41 &&
                ((a[34] << 8) | a[35]) == 16390)
                ++m_cookies;
            receive(s);
        });
    }

    void send_one() {
        std::vector<std::uint8_t> b;
        switch (m_sent % 4) {
        case 0: b = m_template; break;                               // a valid first message, fresh cookie
        case 1: b = m_variants[(m_sent / 4) % m_variants.size()].bytes; break;  // malformed first message
        case 2: {                                                    // noise
            std::uint8_t len = 0;
            m_rng.randomize(&len, 1);
            b.resize(std::size_t{len} * 2 + 1);
            m_rng.randomize(b.data(), b.size());
            break;
        }
        case 3:                                                      // a later message for an unknown SA
            b = m_template;
            if (b.size() >= 28) {
                m_rng.randomize(b.data() + 8, 8);
                if ((b[17] >> 4) == 2) {
                    b[18] = 35;  // IKEv2: IKE_AUTH, message ID 1 (RFC 7296 1.2)
                    b[23] = 1;
                } else {
                    b[19] |= 0x01;
                }
            }
            break;
        }
        if (b.size() >= 8 && m_sent % 4 != 2) m_rng.randomize(b.data(), 8);  // fresh initiator cookie
        auto& s = *m_socks[m_sent % m_socks.size()];
        boost::system::error_code ec;
        s.socket.send_to(asio::buffer(b), m_peer, 0, ec);
        ++m_sent;
        m_bytes += b.size();
    }

    Botan::RandomNumberGenerator& m_rng;
    std::size_t m_total;
    double m_rate;
    udp::endpoint m_peer;
    std::vector<std::uint8_t> m_template;
    std::vector<Variant> m_variants;
    std::vector<std::unique_ptr<Sock>> m_socks;
    std::size_t m_sent = 0, m_bytes = 0, m_answers = 0, m_answer_bytes = 0, m_cookies = 0;
};

}  // namespace

LoadSummary run_load(const PeerSetup& base, const LoadOptions& o, Botan::RandomNumberGenerator& rng,
                     std::ostream& progress) {
    asio::io_context io;
    LoadSummary sum;
    sum.requested = o.count;
    sum.initial_contact = base.engine.send_initial_contact;
    if (o.identity_per_sa && o.count > 0) {
        std::string error;
        sum.identities = identity_for_sa(o.identity_base, 1, error).value_or("?") + " .. " +
                         identity_for_sa(o.identity_base, o.count, error).value_or("?");
    } else if (!base.engine.ike_policies.empty() && !base.engine.ike_policies.front().local_id.empty()) {
        sum.identities = base.engine.ike_policies.front().local_id;
    }
    std::map<Session*, std::unique_ptr<Session>> active;
    std::size_t started = 0;
    const auto t0 = Clock::now();
    auto elapsed = [&] { return std::chrono::duration<double>(Clock::now() - t0).count(); };
    Flood flood(io, base, o, rng);
    bool over = false;
    auto last_progress = t0;
    const std::size_t concurrency = std::max<std::size_t>(1, o.concurrency);

    auto on_done = [&](Session& s) {
        const auto& r = s.result();
        switch (r.outcome) {
        case Outcome::Established:
            ++sum.established;
            sum.latencies_ms.push_back(r.elapsed_ms);
            break;
        case Outcome::Failed: {
            ++sum.failed;
            auto why = r.phase1_failure ? "phase 1 " + std::string(ike::to_string(r.phase1_failure->reason))
                       : r.phase2_failure ? "phase 2 " + std::string(ike::to_string(r.phase2_failure->reason))
                                          : std::string("not started");
            ++sum.failure_reasons[why];
            break;
        }
        case Outcome::Timeout:
            ++sum.timed_out;
            ++sum.failure_reasons["timeout"];
            break;
        }
        s.stop();
        asio::post(io, [&active, p = &s] { active.erase(p); });
    };

    auto start_more = [&] {
        const double t = elapsed();
        std::size_t allowed = o.count;
        if (o.rate > 0) allowed = std::min(o.count, static_cast<std::size_t>(t * o.rate) + 1);
        while (started < allowed && active.size() < concurrency) {
            PeerSetup s = base;
            s.engine.local.port = 0;
            if (o.identity_per_sa) {
                std::string error;
                const auto id = identity_for_sa(o.identity_base, started + 1, error);
                for (auto& p : s.engine.ike_policies) p.local_id = id.value_or(o.identity_base);
            }
            // A Session owns its Engine, so INITIAL-CONTACT (when enabled) goes out
            // on every SA's phase 1, not only on the first with this peer.
            auto session = std::make_unique<Session>(io, s, rng, o.timeout, on_done);
            auto* p = session.get();
            active.emplace(p, std::move(session));
            ++started;
            try {
                p->start();
            } catch (const std::exception& e) {
                ++sum.failed;
                ++sum.failure_reasons[std::string("local: ") + e.what()];
                active.erase(p);
            }
        }
    };

    asio::steady_timer pace(io);
    std::function<void()> step = [&] {
        start_more();
        flood.pump(elapsed());
        const auto now = Clock::now();
        const bool finished = started >= o.count && active.empty() && flood.done();
        if (elapsed() * 1000 >= static_cast<double>(o.time_limit.count())) over = true;
        if (o.progress && (now - last_progress > std::chrono::milliseconds(200) || finished || over)) {
            last_progress = now;
            char line[160];
            std::snprintf(line, sizeof line, "\r  %zu/%zu established, %zu failed, %zu in flight, %.1f/s%s   ",
                          sum.established, o.count, sum.failed + sum.timed_out, active.size(),
                          sum.established / std::max(elapsed(), 1e-3),
                          flood.done() ? "" : " (flooding)");
            progress << line << std::flush;
        }
        if (finished || over) {
            sum.elapsed_s = elapsed();
            if (o.progress) progress << "\n";
            // Let late answers to the flood arrive, then stop.
            pace.expires_after(std::chrono::milliseconds(o.flood ? 300 : 0));
            pace.async_wait([&](boost::system::error_code) { io.stop(); });
            return;
        }
        pace.expires_after(std::chrono::milliseconds(2));
        pace.async_wait([&](boost::system::error_code ec) {
            if (!ec) step();
        });
    };
    asio::post(io, step);
    io.run();
    if (over) {
        sum.timed_out += active.size();
        if (!active.empty()) sum.failure_reasons["time limit"] += active.size();
        sum.not_started = o.count - started;
    }
    active.clear();
    flood.summarize(sum);
    std::sort(sum.latencies_ms.begin(), sum.latencies_ms.end());
    sum.setups_per_second = sum.elapsed_s > 0 ? static_cast<double>(sum.established) / sum.elapsed_s : 0;
    return sum;
}

}  // namespace picsec::tools::peer
