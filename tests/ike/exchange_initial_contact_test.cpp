// INITIAL-CONTACT (RFC 2407 4.6.3.3, RFC 7296 2.4) from several hosts that
// share one address (behind a NAT, a concentrator, a load generator): only
// the sender's own identity loses its older SAs, in IKEv1 and IKEv2.
#include "exchange_harness.h"

#include <catch2/catch.hpp>

using namespace picsec::ike;
using namespace picsec::ike::test;

namespace {

/// One initiator at 10.0.0.1 with its own phase-1 identity.
struct Host {
    explicit Host(std::uint8_t seed) : rng(Botan::secure_vector<std::uint8_t>(32, seed)) {}
    RecordingNode node;
    Botan::ChaCha_RNG rng;
    std::unique_ptr<Engine> engine;
};

/// Responder B (10.0.0.2) and any number of initiators at 10.0.0.1.
class SharedAddress {
public:
    explicit SharedAddress(IkeVersion version = IkeVersion::V1)
        : m_version(version),
          m_log(std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::ostream_sink_mt>(log_text)))
    {
        auto b = make_config("10.0.0.2", "10.0.0.1", false);
        for (auto& p : b.ike_policies) p.version = m_version;
        b.logger = m_log;
        eb = std::make_unique<Engine>(std::move(b), nb, rng_b);
    }

    /// A host whose ID payload says `identity` (ID_FQDN) and which sends
    /// INITIAL-CONTACT with its first phase 1 (unless told not to); it starts at once.
    Host& add(const std::string& identity, std::uint8_t seed, bool initial_contact = true)
    {
        auto c = make_config("10.0.0.1", "10.0.0.2", true);
        c.ike_policies.front().local_id = identity;
        for (auto& p : c.ike_policies) p.version = m_version;
        c.send_initial_contact = initial_contact;
        c.logger = m_log;
        auto h = std::make_unique<Host>(seed);
        h->engine = std::make_unique<Engine>(std::move(c), h->node, h->rng);
        h->engine->tick(0);
        hosts.push_back(std::move(h));
        return *hosts.back();
    }

    /// Delivers one datagram from `h` to B; false when it has none.
    bool to_b(Host& h)
    {
        if (h.node.outbox.empty())
            return false;
        auto d = std::move(h.node.outbox.front());
        h.node.outbox.pop_front();
        eb->received_datagram(d.bytes, d.from, d.to);
        return true;
    }
    /// Delivers one datagram from B to every host (the address is shared;
    /// the cookies say whose it is).
    bool from_b()
    {
        if (nb.outbox.empty())
            return false;
        auto d = std::move(nb.outbox.front());
        nb.outbox.pop_front();
        for (auto& h : hosts)
            h->engine->received_datagram(d.bytes, d.from, d.to);
        return true;
    }
    void settle()
    {
        for (int i = 0; i < 400; ++i) {
            bool moved = from_b();
            for (auto& h : hosts)
                moved = to_b(*h) || moved;
            if (!moved)
                return;
        }
    }
    std::size_t established_on_b() const
    {
        std::size_t n = 0;
        for (const auto& sa : eb->ike_security_associations())
            n += sa.state == IkeSaState::Established;
        return n;
    }

    std::ostringstream log_text;
    RecordingNode nb;
    Botan::ChaCha_RNG rng_b{Botan::secure_vector<std::uint8_t>(32, 0xb2)};
    std::unique_ptr<Engine> eb;
    std::vector<std::unique_ptr<Host>> hosts;

private:
    IkeVersion m_version;
    std::shared_ptr<spdlog::logger> m_log;
};

}  // namespace

TEST_CASE("INITIAL-CONTACT from a second identity at the same address keeps the first identity's SAs",
          "[ike][v1][initial-contact][hostile]")
{
    SharedAddress s;
    auto& one = s.add("one.example.net", 0x11);
    s.settle();
    REQUIRE(one.node.p2_up.size() == 1);
    auto& two = s.add("two.example.net", 0x22);
    s.settle();
    REQUIRE(two.node.p2_up.size() == 1);
    INFO(s.log_text.str());
    CHECK(s.established_on_b() == 2);
    CHECK(s.nb.ike_deleted.empty());
    CHECK(s.nb.ipsec_deleted.empty());
    CHECK(s.nb.installed.size() == 2);
}

TEST_CASE("INITIAL-CONTACT from another identity does not end a quick mode in progress",
          "[ike][v1][initial-contact][hostile]")
{
    SharedAddress s;
    auto& one = s.add("one.example.net", 0x11);
    // Main Mode 1-6, then HDR*, HASH(1), SA, Ni, IDci, IDcr --> is held back.
    for (int i = 0; i < 3; ++i) {
        REQUIRE(s.to_b(one));
        REQUIRE(s.from_b());
    }
    REQUIRE(one.node.p1_up.size() == 1);
    REQUIRE(one.node.outbox.size() == 1);
    auto& two = s.add("two.example.net", 0x22);
    for (bool moved = true; moved;) {  // both directions each round, until neither moves
        const bool sent = s.to_b(two);
        const bool answered = s.from_b();
        moved = sent || answered;
    }
    REQUIRE(two.node.p2_up.size() == 1);
    s.settle();
    INFO(s.log_text.str());
    CHECK(one.node.p2_up.size() == 1);
    CHECK(s.nb.p2_up.size() == 2);
    CHECK(s.established_on_b() == 2);
}

TEST_CASE("INITIAL-CONTACT from the same identity removes its older IKE and IPsec SAs",
          "[ike][v1][initial-contact]")
{
    SharedAddress s;
    auto& before = s.add("one.example.net", 0x11);
    s.add("two.example.net", 0x22);
    s.settle();
    REQUIRE(s.nb.p2_up.size() == 2);
    const auto old_spi = before.node.p2_up.at(0).outbound_spi;  // B's inbound SPI of that pair
    // one.example.net restarts: a new engine, the same identity, INITIAL-CONTACT.
    auto& after = s.add("one.example.net", 0x33);
    s.settle();
    REQUIRE(after.node.p2_up.size() == 1);
    INFO(s.log_text.str());
    REQUIRE(s.nb.ike_deleted.size() == 1);
    CHECK(s.nb.ike_deleted[0].second == DeleteReason::PeerDelete);
    REQUIRE(s.nb.ipsec_deleted.size() == 1);
    CHECK(s.nb.ipsec_deleted[0].first.inbound_spi == old_spi);
    CHECK(s.established_on_b() == 2);
    CHECK(s.nb.installed.size() == 2);
}

TEST_CASE("an IKEv2 INITIAL_CONTACT from the same identity removes its older IKE SA and Child SA",
          "[ike][ikev2][initial-contact]")
{
    SharedAddress s(IkeVersion::V2);
    auto& before = s.add("one.example.net", 0x11);
    s.add("two.example.net", 0x22);
    s.settle();
    REQUIRE(s.nb.p2_up.size() == 2);
    const auto old_spi = before.node.p2_up.at(0).outbound_spi;  // B's inbound SPI of that pair
    // one.example.net restarts: a new engine, the same identity, N(INITIAL_CONTACT) in IKE_AUTH.
    auto& after = s.add("one.example.net", 0x33);
    s.settle();
    REQUIRE(after.node.p2_up.size() == 1);
    INFO(s.log_text.str());
    REQUIRE(s.nb.ike_deleted.size() == 1);
    CHECK(s.nb.ike_deleted[0].second == DeleteReason::PeerDelete);
    CHECK(s.nb.ike_deleted[0].first.peer_identity == "one.example.net");
    REQUIRE(s.nb.ipsec_deleted.size() == 1);
    CHECK(s.nb.ipsec_deleted[0].first.inbound_spi == old_spi);
    CHECK(s.established_on_b() == 2);
    CHECK(s.nb.installed.size() == 2);
}

TEST_CASE("an IKEv2 INITIAL_CONTACT from another identity at the same address keeps the first identity's SAs",
          "[ike][ikev2][initial-contact]")
{
    SharedAddress s(IkeVersion::V2);
    s.add("one.example.net", 0x11);
    s.settle();
    s.add("two.example.net", 0x22);
    s.settle();
    INFO(s.log_text.str());
    CHECK(s.nb.p2_up.size() == 2);
    CHECK(s.nb.ike_deleted.empty());
    CHECK(s.nb.ipsec_deleted.empty());
    CHECK(s.established_on_b() == 2);
}

TEST_CASE("an IKEv2 initiator configured without INITIAL_CONTACT leaves the responder's older SAs in place",
          "[ike][ikev2][initial-contact]")
{
    SharedAddress s(IkeVersion::V2);
    s.add("one.example.net", 0x11);
    s.settle();
    s.add("one.example.net", 0x33, false);
    s.settle();
    INFO(s.log_text.str());
    CHECK(s.nb.p2_up.size() == 2);
    CHECK(s.nb.ike_deleted.empty());
    CHECK(s.established_on_b() == 2);
}
