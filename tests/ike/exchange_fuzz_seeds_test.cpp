// Seed corpus of fuzz/fuzz_responder: real initiator conversations recorded
// against the fuzz target's own responder, replayed to check they still reach
// deep states. Regenerate with
//   PICSEC_WRITE_FUZZ_SEEDS=fuzz/corpus/fuzz_responder test_ike_exchange "[fuzz]"
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

const std::filesystem::path k_corpus = std::filesystem::path(PICSEC_TEST_DATA) / "../../../fuzz/corpus/fuzz_responder";

/// The initiator side of a recording: collects what its engine sends.
class InitiatorNode : public Callbacks {
public:
    struct Out {
        Endpoint from, to;
        std::vector<std::uint8_t> bytes;
    };
    std::deque<Out> outbox;
    unsigned p2_up = 0;
    void send_datagram(const Endpoint& from, const Endpoint& to, std::span<const std::uint8_t> b) override
    {
        outbox.push_back(Out{from, to, {b.begin(), b.end()}});
    }
    InstallResult install_sa(const DynamicSaPair&) override { return InstallResult::installed(); }
    void delete_sa(const SaPairId&) override {}
    void phase2_up(const IpsecSaInfo&) override { ++p2_up; }
};

/// An initiator engine talking to the fuzz responder; every datagram the
/// initiator sends becomes one record.
class Recording {
public:
    explicit Recording(EngineConfig cfg)
    {
        cfg.logger = quiet_logger();
        initiator = std::make_unique<Engine>(std::move(cfg), node, m_rng);
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
    Botan::ChaCha_RNG m_rng{Botan::secure_vector<std::uint8_t>(32, 0x17)};
    std::uint64_t m_now = 0;
};

/// The initiator mirror of responder_config(), bringing up `sa` on start.
EngineConfig initiator_config(const std::string& sa)
{
    auto c = responder_config();
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

struct Expect {
    unsigned phase1_up;
    unsigned phase2_up;
    std::size_t installed;
};

struct Scenario {
    std::string name;
    std::function<std::vector<Record>()> record;
    Expect expect;
};

std::vector<Record> converse(EngineConfig cfg, const std::function<void(Recording&)>& after = {})
{
    Recording r(std::move(cfg));
    r.at(0);
    if (after)
        after(r);
    return r.records;
}

std::vector<Scenario> scenarios()
{
    std::vector<Scenario> s;
    // HDR, SA --> / HDR, KE, Ni, NAT-D x2 --> / HDR*, IDii, HASH_I, N(INITIAL-CONTACT) -->
    // HDR*, HASH(1), SA, Ni, IDci, IDcr --> / HDR*, HASH(3) -->. Longer lifetimes
    // than the responder's, so both RESPONDER-LIFETIME notifies are sent.
    s.push_back({"main-esp-responder-lifetime", [] {
                     auto c = initiator_config("tunnel");
                     c.ike_policies[0].proposals[0].lifetime_seconds = 3600;
                     c.ipsec_policies[1].proposals = {c.ipsec_policies[1].proposals[0]};
                     c.ipsec_policies[1].proposals[0].lifetime_seconds = 3600;
                     return converse(c);
                 }, {1, 1, 1}});
    // HDR, SA, KE, Ni, IDii --> / HDR*, HASH_I --> then Quick Mode.
    s.push_back({"aggressive-des-md5", [] {
                     auto c = initiator_config("tunnel");
                     c.local.address = aggressive_initiator_address();
                     c.ike_policies[0].mode = ExchangeMode::Aggressive;
                     c.ike_policies[0].proposals = {responder_config().ike_policies[0].proposals[1]};
                     return converse(c);
                 }, {1, 1, 1}});
    // Quick Mode SA with AH and ESP under one proposal number.
    s.push_back({"main-bundle", [] {
                     auto c = initiator_config("tunnel");
                     c.ipsec_policies[1].proposals = {c.ipsec_policies[1].proposals[1]};
                     return converse(c);
                 }, {1, 1, 1}});
    // Quick Mode with KE (PFS) and /32 client IDs, AH transport.
    s.push_back({"main-pfs-ah-transport", [] { return converse(initiator_config("transport-pfs")); }, {1, 1, 1}});
    // Float to 4500 from message 5 on, non-ESP marker, UDP-encapsulated modes.
    s.push_back({"nat-t-forced", [] {
                     auto c = initiator_config("tunnel");
                     c.force_nat_t = true;
                     return converse(c);
                 }, {1, 1, 1}});
    // After the SA is up: DPD R-U-THERE / ACK, Delete of the IPsec SA, Delete of the IKE SA.
    s.push_back({"dpd-and-deletes", [] {
                     auto c = initiator_config("tunnel");
                     c.timers.dpd_interval_ms = 15000;
                     return converse(c, [](Recording& r) {
                         r.at(16000);
                         r.at(25000);
                         r.at(26000);
                         r.initiator->clear_ipsec("tunnel");
                         r.pump();
                         r.initiator->clear_ike(responder_address());
                         r.pump();
                     });
                 }, {1, 1, 0}});
    // Nothing in common: NO-PROPOSAL-CHOSEN to message 1.
    s.push_back({"mismatch", [] {
                     auto c = initiator_config("tunnel");
                     c.ike_policies[0].proposals[0].encryption = picsec::sadb::EncryptionAlgorithm::Aes128Cbc;
                     return converse(c);
                 }, {0, 0, 0}});
    return s;
}

Expect replay(const std::vector<std::uint8_t>& input)
{
    Responder r;
    for (const auto& rec : split_records(input)) {
        r.feed(rec);
        REQUIRE(r.consistent());
    }
    return {r.phase1_up_count, r.phase2_up_count, r.installed.size()};
}

}  // namespace

TEST_CASE("the responder fuzz input format splits what it joins and survives truncation", "[ike][v1][fuzz]")
{
    std::vector<Record> recs{
        {false, false, 3, {1, 2, 3}}, {true, true, 63, {}}, {false, false, 0, std::vector<std::uint8_t>(300, 7)}};
    const auto bytes = join_records(recs);
    CHECK(bytes.size() == 3 + 3 + 3 + 0 + 3 + 300);
    const auto back = split_records(bytes);
    REQUIRE(back.size() == 3);
    CHECK(back[0].advance_seconds == 3);
    CHECK(back[1].nat_t);
    CHECK(back[1].aggressive_peer);
    CHECK_FALSE(back[0].aggressive_peer);
    CHECK(back[1].advance_seconds == 63);
    CHECK(back[2].bytes == recs[2].bytes);
    // A record cut short takes what is left; a lone control byte is an empty datagram.
    const auto cut = split_records(std::span(bytes).first(bytes.size() - 100));
    REQUIRE(cut.size() == 3);
    CHECK(cut[2].bytes.size() == 200);
    CHECK(split_records(std::vector<std::uint8_t>{0x04}).at(0).bytes.empty());
}

TEST_CASE("recorded initiator conversations replay against the fuzz responder to established SAs", "[ike][v1][fuzz]")
{
    const char* write_dir = std::getenv("PICSEC_WRITE_FUZZ_SEEDS");
    for (const auto& sc : scenarios()) {
        INFO("seed " << sc.name);
        const auto input = join_records(sc.record());
        const auto got = replay(input);
        CHECK(got.phase1_up == sc.expect.phase1_up);
        CHECK(got.phase2_up == sc.expect.phase2_up);
        CHECK(got.installed == sc.expect.installed);
        run_input(input);  // the fuzz target's whole path, expiry included
        if (write_dir) {
            std::ofstream f(std::filesystem::path(write_dir) / sc.name, std::ios::binary);
            f.write(reinterpret_cast<const char*>(input.data()), static_cast<std::streamsize>(input.size()));
            REQUIRE(f.good());
        }
    }
}

TEST_CASE("the committed fuzz_responder seeds still reach the states they were recorded for", "[ike][v1][fuzz]")
{
    for (const auto& sc : scenarios()) {
        INFO("seed " << sc.name << " (stale? regenerate: see the top of exchange_fuzz_seeds_test.cpp)");
        std::ifstream f(k_corpus / sc.name, std::ios::binary);
        REQUIRE(f.good());
        const std::vector<std::uint8_t> input{std::istreambuf_iterator<char>(f), {}};
        const auto got = replay(input);
        CHECK(got.phase1_up == sc.expect.phase1_up);
        CHECK(got.phase2_up == sc.expect.phase2_up);
        CHECK(got.installed == sc.expect.installed);
    }
}
