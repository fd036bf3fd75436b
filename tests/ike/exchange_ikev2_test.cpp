// IKEv2 between two engines (RFC 7296): IKE_SA_INIT + IKE_AUTH with a
// pre-shared key and the first Child SA, the refusals, the message-ID window,
// INFORMATIONAL deletes and liveness checks, and hostile datagrams.
#include <catch2/catch.hpp>

#include "exchange_harness.h"
#include "mirrored_pairs.h"

using namespace picsec;
using namespace picsec::ike;
using namespace picsec::ike::test;

namespace {

EngineConfig v2_config(const char* self, const char* peer, bool initiator) {
    auto c = make_config(self, peer, initiator);
    for (auto& p : c.ike_policies) p.version = IkeVersion::V2;
    return c;
}

struct V2Pair : Pair {
    V2Pair() : Pair(v2_config("10.0.0.1", "10.0.0.2", true), v2_config("10.0.0.2", "10.0.0.1", false)) {}
    V2Pair(EngineConfig a, EngineConfig b) : Pair(std::move(a), std::move(b)) {}
};

// The pair each side installed mirrors the other's: same SPIs crossed, same keys.
void check_mirrored(const RecordingNode& a, const RecordingNode& b) {
    check_mirrored_pairs(a, b);
    const auto& pa = a.installed.begin()->second;
    CHECK(pa.inbound.encryption_key.size() == 24);
    CHECK(pa.inbound.authentication_key.size() == 20);
}

std::uint8_t exchange_of(const Datagram& d) { return d.bytes.size() > 18 ? d.bytes[18] : 0; }

}  // namespace

TEST_CASE("two engines establish an IKEv2 SA and its Child SA with a pre-shared key", "[ike][ikev2]") {
    V2Pair p;
    p.tick(0);
    REQUIRE(p.na.outbox.size() == 1);
    CHECK(exchange_of(p.na.outbox.front()) == 34);  // IKE_SA_INIT
    p.settle();
    REQUIRE(p.na.p1_up.size() == 1);
    REQUIRE(p.nb.p1_up.size() == 1);
    CHECK(p.na.p1_up[0].version == IkeVersion::V2);
    CHECK(p.na.p1_up[0].initiator_cookie == p.nb.p1_up[0].initiator_cookie);
    CHECK(p.na.p1_up[0].responder_cookie == p.nb.p1_up[0].responder_cookie);
    CHECK(p.na.p1_up[0].peer_identity == "10.0.0.2");
    CHECK(p.nb.p1_up[0].peer_identity == "10.0.0.1");
    REQUIRE(p.na.p2_up.size() == 1);
    REQUIRE(p.nb.p2_up.size() == 1);
    check_mirrored(p.na, p.nb);
    CHECK(p.na.p2_up[0].name == "sa1");
    CHECK(p.nb.p2_up[0].name == "sa1");
    const auto sas = p.ea->ike_security_associations();
    REQUIRE(sas.size() == 1);
    CHECK(sas[0].state == IkeSaState::Established);
    // Four messages in all: IKE_SA_INIT and IKE_AUTH, request and response.
    CHECK(p.na.sent == 2);
    CHECK(p.nb.sent == 2);
}

TEST_CASE("an IKEv2 pre-shared key mismatch fails IKE_AUTH and installs nothing", "[ike][ikev2]") {
    auto b = v2_config("10.0.0.2", "10.0.0.1", false);
    b.ike_policies[0].pre_shared_key = psk("not-the-same");
    V2Pair p(v2_config("10.0.0.1", "10.0.0.2", true), std::move(b));
    p.tick(0);
    p.settle();
    CHECK(p.na.installed.empty());
    CHECK(p.nb.installed.empty());
    REQUIRE(p.nb.p1_failed.size() == 1);
    CHECK(p.nb.p1_failed[0].reason == FailureReason::AuthenticationFailed);
    REQUIRE(p.na.p1_failed.size() == 1);
    CHECK(p.na.p1_failed[0].reason == FailureReason::PeerNotify);
    CHECK(p.na.p1_failed[0].detail.find("AUTHENTICATION_FAILED") != std::string::npos);
}

TEST_CASE("an IKEv2 proposal mismatch is refused with NO_PROPOSAL_CHOSEN naming the transform", "[ike][ikev2]") {
    auto b = v2_config("10.0.0.2", "10.0.0.1", false);
    b.ike_policies[0].proposals[0].encryption = sadb::EncryptionAlgorithm::Aes128Cbc;
    V2Pair p(v2_config("10.0.0.1", "10.0.0.2", true), std::move(b));
    p.tick(0);
    p.settle();
    REQUIRE(p.nb.p1_failed.size() == 1);
    CHECK(p.nb.p1_failed[0].reason == FailureReason::NoProposalChosen);
    CHECK(p.nb.p1_failed[0].detail.find("encryption-algorithm theirs 3des-cbc ours aes-128-cbc") != std::string::npos);
    // The responder keeps no state for a refused IKE_SA_INIT.
    CHECK(p.eb->ike_security_associations().empty());
    // The unprotected refusal could be anyone's: the initiator waits for its timeout and then names it.
    CHECK(p.na.p1_failed.empty());
    for (std::uint64_t t = 0; t < 60000; t += 500) p.tick(t), p.settle();
    REQUIRE(p.na.p1_failed.size() == 1);
    CHECK(p.na.p1_failed[0].reason == FailureReason::Timeout);
    CHECK(p.na.p1_failed[0].detail.find("NO_PROPOSAL_CHOSEN") != std::string::npos);
}

TEST_CASE("an IKEv2 initiator retries with the group INVALID_KE_PAYLOAD asks for", "[ike][ikev2]") {
    auto a = v2_config("10.0.0.1", "10.0.0.2", true);
    auto p14 = ike_proposal("p14");
    p14.group = crypto::DhGroup::Modp2048;
    a.ike_policies[0].proposals.push_back(p14);  // offers group2 first, group14 second
    auto b = v2_config("10.0.0.2", "10.0.0.1", false);
    b.ike_policies[0].proposals = {p14};
    V2Pair p(std::move(a), std::move(b));
    p.tick(0);
    p.settle();
    REQUIRE(p.na.p1_up.size() == 1);
    REQUIRE(p.na.p1_up[0].proposal);
    CHECK(p.na.p1_up[0].proposal->group == crypto::DhGroup::Modp2048);
    check_mirrored(p.na, p.nb);
}

TEST_CASE("a retransmitted IKE_AUTH request is answered from the cache, not processed again", "[ike][ikev2]") {
    V2Pair p;
    p.tick(0);
    p.a_to_b();  // IKE_SA_INIT request
    p.b_to_a();  // response
    REQUIRE(p.na.outbox.size() == 1);
    const Datagram auth = p.na.outbox.front();
    p.a_to_b();
    REQUIRE(p.nb.outbox.size() == 1);
    const auto answer = p.nb.outbox.front().bytes;
    p.eb->received_datagram(auth.bytes, auth.from, auth.to);
    REQUIRE(p.nb.outbox.size() == 2);
    CHECK(p.nb.outbox.back().bytes == answer);
    CHECK(p.nb.installed.size() == 1);
    CHECK(p.nb.p2_up.size() == 1);
}

TEST_CASE("IKEv2 datagrams from a third party without keys change nothing", "[ike][ikev2][hostile]") {
    V2Pair p;
    p.tick(0);
    p.settle();
    REQUIRE(p.nb.installed.size() == 1);
    const auto before = p.eb->ike_security_associations();
    // A's IKE_AUTH request replayed, and with its ciphertext flipped.
    p.ea->clear_ipsec("sa1");
    REQUIRE(p.na.outbox.size() == 1);
    auto del = p.na.outbox.front();
    auto forged = del;
    forged.bytes[forged.bytes.size() - 20] ^= 1;
    p.eb->received_datagram(forged.bytes, forged.from, forged.to);
    CHECK(p.nb.outbox.empty());
    CHECK(p.nb.installed.size() == 1);
    // An unknown SPI pair and a truncated datagram.
    auto stranger = del;
    stranger.bytes[0] ^= 0xff;
    p.eb->received_datagram(stranger.bytes, stranger.from, stranger.to);
    p.eb->received_datagram(std::span(del.bytes).first(30), del.from, del.to);
    CHECK(p.nb.outbox.empty());
    CHECK(p.nb.installed.size() == 1);
    CHECK(p.eb->ike_security_associations().size() == before.size());
}

TEST_CASE("an IKEv2 Child SA delete removes the pair on both sides; its replay changes nothing", "[ike][ikev2]") {
    V2Pair p;
    p.tick(0);
    p.settle();
    REQUIRE(p.nb.installed.size() == 1);
    p.ea->clear_ipsec("sa1");
    CHECK(p.na.installed.empty());
    REQUIRE(p.na.outbox.size() == 1);
    const Datagram del = p.na.outbox.front();
    p.settle();
    CHECK(p.nb.installed.empty());
    REQUIRE(p.nb.ipsec_deleted.size() == 1);
    CHECK(p.nb.ipsec_deleted[0].second == DeleteReason::PeerDelete);
    // The replay gets the cached answer and deletes nothing more.
    const auto deleted = p.nb.deleted.size();
    p.eb->received_datagram(del.bytes, del.from, del.to);
    CHECK(p.nb.deleted.size() == deleted);
    CHECK(p.eb->ike_security_associations().size() == 1);
}

TEST_CASE("clearing an IKEv2 SA deletes it and its Child SAs on both sides", "[ike][ikev2]") {
    V2Pair p;
    p.tick(0);
    p.settle();
    p.ea->clear_ike(addr("10.0.0.2"));
    p.settle();
    p.tick(1);
    CHECK(p.na.installed.empty());
    CHECK(p.nb.installed.empty());
    CHECK(p.ea->ike_security_associations().empty());
    CHECK(p.eb->ike_security_associations().empty());
    REQUIRE(p.nb.ike_deleted.size() == 1);
    CHECK(p.nb.ike_deleted[0].second == DeleteReason::PeerDelete);
}

TEST_CASE("an IKEv2 liveness check is answered, and a silent peer is declared dead", "[ike][ikev2]") {
    auto a = v2_config("10.0.0.1", "10.0.0.2", true);
    a.timers.dpd_interval_ms = 10000;
    V2Pair p(std::move(a), v2_config("10.0.0.2", "10.0.0.1", false));
    p.tick(0);
    p.settle();
    p.tick(10000);
    REQUIRE(p.na.outbox.size() == 1);  // the empty INFORMATIONAL request
    p.settle();
    CHECK(p.ea->ike_security_associations().size() == 1);
    // B goes silent: every check and retransmission goes unanswered.
    for (std::uint64_t t = 20000; t < 120000; t += 500) {
        p.tick(t);
        p.na.outbox.clear();
    }
    CHECK(p.ea->ike_security_associations().empty());
    REQUIRE(p.na.ike_deleted.size() == 1);
    CHECK(p.na.ike_deleted[0].second == DeleteReason::PeerDead);
    CHECK(p.na.installed.empty());
}

TEST_CASE("an IKEv1 first message to a version 2 policy is ignored", "[ike][ikev2]") {
    Pair v1(make_config("10.0.0.1", "10.0.0.2", true), v2_config("10.0.0.2", "10.0.0.1", false));
    v1.tick(0);
    v1.settle();
    CHECK(v1.nb.sent == 0);
    CHECK(v1.eb->ike_security_associations().empty());
}

namespace {

// A and B with the Child SA (and optionally the IKE SA) living 300 s, so the
// initiator rekeys 60 s before expiry (no jitter).
V2Pair short_lived(bool ike_too, std::optional<crypto::DhGroup> pfs = std::nullopt) {
    auto a = v2_config("10.0.0.1", "10.0.0.2", true);
    auto b = v2_config("10.0.0.2", "10.0.0.1", false);
    for (auto* c : {&a, &b}) {
        c->ipsec_policies[0].proposals[0].lifetime_seconds = 300;
        c->ipsec_policies[0].pfs_group = pfs;
        if (ike_too) c->ike_policies[0].proposals[0].lifetime_seconds = 300;
    }
    if (ike_too)  // the Child SA outlives the IKE SA's rekey
        for (auto* c : {&a, &b}) c->ipsec_policies[0].proposals[0].lifetime_seconds = 3600;
    return V2Pair(std::move(a), std::move(b));
}

}  // namespace

TEST_CASE("an IKEv2 Child SA is rekeyed with CREATE_CHILD_SA and the old pair deleted on both sides", "[ike][ikev2]") {
    for (const auto pfs : {std::optional<crypto::DhGroup>{}, std::optional{crypto::DhGroup::Modp1024}}) {
        auto p = short_lived(false, pfs);
        p.tick(0);
        p.settle();
        REQUIRE(p.na.installed.size() == 1);
        const auto old_spi = p.na.installed.begin()->first;
        const auto ike_before = p.ea->ike_security_associations();
        p.tick(239000);
        CHECK(p.na.outbox.empty());
        p.tick(240000);
        REQUIRE(p.na.outbox.size() == 1);
        CHECK(exchange_of(p.na.outbox.front()) == 36);  // CREATE_CHILD_SA
        p.settle();
        check_mirrored(p.na, p.nb);
        CHECK(p.na.installed.begin()->first != old_spi);
        REQUIRE(p.na.ipsec_deleted.size() == 1);
        CHECK(p.na.ipsec_deleted[0].second == DeleteReason::Rekeyed);
        REQUIRE(p.nb.ipsec_deleted.size() == 1);
        CHECK(p.nb.ipsec_deleted[0].second == DeleteReason::PeerDelete);
        CHECK(p.na.p2_up.size() == 2);
        CHECK(p.nb.p2_up.size() == 2);
        // The same IKE SA carried it.
        const auto ike_after = p.ea->ike_security_associations();
        REQUIRE(ike_after.size() == 1);
        CHECK(ike_after[0].responder_cookie == ike_before[0].responder_cookie);
    }
}

TEST_CASE("an IKEv2 IKE SA is rekeyed with CREATE_CHILD_SA and keeps its Child SA", "[ike][ikev2]") {
    auto p = short_lived(true);
    p.tick(0);
    p.settle();
    const auto before = p.ea->ike_security_associations();
    REQUIRE(before.size() == 1);
    const auto child = p.na.installed.begin()->first;
    p.tick(240000);
    REQUIRE(p.na.outbox.size() == 1);
    CHECK(exchange_of(p.na.outbox.front()) == 36);
    p.settle();
    p.tick(240100);
    const auto a = p.ea->ike_security_associations();
    const auto b = p.eb->ike_security_associations();
    REQUIRE(a.size() == 1);
    REQUIRE(b.size() == 1);
    CHECK(a[0].initiator_cookie != before[0].initiator_cookie);
    CHECK(a[0].initiator_cookie == b[0].initiator_cookie);
    CHECK(a[0].responder_cookie == b[0].responder_cookie);
    CHECK(a[0].state == IkeSaState::Established);
    REQUIRE(p.na.ike_deleted.size() == 1);
    CHECK(p.na.ike_deleted[0].second == DeleteReason::Rekeyed);
    // The Child SA stands, and the new IKE SA carries its delete.
    REQUIRE(p.na.installed.size() == 1);
    CHECK(p.na.installed.begin()->first == child);
    CHECK(p.nb.installed.size() == 1);
    p.ea->clear_ipsec("sa1");
    p.settle();
    CHECK(p.nb.installed.empty());
}

TEST_CASE("a second IKEv2 Child SA with the same peer comes with CREATE_CHILD_SA", "[ike][ikev2]") {
    auto a = v2_config("10.0.0.1", "10.0.0.2", true);
    auto b = v2_config("10.0.0.2", "10.0.0.1", false);
    for (auto* c : {&a, &b}) {
        auto second = c->ipsec_policies[0];
        second.name = "sa2";
        second.initiate_on_start = false;
        c->ipsec_policies.push_back(second);
    }
    V2Pair p(std::move(a), std::move(b));
    p.tick(0);
    p.settle();
    REQUIRE(p.na.installed.size() == 1);
    CHECK(p.ea->initiate("sa2"));
    REQUIRE(p.na.outbox.size() == 1);
    CHECK(exchange_of(p.na.outbox.front()) == 36);
    p.settle();
    CHECK(p.na.installed.size() == 2);
    CHECK(p.nb.installed.size() == 2);
    CHECK(p.ea->ike_security_associations().size() == 1);
}

TEST_CASE("an IKEv2 responder under load answers IKE_SA_INIT with a COOKIE and keeps no state until it is echoed",
          "[ike][ikev2][cookie]") {
    auto b = v2_config("10.0.0.2", "10.0.0.1", false);
    b.cookie_threshold = 0;  // always ask
    V2Pair p(v2_config("10.0.0.1", "10.0.0.2", true), std::move(b));
    p.tick(0);
    const auto first = p.na.outbox.front().bytes;
    p.a_to_b();
    REQUIRE(p.nb.outbox.size() == 1);
    // The answer is a lone N(COOKIE), smaller than the request: no amplification.
    CHECK(p.nb.outbox.front().bytes.size() < first.size());
    CHECK(p.eb->ike_security_associations().empty());
    p.b_to_a();
    REQUIRE(p.na.outbox.size() == 1);
    CHECK(p.na.outbox.front().bytes.size() > first.size());  // the request again, the cookie first
    p.settle();
    REQUIRE(p.na.p1_up.size() == 1);
    REQUIRE(p.nb.p1_up.size() == 1);
    check_mirrored(p.na, p.nb);
}

TEST_CASE("an IKE_SA_INIT with a forged cookie gets a new COOKIE and no state",
          "[ike][ikev2][cookie][hostile]") {
    auto b = v2_config("10.0.0.2", "10.0.0.1", false);
    b.cookie_threshold = 0;
    V2Pair p(v2_config("10.0.0.1", "10.0.0.2", true), std::move(b));
    p.tick(0);
    p.a_to_b();
    p.b_to_a();
    REQUIRE(p.na.outbox.size() == 1);
    auto with_cookie = p.na.outbox.front();
    // The cookie's first data byte flipped: the responder asks again and keeps nothing.
    auto forged = with_cookie;
    forged.bytes[28 + 8] ^= 0x01;
    p.eb->received_datagram(forged.bytes, forged.from, forged.to);
    CHECK(p.eb->ike_security_associations().empty());
    REQUIRE(p.nb.outbox.size() == 1);
    CHECK(p.nb.outbox.front().bytes.size() < forged.bytes.size());
    p.nb.outbox.clear();
    p.settle();
    CHECK(p.nb.p1_up.size() == 1);
}

TEST_CASE("an IKEv2 responder whose lifetimes are shorter rekeys the IKE SA and the Child SA itself",
          "[ike][ikev2]") {
    auto a = v2_config("10.0.0.1", "10.0.0.2", true);
    auto b = v2_config("10.0.0.2", "10.0.0.1", false);
    b.ike_policies[0].proposals[0].lifetime_seconds = 300;
    b.ipsec_policies[0].proposals[0].lifetime_seconds = 400;
    V2Pair p(std::move(a), std::move(b));
    p.tick(0);
    p.settle();
    const auto first = p.eb->ike_security_associations().at(0);
    const auto child = p.nb.installed.begin()->first;
    // B rekeys its IKE SA halfway between 240 s and 300 s, and its Child SA
    // halfway between 340 s and 400 s; A (3600 s / 28800 s) waits.
    for (std::uint64_t t = 1000; t <= 380000; t += 1000) {
        p.tick(t);
        p.settle();
    }
    const auto now = p.eb->ike_security_associations();
    REQUIRE(now.size() == 1);
    CHECK(now[0].initiator_cookie != first.initiator_cookie);
    CHECK(now[0].role == Role::Initiator);  // the rekey's initiator is the new SA's original initiator
    REQUIRE(p.ea->ike_security_associations().size() == 1);
    CHECK(p.ea->ike_security_associations()[0].initiator_cookie == now[0].initiator_cookie);
    check_mirrored(p.na, p.nb);
    CHECK(p.nb.installed.begin()->first != child);
    CHECK(p.nb.ike_deleted.size() == 1);
}

TEST_CASE("an IKEv2 responder gives the Child SA of the initiator's address, not the first one configured",
          "[ike][ikev2]") {
    // Two dynamic SAs that take the same offer: one for another peer, listed
    // first, and the initiator's own. IKE_AUTH must pick by peer, as Quick Mode does.
    auto responder = v2_config("10.0.0.2", "10.0.0.1", false);
    auto other = responder.ipsec_policies.front();
    other.name = "sa-other";
    other.peer = *Ipv4Address::parse("10.0.0.9");
    responder.ipsec_policies.insert(responder.ipsec_policies.begin(), other);
    V2Pair p(v2_config("10.0.0.1", "10.0.0.2", true), std::move(responder));
    p.tick(0);
    p.settle();
    REQUIRE(p.nb.p2_up.size() == 1);
    CHECK(p.nb.p2_up[0].name == "sa1");
}
