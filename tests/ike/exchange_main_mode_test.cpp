// Main Mode + Quick Mode between two in-memory engines, step by step.
#include "exchange_harness.h"
#include "mirrored_pairs.h"

#include <catch2/catch.hpp>

using namespace picsec::ike;
using namespace picsec::ike::test;

TEST_CASE("main mode and quick mode without PFS install matching SA pairs on both sides", "[ike][v1][main][quick]")
{
    Pair p;
    p.tick(0);  // A initiates sa1 on start
    // HDR, SA, VID, VID -->
    REQUIRE(p.na.outbox.size() == 1);
    REQUIRE(p.a_to_b());
    // <-- HDR, SA, VID, VID
    REQUIRE(p.nb.outbox.size() == 1);
    REQUIRE(p.b_to_a());
    // HDR, KE, Ni, NAT-D, NAT-D -->
    REQUIRE(p.a_to_b());
    // <-- HDR, KE, Nr, NAT-D, NAT-D
    REQUIRE(p.b_to_a());
    // HDR*, IDii, HASH_I, N(INITIAL-CONTACT) -->
    REQUIRE(p.a_to_b());
    REQUIRE(p.nb.p1_up.size() == 1);
    // <-- HDR*, IDir, HASH_R
    REQUIRE(p.b_to_a());
    REQUIRE(p.na.p1_up.size() == 1);
    CHECK(p.na.p1_up[0].initiator_cookie == p.nb.p1_up[0].initiator_cookie);
    CHECK(p.na.p1_up[0].responder_cookie == p.nb.p1_up[0].responder_cookie);
    // HDR*, HASH(1), SA, Ni, IDci, IDcr -->
    REQUIRE(p.a_to_b());
    // B installs before answering.
    REQUIRE(p.nb.installed.size() == 1);
    // <-- HDR*, HASH(2), SA, Nr, IDci, IDcr
    REQUIRE(p.b_to_a());
    REQUIRE(p.na.installed.size() == 1);
    // HDR*, HASH(3) -->
    REQUIRE(p.a_to_b());
    CHECK(p.na.outbox.empty());
    CHECK(p.nb.outbox.empty());

    // A's outbound is B's inbound, with the same keys.
    check_mirrored_pairs(p.na, p.nb);
    const auto& a = p.na.installed.begin()->second;
    CHECK(a.inbound.encryption_key.size() == 24);
    CHECK(a.inbound.authentication_key.size() == 20);
    CHECK(a.inbound.replay_window == 32);
    CHECK(a.inbound.mode == picsec::sadb::Mode::Tunnel);
    CHECK(a.inbound.dynamic);
    CHECK_FALSE(a.inbound.udp_encapsulation.has_value());
    REQUIRE(p.ea->ike_security_associations().size() == 1);
    CHECK(p.ea->ike_security_associations()[0].state == IkeSaState::Established);
    REQUIRE(p.eb->ipsec_security_associations().size() == 1);
    CHECK(p.eb->ipsec_security_associations()[0].name == "sa1");
}

TEST_CASE("quick mode with PFS derives different keys for every group", "[ike][v1][quick][pfs]")
{
    for (auto group : {picsec::ike::crypto::DhGroup::Modp768, picsec::ike::crypto::DhGroup::Modp1024,
                       picsec::ike::crypto::DhGroup::Modp1536, picsec::ike::crypto::DhGroup::Modp2048}) {
        auto a = make_config("10.0.0.1", "10.0.0.2", true);
        auto b = make_config("10.0.0.2", "10.0.0.1", false);
        a.ipsec_policies[0].pfs_group = group;
        b.ipsec_policies[0].pfs_group = group;
        Pair p(a, b);
        p.tick(0);
        p.settle();
        REQUIRE(p.na.installed.size() == 1);
        REQUIRE(p.nb.installed.size() == 1);
        const auto& ia = p.na.installed.begin()->second;
        const auto& ib = p.nb.installed.begin()->second;
        CHECK(ia.outbound.encryption_key == ib.inbound.encryption_key);
        CHECK(ia.inbound.authentication_key == ib.outbound.authentication_key);
        REQUIRE(p.na.p2_up.size() == 1);
        CHECK(p.na.p2_up[0].pfs_group == group);
    }
}

TEST_CASE("a proposal mismatch fails phase 1 with NO-PROPOSAL-CHOSEN and a mismatch report", "[ike][v1][main][failure]")
{
    auto a = make_config("10.0.0.1", "10.0.0.2", true);
    auto b = make_config("10.0.0.2", "10.0.0.1", false);
    b.ike_policies[0].proposals[0].encryption = picsec::sadb::EncryptionAlgorithm::Aes128Cbc;
    Pair p(a, b);
    p.tick(0);
    REQUIRE(p.a_to_b());
    REQUIRE(p.nb.p1_failed.size() == 1);
    CHECK(p.nb.p1_failed[0].reason == FailureReason::NoProposalChosen);
    CHECK_THAT(p.nb.p1_failed[0].detail, Catch::Contains("encryption-algorithm"));
    CHECK_THAT(p.nb.p1_failed[0].detail, Catch::Contains("3des-cbc"));
    // <-- HDR, N(NO-PROPOSAL-CHOSEN)
    REQUIRE(p.b_to_a());
    REQUIRE(p.na.p1_failed.size() == 1);
    CHECK(p.na.p1_failed[0].notify == 14);
    CHECK(p.eb->ike_security_associations().empty());
    CHECK(p.na.installed.empty());
}

TEST_CASE("a wrong pre-shared key fails authentication and installs nothing", "[ike][v1][main][failure]")
{
    auto a = make_config("10.0.0.1", "10.0.0.2", true);
    auto b = make_config("10.0.0.2", "10.0.0.1", false);
    b.ike_policies[0].pre_shared_key = psk("not-the-key");
    Pair p(a, b);
    p.tick(0);
    p.settle();
    // B's keys differ from A's, so HDR*, IDii, HASH_I does not decrypt to
    // payloads. Anyone could have sent such a message, so B drops it and
    // waits; A retransmits it until it gives up, B's half-open SA times out.
    CHECK(p.nb.p1_failed.empty());
    CHECK(p.na.p1_failed.empty());
    for (std::uint64_t t = 0; t <= 40000; t += 500) {
        p.tick(t);
        p.settle();
    }
    REQUIRE(p.nb.p1_failed.size() == 1);
    CHECK(p.nb.p1_failed[0].reason == FailureReason::AuthenticationFailed);
    CHECK(p.nb.p1_failed[0].detail.find("pre-shared key mismatch?") != std::string::npos);
    REQUIRE(p.na.p1_failed.size() == 1);
    CHECK(p.na.p1_failed[0].reason == FailureReason::Timeout);
    CHECK(p.na.installed.empty());
    CHECK(p.nb.installed.empty());
    CHECK(p.na.p1_up.empty());
    CHECK(p.nb.p1_up.empty());
}

TEST_CASE("a retransmitted main mode request gets the same answer, not a new state", "[ike][v1][main][retransmit]")
{
    Pair p;
    p.tick(0);
    REQUIRE(p.a_to_b());
    const auto first = p.nb.outbox.front().bytes;
    p.drop_from_b();  // B's answer is lost
    p.tick(600);      // A retransmits after 500 ms
    REQUIRE(p.na.outbox.size() == 1);
    REQUIRE(p.a_to_b());
    REQUIRE(p.nb.outbox.size() == 1);
    CHECK(p.nb.outbox.front().bytes == first);
    CHECK(p.eb->ike_security_associations().size() == 1);
    p.settle();
    CHECK(p.na.installed.size() == 1);
    CHECK(p.nb.installed.size() == 1);
}

TEST_CASE("a silent peer is retried with backoff and then given up", "[ike][v1][main][retransmit]")
{
    Pair p;
    p.tick(0);
    std::uint64_t t = 0;
    std::vector<std::uint64_t> resend_times;
    for (; t < 120000; t += 100) {
        const auto before = p.na.sent;
        p.ea->tick(t);
        if (p.na.sent != before)
            resend_times.push_back(t);
        p.na.outbox.clear();
    }
    REQUIRE(resend_times.size() == 5);  // max_retries
    // 500, 1000, 2000, 4000, 8000 ms apart
    CHECK(resend_times[1] - resend_times[0] >= 1000);
    CHECK(resend_times[2] - resend_times[1] >= 2000);
    REQUIRE(p.na.p1_failed.size() == 1);
    CHECK(p.na.p1_failed[0].reason == FailureReason::Timeout);
    REQUIRE(p.na.p2_failed.size() == 1);
    CHECK(p.ea->ike_security_associations().empty());
}
