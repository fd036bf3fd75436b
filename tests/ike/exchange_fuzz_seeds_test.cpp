// Seed corpus of fuzz/fuzz_responder: real initiator conversations recorded
// against the fuzz target's own responder, replayed to check they still reach
// deep states. Regenerate with
//   PICSEC_WRITE_FUZZ_SEEDS=fuzz/corpus/fuzz_responder test_ike_exchange "[fuzz]"
#include "fuzz_seed_recording.h"

using namespace picsec::ike;
using namespace picsec::ike::fuzz;
using namespace picsec::ike::fuzz::seeds;

namespace {

const std::filesystem::path k_corpus = std::filesystem::path(PICSEC_TEST_DATA) / "../../../fuzz/corpus/fuzz_responder";

EngineConfig initiator_config(const std::string& sa) { return mirror(responder_config(), sa); }

std::vector<Record> converse(EngineConfig cfg, const std::function<void(Recording&)>& after = {})
{
    Recording r(std::move(cfg), responder_config(), 0x17);
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
    record_and_replay(scenarios(), responder_config(), "PICSEC_WRITE_FUZZ_SEEDS");
}

TEST_CASE("the committed fuzz_responder seeds still reach the states they were recorded for", "[ike][v1][fuzz]")
{
    replay_committed(scenarios(), responder_config(), k_corpus, "exchange_fuzz_seeds_test.cpp");
}
