// Commit check of `security ike policy ADDR version`: 1 (the ES PIC's
// default) or 2, and what IKEv2 cannot do.
#include <catch2/catch.hpp>

#include "config_test_util.h"

using namespace picsec::config;
using namespace picsec::config::test;

namespace {
const std::string k_policy = "set security ike policy 10.0.0.2 ";
const std::string k_policy_path = "security ike policy 10.0.0.2";
}  // namespace

TEST_CASE("an IKE policy with version 2 and a dynamic ESP SA passes the commit check", "[config][commit][ikev2]") {
    auto l = dynamic_tunnel_sa();
    l.add(k_policy + "version 2");
    CHECK(check(l) == "");
    CHECK(load_string(l.text(), "t.conf").model.ike_policies.at(0).version.value == 2);
}

TEST_CASE("an IKE policy without a version statement is version 1", "[config][commit][ikev2]") {
    const auto model = load_string(dynamic_tunnel_sa().text(), "t.conf").model;
    CHECK(model.ike_policies.at(0).version.value == 1);
    CHECK_FALSE(model.ike_policies.at(0).version.configured);
}

TEST_CASE("an IKE version other than 1 or 2 is rejected by the schema", "[config][commit][ikev2]") {
    auto l = dynamic_tunnel_sa();
    l.add(k_policy + "version 3");
    CHECK(check(l).find("version") != std::string::npos);
    CHECK(check(l).find("error") != std::string::npos);
}

TEST_CASE("version 2 with mode aggressive is rejected at the mode statement", "[config][commit][ikev2]") {
    auto l = dynamic_tunnel_sa();
    l.add(k_policy + "version 2");
    l.add(k_policy + "mode aggressive");
    CHECK(check(l) == l.at(11, "mode", k_policy_path + " mode",
                           "policy 10.0.0.2 says version 2 and mode aggressive, but IKEv2 has no Aggressive Mode; "
                           "remove mode aggressive or use version 1"));
}

TEST_CASE("version 1 with mode aggressive passes the commit check", "[config][commit][ikev2]") {
    auto l = dynamic_tunnel_sa();
    l.add(k_policy + "version 1");
    l.add(k_policy + "mode aggressive");
    CHECK(check(l) == "");
}

TEST_CASE("a dynamic SA with a bundle proposal towards a version 2 peer is rejected", "[config][commit][ikev2]") {
    Lines l;
    l.add("set security ike proposal ike1 authentication-method pre-shared-keys");
    l.add(k_policy + "proposals ike1");
    l.add(k_policy + "pre-shared-key ascii-text secret");
    l.add("set security ipsec proposal b1 protocol bundle");
    l.add("set security ipsec policy pol1 proposals b1");
    l.add("set security ipsec security-association dyn mode transport");
    l.add("set security ipsec security-association dyn dynamic ipsec-policy pol1");
    l.add("set protocols bgp group g neighbor 10.0.0.2 ipsec-sa dyn");
    CHECK(check(l) == "");  // IKEv1 negotiates the bundle (RFC 2409 5.5)
    l.add(k_policy + "version 2");
    CHECK(check(l) == l.at(8, "ipsec-sa", "protocols bgp group g neighbor 10.0.0.2 ipsec-sa",
                           "dynamic security-association dyn uses proposal b1 with protocol bundle, but IKE policy "
                           "10.0.0.2 says version 2: IKEv2 negotiates no AH+ESP bundles (RFC 7296 3.3); use protocol "
                           "esp or ah, or version 1"));
}

TEST_CASE("signature-scheme rsa-pss is IKEv2's: version 1 is rejected at the statement", "[config][commit][ikev2][pss]") {
    auto l = dynamic_tunnel_sa();
    l.add(k_policy + "signature-scheme rsa-pss");
    CHECK(check(l) == l.at(10, "signature-scheme", k_policy_path + " signature-scheme",
                           "policy 10.0.0.2 says signature-scheme rsa-pss, but IKE version 1 signs with PKCS#1 v1.5 "
                           "(RFC 2409 5.1); RSA-PSS is IKEv2's (RFC 7427): add version 2 or remove signature-scheme"));
    l.add(k_policy + "version 2");
    CHECK(check(l) == "");
    CHECK(load_string(l.text(), "t.conf").model.ike_policies.at(0).rsa_pss.value);
}

TEST_CASE("signature-scheme rsa-pkcs1 (the default) passes with either version", "[config][commit][ikev2][pss]") {
    auto l = dynamic_tunnel_sa();
    CHECK_FALSE(load_string(l.text(), "t.conf").model.ike_policies.at(0).rsa_pss.value);
    l.add(k_policy + "signature-scheme rsa-pkcs1");
    CHECK(check(l) == "");
    CHECK_FALSE(load_string(l.text(), "t.conf").model.ike_policies.at(0).rsa_pss.value);
    l.add(k_policy + "signature-scheme rsa-sha1");
    CHECK(check(l).find("signature-scheme") != std::string::npos);
}
