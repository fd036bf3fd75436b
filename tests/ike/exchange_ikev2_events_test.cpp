// IKEv2 message events (Callbacks::message_sent / message_received): the
// exact sequence and RFC 7296 summaries for IKE_SA_INIT + IKE_AUTH,
// CREATE_CHILD_SA and an INFORMATIONAL delete between two engines; none when
// the callbacks want none; none received for a forged SK message.
#include <catch2/catch.hpp>

#include "exchange_harness.h"

#include "picsec/ike/v2/header.h"

using namespace picsec;
using namespace picsec::ike;
using namespace picsec::ike::test;
namespace c2 = picsec::ike::v2;

namespace {

EngineConfig v2_config(const char* self, const char* peer, bool initiator) {
    auto c = make_config(self, peer, initiator);
    for (auto& p : c.ike_policies) p.version = IkeVersion::V2;
    auto second = c.ipsec_policies[0];
    second.name = "sa2";
    second.initiate_on_start = false;
    c.ipsec_policies.push_back(second);
    return c;
}

struct V2Pair : Pair {
    V2Pair() : Pair(v2_config("10.0.0.1", "10.0.0.2", true), v2_config("10.0.0.2", "10.0.0.1", false)) {}
};

/// "EXCHANGE M-ID summary" for each event, in order.
std::vector<std::string> lines(const std::vector<MessageEvent>& events) {
    std::vector<std::string> out;
    for (const auto& e : events) out.push_back(e.exchange + " " + std::to_string(e.message_id) + " " + e.summary);
    return out;
}

const std::string k_init_i =
    "IKE_SA_INIT 0 HDR, SAi1, KEi, Ni, N(NAT_DETECTION_SOURCE_IP), N(NAT_DETECTION_DESTINATION_IP), "
    "N(IKEV2_FRAGMENTATION_SUPPORTED)";
const std::string k_init_r =
    "IKE_SA_INIT 0 HDR, SAr1, KEr, Nr, N(NAT_DETECTION_SOURCE_IP), N(NAT_DETECTION_DESTINATION_IP), "
    "N(IKEV2_FRAGMENTATION_SUPPORTED)";
const std::string k_auth_i = "IKE_AUTH 1 HDR, SK {IDi, AUTH, N(INITIAL_CONTACT), SAi2, TSi, TSr}";
const std::string k_auth_r = "IKE_AUTH 1 HDR, SK {IDr, AUTH, SAr2, TSi, TSr}";

}  // namespace

TEST_CASE("IKEv2 message events name each message of IKE_SA_INIT and IKE_AUTH in RFC 7296 notation",
          "[ike][ikev2][events]") {
    V2Pair p;
    p.tick(0);
    p.settle();
    REQUIRE(p.na.installed.size() == 1);
    using V = std::vector<std::string>;
    CHECK(lines(p.na.sent_events) == V{k_init_i, k_auth_i});
    CHECK(lines(p.na.received) == V{k_init_r, k_auth_r});
    CHECK(lines(p.nb.received) == V{k_init_i, k_auth_i});
    CHECK(lines(p.nb.sent_events) == V{k_init_r, k_auth_r});
    // The fields: SPIs in the cookie fields, endpoints, encrypted, length as sent.
    const auto& up = p.na.p1_up.at(0);
    const auto& init = p.na.sent_events.at(0);
    CHECK(init.initiator_cookie == up.initiator_cookie);
    CHECK(init.responder_cookie == Cookie{});
    CHECK_FALSE(init.encrypted);
    CHECK(init.local.address == addr("10.0.0.1"));
    CHECK(init.peer.address == addr("10.0.0.2"));
    const auto& auth = p.nb.received.at(1);
    CHECK(auth.initiator_cookie == up.initiator_cookie);
    CHECK(auth.responder_cookie == up.responder_cookie);
    CHECK(auth.encrypted);
    CHECK(auth.length == p.na.sent_events.at(1).length);
    CHECK(auth.length > c2::header_size);
    CHECK(p.nb.received.at(0).length == init.length);
}

TEST_CASE("IKEv2 message events for CREATE_CHILD_SA and an INFORMATIONAL delete", "[ike][ikev2][events]") {
    V2Pair p;
    p.tick(0);
    p.settle();
    REQUIRE(p.na.installed.size() == 1);
    p.na.sent_events.clear();
    p.na.received.clear();
    p.nb.sent_events.clear();
    p.nb.received.clear();
    using V = std::vector<std::string>;

    REQUIRE(p.ea->initiate("sa2"));
    p.settle();
    REQUIRE(p.na.installed.size() == 2);
    CHECK(lines(p.na.sent_events) == V{"CREATE_CHILD_SA 2 HDR, SK {SA, Ni, TSi, TSr}"});
    CHECK(lines(p.nb.received) == V{"CREATE_CHILD_SA 2 HDR, SK {SA, Ni, TSi, TSr}"});
    CHECK(lines(p.nb.sent_events) == V{"CREATE_CHILD_SA 2 HDR, SK {SA, Nr, TSi, TSr}"});
    CHECK(lines(p.na.received) == V{"CREATE_CHILD_SA 2 HDR, SK {SA, Nr, TSi, TSr}"});
    CHECK(p.na.sent_events.at(0).encrypted);

    p.na.sent_events.clear();
    p.na.received.clear();
    p.nb.sent_events.clear();
    p.nb.received.clear();
    p.ea->clear_ipsec("sa2");
    p.settle();
    CHECK(p.nb.installed.size() == 1);
    CHECK(lines(p.na.sent_events) == V{"INFORMATIONAL 3 HDR, SK {D}"});
    CHECK(lines(p.nb.received) == V{"INFORMATIONAL 3 HDR, SK {D}"});
    CHECK(lines(p.nb.sent_events) == V{"INFORMATIONAL 3 HDR, SK {D}"});
    CHECK(lines(p.na.received) == V{"INFORMATIONAL 3 HDR, SK {D}"});

    // A retransmission is no new message: one sent event for it.
    p.na.sent_events.clear();
    p.nb.received.clear();
    p.ea->clear_ipsec("sa1");
    REQUIRE(p.na.outbox.size() == 1);
    p.drop_from_a();
    p.tick(600);
    REQUIRE(p.na.outbox.size() == 1);
    p.settle();
    CHECK(lines(p.na.sent_events) == V{"INFORMATIONAL 4 HDR, SK {D}"});
    CHECK(lines(p.nb.received) == V{"INFORMATIONAL 4 HDR, SK {D}"});
    // The IKE SA's Delete is answered with an empty SK {}.
    p.nb.sent_events.clear();
    p.ea->clear_ike(addr("10.0.0.2"));
    p.settle();
    CHECK(lines(p.na.sent_events).back() == "INFORMATIONAL 5 HDR, SK {D}");
    CHECK(lines(p.nb.sent_events) == V{"INFORMATIONAL 5 HDR, SK {}"});
}

TEST_CASE("no IKEv2 message events are built when the callbacks want none", "[ike][ikev2][events]") {
    V2Pair p;
    p.na.events = false;
    p.nb.events = false;
    p.tick(0);
    p.settle();
    REQUIRE(p.na.installed.size() == 1);
    REQUIRE(p.ea->initiate("sa2"));
    p.settle();
    p.ea->clear_ipsec("sa2");
    p.settle();
    CHECK(p.na.sent_events.empty());
    CHECK(p.na.received.empty());
    CHECK(p.nb.sent_events.empty());
    CHECK(p.nb.received.empty());
}

TEST_CASE("a forged IKEv2 SK message gets no received event", "[ike][ikev2][events][hostile]") {
    V2Pair p;
    p.tick(0);
    // IKE_SA_INIT both ways, then the IKE_AUTH request with its ICV broken:
    // the responder's task drops it and no event says it was read.
    p.a_to_b();
    p.b_to_a();
    REQUIRE(p.na.outbox.size() == 1);
    auto auth = p.na.outbox.front();
    auto forged = auth.bytes;
    forged[forged.size() - 1] ^= 1;
    p.eb->received_datagram(forged, auth.from, auth.to);
    // The same SK behind an unprotected Notify (RFC 7296 3.14: SK stands alone).
    {
        std::vector<std::uint8_t> m(auth.bytes.begin(), auth.bytes.begin() + c2::header_size);
        m[16] = 41;
        const std::vector<std::uint8_t> notify{46, 0, 0, 8, 1, 0, 0x40, 0x00};
        m.insert(m.end(), notify.begin(), notify.end());
        m.insert(m.end(), auth.bytes.begin() + c2::header_size, auth.bytes.end());
        const auto length = static_cast<std::uint32_t>(m.size());
        for (int i = 0; i < 4; ++i) m[24 + i] = static_cast<std::uint8_t>(length >> (24 - 8 * i));
        p.eb->received_datagram(m, auth.from, auth.to);
    }
    CHECK(lines(p.nb.received) == std::vector<std::string>{k_init_i});
    CHECK(p.nb.outbox.empty());
    // The real one is read.
    p.settle();
    REQUIRE(p.nb.installed.size() == 1);
    CHECK(lines(p.nb.received) == std::vector<std::string>{k_init_i, k_auth_i});

    // Established: an INFORMATIONAL with a broken ICV, then one whose SK body is garbage.
    p.ea->clear_ipsec("sa1");
    REQUIRE(p.na.outbox.size() == 1);
    auto del = p.na.outbox.front();
    auto bad = del.bytes;
    bad[bad.size() - 20] ^= 1;
    const auto before = p.nb.received.size();
    p.eb->received_datagram(bad, del.from, del.to);
    for (std::size_t i = c2::header_size + 4; i < bad.size(); ++i) bad[i] = static_cast<std::uint8_t>(i * 7);
    p.eb->received_datagram(bad, del.from, del.to);
    CHECK(p.nb.received.size() == before);
    CHECK(p.nb.outbox.empty());
    p.settle();
    CHECK(p.nb.received.size() == before + 1);
    CHECK(p.nb.received.back().summary == "HDR, SK {D}");
}
