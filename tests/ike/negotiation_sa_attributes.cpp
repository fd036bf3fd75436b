// A transform's SA attributes as production reads them (to_phase1_offer,
// to_phase2_offer over the codec's life pairs): real strongSwan offers, the
// variable forms, and values picsec does not know, which stay readable so
// they reach the mismatch report instead of failing the whole SA payload.
#include "picsec/ike/negotiation/sa_payload.h"

#include "codec_support.h"

#include <catch2/catch.hpp>

using namespace picsec::ike;
using namespace picsec::ike::negotiation;
using codec::test::decode_as;
using codec::test::from_hex;
using codec::test::load_vectors;

namespace {

codec::DataAttribute tv(std::uint16_t t, std::uint16_t v) { return {t, v}; }
codec::DataAttribute tlv(std::uint16_t t, std::vector<std::uint8_t> v) { return {t, std::move(v)}; }

codec::SaPayload one_transform(codec::ProtocolId protocol, std::vector<codec::DataAttribute> attributes) {
    codec::Transform t;
    t.id = protocol == codec::ProtocolId::Isakmp ? codec::key_ike : 3;
    t.attributes = std::move(attributes);
    codec::Proposal p;
    p.protocol = protocol;
    if (protocol != codec::ProtocolId::Isakmp) p.spi = {1, 2, 3, 4};
    p.transforms.push_back(std::move(t));
    codec::SaPayload sa;
    sa.proposals.push_back(std::move(p));
    return sa;
}

// The SA payload at `index` of a real strongSwan message.
codec::SaPayload real_sa(const std::string& name, std::size_t index) {
    for (const auto& v : load_vectors("real_messages.txt")) {
        if (v.name != name) continue;
        const auto d = decode_as(v.get("kind") == "message" ? std::string("message") : "padded " + v.get("first"),
                                 from_hex(v.get("hex")));
        REQUIRE_FALSE(d.error.has_value());
        return std::get<codec::SaPayload>(d.payloads.at(index));
    }
    FAIL("missing vector " << name);
    return {};
}

}  // namespace

TEST_CASE("strongSwan's phase 1 offers read as the IKE numbers of their algorithms", "[ike][negotiation][real]") {
    struct Expect {
        const char* vector;
        std::uint16_t encryption;
        std::optional<std::uint16_t> key_length;
        std::uint16_t hash, group, auth_method;
        std::optional<std::uint32_t> life_seconds;
    };
    // 3DES, SHA1, MODP 1024, PSK for 15840 s; AES-128, SHA2-256, MODP 2048, RSA signatures.
    for (const auto& e : {Expect{"v1-main-3des#1", 5, std::nullopt, 2, 2, 1, 15840},
                          Expect{"v1-cert-rsa#1", 7, 128, 4, 14, 3, std::nullopt}}) {
        INFO(e.vector);
        const auto offer = to_phase1_offer(real_sa(e.vector, 0));
        REQUIRE(offer.ok());
        const auto& t = offer->transforms.at(0);
        CHECK(t.encryption == e.encryption);
        CHECK(t.key_length == e.key_length);
        CHECK(t.hash == e.hash);
        CHECK(t.group == e.group);
        CHECK(t.auth_method == e.auth_method);
        if (e.life_seconds) CHECK(t.life_seconds == e.life_seconds);
        CHECK(t.other_attributes.empty());
    }
}

TEST_CASE("strongSwan's Quick Mode 1 offers ESP 3DES HMAC-SHA1 in tunnel mode with PFS", "[ike][negotiation][real]") {
    const auto offer = to_phase2_offer(real_sa("v1-main-3des#7", 1));
    REQUIRE(offer.ok());
    const auto& t = offer->proposals.at(0).protocols.at(0).transforms.at(0);
    CHECK(t.transform_id == 3);
    CHECK(t.authentication == 2);
    CHECK(t.group == 2);
    CHECK(t.encapsulation == encapsulation::Tunnel);
    CHECK(t.life_seconds == 3960u);
}

TEST_CASE("a phase 1 transform accepts a variable-length life duration and an AES key length",
          "[ike][negotiation][attributes]") {
    const auto offer = to_phase1_offer(one_transform(
        codec::ProtocolId::Isakmp, {tv(1, 7), tv(14, 256), tv(2, 4), tv(4, 14), tv(3, 1), tv(11, 1),
                                    tlv(12, {0x00, 0x01, 0x51, 0x80}), tv(11, 2), tv(12, 1000)}));
    REQUIRE(offer.ok());
    const auto& t = offer->transforms.at(0);
    CHECK(t.encryption == 7);
    CHECK(t.key_length == 256);
    CHECK(t.life_seconds == 86400u);
    CHECK(t.life_kilobytes == 1000u);
}

TEST_CASE("an unknown value or a class picsec does not negotiate is kept for the mismatch report",
          "[ike][negotiation][attributes]") {
    const auto unknown = to_phase1_offer(one_transform(codec::ProtocolId::Isakmp, {tv(1, 99), tv(2, 3)}));
    REQUIRE(unknown.ok());
    CHECK(unknown->transforms.at(0).encryption == 99);
    CHECK(unknown->transforms.at(0).hash == 3);  // Tiger
    const auto prime = to_phase1_offer(one_transform(codec::ProtocolId::Isakmp, {tv(1, 5), tlv(6, {1, 2, 3})}));
    REQUIRE(prime.ok());
    CHECK(prime->transforms.at(0).other_attributes == std::vector<std::uint16_t>{6});
    const auto rounds = to_phase2_offer(one_transform(codec::ProtocolId::IpsecEsp, {tv(4, 1), tv(7, 12)}));
    REQUIRE(rounds.ok());
    CHECK(rounds->proposals.at(0).protocols.at(0).transforms.at(0).other_attributes == std::vector<std::uint16_t>{7});
}

TEST_CASE("a phase 2 transform keeps the RFC 3947 and draft UDP encapsulation modes", "[ike][negotiation][natt]") {
    for (const std::uint16_t mode : {std::uint16_t{3}, std::uint16_t{4}, std::uint16_t{61443}}) {
        const auto offer = to_phase2_offer(one_transform(codec::ProtocolId::IpsecEsp, {tv(4, mode), tv(5, 1)}));
        REQUIRE(offer.ok());
        const auto& t = offer->proposals.at(0).protocols.at(0).transforms.at(0);
        CHECK(t.encapsulation == mode);
        CHECK(t.authentication == 1);
    }
}
