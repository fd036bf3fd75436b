// Typed phase 1 / phase 2 SA attributes: decode from and encode to the
// generic attribute list, with precise errors for unknown or malformed values.
#include <catch2/catch.hpp>

#include <picsec/ike/codec/sa_attributes.h>

using namespace picsec::ike::codec;

namespace {
DataAttribute tv(std::uint16_t t, std::uint16_t v) { return {t, v}; }
DataAttribute tlv(std::uint16_t t, std::vector<std::uint8_t> v) { return {t, std::move(v)}; }
}  // namespace

TEST_CASE("phase 1 attributes accept a variable-length life duration", "[ike][codec][attributes]") {
    auto a = decode_phase1_attributes(std::vector{tv(1, 7), tv(14, 256), tv(2, 4), tv(4, 14), tv(3, 1), tv(11, 1),
                                                  tlv(12, {0x00, 0x01, 0x51, 0x80}), tv(11, 2), tv(12, 1000)});
    REQUIRE(a.ok());
    CHECK(a->encryption == IkeEncryption::AesCbc);
    CHECK(a->key_length == 256);
    CHECK(a->lifetimes == std::vector<Lifetime>{{LifeType::Seconds, 86400}, {LifeType::Kilobytes, 1000}});
}

TEST_CASE("phase 1 attribute errors name the attribute and the value", "[ike][codec][attributes]") {
    auto unknown = decode_phase1_attributes(std::vector{tv(1, 99)});
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.error().notify == NotifyType::AttributesNotSupported);
    CHECK(unknown.error().message == "ENCRYPTION_ALGORITHM: unknown value (got 99, need a known value)");

    auto variable = decode_phase1_attributes(std::vector{tlv(2, {0, 2})});
    REQUIRE_FALSE(variable.ok());
    CHECK(variable.error().notify == NotifyType::BadProposalSyntax);
    CHECK(variable.error().field == "HASH_ALGORITHM");

    auto dup = decode_phase1_attributes(std::vector{tv(2, 1), tv(2, 2)});
    REQUIRE_FALSE(dup.ok());
    CHECK(dup.error().message.find("duplicate") != std::string::npos);

    auto orphan = decode_phase1_attributes(std::vector{tv(12, 3600)});
    REQUIRE_FALSE(orphan.ok());
    CHECK(orphan.error().message == "LIFE_DURATION: duration without a preceding life type (got duration, need a life type first)");

    auto dangling = decode_phase1_attributes(std::vector{tv(11, 1)});
    REQUIRE_FALSE(dangling.ok());
    CHECK(dangling.error().notify == NotifyType::BadProposalSyntax);

    auto huge = decode_phase1_attributes(std::vector{tv(11, 1), tlv(12, std::vector<std::uint8_t>(9, 1))});
    REQUIRE_FALSE(huge.ok());
    CHECK(huge.error().message == "LIFE_DURATION: bad variable length (got 9 bytes, need 1..8)");

    auto prime = decode_phase1_attributes(std::vector{tlv(6, {1, 2, 3})});
    REQUIRE_FALSE(prime.ok());
    CHECK(prime.error().notify == NotifyType::AttributesNotSupported);
    CHECK(prime.error().field == "GROUP_PRIME");

    auto unknown_class = decode_phase1_attributes(std::vector{tv(300, 1)});
    REQUIRE_FALSE(unknown_class.ok());
    CHECK(unknown_class.error().field == "UNKNOWN(300)");
}

TEST_CASE("phase 2 attributes know the RFC 3947 UDP encapsulation modes", "[ike][codec][attributes][natt]") {
    for (auto [value, mode] : {std::pair{3, EncapsulationMode::UdpEncapsulatedTunnel},
                               std::pair{4, EncapsulationMode::UdpEncapsulatedTransport},
                               std::pair{61443, EncapsulationMode::UdpTunnelDraft}}) {
        auto a = decode_phase2_attributes(std::vector{tv(4, static_cast<std::uint16_t>(value)), tv(5, 1)});
        REQUIRE(a.ok());
        CHECK(a->encapsulation == mode);
        CHECK(a->auth_algorithm == IpsecAuthAlgorithm::HmacMd5);
    }
    auto bad = decode_phase2_attributes(std::vector{tv(4, 5)});
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().message == "ENCAPSULATION_MODE: unknown value (got 5, need a known value)");
    auto rounds = decode_phase2_attributes(std::vector{tv(7, 12)});
    REQUIRE_FALSE(rounds.ok());
    CHECK(rounds.error().notify == NotifyType::AttributesNotSupported);
}

TEST_CASE("typed attributes encode long lifetimes as variable attributes", "[ike][codec][attributes]") {
    Phase2Attributes p;
    p.encapsulation = EncapsulationMode::Transport;
    p.auth_algorithm = IpsecAuthAlgorithm::HmacSha1;
    p.group = GroupDescription::Modp1536;
    p.key_length = 128;
    p.lifetimes = {{LifeType::Seconds, 28800}, {LifeType::Kilobytes, 4608000}, };
    const auto attrs = encode_phase2_attributes(p);
    REQUIRE(attrs.size() == 8);
    CHECK(attrs[1].is_basic());
    CHECK_FALSE(attrs[3].is_basic());
    CHECK(std::get<1>(attrs[3].value) == std::vector<std::uint8_t>{0x00, 0x46, 0x50, 0x00});
    CHECK(decode_phase2_attributes(attrs).value() == p);

    Phase1Attributes p1;
    p1.lifetimes = {{LifeType::Seconds, 0x1'0000'0000ull}};
    const auto a1 = encode_phase1_attributes(p1);
    CHECK(std::get<1>(a1.at(1).value).size() == 8);
    CHECK(decode_phase1_attributes(a1).value() == p1);
}
