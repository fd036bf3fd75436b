// `show ike security-associations` for IKEv1 and IKEv2 SAs: the IKEv2 Mode
// word, the SPIs, the Child SAs in detail and JSON, and the IKEv1 output as
// before.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "show_ike.h"

using namespace picsec;
using namespace picsec::tools;

namespace {

ike::IkeSaInfo sa(ike::IkeVersion version) {
    ike::IkeSaInfo i;
    i.version = version;
    i.local = {*Ipv4Address::parse("192.0.2.1"), 500};
    i.peer = {*Ipv4Address::parse("192.0.2.2"), 500};
    i.initiator_cookie = {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef};
    i.responder_cookie = {0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10};
    i.state = ike::IkeSaState::Established;
    i.lifetime_remaining_ms = 28000 * 1000;
    ike::negotiation::IkeProposal p;
    p.encryption = sadb::EncryptionAlgorithm::Aes256Cbc;
    p.hash = algo::HashAlgorithm::Sha256;
    p.group = algo::DhGroup::Modp2048;
    i.proposal = p;
    i.peer_identity = "192.0.2.2";
    if (version == ike::IkeVersion::V2)
        i.child_sas = {{"vpn1", 0xc0010001, 0x0000beef}};
    return i;
}

}  // namespace

TEST_CASE("the brief table names an IKEv2 SA's mode IKEv2 and an IKEv1 SA's Main", "[tools][show][v2]") {
    const auto text =
        show_ike_security_associations({sa(ike::IkeVersion::V1), sa(ike::IkeVersion::V2)}, ShowLevel::Standard, {}, false);
    CHECK(text ==
          "Index Remote Address   State       Initiator cookie  Responder cookie  Exchange type\n"
          "1     192.0.2.2        Matured     0123456789abcdef  fedcba9876543210  main\n"
          "2     192.0.2.2        Matured     0123456789abcdef  fedcba9876543210  IKEv2\n");
}

TEST_CASE("an IKE SA still negotiating is Not matured and an established one Matured, as JUNOS shows them",
          "[tools][show]") {
    auto negotiating = sa(ike::IkeVersion::V1);
    negotiating.state = ike::IkeSaState::Negotiating;
    const auto brief = show_ike_security_associations({negotiating, sa(ike::IkeVersion::V1)}, ShowLevel::Standard, {}, false);
    CHECK(brief.find("1     192.0.2.2        Not matured 0123456789abcdef") != std::string::npos);
    CHECK(brief.find("2     192.0.2.2        Matured     0123456789abcdef") != std::string::npos);
    const auto detail = show_ike_security_associations({negotiating}, ShowLevel::Detail, {}, false);
    CHECK(detail.find("  Role: ") != std::string::npos);
    CHECK(detail.find(", State: Not matured\n") != std::string::npos);
}

TEST_CASE("detail of an IKEv2 SA shows its SPIs, IKEv2, its integrity algorithm and its Child SAs", "[tools][show][v2]") {
    const auto text = show_ike_security_associations({sa(ike::IkeVersion::V2)}, ShowLevel::Detail, {}, false);
    INFO(text);
    CHECK(text.find("  Initiator cookie: 0123456789abcdef, Responder cookie: fedcba9876543210\n") != std::string::npos);
    CHECK(text.find("  Exchange type: IKEv2, Authentication method: pre-shared-keys\n") != std::string::npos);
    CHECK(text.find("   Authentication        : hmac-sha-256-128\n") != std::string::npos);
    CHECK(text.find("  IPSec security associations: 1\n   vpn1: SPI in 0xc0010001, out 0x0000beef\n") !=
          std::string::npos);
}

TEST_CASE("detail of an IKEv1 SA has no Child SA lines and keeps its phase-1 hash", "[tools][show][v1]") {
    const auto text = show_ike_security_associations({sa(ike::IkeVersion::V1)}, ShowLevel::Detail, {}, false);
    INFO(text);
    CHECK(text.find("  Exchange type: main, Authentication method: pre-shared-keys\n") != std::string::npos);
    CHECK(text.find("   Authentication        : sha-256\n") != std::string::npos);
    CHECK(text.find("IPSec security associations") == std::string::npos);
}

TEST_CASE("JSON gives every IKE SA its version and an IKEv2 SA its SPIs and Child SAs", "[tools][show][v2]") {
    const auto json =
        show_ike_security_associations({sa(ike::IkeVersion::V1), sa(ike::IkeVersion::V2)}, ShowLevel::Detail, {}, true);
    INFO(json);
    const auto v2 = json.find("\"ike-version\":2");
    REQUIRE(json.find("\"ike-version\":1") != std::string::npos);
    REQUIRE(v2 != std::string::npos);
    CHECK(json.find("\"initiator-spi\"") > v2);
    CHECK(json.find("\"initiator-spi\":\"0123456789abcdef\"") != std::string::npos);
    CHECK(json.find("\"responder-spi\":\"fedcba9876543210\"") != std::string::npos);
    CHECK(json.find("\"exchange-type\":\"IKEv2\"") != std::string::npos);
    CHECK(json.find("\"child-sas\":[{\"name\":\"vpn1\",\"inbound-spi\":\"0xc0010001\",\"outbound-spi\":\"0x0000beef\"}]") !=
          std::string::npos);
    CHECK(json.find("\"child-sas\"") > v2);
}
