// Recording fuzz seeds for the responder targets (fuzz_responder,
// fuzz_ikev2_responder): an initiator engine talks to the fuzz target's own
// responder, every datagram it sends becomes one record, and a replay checks
// that a recording reaches the states it was made for. Shared by the IKEv1
// and IKEv2 seed tests.
#pragma once

#include "../../fuzz/responder_harness.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

namespace picsec::ike::fuzz::seeds {

/// The initiator side of a recording: collects what its engine sends.
class InitiatorNode : public Callbacks {
public:
    struct Out {
        Endpoint from, to;
        std::vector<std::uint8_t> bytes;
    };
    std::deque<Out> outbox;
    void send_datagram(const Endpoint& from, const Endpoint& to, std::span<const std::uint8_t> b) override
    {
        outbox.push_back(Out{from, to, {b.begin(), b.end()}});
    }
    InstallResult install_sa(const DynamicSaPair&) override { return InstallResult::installed(); }
    void delete_sa(const SaPairId&) override {}
};

/// An initiator engine talking to a fuzz Responder built from
/// `responder_config`; every datagram the initiator sends becomes one record.
class Recording {
public:
    Recording(EngineConfig initiator_config, EngineConfig responder_config, std::uint8_t rng_seed)
        : responder(std::move(responder_config)),
          m_rng(Botan::secure_vector<std::uint8_t>(32, rng_seed))
    {
        initiator_config.logger = quiet_logger();
        initiator = std::make_unique<Engine>(std::move(initiator_config), node, m_rng);
    }
    /// Sets the clock to `t_ms` (whole seconds), ticks the initiator, and runs
    /// the conversation until both sides are quiet.
    void at(std::uint64_t t_ms)
    {
        m_now = t_ms;
        initiator->tick(m_now);
        pump();
    }
    void pump()
    {
        for (int i = 0; i < 100 && (!node.outbox.empty() || !responder.sent.empty()); ++i) {
            while (!node.outbox.empty()) {
                auto d = std::move(node.outbox.front());
                node.outbox.pop_front();
                Record r;
                r.nat_t = d.to.port == 4500;
                r.aggressive_peer = d.from.address == aggressive_initiator_address();
                r.advance_seconds = static_cast<std::uint8_t>((m_now - responder.now_ms) / 1000);
                r.bytes = std::move(d.bytes);
                responder.feed(r);
                records.push_back(std::move(r));
            }
            auto replies = std::move(responder.sent);
            responder.sent.clear();
            for (const auto& s : replies)
                initiator->received_datagram(s.bytes, s.from, s.to);
        }
    }

    InitiatorNode node;
    Responder responder;
    std::unique_ptr<Engine> initiator;
    std::vector<Record> records;

private:
    Botan::ChaCha_RNG m_rng;
    std::uint64_t m_now = 0;
};

/// The initiator mirror of a responder configuration, bringing up `sa` on start.
inline EngineConfig mirror(EngineConfig c, const std::string& sa)
{
    c.local = Endpoint{initiator_address(), 500};
    c.ike_policies[0].peer = responder_address();
    c.ike_policies[0].proposals.resize(1);
    for (auto& p : c.ipsec_policies) {
        p.peer = responder_address();
        std::swap(p.local_client, p.peer_client);
        p.initiate_on_start = p.name == sa;
    }
    c.timers.dpd_interval_ms = 0;
    return c;
}

/// The states a recording reaches.
struct Reached {
    unsigned phase1_up = 0;
    unsigned phase2_up = 0;
    std::size_t installed = 0;
    bool operator==(const Reached&) const = default;
};

struct Scenario {
    std::string name;
    std::function<std::vector<Record>()> record;
    Reached expect;
};

/// Replays `input` against a fresh Responder, checking its bookkeeping after every record.
inline Reached replay(std::span<const std::uint8_t> input, EngineConfig responder_config)
{
    Responder r(std::move(responder_config));
    for (const auto& rec : split_records(input)) {
        r.feed(rec);
        REQUIRE(r.consistent());
    }
    return {r.phase1_up_count, r.phase2_up_count, r.installed.size()};
}

inline void check_reached(const Reached& got, const Reached& expect)
{
    CHECK(got.phase1_up == expect.phase1_up);
    CHECK(got.phase2_up == expect.phase2_up);
    CHECK(got.installed == expect.installed);
}

/// Records every scenario, replays it, runs it through the fuzz target's whole
/// path, and writes it to the directory named by the environment variable
/// `write_env` when that is set.
inline void record_and_replay(const std::vector<Scenario>& scenarios, const EngineConfig& responder_config,
                              const char* write_env)
{
    const char* write_dir = std::getenv(write_env);
    for (const auto& sc : scenarios) {
        INFO("seed " << sc.name);
        const auto input = join_records(sc.record());
        check_reached(replay(input, responder_config), sc.expect);
        run_input(input, responder_config);  // expiry included
        if (write_dir) {
            std::ofstream f(std::filesystem::path(write_dir) / sc.name, std::ios::binary);
            f.write(reinterpret_cast<const char*>(input.data()), static_cast<std::streamsize>(input.size()));
            REQUIRE(f.good());
        }
    }
}

/// Checks that the committed seeds in `corpus` still reach their states.
inline void replay_committed(const std::vector<Scenario>& scenarios, const EngineConfig& responder_config,
                             const std::filesystem::path& corpus, const char* test_file)
{
    for (const auto& sc : scenarios) {
        INFO("seed " << sc.name << " (stale? regenerate: see the top of " << test_file << ")");
        std::ifstream f(corpus / sc.name, std::ios::binary);
        REQUIRE(f.good());
        const std::vector<std::uint8_t> input{std::istreambuf_iterator<char>(f), {}};
        check_reached(replay(input, responder_config), sc.expect);
    }
}

}  // namespace picsec::ike::fuzz::seeds
