// RESPONDER-LIFETIME notification data (RFC 2407 4.6.3.1) and the life pair
// codec both SA payloads and the notify share: round trips and malformed data.
#include <catch2/catch.hpp>

#include <picsec/ike/codec/sa_attributes.h>

#include "codec_support.h"

using namespace picsec::ike::codec;
using picsec::ike::codec::test::from_hex;
using picsec::ike::codec::test::to_hex;

TEST_CASE("RESPONDER-LIFETIME for the ISAKMP SA uses the phase 1 life classes", "[ike][codec][responder-lifetime]") {
    const std::vector<Lifetime> life{{LifeType::Seconds, 3600}};
    const auto data = encode_responder_lifetime(life, ProtocolId::Isakmp);
    // LIFE_TYPE (11) = seconds, LIFE_DURATION (12) = 3600 as basic attributes.
    CHECK(to_hex(data) == "800b0001800c0e10");
    auto back = decode_responder_lifetime(data, ProtocolId::Isakmp);
    REQUIRE(back.ok());
    CHECK(*back == life);
}

TEST_CASE("RESPONDER-LIFETIME for an IPsec SA uses the IPsec DOI classes and long durations", "[ike][codec][responder-lifetime]") {
    const std::vector<Lifetime> life{{LifeType::Seconds, 86400}, {LifeType::Kilobytes, 5000000000ULL}};
    const auto data = encode_responder_lifetime(life, ProtocolId::IpsecEsp);
    // SA_LIFE_TYPE (1) / SA_LIFE_DURATION (2); 86400 does not fit a basic value,
    // 5e9 does not fit 4 bytes.
    CHECK(to_hex(data) == "80010001" "0002000400015180" "80010002" "0002000800000001" "2a05f200");
    auto back = decode_responder_lifetime(data, ProtocolId::IpsecAh);
    REQUIRE(back.ok());
    CHECK(*back == life);
    CHECK(lifetime_of(*back, LifeType::Seconds) == 86400u);
    CHECK(lifetime_of(*back, LifeType::Kilobytes) == 5000000000ULL);
    // The same bytes read for the ISAKMP SA are the wrong classes.
    auto wrong = decode_responder_lifetime(data, ProtocolId::Isakmp);
    REQUIRE_FALSE(wrong.ok());
    CHECK(wrong.error().payload == "RESPONDER-LIFETIME");
    CHECK(wrong.error().field == "attribute 1");
}

TEST_CASE("malformed RESPONDER-LIFETIME data is refused with the field named", "[ike][codec][responder-lifetime]") {
    struct Case {
        const char* hex;
        ProtocolId protocol;
        NotifyType notify;
        const char* field;
    };
    const Case cases[] = {
        {"800b00", ProtocolId::Isakmp, NotifyType::PayloadMalformed, "Attribute Value"},          // truncated
        {"000c0004000e", ProtocolId::Isakmp, NotifyType::PayloadMalformed, "Attribute Value"},    // TLV runs out
        {"800c0e10", ProtocolId::Isakmp, NotifyType::BadProposalSyntax, "LIFE_DURATION"},         // no type first
        {"800b0001", ProtocolId::Isakmp, NotifyType::BadProposalSyntax, "LIFE_TYPE"},             // no duration
        {"800b0003800c0e10", ProtocolId::Isakmp, NotifyType::AttributesNotSupported, "LIFE_TYPE"},  // type 3
        {"80010001000200090102030405060708" "09", ProtocolId::IpsecEsp, NotifyType::BadProposalSyntax,
         "SA_LIFE_DURATION"},  // 9-byte duration
        {"80010001800200108001000180020010", ProtocolId::IpsecEsp, NotifyType::BadProposalSyntax,
         "SA_LIFE_TYPE"},  // seconds twice
        {"80030002", ProtocolId::IpsecEsp, NotifyType::AttributesNotSupported, "attribute 3"},  // GROUP_DESCRIPTION
    };
    for (const auto& c : cases) {
        INFO(c.hex);
        auto r = decode_responder_lifetime(from_hex(c.hex), c.protocol);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().notify == c.notify);
        CHECK(r.error().field == c.field);
        CHECK(r.error().message.find("(got ") != std::string::npos);
    }
    // A zero duration sets no limit: nothing announced, not an error.
    auto zero = decode_responder_lifetime(from_hex("800100018002" "0000"), ProtocolId::IpsecEsp);
    REQUIRE(zero.ok());
    CHECK(zero->empty());
    // No attributes at all: nothing announced, not an error.
    auto empty = decode_responder_lifetime({}, ProtocolId::Isakmp);
    REQUIRE(empty.ok());
    CHECK(empty->empty());
}

TEST_CASE("life pairs of an attribute list skip other classes and round trip", "[ike][codec][attributes]") {
    const std::vector<Lifetime> life{{LifeType::Kilobytes, 70000}, {LifeType::Seconds, 600}};
    auto attributes = encode_lifetimes(life, LifeClasses::Ipsec);
    REQUIRE(attributes.size() == 4);
    CHECK(attributes[1].value.index() == 1);  // 70000 as a variable attribute
    attributes.insert(attributes.begin(), DataAttribute{4, std::uint16_t{1}});  // ENCAPSULATION_MODE
    auto back = decode_lifetimes(attributes, LifeClasses::Ipsec);
    REQUIRE(back.ok());
    CHECK(*back == life);
    auto phase1 = decode_lifetimes(encode_lifetimes(life, LifeClasses::Phase1), LifeClasses::Phase1);
    REQUIRE(phase1.ok());
    CHECK(*phase1 == life);
}
