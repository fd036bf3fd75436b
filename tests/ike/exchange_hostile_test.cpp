// A third party between two engines replays and forges datagrams; none of
// them may change state: no new SA, no float, no teardown, no answer that
// helps an attacker (RFC 2408 2.5.3, RFC 2409 5, RFC 3947 4).
#include "hostile_party.h"

#include <catch2/catch.hpp>

using namespace picsec::ike;
using namespace picsec::ike::test;
using codec::ExchangeType;

namespace {

EngineConfig with_mode(EngineConfig c, ExchangeMode mode)
{
    c.ike_policies.front().mode = mode;
    return c;
}

EngineConfig logging_keys(EngineConfig c)
{
    c.log_keys = true;
    return c;
}

Endpoint from_port(const Datagram& d, std::uint16_t port) { return Endpoint{d.from.address, port}; }

/// A and B with phase 1 and the Quick Mode of "sa1" done, every datagram kept.
struct Established {
    Pair p{make_config("10.0.0.1", "10.0.0.2", true), logging_keys(make_config("10.0.0.2", "10.0.0.1", false))};
    Tap t{p, {}};
    Established()
    {
        p.tick(0);
        t.settle();
        REQUIRE(p.na.p2_up.size() == 1);
        REQUIRE(p.nb.p2_up.size() == 1);
    }
    IkeSaInfo b_ike() const
    {
        const auto sas = p.eb->ike_security_associations();
        REQUIRE(sas.size() == 1);
        return sas.front();
    }
};

/// HDR, SA -->  <-- HDR, SA  HDR, KE, Ni -->  <-- HDR, KE, Nr: both hold
/// keys, and A's HDR*, IDii, HASH_I waits in its outbox.
void through_main_mode_4(Pair& p)
{
    p.tick(0);
    for (int i = 0; i < 2; ++i) {
        REQUIRE(p.a_to_b());
        REQUIRE(p.b_to_a());
    }
}

}  // namespace

TEST_CASE("a responder whose policy says main mode does not answer an aggressive mode first message",
          "[ike][v1][aggressive][hostile]")
{
    Pair p(with_mode(make_config("10.0.0.1", "10.0.0.2", true), ExchangeMode::Aggressive),
           make_config("10.0.0.2", "10.0.0.1", false));
    p.tick(0);
    // HDR, SA, KE, Ni, IDii -->  (no HDR, SA, KE, Nr, IDir, HASH_R: it would
    // let the sender test pre-shared key guesses offline)
    REQUIRE(p.a_to_b());
    CHECK(p.nb.sent == 0);
    CHECK(p.eb->ike_security_associations().empty());
    CHECK(p.log_text.str().find("peer uses aggressive mode, the policy says main mode: no answer") !=
          std::string::npos);
}

TEST_CASE("an aggressive mode responder resends its reply only when the request is retransmitted",
          "[ike][v1][aggressive][hostile]")
{
    Pair p(with_mode(make_config("10.0.0.1", "10.0.0.2", true), ExchangeMode::Aggressive),
           with_mode(make_config("10.0.0.2", "10.0.0.1", false), ExchangeMode::Aggressive));
    p.tick(0);
    const Datagram first = p.na.outbox.front();
    REQUIRE(p.a_to_b());
    REQUIRE(p.nb.sent == 1);
    // <-- HDR, SA, KE, Nr, IDir, HASH_R is lost; the initiator never answers.
    for (std::uint64_t t = 0; t <= 20000; t += 250)
        p.eb->tick(t);
    CHECK(p.nb.sent == 1);
    // The same request again: the same reply, one datagram for one.
    p.eb->received_datagram(first.bytes, first.from, first.to);
    CHECK(p.nb.sent == 2);
    CHECK(p.nb.outbox.back().bytes == p.nb.outbox.front().bytes);
    for (std::uint64_t t = 20000; t <= 40000; t += 250)
        p.eb->tick(t);
    CHECK(p.nb.sent == 2);
    REQUIRE(p.nb.p1_failed.size() == 1);
    CHECK(p.nb.p1_failed[0].reason == FailureReason::Timeout);
}

TEST_CASE("a replayed quick mode 1 is dropped from any source port and installs nothing",
          "[ike][v1][quick][hostile][replay]")
{
    Established e;
    const auto qm1 = e.t.of(ExchangeType::QuickMode).at(0);  // HDR*, HASH(1), SA, Ni, IDci, IDcr -->
    const auto installed = e.p.nb.installed.size();
    const auto sent = e.p.nb.sent;
    for (const std::uint16_t port : {qm1.from.port, std::uint16_t{40001}}) {
        e.p.eb->received_datagram(qm1.bytes, from_port(qm1, port), qm1.to);
        CHECK(e.p.nb.installed.size() == installed);
        CHECK(e.p.nb.p2_up.size() == 1);
        CHECK(e.p.nb.sent == sent);
    }
    CHECK(e.p.log_text.str().find("belongs to a completed exchange: replay dropped") != std::string::npos);
    // A fresh Quick Mode still works.
    REQUIRE(e.p.ea->initiate("sa1"));
    e.t.settle();
    CHECK(e.p.nb.p2_up.size() == 2);
}

TEST_CASE("a replayed R-U-THERE is not answered again", "[ike][v1][dpd][hostile][replay]")
{
    auto a = make_config("10.0.0.1", "10.0.0.2", true);
    a.timers.dpd_interval_ms = 10000;
    Pair p(a, make_config("10.0.0.2", "10.0.0.1", false));
    Tap t{p, {}};
    p.tick(0);
    t.settle();
    p.tick(10000);  // HDR*, HASH(1), N(R-U-THERE) -->  <-- HDR*, HASH(1), N(R-U-THERE-ACK)
    t.settle();
    p.tick(20000);  // the next round, so the first R-U-THERE is not B's last message
    t.settle();
    const auto informationals = t.of(ExchangeType::Informational);
    REQUIRE(informationals.size() == 4);
    const auto sent = p.nb.sent;
    p.eb->received_datagram(informationals[0].bytes, informationals[0].from, informationals[0].to);
    CHECK(p.nb.sent == sent);
}

TEST_CASE("a replay to the NAT-T port does not move an established IKE SA", "[ike][v1][nat-t][hostile][replay]")
{
    Established e;
    const auto qm1 = e.t.of(ExchangeType::QuickMode).at(0);
    const Endpoint nat_t_port{qm1.to.address, 4500};
    for (const std::uint16_t port : {std::uint16_t{4500}, std::uint16_t{40002}})
        e.p.eb->received_datagram(with_nat_t_marker(qm1.bytes), from_port(qm1, port), nat_t_port);
    const auto sa = e.b_ike();
    CHECK_FALSE(sa.nat_traversal);
    CHECK(sa.peer.port == 500);
    CHECK(sa.local.port == 500);
    // What B sends next still goes to the peer's real port.
    e.p.eb->clear_ipsec("sa1");
    REQUIRE_FALSE(e.p.nb.outbox.empty());
    CHECK(e.p.nb.outbox.back().to.port == 500);
    CHECK(e.p.nb.outbox.back().from.port == 500);
}

TEST_CASE("an unprotected NO-PROPOSAL-CHOSEN from another source port does not end a phase 1 in progress",
          "[ike][v1][main][hostile]")
{
    Pair p;
    p.tick(0);
    const auto about = header_of(p.na.outbox.front().bytes);
    // HDR, N(NO-PROPOSAL-CHOSEN) from 10.0.0.2:501, not the responder's port.
    p.ea->received_datagram(unprotected_notify(about, codec::NotifyType::NoProposalChosen),
                            Endpoint{addr("10.0.0.2"), 501}, Endpoint{addr("10.0.0.1"), 500});
    CHECK(p.na.p1_failed.empty());
    p.settle();
    CHECK(p.na.p1_up.size() == 1);
    CHECK(p.na.p2_up.size() == 1);
}

TEST_CASE("an unprotected notify is only logged once phase 1 keys exist", "[ike][v1][main][hostile]")
{
    Pair p;
    through_main_mode_4(p);
    const auto about = header_of(p.na.outbox.front().bytes);
    p.ea->received_datagram(unprotected_notify(about, codec::NotifyType::InvalidPayloadType),
                            Endpoint{addr("10.0.0.2"), 500}, Endpoint{addr("10.0.0.1"), 500});
    CHECK(p.na.p1_failed.empty());
    CHECK(p.log_text.str().find("phase 1 keys exist, so the peer would protect it") != std::string::npos);
    p.settle();
    CHECK(p.na.p1_up.size() == 1);
    CHECK(p.nb.p1_up.size() == 1);
}

TEST_CASE("encrypted garbage after main mode 4 is dropped and the phase 1 completes", "[ike][v1][main][hostile]")
{
    Pair p;
    through_main_mode_4(p);
    // 16 bytes that decrypt to no payloads, with the SA's cookies, before HDR*, IDii, HASH_I.
    const auto about = header_of(p.na.outbox.front().bytes);
    p.eb->received_datagram(encrypted_garbage(about, 16), Endpoint{addr("10.0.0.1"), 500},
                            Endpoint{addr("10.0.0.2"), 500});
    CHECK(p.nb.p1_failed.empty());
    CHECK(p.nb.sent == 2);
    p.settle();
    CHECK(p.na.p1_up.size() == 1);
    CHECK(p.nb.p1_up.size() == 1);
    CHECK(p.nb.p2_up.size() == 1);
}

TEST_CASE("a protected D(ISAKMP) deletes the IKE SA only when it names that SA's cookies",
          "[ike][v1][informational][hostile]")
{
    Established e;
    const auto keys = logged_keys(e.p.log_text.str());
    REQUIRE(keys);
    const auto main_mode = e.t.of(ExchangeType::IdentityProtection);
    const auto& last_phase1 = main_mode.back().bytes;  // <-- HDR*, IDir, HASH_R
    const auto about = header_of(last_phase1);
    auto delete_isakmp = [&](std::vector<std::uint8_t> spi, std::uint32_t msgid) {
        codec::DeletePayload d;
        d.protocol = codec::ProtocolId::Isakmp;
        d.spi_size = 16;
        d.spis = {std::move(spi)};
        const auto bytes = protected_informational(*keys, about, last_phase1, msgid, {codec::make_payload(d)});
        e.p.eb->received_datagram(bytes, Endpoint{addr("10.0.0.1"), 500}, Endpoint{addr("10.0.0.2"), 500});
    };
    std::vector<std::uint8_t> other(16, 0x42);
    delete_isakmp(other, 0x01020304);
    CHECK(e.b_ike().state == IkeSaState::Established);
    CHECK(e.p.nb.ike_deleted.empty());
    CHECK(e.p.log_text.str().find("D(ISAKMP) names other cookies than this SA's, ignored") != std::string::npos);
    // The same forger naming the right cookies: the SA goes, so the message above was authentic.
    std::vector<std::uint8_t> ours(about.initiator_cookie.begin(), about.initiator_cookie.end());
    ours.insert(ours.end(), about.responder_cookie.begin(), about.responder_cookie.end());
    delete_isakmp(ours, 0x01020305);
    REQUIRE(e.p.nb.ike_deleted.size() == 1);
    CHECK(e.p.nb.ike_deleted[0].second == DeleteReason::PeerDelete);
}
