// One algorithm identity from configuration to wire: each keyword of the
// algorithm table (libbase) parses into the model as the table's enum, reaches
// the engine unchanged and goes on the wire as the table's IANA number.
#include "engine_config.h"

#include "picsec/base/algorithms.h"
#include "picsec/config/load.h"
#include "picsec/ike/codec/payload_id.h"
#include "picsec/ike/negotiation/phase1.h"
#include "picsec/ike/negotiation/phase2.h"
#include "picsec/ike/types.h"

#include <catch2/catch.hpp>

#include <string>
#include <type_traits>

namespace algo = picsec::algo;
namespace config = picsec::config;
namespace negotiation = picsec::ike::negotiation;

namespace {

// The model of a configuration that must load without errors.
config::Model model_of(const std::string& text) {
    auto r = config::load_string(text);
    INFO(text);
    REQUIRE(r.ok());
    return std::move(r.model);
}

// The one IKE proposal of `statements` ("authentication-algorithm md5; ..."), as the engine gets it.
negotiation::IkeProposal ike_proposal(const std::string& statements) {
    return picsec::tools::to_engine(
        model_of("security { ike { proposal p { " + statements + " } } }").ike_proposals.at(0));
}

negotiation::IpsecProposal ipsec_proposal(const std::string& statements) {
    return picsec::tools::to_engine(
        model_of("security { ipsec { proposal p { " + statements + " } } }").ipsec_proposals.at(0));
}

}  // namespace

TEST_CASE("every IKE algorithm keyword in the table round-trips through the config parser and the IKE transform attribute",
          "[tools][config][algorithms]") {
    for (const auto& row : algo::encryption_algorithms()) {
        if (!row.ike_phase1()) continue;  // AES-GCM: no IKE SA cipher (the commit check refuses it)
        const auto t = negotiation::to_phase1_transform(
            ike_proposal("encryption-algorithm " + std::string(row.keyword) + ";"), 1);
        CHECK(algo::ike_encryption_from_attribute(t.encryption, t.key_length.value_or(0)) == row.id);
    }
    for (const auto& row : algo::hash_algorithms()) {
        const auto t = negotiation::to_phase1_transform(
            ike_proposal("authentication-algorithm " + std::string(row.keyword) + ";"), 1);
        CHECK(t.hash == row.ike_attribute);
        CHECK(algo::hash_from_attribute(t.hash) == row.id);
    }
    for (const auto& row : algo::auth_methods()) {
        const auto t = negotiation::to_phase1_transform(
            ike_proposal("authentication-method " + std::string(row.keyword) + ";"), 1);
        CHECK(algo::auth_method_from_attribute(t.auth_method) == row.id);
    }
    for (const auto& row : algo::dh_groups()) {
        const auto t =
            negotiation::to_phase1_transform(ike_proposal("dh-group " + std::string(row.keyword) + ";"), 1);
        CHECK(algo::dh_group_from_attribute(t.group) == row.id);
    }
}

TEST_CASE("every IPsec algorithm keyword in the table round-trips through the config parser and the ESP transform",
          "[tools][config][algorithms]") {
    const negotiation::Phase2Policy policy;
    for (const auto& row : algo::encryption_algorithms()) {
        const auto p = ipsec_proposal("encryption-algorithm " + std::string(row.keyword) + ";");
        REQUIRE(p.encryption == row.id);
        const auto t = negotiation::to_ipsec_transform(p, negotiation::protocol_id::Esp, policy);
        CHECK(t.transform_id == row.esp_transform_id);
        CHECK(t.key_length.value_or(0) == row.key_length_bits);
    }
    for (const auto& row : algo::authentication_algorithms()) {
        const auto p = ipsec_proposal("authentication-algorithm " + std::string(row.keyword) + ";");
        REQUIRE(p.authentication == row.id);
        const auto t = negotiation::to_ipsec_transform(p, negotiation::protocol_id::Esp, policy);
        CHECK(t.authentication == row.ipsec_auth_attribute);
    }
}

TEST_CASE("the ike policy mode keyword is the engine's exchange mode", "[tools][config][algorithms]") {
    for (const auto& row : algo::exchange_modes()) {
        const auto m = model_of("security { ike { policy 192.0.2.1 { mode " + std::string(row.keyword) + "; } } }");
        CHECK(m.ike_policies.at(0).mode.value == row.id);
        CHECK(picsec::ike::to_string(row.id) == row.keyword);
    }
}

TEST_CASE("the configuration, the codec and the engine share one IPv4 address type", "[tools][config][address]") {
    using ConfigAddress = decltype(config::IkePolicy::peer)::value_type;
    STATIC_REQUIRE(std::is_same_v<ConfigAddress, picsec::ike::Ipv4Address>);
    STATIC_REQUIRE(std::is_same_v<picsec::ike::codec::Ipv4Address, picsec::ike::Ipv4Address>);
    const auto m = model_of("security { ike { policy 192.0.2.1 { mode main; } } }");
    REQUIRE(m.ike_policies.at(0).peer == picsec::Ipv4Address::parse("192.0.2.1"));
    CHECK(m.find_ike_policy(picsec::Ipv4Address{{192, 0, 2, 1}}) != nullptr);
}

TEST_CASE("signature-scheme rsa-pss reaches the engine's IKE policy; without it the engine signs PKCS#1 v1.5",
          "[tools][config][pss]") {
    namespace k2 = picsec::ike::v2::crypto;
    const std::string psk = "proposals p; pre-shared-key ascii-text secret; version 2;";
    const auto base = "security { ike { proposal p { authentication-method pre-shared-keys; } policy 192.0.2.1 { ";
    const auto pss = model_of(std::string(base) + psk + " signature-scheme rsa-pss; } } }");
    const auto plain = model_of(std::string(base) + psk + " } } }");
    const auto engine_pss = picsec::tools::plan_daemon(pss, picsec::ike::Ipv4Address::parse("192.0.2.2"), 500, 4500);
    const auto engine_plain =
        picsec::tools::plan_daemon(plain, picsec::ike::Ipv4Address::parse("192.0.2.2"), 500, 4500);
    CHECK(engine_pss.engine.ike_policies.at(0).signature_scheme == k2::SignatureScheme::RsaPssSha256);
    CHECK(engine_plain.engine.ike_policies.at(0).signature_scheme == k2::SignatureScheme::RsaPkcs1Sha256);
}
