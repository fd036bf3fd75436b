// Seed corpus of fuzz/fuzz_ikev2_responder: real IKEv2 initiator
// conversations (RFC 7296) recorded against the fuzz target's own responder,
// replayed to check they still reach the states they were recorded for.
// Regenerate with
//   PICSEC_WRITE_FUZZ_SEEDS_V2=fuzz/corpus/fuzz_ikev2_responder test_ike_exchange "[ikev2][fuzz]"
#include "fuzz_seed_recording.h"

using namespace picsec::ike;
using namespace picsec::ike::fuzz;
using namespace picsec::ike::fuzz::seeds;

namespace {

const std::filesystem::path k_corpus =
    std::filesystem::path(PICSEC_TEST_DATA) / "../../../fuzz/corpus/fuzz_ikev2_responder";

/// The initiator mirror of v2_responder_config(): one IKE policy, bringing up `sa` on start.
EngineConfig v2_initiator_config(const std::string& sa)
{
    auto c = v2_responder_config();
    c.ike_policies.resize(1);
    return mirror(std::move(c), sa);
}

std::vector<Record> v2_converse(EngineConfig cfg, const std::function<void(Recording&)>& after = {})
{
    Recording r(std::move(cfg), v2_responder_config(), 0x27);
    r.at(0);
    if (after)
        after(r);
    return r.records;
}

std::vector<Scenario> v2_scenarios()
{
    std::vector<Scenario> s;
    // HDR, SAi1, KEi, Ni, N(NAT_D)x2 -->  HDR, SK {IDi, AUTH, SAi2, TSi, TSr} -->
    // then a liveness check at 25 s (HDR, SK {} -->).
    s.push_back({"ikev2-tunnel-liveness", [] {
                     auto c = v2_initiator_config("tunnel");
                     c.timers.dpd_interval_ms = 20000;
                     return v2_converse(c, [](Recording& r) { r.at(25000); });
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
                     return v2_converse(v2_initiator_config("tunnel"), [](Recording& r) {
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

}  // namespace

TEST_CASE("recorded IKEv2 initiator conversations replay against the fuzz responder to established SAs",
          "[ike][ikev2][fuzz]")
{
    record_and_replay(v2_scenarios(), v2_responder_config(), "PICSEC_WRITE_FUZZ_SEEDS_V2");
}

TEST_CASE("the committed fuzz_ikev2_responder seeds still reach the states they were recorded for",
          "[ike][ikev2][fuzz]")
{
    replay_committed(v2_scenarios(), v2_responder_config(), k_corpus, "exchange_fuzz_seeds_v2_test.cpp");
}
