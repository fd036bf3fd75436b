// Extended sequence numbers negotiated between two engines: IKEv1 Quick Mode
// with the Extended Sequence Number attribute (class 11, value 1, RFC 4304 2)
// and IKEv2 Child SAs with transform type 5 id 1 (RFC 7296 3.3.2), both
// roles; the installed SAs carry ESP across 2^32 through two SADBs, and a
// peer that does not agree gets NO_PROPOSAL_CHOSEN naming the attribute.
#include <catch2/catch.hpp>

#include "exchange_harness.h"
#include "picsec/ike/negotiation/phase2.h"
#include "picsec/ike/negotiation/sa_payload.h"
#include "picsec/ike/v2/negotiation.h"
#include "picsec/sadb/ipv4.h"
#include "picsec/sadb/sadb.h"

using namespace picsec;
using namespace picsec::ike;
using namespace picsec::ike::test;

namespace {

EngineConfig esn_config(const char* self, const char* peer, bool initiator, IkeVersion version, bool esn) {
    auto c = make_config(self, peer, initiator);
    for (auto& p : c.ike_policies) p.version = version;
    for (auto& sp : c.ipsec_policies)
        for (auto& q : sp.proposals) q.extended_sequence_numbers = esn;
    return c;
}

const char* version_name(IkeVersion v) { return v == IkeVersion::V2 ? "IKEv2" : "IKEv1"; }

// A's outbound SA and B's inbound SA in two SADBs: ESP across 2^32.
void check_traffic_across_2_32(const DynamicSaPair& a, const DynamicSaPair& b) {
    sadb::Sadb da;
    sadb::Sadb db;
    auto out = da.add(a.outbound);
    auto in = db.add(b.inbound);
    REQUIRE(out);
    REQUIRE(in);
    Botan::ChaCha_RNG rng(Botan::secure_vector<std::uint8_t>(32, 7));
    const auto packet = [] {
        auto p = sadb::ipv4::make_header(0, 1, 0, 64, 1, 0x0a000001, 0x0a000002);
        p.resize(48, 0x5a);
        sadb::ipv4::finish_header(p, 20);
        return p;
    };
    // The receiver's window is at 0: bring it to 2^31 first (RFC 4303 A2.1
    // cannot place 2^32 - 1 behind 0).
    REQUIRE(da.set_last_sequence_sent(*out, 0x7fffffffU));
    auto halfway = da.protect(*out, packet(), rng);
    REQUIRE(halfway);
    REQUIRE(db.unprotect(*halfway));
    REQUIRE(da.set_last_sequence_sent(*out, (std::uint64_t{1} << 32) - 2));
    for (int i = 0; i < 4; ++i) {
        auto p = da.protect(*out, packet(), rng);
        REQUIRE(p);
        REQUIRE(db.unprotect(*p));
    }
    CHECK(db.get(*in)->primary.window.highest() == (std::uint64_t{1} << 32) + 2);
}

}  // namespace

TEST_CASE("two engines agree on extended sequence numbers, or on none, in IKEv1 Quick Mode and IKEv2 Child SAs",
          "[ike][esn][v1][ikev2]") {
    for (auto version : {IkeVersion::V1, IkeVersion::V2}) {
        for (bool esn : {true, false}) {
            CAPTURE(version_name(version), esn);
            Pair p(esn_config("10.0.0.1", "10.0.0.2", true, version, esn),
                   esn_config("10.0.0.2", "10.0.0.1", false, version, esn));
            p.tick(0);
            p.settle();
            REQUIRE(p.na.installed.size() == 1);
            REQUIRE(p.nb.installed.size() == 1);
            const auto& a = p.na.installed.begin()->second;
            const auto& b = p.nb.installed.begin()->second;
            for (const auto* spec : {&a.inbound, &a.outbound, &b.inbound, &b.outbound})
                CHECK(spec->extended_sequence_numbers == esn);
            if (!esn) continue;
            check_traffic_across_2_32(a, b);
            check_traffic_across_2_32(b, a);
        }
    }
}

TEST_CASE("an ESN offer to a peer without ESN gets NO_PROPOSAL_CHOSEN naming the attribute, either role",
          "[ike][esn][v1][ikev2]") {
    struct Case {
        IkeVersion version;
        bool initiator_esn;
        const char* detail;
    };
    for (const Case c : {Case{IkeVersion::V1, true, "extended-sequence-number theirs 1 ours none"},
                         Case{IkeVersion::V1, false, "extended-sequence-number theirs none ours 1"},
                         Case{IkeVersion::V2, true, "extended-sequence-numbers theirs yes ours no"},
                         Case{IkeVersion::V2, false, "extended-sequence-numbers theirs no ours yes"}}) {
        CAPTURE(version_name(c.version), c.initiator_esn);
        Pair p(esn_config("10.0.0.1", "10.0.0.2", true, c.version, c.initiator_esn),
               esn_config("10.0.0.2", "10.0.0.1", false, c.version, !c.initiator_esn));
        p.tick(0);
        p.settle();
        CHECK(p.na.installed.empty());
        CHECK(p.nb.installed.empty());
        REQUIRE_FALSE(p.nb.p2_failed.empty());
        CHECK(p.nb.p2_failed[0].reason == FailureReason::NoProposalChosen);
        CHECK(p.nb.p2_failed[0].detail.find(c.detail) != std::string::npos);
    }
}

TEST_CASE("an ESN proposal carries IKEv2 transform type 5 id 1 and the IKEv1 attribute 11 value 1",
          "[ike][esn][negotiation]") {
    auto q = ipsec_proposal();
    q.extended_sequence_numbers = true;
    const std::vector<negotiation::IpsecProposal> ours{q};
    const auto v2 = v2::negotiation::child_offer(ours, 0x11223344);
    REQUIRE(v2.proposals.size() == 1);
    int esn_transforms = 0;
    for (const auto& t : v2.proposals[0].transforms)
        if (t.type == v2::TransformType::Esn) {
            ++esn_transforms;
            CHECK(t.id == 1);
        }
    CHECK(esn_transforms == 1);

    negotiation::Phase2Policy policy;
    policy.proposals = ours;
    const auto t = negotiation::to_ipsec_transform(q, negotiation::protocol_id::Esp, policy);
    REQUIRE(t.esn);
    CHECK(*t.esn == 1);
    // Through the SA payload and back: the attribute is read, not left as unknown.
    negotiation::Phase2Offer offer;
    offer.proposals.push_back(
        negotiation::OfferedProposal{1, {negotiation::OfferedProtocol{negotiation::protocol_id::Esp, 0x1234, {t}}}});
    auto back = negotiation::to_phase2_offer(negotiation::to_sa_payload(offer));
    REQUIRE(back);
    CHECK(*back == offer);
}
