// Exchange tests between two in-memory engines: AH+ESP bundles, RESPONDER-
// LIFETIME, IKE SA rekey, the half-open table under a flood, INITIAL-CONTACT.
#include "exchange_harness.h"

#include "picsec/ike/codec/message.h"
#include "picsec/ike/codec/payload_notify.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

using namespace picsec::ike;
using namespace picsec::ike::test;
namespace sadb = picsec::sadb;

namespace {

negotiation::IpsecProposal bundle_proposal()
{
    negotiation::IpsecProposal p;
    p.name = "bundle-sha-3des";
    p.protocol = sadb::Protocol::Bundle;
    p.encryption = sadb::EncryptionAlgorithm::TripleDesCbc;
    p.authentication = sadb::AuthenticationAlgorithm::HmacSha1_96;
    p.lifetime_seconds = 28800;
    return p;
}

/// Brings A and B up with the main mode + quick mode of exchange_main_mode_test.
void establish(Pair& p)
{
    p.tick(0);
    p.settle();
    REQUIRE(p.na.installed.size() == 1);
    REQUIRE(p.nb.installed.size() == 1);
}

std::size_t half_open(const Engine& e)
{
    std::size_t n = 0;
    for (const auto& s : e.ike_security_associations())
        n += s.role == Role::Responder && s.state == IkeSaState::Negotiating ? 1 : 0;
    return n;
}

}  // namespace

TEST_CASE("a bundle proposal installs AH and ESP pairs with mirrored SPIs and separately derived keys", "[ike][v1][quick][bundle]")
{
    auto a = make_config("10.0.0.1", "10.0.0.2", true);
    auto b = make_config("10.0.0.2", "10.0.0.1", false);
    a.ipsec_policies[0].proposals = {bundle_proposal()};
    b.ipsec_policies[0].proposals = {ipsec_proposal(), bundle_proposal()};
    Pair p(a, b);
    p.tick(0);
    // Main Mode: HDR, SA --> / <-- HDR, SA / HDR, KE, Ni --> / <-- HDR, KE, Nr /
    // HDR*, IDii, HASH_I --> / <-- HDR*, IDir, HASH_R
    for (int i = 0; i < 3; ++i) {
        REQUIRE(p.a_to_b());
        REQUIRE(p.b_to_a());
    }
    REQUIRE(p.na.p1_up.size() == 1);
    // HDR*, HASH(1), SA[P1: AH(SPI a1) + ESP(SPI a2)], Ni, IDci, IDcr -->
    REQUIRE(p.a_to_b());
    REQUIRE(p.nb.installed.size() == 1);
    // <-- HDR*, HASH(2), SA[P1: AH(SPI b1) + ESP(SPI b2)], Nr, IDci, IDcr
    REQUIRE(p.b_to_a());
    REQUIRE(p.na.installed.size() == 1);
    // HDR*, HASH(3) -->
    REQUIRE(p.a_to_b());
    CHECK(p.na.outbox.empty());
    CHECK(p.nb.outbox.empty());

    const auto pa = p.na.installed.begin()->second;
    const auto pb = p.nb.installed.begin()->second;
    for (const auto* s : {&pa.inbound, &pa.outbound, &pb.inbound, &pb.outbound}) {
        CHECK(s->protocol == sadb::Protocol::Bundle);
        // spi = the AH SPI, auxiliary_spi = the ESP SPI; both above the manual range.
        CHECK(s->spi >= 0x10000);
        CHECK(s->auxiliary_spi >= 0x10000);
        CHECK(s->spi != s->auxiliary_spi);
        CHECK(s->authentication == sadb::AuthenticationAlgorithm::HmacSha1_96);
        CHECK(s->encryption == sadb::EncryptionAlgorithm::TripleDesCbc);
        CHECK(s->authentication_key.size() == 20);  // AH HMAC-SHA1
        CHECK(s->encryption_key.size() == 24);      // ESP 3DES
    }
    // What A sends with is what B receives with, for both protocols.
    CHECK(pa.outbound.spi == pb.inbound.spi);
    CHECK(pa.outbound.auxiliary_spi == pb.inbound.auxiliary_spi);
    CHECK(pb.outbound.spi == pa.inbound.spi);
    CHECK(pb.outbound.auxiliary_spi == pa.inbound.auxiliary_spi);
    CHECK(pa.outbound.authentication_key == pb.inbound.authentication_key);
    CHECK(pa.outbound.encryption_key == pb.inbound.encryption_key);
    CHECK(pb.outbound.authentication_key == pa.inbound.authentication_key);
    CHECK(pb.outbound.encryption_key == pa.inbound.encryption_key);
    // RFC 2409 5.5: one KEYMAT per SA (protocol | SPI differ), so the AH key
    // is not the start of the ESP KEYMAT and every direction differs.
    CHECK_FALSE(std::equal(pa.inbound.authentication_key.begin(), pa.inbound.authentication_key.begin() + 20,
                           pa.inbound.encryption_key.begin()));
    CHECK(pa.inbound.authentication_key != pa.outbound.authentication_key);
    CHECK(pa.inbound.encryption_key != pa.outbound.encryption_key);

    const auto sas = p.ea->ipsec_security_associations();
    REQUIRE(sas.size() == 1);
    CHECK(sas[0].protocol == sadb::Protocol::Bundle);
    CHECK(sas[0].inbound_spi == pa.inbound.spi);
    CHECK(sas[0].inbound_auxiliary_spi == pa.inbound.auxiliary_spi);
    CHECK(sas[0].outbound_auxiliary_spi == pa.outbound.auxiliary_spi);

    // Clearing the bundle: D(AH), D(ESP) --> and B removes its pair.
    p.ea->clear_ipsec("sa1");
    REQUIRE(p.a_to_b());
    CHECK(p.nb.installed.empty());
    REQUIRE(p.nb.deleted.size() == 1);
    CHECK(p.nb.deleted[0].protocol == sadb::Protocol::Bundle);
    CHECK(p.nb.deleted[0].inbound_spi == pb.inbound.spi);
}

TEST_CASE("a responder with shorter lifetimes sends RESPONDER-LIFETIME and the initiator installs the shorter one", "[ike][v1][lifetime][responder-lifetime]")
{
    auto a = make_config("10.0.0.1", "10.0.0.2", true);
    auto b = make_config("10.0.0.2", "10.0.0.1", false);
    a.ike_policies[0].proposals[0].lifetime_seconds = 86400;
    b.ike_policies[0].proposals[0].lifetime_seconds = 1200;
    a.ipsec_policies[0].proposals[0].lifetime_seconds = 28800;
    b.ipsec_policies[0].proposals[0].lifetime_seconds = 900;
    Pair p(a, b);
    p.tick(0);
    // HDR, SA (86400 s) -->
    REQUIRE(p.a_to_b());
    // <-- HDR, SA, N(RESPONDER-LIFETIME 1200 s): message 2 is in the clear.
    REQUIRE(p.nb.outbox.size() == 1);
    const std::span<const std::uint8_t> m2 = p.nb.outbox.front().bytes;
    const auto h2 = codec::decode_header(m2);
    REQUIRE(h2.ok());
    const auto chain = codec::split_chain(h2->next_payload, m2.subspan(codec::header_size), false);
    REQUIRE(chain.ok());
    bool phase1_notify = false;
    for (const auto& raw : chain.value())
        if (raw.type == codec::PayloadType::Notification)
            if (auto n = codec::decode_body<codec::NotifyPayload>(raw, codec::decode_notify, "Notify"))
                phase1_notify = phase1_notify || n->notify_type == codec::NotifyType::ResponderLifetime;
    CHECK(phase1_notify);
    p.settle();
    REQUIRE(p.na.p1_up.size() == 1);
    REQUIRE(p.na.p1_up[0].proposal.has_value());
    CHECK(p.na.p1_up[0].proposal->lifetime_seconds == 1200);
    CHECK(p.ea->ike_security_associations().at(0).lifetime_remaining_ms == 1200000);
    // Quick Mode: <-- HDR*, HASH(2), SA, Nr, IDci, IDcr, N(RESPONDER-LIFETIME 900 s)
    CHECK(p.log_text.str().find("RESPONDER-LIFETIME received") != std::string::npos);
    REQUIRE(p.na.installed.size() == 1);
    const auto pa = p.na.installed.begin()->second;
    CHECK(pa.inbound.lifetime.hard_seconds == 900);
    CHECK(pa.outbound.lifetime.hard_seconds == 900);
    CHECK(p.nb.installed.begin()->second.inbound.lifetime.hard_seconds == 900);
    REQUIRE(p.na.p2_up.size() == 1);
    CHECK(p.na.p2_up[0].proposal.lifetime_seconds == 900);
    CHECK(p.ea->ipsec_security_associations().at(0).lifetime_remaining_ms == 900000);
}

TEST_CASE("the IKE SA is rekeyed before expiry with jitter, the old one deleted and the ipsec SAs kept", "[ike][v1][lifetime][rekey]")
{
    auto a = make_config("10.0.0.1", "10.0.0.2", true);
    auto b = make_config("10.0.0.2", "10.0.0.1", false);
    a.ike_policies[0].proposals[0].lifetime_seconds = 600;
    b.ike_policies[0].proposals[0].lifetime_seconds = 600;
    a.timers.rekey_margin_ms = 60000;
    a.timers.rekey_jitter_ms = 20000;
    Pair p(a, b);
    establish(p);
    const auto old_ike = p.ea->ike_security_associations().at(0);
    const auto a_pair = p.na.installed.begin()->first;
    const auto b_pair = p.nb.installed.begin()->first;
    std::uint64_t t = 0;
    for (; t < 600000 && p.na.p1_up.size() < 2; t += 500) {
        p.tick(t);
        p.settle();
    }
    REQUIRE(p.na.p1_up.size() == 2);
    REQUIRE(p.nb.p1_up.size() == 2);
    // Soft expiry at 600 s - 60 s - jitter, jitter in [0, 20 s], never at the unjittered point.
    CHECK(t >= 600000 - 80000);
    CHECK(t < 600000 - 60000);
    CHECK(p.na.p1_up[1].initiator_cookie != old_ike.initiator_cookie);
    // The old IKE SA is gone on both sides (D(ISAKMP) sent); the new one is up.
    REQUIRE(p.na.ike_deleted.size() == 1);
    CHECK(p.na.ike_deleted[0].second == DeleteReason::Rekeyed);
    CHECK(p.na.ike_deleted[0].first.initiator_cookie == old_ike.initiator_cookie);
    REQUIRE(p.nb.ike_deleted.size() == 1);
    CHECK(p.nb.ike_deleted[0].second == DeleteReason::PeerDelete);
    p.tick(t + 1000);
    const auto now_a = p.ea->ike_security_associations();
    REQUIRE(now_a.size() == 1);
    CHECK(now_a[0].initiator_cookie == p.na.p1_up[1].initiator_cookie);
    CHECK(now_a[0].state == IkeSaState::Established);
    REQUIRE(p.eb->ike_security_associations().size() == 1);
    // No INITIAL-CONTACT on a rekey: the ipsec SAs stay installed.
    CHECK(p.na.installed.size() == 1);
    CHECK(p.na.installed.begin()->first == a_pair);
    CHECK(p.nb.installed.size() == 1);
    CHECK(p.nb.installed.begin()->first == b_pair);
    CHECK(p.na.deleted.empty());
    CHECK(p.nb.deleted.empty());
    // The new IKE SA protects the next Quick Mode.
    REQUIRE(p.ea->initiate("sa1"));
    p.settle();
    CHECK(p.na.p2_up.size() == 2);
    CHECK(p.nb.installed.size() == 2);
}

TEST_CASE("a flood of first messages keeps the half-open table bounded, drops the oldest, and a real peer still gets through", "[ike][v1][hostile][half-open]")
{
    auto a = make_config("10.0.0.1", "10.0.0.2", true);
    auto b = make_config("10.0.0.2", "10.0.0.1", false);
    // Policies for the flooding addresses 10.0.1.1 .. 10.0.1.10 so every
    // message gets as far as creating responder state.
    for (int i = 1; i <= 10; ++i) {
        auto ip = b.ike_policies[0];
        ip.peer = addr(("10.0.1." + std::to_string(i)).c_str());
        b.ike_policies.push_back(ip);
    }
    b.max_half_open = 8;
    b.max_half_open_per_peer = 3;
    Pair p(a, b);
    p.tick(0);
    // A real HDR, SA from A, used as the template of the flood.
    REQUIRE(p.na.outbox.size() == 1);
    const auto template_mm1 = p.na.outbox.front().bytes;
    auto flood = [&](std::uint8_t n, const char* from) {
        auto m = template_mm1;
        m[0] = 0xf1;
        m[7] = static_cast<std::uint8_t>(0xff - n);  // a fresh cookie, sorting opposite to arrival
        p.eb->received_datagram(m, Endpoint{addr(from), 500}, Endpoint{addr("10.0.0.2"), 500});
        // The flooder never answers: B's MM2 to it goes nowhere.
        std::erase_if(p.nb.outbox, [&](const Datagram& d) { return d.to.address == addr(from); });
        Cookie c{};
        std::copy(m.begin(), m.begin() + 8, c.begin());
        return c;
    };
    auto cookies_on_b = [&] {
        std::set<Cookie> s;
        for (const auto& i : p.eb->ike_security_associations())
            s.insert(i.initiator_cookie);
        return s;
    };
    // Six from one address, all in the same millisecond: only the newest 3 stay.
    std::vector<Cookie> same;
    for (std::uint8_t n = 0; n < 6; ++n)
        same.push_back(flood(n, "10.0.1.1"));
    CHECK(half_open(*p.eb) == 3);
    CHECK(cookies_on_b() == std::set<Cookie>{same[3], same[4], same[5]});
    // Then many addresses: the total stays at 8, the oldest going first.
    std::vector<Cookie> spread;
    for (std::uint8_t n = 0; n < 20; ++n) {
        spread.push_back(flood(static_cast<std::uint8_t>(0x40 + n), ("10.0.1." + std::to_string(2 + n % 9)).c_str()));
        CHECK(half_open(*p.eb) <= 8);
    }
    CHECK(half_open(*p.eb) == 8);
    CHECK(cookies_on_b() == std::set<Cookie>(spread.end() - 8, spread.end()));

    // The legitimate initiator: HDR, SA --> (its state is the newest)...
    REQUIRE(p.a_to_b());
    // ...the flood goes on while the exchange runs...
    for (std::uint8_t n = 0; n < 4; ++n)
        flood(static_cast<std::uint8_t>(0x80 + n), ("10.0.1." + std::to_string(2 + n)).c_str());
    CHECK(half_open(*p.eb) <= 8);
    // ...and main mode and quick mode still complete.
    p.settle();
    CHECK(p.na.p1_up.size() == 1);
    CHECK(p.nb.p1_up.size() == 1);
    CHECK(p.na.installed.size() == 1);
    CHECK(p.nb.installed.size() == 1);
    // The flood's leftovers time out (half_open_timeout_ms) and are reaped.
    p.tick(b.timers.half_open_timeout_ms + 1);
    p.tick(b.timers.half_open_timeout_ms + 2);
    CHECK(half_open(*p.eb) == 0);
    CHECK(p.eb->ike_security_associations().size() == 1);
}

TEST_CASE("INITIAL-CONTACT from a restarted peer deletes the old SAs with that peer", "[ike][v1][initial-contact]")
{
    Pair p;
    establish(p);
    const auto old_b_spi = p.nb.installed.begin()->first;
    const auto old_cookie = p.eb->ike_security_associations().at(0).initiator_cookie;
    // A restarts: a new engine that has never talked to B (fresh RNG, no state).
    p.na = RecordingNode{};
    auto cfg = make_config("10.0.0.1", "10.0.0.2", true);
    p.ea = std::make_unique<Engine>(cfg, p.na, p.rng_a);
    p.ea->tick(1000);
    // HDR, SA --> / <-- HDR, SA / HDR, KE, Ni --> / <-- HDR, KE, Nr
    for (int i = 0; i < 2; ++i) {
        REQUIRE(p.a_to_b());
        REQUIRE(p.b_to_a());
    }
    CHECK(p.nb.deleted.empty());
    // HDR*, IDii, HASH_I, N(INITIAL-CONTACT) -->: B drops everything it had with 10.0.0.1.
    REQUIRE(p.a_to_b());
    REQUIRE(p.nb.deleted.size() == 1);
    CHECK(p.nb.deleted[0].inbound_spi == old_b_spi);
    REQUIRE(p.nb.ike_deleted.size() == 1);
    CHECK(p.nb.ike_deleted[0].first.initiator_cookie == old_cookie);
    CHECK(p.nb.ike_deleted[0].second == DeleteReason::PeerDelete);
    REQUIRE(p.nb.ipsec_deleted.size() == 1);
    CHECK(p.nb.ipsec_deleted[0].second == DeleteReason::PeerDelete);
    // <-- HDR*, IDir, HASH_R, then Quick Mode: only the new pair is left on B.
    p.settle();
    REQUIRE(p.nb.installed.size() == 1);
    CHECK(p.nb.installed.begin()->first != old_b_spi);
    CHECK(p.nb.installed.begin()->second.outbound.spi == p.na.installed.begin()->second.inbound.spi);
    p.eb->tick(2000);
    REQUIRE(p.eb->ike_security_associations().size() == 1);
    CHECK(p.eb->ike_security_associations()[0].initiator_cookie != old_cookie);
    CHECK(p.eb->ipsec_security_associations().size() == 1);
}

TEST_CASE("aggressive mode sends INITIAL-CONTACT in message 3 on first contact, only when configured",
          "[ike][v1][aggressive][initial-contact]")
{
    for (const bool send : {true, false}) {
        INFO("send_initial_contact " << send);
        auto a = make_config("10.0.0.1", "10.0.0.2", true);
        auto b = make_config("10.0.0.2", "10.0.0.1", false);
        a.ike_policies[0].mode = ExchangeMode::Aggressive;
        b.ike_policies[0].mode = ExchangeMode::Aggressive;
        Pair p(a, b);
        establish(p);
        const auto old_b_spi = p.nb.installed.begin()->first;
        const auto mark = p.log_text.str().size();
        // A restarts: a new engine that has never talked to B.
        p.na = RecordingNode{};
        a.send_initial_contact = send;
        p.ea = std::make_unique<Engine>(a, p.na, p.rng_a);
        p.ea->tick(1000);
        // HDR, SA, KE, Ni, IDii --> / <-- HDR, SA, KE, Nr, IDir, HASH_R
        REQUIRE(p.a_to_b());
        REQUIRE(p.b_to_a());
        CHECK(p.nb.deleted.empty());
        // HDR*, HASH_I [, N(INITIAL-CONTACT)] -->: with it, B drops what it had with 10.0.0.1.
        REQUIRE(p.a_to_b());
        REQUIRE(p.nb.p1_up.size() == 2);
        if (send) {
            REQUIRE(p.nb.deleted.size() == 1);
            CHECK(p.nb.deleted[0].inbound_spi == old_b_spi);
            REQUIRE(p.nb.ike_deleted.size() == 1);
            CHECK(p.nb.ike_deleted[0].second == DeleteReason::PeerDelete);
            CHECK(p.log_text.str().substr(mark).find("INITIAL-CONTACT: removing older SAs") != std::string::npos);
        } else {
            CHECK(p.nb.deleted.empty());
            CHECK(p.nb.ike_deleted.empty());
            CHECK(p.log_text.str().substr(mark).find("INITIAL-CONTACT") == std::string::npos);
        }
    }
}
