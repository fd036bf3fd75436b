// NAT traversal for transport-mode SAs: NAT-OA in Quick Mode (RFC 3947 5.2)
// and the original addresses recorded on the installed SA pair, through a
// forced NAT-T and through a simulated NAT in front of the initiator.
#include "exchange_harness.h"

#include "picsec/sadb/ipv4.h"
#include "picsec/sadb/sadb.h"

#include <catch2/catch.hpp>

using namespace picsec::ike;
using namespace picsec::ike::test;

namespace {

// A transport-mode SA "sa1": the peer addresses themselves as client IDs.
EngineConfig transport_config(const char* self, const char* peer, bool initiator)
{
    auto c = make_config(self, peer, initiator);
    auto& sp = c.ipsec_policies.front();
    sp.mode = picsec::sadb::Mode::Transport;
    sp.local_client = ClientId{addr(self), 32};
    sp.peer_client = ClientId{addr(peer), 32};
    return c;
}

// The Quick Mode messages a node received, as the engine decoded them.
std::vector<MessageEvent> quick_modes(const RecordingNode& n)
{
    std::vector<MessageEvent> out;
    for (const auto& e : n.received)
        if (e.exchange == "QUICK_MODE")
            out.push_back(e);
    return out;
}

bool has_nat_oa_pair(const MessageEvent& e) { return e.summary.find("NAT-OA, NAT-OA") != std::string::npos; }

std::uint32_t u32(const char* a) { return addr(a).to_uint(); }

}  // namespace

TEST_CASE("forced NAT-T with a transport-mode SA sends NAT-OA both ways and records the peer's original address",
          "[ike][v1][natt][quick]")
{
    auto a = transport_config("10.0.0.1", "10.0.0.2", true);
    auto b = transport_config("10.0.0.2", "10.0.0.1", false);
    a.force_nat_t = true;
    Pair p(a, b);
    p.tick(0);
    p.settle();
    INFO(p.log_text.str());
    REQUIRE(p.na.installed.size() == 1);
    REQUIRE(p.nb.installed.size() == 1);
    // HDR*, HASH(1), SA, Ni, IDci, IDcr, NAT-OAi, NAT-OAr -->
    const auto at_b = quick_modes(p.nb);
    REQUIRE(at_b.size() >= 1);
    CHECK(has_nat_oa_pair(at_b.front()));
    // <-- HDR*, HASH(2), SA, Nr, IDci, IDcr, NAT-OAi, NAT-OAr
    const auto at_a = quick_modes(p.na);
    REQUIRE(at_a.size() >= 1);
    CHECK(has_nat_oa_pair(at_a.front()));
    // Each side records the peer's own address and its own address as the peer knows it.
    const auto& a_pair = p.na.installed.begin()->second;
    const auto& b_pair = p.nb.installed.begin()->second;
    for (const auto* spec : {&a_pair.inbound, &a_pair.outbound}) {
        REQUIRE(spec->udp_encapsulation);
        CHECK(spec->udp_encapsulation->peer_original_address == u32("10.0.0.2"));
        CHECK(spec->udp_encapsulation->local_original_address == u32("10.0.0.1"));
    }
    for (const auto* spec : {&b_pair.inbound, &b_pair.outbound}) {
        REQUIRE(spec->udp_encapsulation);
        CHECK(spec->udp_encapsulation->peer_original_address == u32("10.0.0.1"));
        CHECK(spec->udp_encapsulation->local_original_address == u32("10.0.0.2"));
    }
}

TEST_CASE("NAT-OA is not sent for a tunnel-mode SA over NAT-T nor for transport mode without NAT-T",
          "[ike][v1][natt][quick]")
{
    SECTION("tunnel mode, forced NAT-T")
    {
        auto a = make_config("10.0.0.1", "10.0.0.2", true);
        a.force_nat_t = true;
        Pair p(a, make_config("10.0.0.2", "10.0.0.1", false));
        p.tick(0);
        p.settle();
        REQUIRE(p.nb.installed.size() == 1);
        REQUIRE_FALSE(quick_modes(p.nb).empty());
        REQUIRE_FALSE(quick_modes(p.na).empty());
        CHECK(quick_modes(p.nb).front().summary.find("NAT-OA") == std::string::npos);
        CHECK(quick_modes(p.na).front().summary.find("NAT-OA") == std::string::npos);
        CHECK_FALSE(p.nb.installed.begin()->second.inbound.udp_encapsulation->peer_original_address);
    }
    SECTION("transport mode, no NAT")
    {
        Pair p(transport_config("10.0.0.1", "10.0.0.2", true), transport_config("10.0.0.2", "10.0.0.1", false));
        p.tick(0);
        p.settle();
        REQUIRE(p.nb.installed.size() == 1);
        REQUIRE_FALSE(quick_modes(p.nb).empty());
        CHECK(quick_modes(p.nb).front().summary.find("NAT-OA") == std::string::npos);
        CHECK_FALSE(p.nb.installed.begin()->second.inbound.udp_encapsulation);
    }
}

TEST_CASE("behind a NAT, a transport-mode SA carries the initiator's private address so its TCP checksums verify",
          "[ike][v1][natt][quick][transport]")
{
    // A is 192.168.1.10 behind a NAT that maps it to 10.0.0.1 (ports kept); B is 10.0.0.2.
    const auto a_private = addr("192.168.1.10");
    const auto a_public = addr("10.0.0.1");
    auto a = transport_config("192.168.1.10", "10.0.0.2", true);
    auto b = transport_config("10.0.0.2", "10.0.0.1", false);
    // B's ipsec SA names the client A's Quick Mode IDci carries: its private address.
    b.ipsec_policies.front().peer_client = ClientId{a_private, 32};
    Pair p(a, b);
    p.tick(0);
    for (int i = 0; i < 200 && (!p.na.outbox.empty() || !p.nb.outbox.empty()); ++i) {
        if (!p.na.outbox.empty()) {  // A -> NAT -> B: the source is rewritten
            auto d = std::move(p.na.outbox.front());
            p.na.outbox.pop_front();
            REQUIRE(d.from.address == a_private);
            d.from.address = a_public;
            p.eb->received_datagram(d.bytes, d.from, d.to);
        }
        if (!p.nb.outbox.empty()) {  // B -> NAT -> A: the destination is rewritten back
            auto d = std::move(p.nb.outbox.front());
            p.nb.outbox.pop_front();
            REQUIRE(d.to.address == a_public);
            d.to.address = a_private;
            p.ea->received_datagram(d.bytes, d.from, d.to);
        }
    }
    INFO(p.log_text.str());
    REQUIRE(p.na.installed.size() == 1);
    REQUIRE(p.nb.installed.size() == 1);
    CHECK(p.ea->ike_security_associations().at(0).nat_traversal);
    CHECK(p.eb->ike_security_associations().at(0).nat_traversal);
    const auto& a_pair = p.na.installed.begin()->second;
    const auto& b_pair = p.nb.installed.begin()->second;
    REQUIRE(b_pair.inbound.udp_encapsulation);
    // B learns A's private address from NAT-OAi, A learns how B addresses it from B's NAT-OAi.
    CHECK(b_pair.inbound.udp_encapsulation->peer_original_address == a_private.to_uint());
    CHECK(b_pair.inbound.udp_encapsulation->local_original_address == u32("10.0.0.2"));
    REQUIRE(a_pair.inbound.udp_encapsulation);
    CHECK(a_pair.inbound.udp_encapsulation->peer_original_address == u32("10.0.0.2"));
    CHECK(a_pair.inbound.udp_encapsulation->local_original_address == a_public.to_uint());

    // The installed specs in two SADBs: A sends a TCP segment over the SA,
    // the NAT rewrites the source, and B's SADB fixes the inner checksum.
    namespace sadb = picsec::sadb;
    namespace ipv4 = picsec::sadb::ipv4;
    sadb::Sadb a_db, b_db;
    auto out = a_db.add(a_pair.outbound);
    REQUIRE(out);
    REQUIRE(b_db.add(b_pair.inbound));
    std::vector<std::uint8_t> tcp(32, 0x42);
    ipv4::store16(tcp, 0, 40000);
    ipv4::store16(tcp, 2, 179);
    tcp[12] = 0x50;
    ipv4::store16(tcp, 16, 0);
    auto sum_over = [&](std::uint32_t src, std::uint32_t dst) {
        std::vector<std::uint8_t> pseudo(12, 0);
        ipv4::store32(pseudo, 0, src);
        ipv4::store32(pseudo, 4, dst);
        pseudo[9] = ipv4::k_protocol_tcp;
        ipv4::store16(pseudo, 10, static_cast<std::uint16_t>(tcp.size()));
        pseudo.insert(pseudo.end(), tcp.begin(), tcp.end());
        return ipv4::checksum(pseudo);  // 0 when the segment's checksum verifies
    };
    ipv4::store16(tcp, 16, sum_over(a_private.to_uint(), u32("10.0.0.2")));
    auto packet = ipv4::make_header(0, 1, 0x4000, 64, ipv4::k_protocol_tcp, a_private.to_uint(), u32("10.0.0.2"));
    packet.insert(packet.end(), tcp.begin(), tcp.end());
    ipv4::finish_header(packet, 20);
    auto wire = a_db.protect(*out, packet, p.rng_a);
    REQUIRE(wire);
    ipv4::store32(*wire, 12, a_public.to_uint());  // the NAT
    ipv4::finish_header(*wire, 20);
    auto back = b_db.unprotect(*wire);
    REQUIRE(back);
    REQUIRE(back->packet.size() == 20 + tcp.size());
    tcp.assign(back->packet.begin() + 20, back->packet.end());
    CHECK(sum_over(a_public.to_uint(), u32("10.0.0.2")) == 0);
}
