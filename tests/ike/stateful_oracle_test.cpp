// Fixed action sequences through the stateful fuzz harness: an on-path third
// party replays, mutates and forges datagrams during an honest exchange; the
// oracle (no injected datagram changes state) and liveness must hold.
#include "stateful_harness.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>

using namespace picsec::ike;
using namespace picsec::ike::fuzz::stateful;

namespace {

constexpr std::uint8_t k_deliver = 0, k_advance_flush = 5 | 8, k_replay = 6, k_forge = 7;

/// op, a1, a2, a3 as the harness reads them.
void act(std::vector<std::uint8_t>& in, std::uint8_t op, std::uint8_t a1 = 0, std::uint8_t a2 = 0,
         std::uint8_t a3 = 0)
{
    in.insert(in.end(), {op, a1, a2, a3});
}

void deliver(std::vector<std::uint8_t>& in, int n)
{
    for (int i = 0; i < n; ++i)
        act(in, k_deliver);
}

/// `rounds` times: the clock on 25 s with everything in flight delivered,
/// then `per_round` replays of earlier honest datagrams, to varying ports.
void replay_rounds(std::vector<std::uint8_t>& in, int rounds, std::uint8_t per_round)
{
    for (int round = 0; round < rounds; ++round) {
        act(in, k_advance_flush, 200);
        for (std::uint8_t i = 0; i < per_round; ++i)
            act(in, k_replay, static_cast<std::uint8_t>(i * 3 + round), i, i);
    }
}

/// The index of the first honest datagram of exchange type `type` (byte 18).
std::size_t first_of(const World& w, std::uint8_t type)
{
    for (std::size_t i = 0; i < w.history.size(); ++i)
        if (ike_part(w.history[i]).size() > 18 && ike_part(w.history[i])[18] == type)
            return i;
    FAIL("no datagram of exchange type " << int{type});
    return 0;
}

/// Main Mode and Quick Mode up, every datagram delivered.
void establish(World& w)
{
    for (int i = 0; i < 40 && !w.in_flight.empty(); ++i)
        w.deliver();
    REQUIRE(w.finding.empty());
    REQUIRE(w.na.installed.size() == 1);
    REQUIRE(w.nb.installed.size() == 1);
}

}  // namespace

TEST_CASE("an honest exchange through the stateful harness establishes both phases on both sides",
          "[ike][v1][fuzz]")
{
    for (std::uint8_t options : {0x00, 0x01, 0x02, 0x0c, 0x0f}) {
        std::vector<std::uint8_t> in{options};
        deliver(in, 20);
        act(in, k_advance_flush, 255);
        CAPTURE(int{options});
        CHECK(run(in).empty());
    }
}

TEST_CASE("a replayed quick mode 1 changes no state on the responder", "[ike][v1][fuzz]")
{
    World w(Options{});
    establish(w);
    const std::size_t qm1 = first_of(w, 32);
    // HDR*, HASH(1), SA, Ni [, KE] [, IDci, IDcr] -->  again, to 500 and to 4500
    for (std::uint8_t ports : {0, 2, 4, 6})
        w.inject(aim(w.history[qm1], Bytes(ike_part(w.history[qm1]).begin(), ike_part(w.history[qm1]).end()),
                     static_cast<std::uint8_t>(1 | ports), 7),
                 "replay");
    CHECK(w.finding.empty());
    CHECK(w.injected == 4);
    CHECK(w.finish());
}

TEST_CASE("unprotected notifies, deletes and encrypted garbage change no state on either side",
          "[ike][v1][fuzz]")
{
    World w(Options{false, false, false, true});
    establish(w);
    const std::size_t about = first_of(w, 32);
    for (unsigned kind : {0u, 1u, 2u, 4u, 5u, 7u})
        for (std::uint8_t arg = 0; arg < 8; ++arg)
            for (std::uint8_t toward : {0, 1}) {
                const auto target = ((toward != 0) == (w.history[about].to.address == address_a())) ? &w.na : &w.nb;
                auto bytes = forge(kind, ike_part(w.history[about]), arg, *target, w.history, address_a());
                w.inject(aim(w.history[about], bytes, toward, arg), "forged");
            }
    CHECK(w.finding.empty());
    CHECK(w.finish());
}

TEST_CASE("an aggressive mode first message to a main mode policy creates no SA", "[ike][v1][fuzz]")
{
    World w(Options{});
    establish(w);
    const std::size_t mm1 = first_of(w, 2);
    for (std::uint8_t arg : {0, 1})
        w.inject(aim(w.history[mm1], forge(3, ike_part(w.history[mm1]), arg, w.nb, w.history, address_a()), 1, 0), "forged");
    CHECK(w.finding.empty());
    CHECK(w.eb->ike_security_associations().size() == 1);
    CHECK(w.finish());
}

TEST_CASE("replays of every honest datagram to either port change no state through DPD and rekeys",
          "[ike][v1][fuzz]")
{
    std::vector<std::uint8_t> in{0x0a};  // NAT-T and DPD
    deliver(in, 20);
    replay_rounds(in, 12, 24);
    CHECK(run(in).empty());
}

TEST_CASE("a dropped honest message is recovered by retransmission", "[ike][v1][fuzz]")
{
    World w(Options{});
    // HDR, SA -->  <-- HDR, SA  HDR, KE, Ni --> (lost)
    w.deliver();
    w.deliver();
    w.drop();
    w.advance(2000, false);  // the initiator retransmits HDR, KE, Ni
    for (int i = 0; i < 40 && !w.in_flight.empty(); ++i)
        w.deliver();
    CHECK(w.finding.empty());
    CHECK(w.na.installed.size() == 1);
    CHECK(w.nb.installed.size() == 1);
}

TEST_CASE("forged first messages stay within the half-open bound", "[ike][v1][fuzz]")
{
    std::vector<std::uint8_t> in{0x00};
    deliver(in, 1);
    for (std::uint8_t i = 0; i < 40; ++i)
        act(in, k_forge | (6 << 3), 0, 1, static_cast<std::uint8_t>(2 * i));
    deliver(in, 20);
    CHECK(run(in).empty());
}

TEST_CASE("a first message to the NAT-T port is answered from it with the non-ESP marker", "[ike][v1][fuzz]")
{
    World w(Options{});
    establish(w);
    const std::size_t mm1 = first_of(w, 2);
    // HDR, SA --> to 10.0.0.2:4500 from 10.0.0.1:4500, a fresh initiator cookie:
    // <-- 0000 HDR, SA from 4500 (RFC 3948 2.2)
    w.inject(aim(w.history[mm1], forge(6, ike_part(w.history[mm1]), 0x10, w.nb, w.history, address_a()), 1 | (1 << 1), 0),
             "forged");
    w.check_bounds();
    CHECK(w.finding.empty());
    CHECK(w.eb->ike_security_associations().size() == 2);
}

TEST_CASE("an aggressive mode phase 1 rekey with an IPsec rekey in flight leaves a matching pair on both sides",
          "[ike][v1][fuzz]")
{
    // Found by fuzz_stateful: the Quick Mode rekeying the IPsec SA ran on the
    // IKE SA the new phase 1 then retired, so it died with it and the pair
    // expired on the initiator. The Quick Mode now goes on with the new SA.
    for (const char* name : {"stateful-liveness-rekey-aggressive", "stateful-liveness-rekey-aggressive-honest"}) {
        std::ifstream f(std::string(PICSEC_FUZZ_FINDINGS) + "/" + name, std::ios::binary);
        REQUIRE(f);
        const std::vector<std::uint8_t> in((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
        INFO(name);
        CHECK(run(in) == "");
    }
}

// ---------------------------------------------------------------- IKEv2

namespace {

constexpr std::uint8_t k_v2 = 0x10;
constexpr std::uint8_t k_ike_sa_init = 34, k_ike_auth = 35, k_informational = 37;

Options v2_options(bool nat_t = false, bool dpd = false)
{
    Options o;
    o.v2 = true;
    o.nat_t = nat_t;
    o.dpd = dpd;
    return o;
}

/// The index of the first honest datagram of exchange `type` that is a request (or a response).
std::size_t first_v2(const World& w, std::uint8_t type, bool response)
{
    for (std::size_t i = 0; i < w.history.size(); ++i) {
        const auto ike = ike_part(w.history[i]);
        if (ike.size() > 19 && ike[18] == type && ((ike[19] & 0x20) != 0) == response)
            return i;
    }
    FAIL("no IKEv2 datagram of exchange type " << int{type} << (response ? " (response)" : " (request)"));
    return 0;
}

/// Injects `bytes` toward the receiver of honest datagram `about` (forward) or back to its sender.
void inject_about(World& w, std::size_t about, Bytes bytes, bool forward, const std::string& origin)
{
    if (!bytes.empty())
        w.inject(aim(w.history[about], std::move(bytes), forward ? 1 : 0, 0), origin);
}

}  // namespace

TEST_CASE("an honest IKEv2 exchange through the stateful harness establishes the IKE SA and Child SA on both sides",
          "[ike][ikev2][fuzz]")
{
    for (std::uint8_t options : {0x10, 0x12, 0x18, 0x1a, 0x1c, 0x3c}) {
        std::vector<std::uint8_t> in{options};
        deliver(in, 20);
        act(in, k_advance_flush, 255);
        CAPTURE(int{options});
        CHECK(run(in).empty());
    }
}

TEST_CASE("IKEv2 through the harness survives clears of the Child SA and the IKE SA and comes up again",
          "[ike][ikev2][fuzz]")
{
    for (std::uint8_t clear : {0x15, 0x25}) {
        for (std::uint8_t side : {0, 1}) {
            std::vector<std::uint8_t> in{k_v2 | 0x08};
            deliver(in, 20);
            act(in, clear, side);
            deliver(in, 20);
            act(in, k_advance_flush, 200);
            CAPTURE(int{clear}, int{side});
            CHECK(run(in).empty());
        }
    }
}

TEST_CASE("replayed IKEv2 requests and responses change no state through liveness checks and expiry",
          "[ike][ikev2][fuzz]")
{
    std::vector<std::uint8_t> in{k_v2 | 0x0a};  // NAT-T and liveness checks
    deliver(in, 20);
    replay_rounds(in, 12, 24);
    CHECK(run(in).empty());
}

TEST_CASE("IKEv2 INFORMATIONAL, IKE_AUTH and CREATE_CHILD_SA with a garbage SK body change no state",
          "[ike][ikev2][fuzz]")
{
    World w(v2_options(false, true));
    establish(w);
    w.advance(25000, true);  // a liveness check: HDR, SK {} -->  <-- HDR, SK {}
    establish(w);
    for (std::uint8_t type : {k_ike_auth, k_informational})
        for (bool response : {false, true}) {
            const std::size_t about = first_v2(w, type, response);
            for (unsigned kind : {3u, 4u, 5u, 6u, 7u})
                for (std::uint8_t arg = 0; arg < 8; ++arg)
                    for (bool forward : {false, true})
                        inject_about(w, about, forge_v2(kind, ike_part(w.history[about]), arg, w.history), forward,
                                     "forged v2 " + std::to_string(kind));
        }
    CHECK(w.finding.empty());
    CHECK(w.finish());
}

TEST_CASE("an IKEv2 IKE_SA_INIT request repeating a known SPIi with other content creates nothing",
          "[ike][ikev2][fuzz]")
{
    World w(v2_options());
    establish(w);
    const std::size_t init = first_v2(w, k_ike_sa_init, false);
    for (std::uint8_t arg = 0; arg < 16; ++arg)
        inject_about(w, init, forge_v2(1, ike_part(w.history[init]), static_cast<std::uint8_t>(arg * 13), w.history),
                     true, "forged v2 1");
    CHECK(w.finding.empty());
    CHECK(w.eb->ike_security_associations().size() == 1);
    CHECK(w.finish());
}

TEST_CASE("unprotected IKEv2 error notifies to a pending IKE_SA_INIT are only noted", "[ike][ikev2][fuzz]")
{
    World w(v2_options());
    REQUIRE(w.history.size() == 1);  // HDR, SAi1, KEi, Ni, N(NAT_D)* -->  in flight
    // <-- HDR, N(NO_PROPOSAL_CHOSEN) (SPIr zero or not) and N(INVALID_KE_PAYLOAD) naming a group we
    // did not offer or the one we sent, forged
    for (std::uint8_t arg : {0, 3, 1, 4, 10, 0x81, 0x84})
        inject_about(w, 0, forge_v2(0, ike_part(w.history[0]), arg, w.history), false, "forged v2 0");
    CHECK(w.finding.empty());
    CHECK_FALSE(w.tainted);
    establish(w);
    CHECK(w.finish());
}

TEST_CASE("a forged IKEv2 N(COOKIE) to a pending IKE_SA_INIT makes the initiator ask again, an allowed change",
          "[ike][ikev2][fuzz]")
{
    World w(v2_options());
    // <-- HDR, N(COOKIE): RFC 7296 2.6 has the initiator send IKE_SA_INIT again with it.
    inject_about(w, 0, forge_v2(0, ike_part(w.history[0]), 2, w.history), false, "forged v2 0");
    CHECK(w.finding.empty());
    CHECK(w.tainted);  // the exemption: liveness is no longer asserted for this run
    // The same cookie again changes nothing: the initiator does not loop.
    inject_about(w, 0, forge_v2(0, ike_part(w.history[0]), 2, w.history), false, "forged v2 0");
    CHECK(w.finding.empty());
}

TEST_CASE("more IKEv2 IKE_SA_INIT requests than max_half_open keep the responder's table bounded",
          "[ike][ikev2][fuzz]")
{
    std::vector<std::uint8_t> in{k_v2};
    deliver(in, 1);
    for (std::uint8_t i = 0; i < 40; ++i)
        act(in, k_forge | (2 << 3), 0, 1, static_cast<std::uint8_t>(2 * i));
    deliver(in, 20);
    CHECK(run(in).empty());
}

TEST_CASE("an IKEv2 message dropped in flight is recovered by retransmission", "[ike][ikev2][fuzz]")
{
    World w(v2_options());
    // HDR, SAi1, KEi, Ni -->  <-- HDR, SAr1, KEr, Nr   HDR, SK {IDi, AUTH, SAi2, TSi, TSr} --> (lost)
    w.deliver();
    w.deliver();
    w.drop();
    w.advance(2000, false);  // the initiator retransmits IKE_AUTH
    for (int i = 0; i < 40 && !w.in_flight.empty(); ++i)
        w.deliver();
    CHECK(w.finding.empty());
    CHECK(w.na.installed.size() == 1);
    CHECK(w.nb.installed.size() == 1);
}

TEST_CASE("with the services PIC's algorithms both versions come up through the harness and replays change no state",
          "[ike][v1][ikev2][fuzz]")
{
    // bit 5: AES-256/SHA-256/ECP-256 phase 1, ESP AES-GCM; with PFS (group 19)
    // and DPD or liveness checks in some.
    for (std::uint8_t options : {0x20, 0x21, 0x2c, 0x30, 0x3a}) {
        CAPTURE(int{options});
        std::vector<std::uint8_t> in{options};
        deliver(in, 20);
        act(in, k_advance_flush, 255);
        CHECK(run(in).empty());
        replay_rounds(in, 4, 16);
        CHECK(run(in).empty());
    }
    Options o;
    o.modern = true;
    World w(o);
    establish(w);
    CHECK_FALSE(w.na.installed.begin()->second.outbound.authentication.has_value());
    CHECK(w.na.installed.begin()->second.outbound.encryption == picsec::sadb::EncryptionAlgorithm::Aes128Gcm16);
}

TEST_CASE("IKEv2 with a COOKIE on every IKE_SA_INIT and fragmented messages comes up, and replays change no state",
          "[ike][ikev2][fuzz]")
{
    Options o = v2_options();
    o.cookies_fragments = true;
    World w(o);
    establish(w);
    // HDR, SAi1, KEi, Ni -->  <-- HDR, N(COOKIE)  HDR, N(COOKIE), SAi1, KEi, Ni -->
    std::size_t inits = 0, fragments = 0;
    for (const auto& d : w.history) {
        const auto ike = ike_part(d);
        inits += ike.size() > 18 && ike[18] == k_ike_sa_init ? 1 : 0;
        fragments += ike.size() > 18 && ike[16] == 53 ? 1 : 0;  // SKF (RFC 7383 2.5)
    }
    CHECK(inits == 4);
    CHECK(fragments >= 4);  // IKE_AUTH request and response, two fragments or more each
    CHECK(w.finish());

    for (std::uint8_t options : {0x50, 0x5a, 0x70}) {
        CAPTURE(int{options});
        std::vector<std::uint8_t> in{options};
        deliver(in, 24);
        replay_rounds(in, 4, 16);
        CHECK(run(in).empty());
    }
}

TEST_CASE("IKEv2 Child SA rekeys with PFS come through the harness and replays of them change no state",
          "[ike][ikev2][fuzz]")
{
    Options o = v2_options(true, true);
    o.pfs = true;
    World w(o);
    establish(w);
    const auto first = w.na.installed.begin()->first;
    for (int i = 0; i < 8; ++i)
        w.advance(25000, true);  // the Child SA rekeys at 140 s: CREATE_CHILD_SA with KEi
    CHECK(w.finding.empty());
    CHECK(w.na.installed.count(first) == 0);
    CHECK(w.na.installed.size() == 1);
    CHECK(w.finish());

    for (std::uint8_t options : {k_v2 | 0x0e, k_v2 | 0x2e}) {  // NAT-T, PFS, liveness checks; the services PIC's algorithms
        CAPTURE(int{options});
        std::vector<std::uint8_t> in{options};
        deliver(in, 20);
        replay_rounds(in, 12, 24);
        CHECK(run(in).empty());
    }
}
