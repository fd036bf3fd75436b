// SA payload <-> offer mapping: our offers survive the wire (codec encode and
// decode) unchanged, and malformed transforms are refused naming the field.
#include "picsec/ike/codec/message.h"
#include "picsec/ike/negotiation/phase1.h"
#include "picsec/ike/negotiation/phase2.h"
#include "picsec/ike/negotiation/sa_payload.h"

#include <catch2/catch.hpp>

using namespace picsec::ike;
using namespace picsec::ike::negotiation;
namespace sadb = picsec::sadb;

namespace {

// Through the codec's SA payload encoder and decoder, as on the wire.
codec::SaPayload over_the_wire(const codec::SaPayload& sa) {
    codec::Writer w;
    codec::encode(w, sa);
    const auto bytes = w.take();
    codec::Reader r(bytes, "SA");
    auto back = codec::decode_sa(r);
    r.expect_end();
    REQUIRE(r.ok());
    return back;
}

codec::SaPayload one_ike_transform(std::vector<codec::DataAttribute> attributes) {
    codec::Transform t;
    t.number = 1;
    t.id = codec::key_ike;
    t.attributes = std::move(attributes);
    codec::Proposal p;
    p.protocol = codec::ProtocolId::Isakmp;
    p.transforms.push_back(std::move(t));
    codec::SaPayload sa;
    sa.proposals.push_back(std::move(p));
    return sa;
}

codec::DataAttribute tv(std::uint16_t t, std::uint16_t v) { return {t, v}; }

}  // namespace

TEST_CASE("a phase 1 offer with long and short lifetimes maps to an SA payload and back unchanged",
          "[ike][negotiation][sa-payload]") {
    IkeProposal a{"a", sadb::EncryptionAlgorithm::Aes256Cbc, HashAlgorithm::Sha256, AuthMethod::RsaSignatures,
                  DhGroup::Modp2048, 86400};
    IkeProposal b{"b", sadb::EncryptionAlgorithm::DesCbc, HashAlgorithm::Md5, AuthMethod::PreSharedKeys,
                  DhGroup::Modp768, 600};
    auto offer = build_phase1_offer({a, b});
    offer.transforms[1].life_kilobytes = 5000000000ULL;
    const auto sa = to_sa_payload(offer);
    REQUIRE(sa.proposals.size() == 1);
    CHECK(sa.proposals[0].protocol == codec::ProtocolId::Isakmp);
    // 86400 s does not fit a basic attribute: RFC 2408 3.3 variable form.
    const auto& attrs = sa.proposals[0].transforms[0].attributes;
    CHECK_FALSE(attrs.back().is_basic());
    auto back = to_phase1_offer(over_the_wire(sa));
    REQUIRE(back.ok());
    CHECK(*back == offer);
}

TEST_CASE("a quick mode bundle offer maps to AH and ESP proposals under one number and back",
          "[ike][negotiation][sa-payload]") {
    IpsecProposal bundle{"bundle", sadb::Protocol::Bundle, sadb::EncryptionAlgorithm::TripleDesCbc,
                         sadb::AuthenticationAlgorithm::HmacSha1_96, 3600, 100000};
    IpsecProposal esp{"esp", sadb::Protocol::Esp, sadb::EncryptionAlgorithm::Aes128Cbc,
                      sadb::AuthenticationAlgorithm::HmacMd5_96, 70000, 0};
    Phase2Policy policy{{bundle, esp}, DhGroup::Modp1024, sadb::Mode::Tunnel, false};
    auto offer = build_phase2_offer(policy);
    offer.proposals[0].protocols[0].spi = 0x12345678;
    offer.proposals[0].protocols[1].spi = 0x9abcdef0;
    offer.proposals[1].protocols[0].spi = 0x9abcdef0;
    const auto sa = to_sa_payload(offer);
    REQUIRE(sa.proposals.size() == 3);
    CHECK(sa.proposals[0].number == sa.proposals[1].number);
    CHECK(sa.proposals[0].spi == std::vector<std::uint8_t>{0x12, 0x34, 0x56, 0x78});
    auto back = to_phase2_offer(over_the_wire(sa));
    REQUIRE(back.ok());
    CHECK(*back == offer);
}

TEST_CASE("malformed SA payloads are refused with the field named", "[ike][negotiation][sa-payload]") {
    // Life Duration without a Life Type.
    auto orphan = to_phase1_offer(one_ike_transform({tv(1, 5), tv(12, 3600)}));
    REQUIRE_FALSE(orphan.ok());
    CHECK(orphan.error().notify == codec::NotifyType::BadProposalSyntax);
    CHECK(orphan.error().field == "LIFE_DURATION");
    // A zero lifetime (strongSwan with rekeying switched off) sets no limit: as if absent.
    auto zero = to_phase1_offer(one_ike_transform({tv(1, 5), tv(2, 2), tv(3, 1), tv(4, 2), tv(11, 1), tv(12, 0)}));
    REQUIRE(zero.ok());
    REQUIRE(zero->transforms.size() == 1);
    CHECK_FALSE(zero->transforms[0].life_seconds.has_value());
    // Seconds twice.
    auto twice = to_phase1_offer(one_ike_transform({tv(11, 1), tv(12, 60), tv(11, 1), tv(12, 90)}));
    REQUIRE_FALSE(twice.ok());
    CHECK(twice.error().field == "LIFE_TYPE");
    // A value over 8 bytes.
    auto huge = to_phase1_offer(one_ike_transform({codec::DataAttribute{1, std::vector<std::uint8_t>(9, 1)}}));
    REQUIRE_FALSE(huge.ok());
    CHECK(huge.error().notify == codec::NotifyType::BadProposalSyntax);
    CHECK(huge.error().message.find("got 9 bytes") != std::string::npos);
    // Two proposals in phase 1.
    auto sa = one_ike_transform({tv(1, 5)});
    sa.proposals.push_back(sa.proposals[0]);
    auto two = to_phase1_offer(sa);
    REQUIRE_FALSE(two.ok());
    CHECK(two.error().notify == codec::NotifyType::BadProposalSyntax);
    // A quick mode SPI of 2 bytes.
    codec::SaPayload q;
    codec::Proposal p;
    p.protocol = codec::ProtocolId::IpsecEsp;
    p.spi = {1, 2};
    q.proposals.push_back(p);
    auto spi = to_phase2_offer(q);
    REQUIRE_FALSE(spi.ok());
    CHECK(spi.error().notify == codec::NotifyType::InvalidSpi);
    CHECK(spi.error().field == "SPI size");
}

TEST_CASE("attribute classes we never send are kept so the transform cannot match",
          "[ike][negotiation][sa-payload]") {
    auto offer = to_phase1_offer(one_ike_transform({tv(1, 5), tv(2, 2), tv(3, 1), tv(4, 2), tv(13, 1), tv(999, 7)}));
    REQUIRE(offer.ok());
    REQUIRE(offer->transforms.size() == 1);
    CHECK(offer->transforms[0].other_attributes == std::vector<std::uint16_t>{13, 999});
    CHECK(offer->transforms[0].encryption == 5);
    CHECK_FALSE(offer->transforms[0].life_seconds.has_value());
}
