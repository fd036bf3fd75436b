// Seed corpus of fuzz/fuzz_ikev2_responder: real IKEv2 initiator
// conversations (RFC 7296) recorded against the fuzz target's own responder,
// replayed to check they still reach the states they were recorded for.
// Regenerate with
//   PICSEC_WRITE_FUZZ_SEEDS_V2=fuzz/corpus/fuzz_ikev2_responder test_ike_exchange "[ikev2][fuzz]"
#include "../../fuzz/responder_harness.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>

using namespace picsec::ike;
using namespace picsec::ike::fuzz;

namespace {

const std::filesystem::path k_corpus =
    std::filesystem::path(PICSEC_TEST_DATA) / "../../../fuzz/corpus/fuzz_ikev2_responder";

/// The initiator side of a recording: collects what its engine sends.
class V2InitiatorNode : public Callbacks {
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

/// An IKEv2 initiator engine talking to the fuzz target's responder; every
/// datagram the initiator sends becomes one record.
class V2Recording {
public:
    explicit V2Recording(EngineConfig cfg)
    {
        cfg.logger = quiet_logger();
        initiator = std::make_unique<Engine>(std::move(cfg), node, m_rng);
    }
    /// Sets the clock to `t_ms` (whole seconds), ticks both sides, and runs
    /// the conversation until both are quiet.
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

    V2InitiatorNode node;
    Responder responder{v2_responder_config()};
    std::unique_ptr<Engine> initiator;
    std::vector<Record> records;

private:
    Botan::ChaCha_RNG m_rng{Botan::secure_vector<std::uint8_t>(32, 0x27)};
    std::uint64_t m_now = 0;
};

/// The initiator mirror of v2_responder_config(), bringing up `sa` on start.
EngineConfig v2_initiator_config(const std::string& sa)
{
    auto c = v2_responder_config();
    c.local = Endpoint{initiator_address(), 500};
    c.ike_policies.resize(1);
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

struct V2Expect {
    unsigned phase1_up;
    unsigned phase2_up;
    std::size_t installed;
};

struct V2Scenario {
    std::string name;
    std::function<std::vector<Record>()> record;
    V2Expect expect;
};

std::vector<Record> v2_converse(EngineConfig cfg, const std::function<void(V2Recording&)>& after = {})
{
    V2Recording r(std::move(cfg));
    r.at(0);
    if (after)
        after(r);
    return r.records;
}

std::vector<V2Scenario> v2_scenarios()
{
    std::vector<V2Scenario> s;
    // HDR, SAi1, KEi, Ni, N(NAT_D)x2 -->  HDR, SK {IDi, AUTH, SAi2, TSi, TSr} -->
    // then a liveness check at 25 s (HDR, SK {} -->).
    s.push_back({"ikev2-tunnel-liveness", [] {
                     auto c = v2_initiator_config("tunnel");
                     c.timers.dpd_interval_ms = 20000;
                     return v2_converse(c, [](V2Recording& r) { r.at(25000); });
                 }, {1, 1, 1}});
    // The Child SA in transport mode: N(USE_TRANSPORT_MODE) in IKE_AUTH.
    s.push_back({"ikev2-transport", [] { return v2_converse(v2_initiator_config("transport-pfs")); }, {1, 1, 1}});
    // A NAT in between (forced): IKE_AUTH and the rest on port 4500 with the non-ESP marker.
    s.push_back({"ikev2-nat-t", [] {
                     auto c = v2_initiator_config("tunnel");
                     c.force_nat_t = true;
                     return v2_converse(c);
                 }, {1, 1, 1}});
    // INFORMATIONAL: HDR, SK {D(ESP)} -->  then HDR, SK {D(IKE)} -->
    s.push_back({"ikev2-deletes", [] {
                     return v2_converse(v2_initiator_config("tunnel"), [](V2Recording& r) {
                         r.initiator->clear_ipsec("tunnel");
                         r.pump();
                         r.initiator->clear_ike(responder_address());
                         r.pump();
                     });
                 }, {1, 1, 0}});
    // The second IKE proposal (AES-128, SHA-256, MODP-1024).
    s.push_back({"ikev2-aes-sha256-g2", [] {
                     auto c = v2_initiator_config("tunnel");
                     c.ike_policies[0].proposals = {v2_responder_config().ike_policies[0].proposals[1]};
                     return v2_converse(c);
                 }, {1, 1, 1}});
    return s;
}

struct V2Got {
    unsigned phase1_up = 0;
    unsigned phase2_up = 0;
    std::size_t installed = 0;
};

V2Got v2_replay(std::span<const std::uint8_t> input)
{
    Responder r(v2_responder_config());
    for (const auto& rec : split_records(input))
        r.feed(rec);
    return {r.phase1_up_count, r.phase2_up_count, r.installed.size()};
}

}  // namespace

TEST_CASE("recorded IKEv2 initiator conversations replay against the fuzz responder to established SAs",
          "[ike][ikev2][fuzz]")
{
    const char* write_dir = std::getenv("PICSEC_WRITE_FUZZ_SEEDS_V2");
    for (const auto& sc : v2_scenarios()) {
        INFO("seed " << sc.name);
        const auto input = join_records(sc.record());
        const auto got = v2_replay(input);
        CHECK(got.phase1_up == sc.expect.phase1_up);
        CHECK(got.phase2_up == sc.expect.phase2_up);
        CHECK(got.installed == sc.expect.installed);
        run_input(input, v2_responder_config());  // the fuzz target's whole path, expiry included
        if (write_dir) {
            std::ofstream f(std::filesystem::path(write_dir) / sc.name, std::ios::binary);
            f.write(reinterpret_cast<const char*>(input.data()), static_cast<std::streamsize>(input.size()));
            REQUIRE(f.good());
        }
    }
}

TEST_CASE("the committed fuzz_ikev2_responder seeds still reach the states they were recorded for",
          "[ike][ikev2][fuzz]")
{
    for (const auto& sc : v2_scenarios()) {
        INFO("seed " << sc.name << " (stale? regenerate: see the top of exchange_fuzz_seeds_v2_test.cpp)");
        std::ifstream f(k_corpus / sc.name, std::ios::binary);
        REQUIRE(f.good());
        const std::vector<std::uint8_t> input{std::istreambuf_iterator<char>(f), {}};
        const auto got = v2_replay(input);
        CHECK(got.phase1_up == sc.expect.phase1_up);
        CHECK(got.phase2_up == sc.expect.phase2_up);
        CHECK(got.installed == sc.expect.installed);
    }
}
