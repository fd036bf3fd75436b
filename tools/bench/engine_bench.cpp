// The responder's own CPU per negotiation with no sockets: fresh initiator
// engines run Main Mode (PSK) + Quick Mode (PFS) against one responder engine
// that installs into a real PIC + SADB, as `picsec run` does; the responder's
// thread CPU time is taken around each datagram it handles and each 100 ms tick
// (one tick per 50 negotiations, as at 500 negotiations per second).
//   picsec-engine-bench [NEGOTIATIONS] [ROUNDS]      (suite 1 of docs/performance.md)
// Prints per round the median CPU per message (MM1, MM3, MM5, QM1, QM3), their
// sum, the mean per negotiation (ticks included), and the CPU of one engine
// tick and one SADB tick with every SA established (10 ticks after the load).
#include "picsec/ike/engine.h"
#include "picsec/pic/pic.h"
#include "picsec/pic/sa_installer.h"
#include "picsec/sadb/sadb.h"

#include <botan/chacha_rng.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <ctime>
#include <deque>
#include <string>
#include <vector>

using namespace picsec;
using namespace picsec::ike;

namespace {

double thread_cpu_ms() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}

struct Datagram {
    Endpoint from, to;
    std::vector<std::uint8_t> bytes;
};

// An initiator's or the responder's outside world: an outbox, and for the
// responder the PIC's SA installer.
class Node : public Callbacks {
public:
    std::deque<Datagram> outbox;
    pic::SaInstaller* installer = nullptr;
    bool phase2_done = false;

    void send_datagram(const Endpoint& from, const Endpoint& to, std::span<const std::uint8_t> bytes) override {
        outbox.push_back(Datagram{from, to, {bytes.begin(), bytes.end()}});
    }
    InstallResult install_sa(const DynamicSaPair& pair) override {
        if (!installer) return InstallResult::installed();
        auto refused = installer->install(pair.inbound, pair.outbound);
        if (!refused) return InstallResult::installed();
        return InstallResult{InstallResult::Status::Rejected, refused->message};
    }
    void delete_sa(const SaPairId&) override {}
    void phase2_up(const IpsecSaInfo&) override { phase2_done = true; }
    bool wants_message_events() const override { return false; }  // as picsec run
};

EngineConfig config(const char* self, const char* peer, std::uint16_t port, bool initiator,
                    std::shared_ptr<spdlog::logger> log) {
    EngineConfig c;
    c.local = Endpoint{*Ipv4Address::parse(self), port};
    c.logger = std::move(log);
    IkePolicy ip;
    ip.peer = *Ipv4Address::parse(peer);
    negotiation::IkeProposal p1;
    p1.name = "p1";
    p1.encryption = sadb::EncryptionAlgorithm::TripleDesCbc;
    p1.hash = crypto::HashAlgorithm::Sha1;
    p1.group = crypto::DhGroup::Modp1024;
    p1.lifetime_seconds = 3600;
    ip.proposals = {p1};
    const std::string psk = "benchmark-secret";
    ip.pre_shared_key = Botan::secure_vector<std::uint8_t>(psk.begin(), psk.end());
    c.ike_policies.push_back(ip);
    IpsecSaPolicy sp;
    sp.name = "sa1";
    sp.peer = ip.peer;
    sp.local_client = ClientId{*Ipv4Address::parse("0.0.0.0"), 0};
    sp.peer_client = ClientId{*Ipv4Address::parse("0.0.0.0"), 0};
    negotiation::IpsecProposal p2;
    p2.name = "p2";
    p2.protocol = sadb::Protocol::Esp;
    p2.encryption = sadb::EncryptionAlgorithm::TripleDesCbc;
    p2.authentication = sadb::AuthenticationAlgorithm::HmacSha1_96;
    p2.lifetime_seconds = 28800;
    sp.proposals = {p2};
    sp.pfs_group = crypto::DhGroup::Modp1024;
    sp.replay_window = 64;
    sp.initiate_on_start = initiator;
    c.ipsec_policies.push_back(sp);
    // As ike-peer --load: every initiator is a new engine, and INITIAL-CONTACT
    // would make the responder delete all the SAs before it.
    c.send_initial_contact = false;
    return c;
}

}  // namespace

int main(int argc, char** argv) {
    const int n = argc > 1 ? std::max(1, std::atoi(argv[1])) : 480;
    const int rounds = argc > 2 ? std::max(1, std::atoi(argv[2])) : 3;
    const int warm = 20;
    auto log = std::make_shared<spdlog::logger>("bench", std::make_shared<spdlog::sinks::null_sink_mt>());
    log->set_level(spdlog::level::warn);  // as the benchmark's picsec run --log-level warn
    for (int r = 0; r < rounds; ++r) {
        pic::Chassis chassis;
        chassis.add_pic(pic::PicName{0, 0, 0});
        sadb::Sadb db;
        pic::SaInstaller installer(*chassis.find(pic::PicName{0, 0, 0}), db);
        Node responder;
        responder.installer = &installer;
        Botan::ChaCha_RNG responder_rng(Botan::secure_vector<std::uint8_t>(32, 0xb2));
        Engine engine(config("10.0.0.1", "10.0.0.2", 500, false, log), responder, responder_rng);
        Botan::ChaCha_RNG initiator_rng(Botan::secure_vector<std::uint8_t>(32, 0xa1));
        double total_ms = 0, engine_tick_ms = 0, sadb_tick_ms = 0;
        int established = 0;
        std::uint64_t now = 0;
        std::array<std::vector<double>, 5> per_message;
        for (int i = 0; i < warm + n; ++i) {
            const bool counted = i >= warm;
            Node in;
            Engine initiator(config("10.0.0.2", "10.0.0.1", static_cast<std::uint16_t>(10000 + i), true, log), in,
                             initiator_rng);
            initiator.tick(now);
            std::size_t k = 0;
            for (int step = 0; step < 40 && (!in.outbox.empty() || !responder.outbox.empty()); ++step) {
                while (!in.outbox.empty()) {
                    const auto d = std::move(in.outbox.front());
                    in.outbox.pop_front();
                    const double t0 = thread_cpu_ms();
                    engine.received_datagram(d.bytes, d.from, d.to);
                    const double dt = thread_cpu_ms() - t0;
                    if (counted) {
                        total_ms += dt;
                        if (k < per_message.size()) per_message[k].push_back(dt);
                    }
                    ++k;
                }
                while (!responder.outbox.empty()) {
                    const auto d = std::move(responder.outbox.front());
                    responder.outbox.pop_front();
                    initiator.received_datagram(d.bytes, d.from, d.to);
                }
            }
            if (counted && in.phase2_done) ++established;
            if (i % 50 == 49) {  // one 100 ms tick per 50 negotiations
                now += 100;
                const double t0 = thread_cpu_ms();
                engine.tick(now);
                db.tick(now / 1000);
                if (counted) total_ms += thread_cpu_ms() - t0;
            }
        }
        // The ticks' own cost with the table full: 10 more, 100 ms apart.
        for (int t = 0; t < 10; ++t) {
            now += 100;
            const double t0 = thread_cpu_ms();
            engine.tick(now);
            const double t1 = thread_cpu_ms();
            db.tick(now / 1000);
            engine_tick_ms += t1 - t0;
            sadb_tick_ms += thread_cpu_ms() - t1;
        }
        std::string medians;
        double sum = 0;
        for (auto& v : per_message) {
            if (v.empty()) continue;
            std::sort(v.begin(), v.end());
            const double m = v[v.size() / 2];
            sum += m;
            char buf[32];
            std::snprintf(buf, sizeof buf, " %.1f", m * 1000);
            medians += buf;
        }
        std::printf("round %d: %d/%d established; median us per message (MM1 MM3 MM5 QM1 QM3):%s, sum %.4f ms; "
                    "mean %.4f ms/negotiation; one tick with %zu SADB records: engine %.1f us, SADB %.1f us\n",
                    r + 1, established, n, medians.c_str(), sum, total_ms / n, db.size(), engine_tick_ms * 100,
                    sadb_tick_ms * 100);
    }
    return 0;
}
