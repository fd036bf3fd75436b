// Commit check of SA references (es- interfaces, BGP, OSPFv3), dynamic SAs,
// IKE and IPsec proposals and policies: one test per rule, exact text.
#include <catch2/catch.hpp>

#include "config_test_util.h"

using namespace picsec::config;
using namespace picsec::config::test;

namespace {

const std::string k_es_sa_path = "interfaces es-0/0/0 unit 0 family inet ipsec-sa";
const std::string k_bgp = "set protocols bgp group g neighbor 10.1.1.2 ipsec-sa ";
const std::string k_bgp_path = "protocols bgp group g neighbor 10.1.1.2 ipsec-sa";
const std::string k_ospf3 = "set protocols ospf3 area 0 interface ge-0/0/1.0 ipsec-sa ";
const std::string k_ospf3_path = "protocols ospf3 area 0.0.0.0 interface ge-0/0/1.0 ipsec-sa";

}  // namespace

TEST_CASE("the clean dynamic tunnel SA used by these tests passes the commit check", "[config][commit]") {
    CHECK(check(dynamic_tunnel_sa()) == "");
}

TEST_CASE("an ipsec-sa under BGP that names no SA is rejected", "[config][commit][refs]") {
    Lines l;
    l.add(k_bgp + "nosuch");
    CHECK(check(l) == l.at(1, "ipsec-sa", k_bgp_path,
                           "ipsec-sa nosuch does not exist, needs a security ipsec security-association nosuch"));
}

TEST_CASE("an ipsec-sa under OSPFv3 that names no SA is rejected", "[config][commit][refs]") {
    Lines l;
    l.add(k_ospf3 + "nosuch");
    CHECK(check(l) == l.at(1, "ipsec-sa", k_ospf3_path,
                           "ipsec-sa nosuch does not exist, needs a security ipsec security-association nosuch"));
}

TEST_CASE("an ipsec-sa under an es- interface that names no SA is rejected", "[config][commit][refs]") {
    auto l = manual_tunnel_sa();
    l.lines[8] = "set interfaces es-0/0/0 unit 0 family inet ipsec-sa sa2";
    const std::string tunnel_msg =
        "mode tunnel (the default) needs an ES PIC, but no es- interface names security-association sa1 yet, so it "
        "is not used (interfaces es-FPC/PIC/0 unit N family inet ipsec-sa sa1, or ms-FPC/PIC/0 for a services PIC); use mode transport for BGP or OSPFv3";
    CHECK(check(l) ==
          l.at(1, "security-association", k_sa_path, tunnel_msg, "warning") +
              l.at(9, "ipsec-sa", k_es_sa_path,
                   "ipsec-sa sa2 does not exist, needs a security ipsec security-association sa2"));
}

TEST_CASE("BGP referencing a tunnel-mode SA is rejected", "[config][commit][refs]") {
    auto l = manual_tunnel_sa();
    l.add(k_bgp + "sa1");
    CHECK(check(l) == l.at(10, "ipsec-sa", k_bgp_path,
                            "BGP needs a transport-mode SA, security-association sa1 is mode tunnel"));
}

TEST_CASE("OSPFv3 referencing a tunnel-mode SA is rejected", "[config][commit][refs]") {
    auto l = manual_tunnel_sa();
    l.add(k_ospf3 + "sa1");
    CHECK(check(l) == l.at(10, "ipsec-sa", k_ospf3_path,
                            "OSPFv3 needs a transport-mode SA, security-association sa1 is mode tunnel"));
}

TEST_CASE("OSPFv3 referencing a dynamic SA is rejected", "[config][commit][refs]") {
    Lines l;
    l.add("set security ipsec proposal esp1 protocol esp");
    l.add("set security ipsec policy pol1 proposals esp1");
    l.add("set security ipsec security-association dyn mode transport");
    l.add("set security ipsec security-association dyn dynamic ipsec-policy pol1");
    l.add(k_ospf3 + "dyn");
    CHECK(check(l) == l.at(5, "ipsec-sa", k_ospf3_path, "OSPFv3 needs a manual SA, security-association dyn is dynamic"));
}

TEST_CASE("an es- interface referencing a transport-mode SA is rejected", "[config][commit][refs]") {
    auto l = manual_tunnel_sa();
    l.add(k_sa + "mode transport");
    CHECK(check(l) == l.at(9, "ipsec-sa", k_es_sa_path,
                           "an es- interface needs a tunnel-mode SA, security-association sa1 is mode transport"));
}

TEST_CASE("an es- unit naming an SA needs a tunnel destination", "[config][commit][refs]") {
    auto l = manual_tunnel_sa();
    l.lines.erase(l.lines.begin() + 7);
    CHECK(check(l) == l.at(8, "ipsec-sa", k_es_sa_path,
                           "unit 0 of es-0/0/0 names an SA but has no tunnel destination (the peer's address)"));
}

TEST_CASE("ipsec-sa on an interface that is not an ES PIC is rejected", "[config][commit][refs]") {
    auto l = manual_tunnel_sa();
    l.add("set interfaces ge-0/0/0 unit 0 family inet ipsec-sa sa1");
    CHECK(check(l) == l.at(10, "ipsec-sa", "interfaces ge-0/0/0 unit 0 family inet ipsec-sa",
                            "ipsec-sa needs an ES PIC interface (es-FPC/PIC/0) or a services PIC interface (ms-FPC/PIC/0), ge-0/0/0 is neither"));
}

TEST_CASE("a dynamic SA whose ipsec-policy does not exist is rejected", "[config][commit][dynamic]") {
    auto l = dynamic_tunnel_sa();
    l.lines[5] = "set security ipsec security-association dyn dynamic ipsec-policy pol9";
    CHECK(check(l) == l.at(6, "ipsec-policy", "security ipsec security-association dyn dynamic ipsec-policy",
                           "ipsec-policy pol9 does not exist, needs a security ipsec policy pol9"));
}

TEST_CASE("a dynamic SA needs an ipsec-policy", "[config][commit][dynamic]") {
    auto l = dynamic_tunnel_sa();
    l.lines[5] = "set security ipsec security-association dyn dynamic replay-window-size 64";
    CHECK(check(l) == l.at(6, "dynamic", "security ipsec security-association dyn dynamic",
                           "dynamic SA needs ipsec-policy NAME"));
}

TEST_CASE("replay-window-size other than 32 or 64 is rejected", "[config][commit][dynamic]") {
    auto l = dynamic_tunnel_sa();
    l.add("set security ipsec security-association dyn dynamic replay-window-size 48");
    CHECK(check(l) == l.at(10, "replay-window-size", "security ipsec security-association dyn dynamic replay-window-size",
                            "replay-window-size 48 is not supported, needs 32 or 64"));
    l.lines[9] = "set security ipsec security-association dyn dynamic replay-window-size 32";
    CHECK(check(l) == "");
}

TEST_CASE("a dynamic SA's peer needs an IKE policy named by its address", "[config][commit][dynamic]") {
    auto l = dynamic_tunnel_sa();
    l.lines[7] = "set interfaces es-1/0/0 unit 0 tunnel destination 10.0.0.3";
    CHECK(check(l) == l.at(9, "ipsec-sa", "interfaces es-1/0/0 unit 0 family inet ipsec-sa",
                           "dynamic security-association dyn with peer 10.0.0.3 needs an IKE policy for that peer, "
                           "but security ike policy 10.0.0.3 does not exist"));
}

TEST_CASE("a dynamic tunnel SA whose proposals use AH is rejected", "[config][commit][dynamic]") {
    auto l = dynamic_tunnel_sa();
    l.lines[3] = "set security ipsec proposal esp1 protocol ah";
    CHECK(check(l) == l.at(6, "ipsec-policy", "security ipsec security-association dyn dynamic ipsec-policy",
                           "ipsec-policy pol1 proposal esp1: tunnel mode carries ESP only, but protocol is ah; use "
                           "protocol esp or mode transport"));
}

TEST_CASE("more than 512 dynamic SAs on one ES PIC is a warning, not an error", "[config][commit][dynamic]") {
    auto l = dynamic_tunnel_sa();
    l.lines.resize(6);
    for (int unit = 0; unit < 512; ++unit) {
        const std::string u = "set interfaces es-1/0/0 unit " + std::to_string(unit) + " ";
        l.add(u + "tunnel source 10.0.0.1");
        l.add(u + "tunnel destination 10.0.0.2");
        l.add(u + "family inet ipsec-sa dyn");
    }
    CHECK(check(l) == "");
    l.add("set interfaces es-1/0/0 unit 512 tunnel source 10.0.0.1");
    l.add("set interfaces es-1/0/0 unit 512 tunnel destination 10.0.0.2");
    auto last = l.add("set interfaces es-1/0/0 unit 512 family inet ipsec-sa dyn");
    auto r = check_string(l.text(), "t.conf");
    CHECK(r.ok());
    CHECK(format(r.diagnostics) ==
          l.at(last, "ipsec-sa", "interfaces es-1/0/0 unit 512 family inet ipsec-sa",
               "es-1/0/0 has 513 dynamic SAs, more than the 512 its PIC supports (more will be refused at run time)",
               "warning"));
}

TEST_CASE("an IKE policy's name must be an IPv4 address", "[config][commit][ike]") {
    auto l = dynamic_tunnel_sa();
    l.add("set security ike policy peer-b proposals ike1");
    l.add("set security ike policy peer-b pre-shared-key ascii-text secret");
    CHECK(check(l) == l.at(10, "policy", "security ike policy peer-b",
                            "policy name 'peer-b' must be the peer's IPv4 address (A.B.C.D): the IKE policy is "
                            "chosen by the peer's address"));
}

TEST_CASE("an IKE policy naming a missing proposal is rejected", "[config][commit][ike]") {
    auto l = dynamic_tunnel_sa();
    l.lines[1] = "set security ike policy 10.0.0.2 proposals [ ike1 ike9 ]";
    CHECK(check(l) == l.at(2, "ike9", "security ike policy 10.0.0.2 proposals",
                           "proposal ike9 does not exist, needs a security ike proposal ike9"));
}

TEST_CASE("an IPsec policy naming a missing proposal is rejected", "[config][commit][ipsec]") {
    auto l = dynamic_tunnel_sa();
    l.add("set security ipsec policy pol1 proposals esp9");
    CHECK(check(l) == l.at(10, "esp9", "security ipsec policy pol1 proposals",
                            "proposal esp9 does not exist, needs a security ipsec proposal esp9"));
}

TEST_CASE("a pre-shared-key policy whose proposal says rsa-signatures is rejected", "[config][commit][ike]") {
    auto l = dynamic_tunnel_sa();
    l.lines[0] = "set security ike proposal ike1 authentication-method rsa-signatures";
    CHECK(check(l) == l.at(2, "ike1", "security ike policy 10.0.0.2 proposals",
                           "policy 10.0.0.2 has a pre-shared-key, but its proposal ike1 says authentication-method "
                           "rsa-signatures; use pre-shared-keys in the proposal or remove the pre-shared-key"));
}

TEST_CASE("a pre-shared-keys proposal needs the policy's pre-shared-key", "[config][commit][ike]") {
    auto l = dynamic_tunnel_sa();
    l.lines.erase(l.lines.begin() + 2);
    CHECK(check(l) == l.at(2, "ike1", "security ike policy 10.0.0.2 proposals",
                           "proposal ike1 says authentication-method pre-shared-keys, but policy 10.0.0.2 has no "
                           "pre-shared-key"));
}

TEST_CASE("an rsa-signatures proposal needs the policy's local-certificate", "[config][commit][ike]") {
    auto l = dynamic_tunnel_sa();
    l.lines[0] = "set security ike proposal ike1 authentication-method rsa-signatures";
    l.lines[2] = "set security ike policy 10.0.0.2 mode main";
    CHECK(check(l) == l.at(2, "ike1", "security ike policy 10.0.0.2 proposals",
                           "proposal ike1 says authentication-method rsa-signatures, but policy 10.0.0.2 has no "
                           "local-certificate"));
    l.add("set security ike policy 10.0.0.2 local-certificate router.pem");
    // The file itself is checked by the certificate rules (certificates_test.cpp).
    CHECK(check(l).find("has no local-certificate") == std::string::npos);
}

TEST_CASE("a policy without proposals is rejected", "[config][commit][ipsec]") {
    auto l = dynamic_tunnel_sa();
    l.lines[4] = "set security ipsec policy pol1 perfect-forward-secrecy keys group2";
    CHECK(check(l) == l.at(5, "policy", "security ipsec policy pol1",
                           "policy pol1 has no proposals, needs proposals [ NAME ... ]"));
}

TEST_CASE("IKE and IPsec lifetimes outside 180..86400 are rejected", "[config][commit][range]") {
    auto l = dynamic_tunnel_sa();
    l.add("set security ike proposal ike1 lifetime-seconds 179");
    l.add("set security ipsec proposal esp1 lifetime-seconds 86401");
    CHECK(check(l) == l.at(10, "179", "security ike proposal ike1 lifetime-seconds",
                            "lifetime-seconds 179 is out of range, needs 180..86400") +
                          l.at(11, "86401", "security ipsec proposal esp1 lifetime-seconds",
                               "lifetime-seconds 86401 is out of range, needs 180..86400"));
    l.lines[9] = "set security ike proposal ike1 lifetime-seconds 180";
    l.lines[10] = "set security ipsec proposal esp1 lifetime-seconds 86400";
    CHECK(check(l) == "");
}

TEST_CASE("an unknown Diffie-Hellman group is rejected in IKE and PFS with the groups of the configuration's PICs",
          "[config][commit][ike]") {
    auto l = dynamic_tunnel_sa();
    l.add("set security ike proposal ike1 dh-group group3");
    l.add("set security ipsec policy pol1 perfect-forward-secrecy keys group7");
    CHECK(check(l) == l.at(10, "group3", "security ike proposal ike1 dh-group",
                           "'group3' is not valid for dh-group, needs group1, group2, group5 or group14 on the ES PIC") +
                          l.at(11, "group7", "security ipsec policy pol1 perfect-forward-secrecy keys",
                               "'group7' is not valid for keys, needs group1, group2, group5 or group14 on the ES PIC"));
    // With a services PIC in the chassis, its groups too.
    l.add("set interfaces ms-1/0/0 unit 0");
    CHECK(check(l) == l.at(10, "group3", "security ike proposal ike1 dh-group",
                           "'group3' is not valid for dh-group, needs group1, group2, group5, group14, group19, group20 "
                           "or group31 on the ES PIC or the services PIC") +
                          l.at(11, "group7", "security ipsec policy pol1 perfect-forward-secrecy keys",
                               "'group7' is not valid for keys, needs group1, group2, group5, group14, group19, group20 "
                               "or group31 on the ES PIC or the services PIC"));
}

TEST_CASE("an IPsec proposal with protocol ah and an encryption algorithm is rejected", "[config][commit][ipsec]") {
    Lines l;
    l.add("set security ipsec proposal p1 protocol ah");
    l.add("set security ipsec proposal p1 encryption-algorithm des-cbc");
    CHECK(check(l) == l.at(2, "encryption-algorithm", "security ipsec proposal p1 encryption-algorithm",
                           "encryption is configured but protocol ah only authenticates; use protocol esp or bundle, "
                           "or remove encryption"));
}

TEST_CASE("an IPsec proposal with an algorithm IKE may not use on the PIC is rejected", "[config][commit][ipsec]") {
    Lines l;
    l.add("set security ipsec proposal p1 authentication-algorithm hmac-sha-256-128");
    CHECK(check(l) == l.at(1, "authentication-algorithm", "security ipsec proposal p1 authentication-algorithm",
                           "authentication-algorithm hmac-sha-256-128 is not supported by the ES PIC for "
                           "IKE-negotiated SAs, needs hmac-md5-96 or hmac-sha1-96"));
}

TEST_CASE("an AH proposal is rejected on a platform without AH", "[config][commit][platform]") {
    Lines l;
    l.add("set chassis platform mx-series");
    l.add("set security ipsec proposal p1 protocol bundle");
    CHECK(check(l) == l.at(2, "protocol", "security ipsec proposal p1 protocol",
                           "protocol bundle needs AH, which the ES PIC supports on m-series only (platform is "
                           "mx-series); use protocol esp"));
}
