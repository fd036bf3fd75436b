// Aggressive Mode, phase-2 failures, admission limit, Delete, lifetimes and
// NAT-T between two in-memory engines.
#include "exchange_harness.h"

#include <catch2/catch.hpp>

using namespace picsec::ike;
using namespace picsec::ike::test;

TEST_CASE("aggressive mode with a pre-shared key brings up phase 1 in three messages", "[ike][v1][aggressive]")
{
    auto a = make_config("10.0.0.1", "10.0.0.2", true);
    auto b = make_config("10.0.0.2", "10.0.0.1", false);
    a.ike_policies[0].mode = ExchangeMode::Aggressive;
    b.ike_policies[0].mode = ExchangeMode::Aggressive;
    Pair p(a, b);
    p.tick(0);
    // HDR, SA, KE, Ni, IDii -->
    REQUIRE(p.a_to_b());
    // <-- HDR, SA, KE, Nr, IDir, HASH_R
    REQUIRE(p.b_to_a());
    REQUIRE(p.na.p1_up.size() == 1);
    CHECK(p.na.p1_up[0].mode == ExchangeMode::Aggressive);
    // HDR*, HASH_I -->  (then Quick Mode follows from A)
    REQUIRE(p.a_to_b());
    REQUIRE(p.nb.p1_up.size() == 1);
    p.settle();
    CHECK(p.na.installed.size() == 1);
    CHECK(p.nb.installed.size() == 1);
}

TEST_CASE("aggressive mode with a wrong pre-shared key fails on HASH_R with INVALID-HASH-INFORMATION", "[ike][v1][aggressive][failure]")
{
    auto a = make_config("10.0.0.1", "10.0.0.2", true);
    auto b = make_config("10.0.0.2", "10.0.0.1", false);
    a.ike_policies[0].mode = ExchangeMode::Aggressive;
    b.ike_policies[0].mode = ExchangeMode::Aggressive;
    b.ike_policies[0].pre_shared_key = psk("wrong");
    Pair p(a, b);
    p.tick(0);
    p.settle();
    REQUIRE(p.na.p1_failed.size() == 1);
    CHECK(p.na.p1_failed[0].reason == FailureReason::AuthenticationFailed);
    CHECK(p.na.p1_failed[0].notify == 23);
    CHECK(p.na.installed.empty());
    CHECK(p.nb.installed.empty());
}

TEST_CASE("a quick mode proposal mismatch is refused with NO-PROPOSAL-CHOSEN and explained", "[ike][v1][quick][failure]")
{
    auto a = make_config("10.0.0.1", "10.0.0.2", true);
    auto b = make_config("10.0.0.2", "10.0.0.1", false);
    b.ipsec_policies[0].proposals[0].authentication = picsec::sadb::AuthenticationAlgorithm::HmacMd5_96;
    Pair p(a, b);
    p.tick(0);
    p.settle();
    REQUIRE(p.na.p1_up.size() == 1);
    REQUIRE(p.nb.p2_failed.size() == 1);
    CHECK(p.nb.p2_failed[0].reason == FailureReason::NoProposalChosen);
    CHECK_THAT(p.nb.p2_failed[0].detail, Catch::Contains("authentication-algorithm"));
    REQUIRE(p.na.p2_failed.size() == 1);
    CHECK(p.na.p2_failed[0].notify == 14);
    CHECK(p.na.installed.empty());
    CHECK(p.nb.installed.empty());
}

TEST_CASE("the 513th SA on a PIC is refused cleanly and the peer is told", "[ike][v1][quick][admission]")
{
    Pair p;
    for (std::uint32_t i = 0; i < 512; ++i)
        p.nb.installed.emplace(0x1000000 + i, DynamicSaPair{});
    p.tick(0);
    p.settle();
    CHECK(p.nb.refused == 1);
    CHECK(p.nb.installed.size() == 512);
    REQUIRE(p.nb.p2_failed.size() == 1);
    CHECK(p.nb.p2_failed[0].reason == FailureReason::AdmissionLimit);
    REQUIRE(p.na.p2_failed.size() == 1);
    CHECK(p.na.p2_failed[0].notify == 14);
    CHECK(p.na.installed.empty());
    CHECK(p.ea->ipsec_security_associations().empty());
    CHECK_THAT(p.log_text.str(), Catch::Contains("admission limit"));
}

TEST_CASE("clearing an ipsec SA deletes it on both sides with a Delete payload", "[ike][v1][informational][delete]")
{
    Pair p;
    p.tick(0);
    p.settle();
    REQUIRE(p.nb.installed.size() == 1);
    p.ea->clear_ipsec("sa1");
    CHECK(p.na.installed.empty());
    // HDR*, HASH(1), D -->
    REQUIRE(p.a_to_b());
    CHECK(p.nb.installed.empty());
    CHECK(p.nb.deleted.size() == 1);
    CHECK(p.eb->ipsec_security_associations().empty());
}

TEST_CASE("clearing the IKE SA tells the peer, which removes its IKE SA", "[ike][v1][informational][delete]")
{
    Pair p;
    p.tick(0);
    p.settle();
    p.ea->clear_ike(addr("10.0.0.2"));
    REQUIRE(p.a_to_b());
    p.tick(1);
    CHECK(p.ea->ike_security_associations().empty());
    CHECK(p.eb->ike_security_associations().empty());
}

TEST_CASE("ipsec SAs are rekeyed before hard expiry and the old pair is removed", "[ike][v1][lifetime][rekey]")
{
    auto a = make_config("10.0.0.1", "10.0.0.2", true);
    auto b = make_config("10.0.0.2", "10.0.0.1", false);
    a.ipsec_policies[0].proposals[0].lifetime_seconds = 300;
    b.ipsec_policies[0].proposals[0].lifetime_seconds = 300;
    a.timers.rekey_margin_ms = 30000;
    a.timers.rekey_jitter_ms = 5000;
    Pair p(a, b);
    p.tick(0);
    p.settle();
    REQUIRE(p.na.installed.size() == 1);
    const auto first_spi = p.na.installed.begin()->first;
    std::uint64_t t = 0;
    for (; t < 300000 && p.na.p2_up.size() < 2; t += 1000) {
        p.tick(t);
        p.settle();
    }
    REQUIRE(p.na.p2_up.size() == 2);
    CHECK(t >= 300000 - 35000 - 1000);
    CHECK(t <= 300000 - 30000 + 1000);
    CHECK(p.na.installed.size() == 1);
    CHECK(p.na.installed.begin()->first != first_spi);
    CHECK(p.nb.installed.size() == 1);
    CHECK(p.ea->ipsec_security_associations().size() == 1);
}

TEST_CASE("an ipsec SA that reaches hard expiry without rekey is removed", "[ike][v1][lifetime]")
{
    auto a = make_config("10.0.0.1", "10.0.0.2", true);
    auto b = make_config("10.0.0.2", "10.0.0.1", false);
    a.ipsec_policies[0].proposals[0].lifetime_seconds = 200;
    b.ipsec_policies[0].proposals[0].lifetime_seconds = 200;
    Pair p(a, b);
    p.tick(0);
    p.settle();
    REQUIRE(p.nb.installed.size() == 1);
    // B is the responder: it never rekeys; at hard expiry it deletes.
    p.eb->tick(200001);
    CHECK(p.nb.installed.empty());
    CHECK(p.nb.deleted.size() == 1);
}

TEST_CASE("forced NAT-T floats to port 4500 with the non-ESP marker and UDP-encapsulated SAs", "[ike][v1][natt]")
{
    auto a = make_config("10.0.0.1", "10.0.0.2", true);
    auto b = make_config("10.0.0.2", "10.0.0.1", false);
    a.force_nat_t = true;
    Pair p(a, b);
    p.tick(0);
    for (int i = 0; i < 2; ++i) {
        REQUIRE(p.a_to_b());
        REQUIRE(p.b_to_a());
    }
    // HDR*, IDii, HASH_I goes to 4500 behind a non-ESP marker.
    REQUIRE(p.na.outbox.size() == 1);
    CHECK(p.na.outbox.front().to.port == 4500);
    CHECK(p.na.outbox.front().from.port == 4500);
    REQUIRE(p.na.outbox.front().bytes.size() > 4);
    CHECK(p.na.outbox.front().bytes[0] == 0);
    CHECK(p.na.outbox.front().bytes[3] == 0);
    // The responder answers message 5 from 4500 to 4500, marker included
    // (strongSwan's libipsec otherwise keeps ESP on port 500).
    REQUIRE(p.a_to_b());
    REQUIRE(p.nb.outbox.size() == 1);
    CHECK(p.nb.outbox.front().from.port == 4500);
    CHECK(p.nb.outbox.front().to.port == 4500);
    CHECK(p.nb.outbox.front().bytes[0] == 0);
    p.settle();
    REQUIRE(p.na.installed.size() == 1);
    REQUIRE(p.nb.installed.size() == 1);
    CHECK(p.na.installed.begin()->second.outbound.udp_encapsulation.has_value());
    CHECK(p.nb.installed.begin()->second.inbound.udp_encapsulation.has_value());
    CHECK(p.ea->ike_security_associations()[0].nat_traversal);
}

TEST_CASE("a retransmitted quick mode 1 is answered from the cache, installing once", "[ike][v1][quick][retransmit]")
{
    Pair p;
    p.tick(0);
    for (int i = 0; i < 3; ++i) {
        REQUIRE(p.a_to_b());
        REQUIRE(p.b_to_a());
    }
    REQUIRE(p.na.outbox.size() == 1);  // quick mode 1
    const auto qm1 = p.na.outbox.front();
    REQUIRE(p.a_to_b());
    p.drop_from_b();  // quick mode 2 lost
    p.eb->received_datagram(qm1.bytes, qm1.from, qm1.to);
    CHECK(p.nb.installed.size() == 1);
    p.settle();
    CHECK(p.na.installed.size() == 1);
    CHECK(p.nb.installed.size() == 1);
}

TEST_CASE("garbage datagrams create no state and get no answer", "[ike][v1][hostile]")
{
    Pair p;
    std::vector<std::uint8_t> junk(60, 0x41);
    p.eb->received_datagram(junk, Endpoint{addr("10.0.0.1"), 500}, Endpoint{addr("10.0.0.2"), 500});
    junk.resize(3);
    p.eb->received_datagram(junk, Endpoint{addr("10.0.0.1"), 500}, Endpoint{addr("10.0.0.2"), 500});
    CHECK(p.nb.outbox.empty());
    CHECK(p.eb->ike_security_associations().empty());
}
