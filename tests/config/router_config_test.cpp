// Real router configurations: a complete M-series `show configuration`
// checks clean with one note per hierarchy picsec skips; `inactive:` and
// `deactivate` take statements out of the commit check; `[edit ...]`
// fragments load relative to their hierarchy; typos inside the IPsec
// hierarchies stay errors.
#include <catch2/catch.hpp>

#include "config_test_util.h"
#include "picsec/config/show.h"

using namespace picsec::config;
using namespace picsec::config::test;

namespace {

std::string data(const std::string& name) { return std::string(PICSEC_TEST_DATA) + "/" + name; }

// "LINE PATH" of every note, in file order.
std::vector<std::string> notes(const Diagnostics& ds) {
    std::vector<std::string> out;
    for (const auto& d : ds)
        if (d.severity == Severity::Note) out.push_back(std::to_string(d.line) + " " + d.path);
    return out;
}

}  // namespace

TEST_CASE("a complete M-series configuration checks clean with one note per skipped hierarchy", "[config][router]") {
    const auto r = check_file(data("m-series-router.conf"));
    INFO(format(r.diagnostics));
    CHECK(r.ok());
    CHECK(warning_count(r.diagnostics) == 0);
    CHECK(notes(r.diagnostics) == std::vector<std::string>{
                                      "26 version",
                                      "27 system",
                                      "60 chassis alarm",
                                      "65 chassis dump-on-panic",
                                      "70 interfaces so-0/0/0 encapsulation",
                                      "75 interfaces so-0/0/0 unit 0 family iso",
                                      "119 interfaces lo0 unit 0 family inet filter",
                                      "124 interfaces lo0 unit 0 family iso",
                                      "130 snmp",
                                      "135 routing-options",
                                      "143 protocols ospf",
                                      "156 protocols bgp group ibgp export",
                                      "157 protocols bgp group ibgp authentication-key",
                                      "163 policy-options",
                                      "170 firewall",
                                      "186 security ike traceoptions",
                                  });
    for (const auto& d : r.diagnostics)
        if (d.severity == Severity::Note) CHECK(d.message == "not modelled by picsec, skipped");
}

TEST_CASE("the IPsec rules of a complete router configuration reach the model and inactive ones do not",
          "[config][router]") {
    const auto r = check_file(data("m-series-router.conf"));
    REQUIRE(r.ok());
    const Model& m = r.model;
    // The inactive ge-0/1/1 is gone; ge-0/1/0, so-, lo0 and es- stay.
    std::vector<std::string> interfaces;
    for (const auto& i : m.interfaces) interfaces.push_back(i.name);
    CHECK(interfaces == std::vector<std::string>{"so-0/0/0", "ge-0/1/0", "es-0/3/0", "lo0"});
    CHECK(m.interfaces[2].pic == picsec::pic::PicName{0, 3, 0});
    REQUIRE(m.interfaces[3].units.at(0).addresses.size() == 1);
    // The inactive sa-old (whose SPI would clash) is as if absent.
    REQUIRE(m.security_associations.size() == 2);
    CHECK(m.find_sa("sa-old") == nullptr);
    // The inactive replay-window-size 32 leaves the default.
    CHECK_FALSE(m.find_sa("sa-dynamic")->dynamic->replay_window_size.configured);
    CHECK(m.find_sa("sa-dynamic")->dynamic->replay_window_size.value == 64);
    const auto* ike = m.find_ike_policy(picsec::Ipv4Address::parse("10.1.12.2").value());
    REQUIRE(ike);
    REQUIRE(ike->pre_shared_key);
    const std::string psk(ike->pre_shared_key->value.bytes.begin(), ike->pre_shared_key->value.bytes.end());
    CHECK(psk == "testPassWord");
    const auto& manual = m.find_sa("sa-manual")->directions.at(0);
    CHECK(manual.spi.value == 16000);
    CHECK(manual.encryption->key->value.bytes.size() == 24);
    // The inactive BGP neighbor is gone too.
    REQUIRE(m.bgp_groups.size() == 1);
    CHECK(m.bgp_groups[0].neighbors.size() == 1);
}

TEST_CASE("an inactive SA named by an active interface is as if absent", "[config][router]") {
    auto l = manual_tunnel_sa();
    l.add("deactivate security ipsec security-association sa1");
    CHECK(check(l) == l.at(9, "ipsec-sa", "interfaces es-0/0/0 unit 0 family inet ipsec-sa",
                           "ipsec-sa sa1 names an inactive security-association (at 1:20), which is as if absent; "
                           "activate it or name another SA"));
    l.add("activate security ipsec security-association sa1");
    CHECK(check(l).empty());
}

TEST_CASE("an inactive interface takes its SA reference out of the commit check", "[config][router]") {
    const std::string text = "interfaces { inactive: es-0/0/0 { unit 0 { family inet { ipsec-sa nosuch; } } } }\n";
    CHECK(check(text).empty());
}

TEST_CASE("inactive: marks a leaf, and deactivate marks a leaf or a list", "[config][router]") {
    auto l = dynamic_tunnel_sa();
    l.add("deactivate security ike policy 10.0.0.2 pre-shared-key");
    const auto r = check_string(l.text(), "t.conf");
    CHECK_FALSE(r.ok());
    CHECK(format(r.diagnostics).find("has no pre-shared-key") != std::string::npos);

    const auto leaf = check_string(
        "security { ipsec { proposal p { inactive: protocol ah; } } }\n", "t.conf");
    REQUIRE(leaf.ok());
    CHECK_FALSE(leaf.model.ipsec_proposals.at(0).protocol.configured);

    auto list = dynamic_tunnel_sa();
    list.add("deactivate security ipsec policy pol1 proposals");
    // An inactive list is as if absent too.
    CHECK(check(list).find("error: security ipsec policy pol1: policy pol1 has no proposals") != std::string::npos);
    CHECK(check_string(list.text(), "t.conf").model.find_ipsec_policy("pol1")->proposals.empty());
}

TEST_CASE("inactive: without a statement after it is a syntax error", "[config][router]") {
    CHECK(check("interfaces { inactive:\n}\n") ==
          "t.conf:1:14: error: 'inactive:' needs a statement after it on the same line\n");
}

TEST_CASE("deactivating what is not there is a warning", "[config][router]") {
    Lines l;
    l.add("deactivate security ipsec security-association nosuch");
    // As for delete, the first level that is not there is named.
    CHECK(check(l) == l.at(1, "security", "security", "deactivate: security is not in the configuration", "warning"));
}

TEST_CASE("an [edit security ipsec] fragment loads relative to its hierarchy", "[config][router]") {
    const std::string text =
        "[edit security ipsec]\n"
        "proposal esp1 {\n"
        "    protocol esp;\n"
        "}\n"
        "set policy pol1 proposals esp1\n"
        "[edit interfaces es-1/0/0 unit 0]\n"
        "tunnel { source 10.0.0.1; destination 10.0.0.2; }\n"
        "family inet ipsec-sa dyn;\n"
        "[edit]\n"
        "security ipsec security-association dyn dynamic ipsec-policy pol1;\n"
        "set security ike proposal ike1 authentication-method pre-shared-keys\n"
        "set security ike policy 10.0.0.2 proposals ike1\n"
        "set security ike policy 10.0.0.2 pre-shared-key ascii-text secret\n";
    const auto r = check_string(text, "t.conf");
    INFO(format(r.diagnostics));
    CHECK(r.diagnostics.empty());
    REQUIRE(r.model.find_ipsec_proposal("esp1"));
    CHECK(r.model.find_ipsec_policy("pol1")->proposals.at(0).name == "esp1");
    CHECK(r.model.interfaces.at(0).units.at(0).ipsec_sa->name == "dyn");
}

TEST_CASE("an unknown word in an [edit] line is an error at that word", "[config][router]") {
    CHECK(check("[edit security ipsek]\nproposal p;\n") ==
          "t.conf:1:16: error: security: unknown statement 'ipsek', expected ike, ipsec or certificates\n");
    CHECK(check("[edit security\nproposal p;\n") ==
          "t.conf:1:1: error: '[edit' needs a hierarchy and ']', e.g. [edit security ipsec], before end of line\n"
          "t.conf:2:1: error: unknown statement 'proposal', expected security, interfaces, protocols or chassis\n");
}

TEST_CASE("typos inside the IPsec hierarchies stay errors", "[config][router]") {
    CHECK(check("security { ipsec { proposal p { protokol esp; } } }\n") ==
          "t.conf:1:33: error: security ipsec proposal p: unknown statement 'protokol', expected protocol, "
          "authentication-algorithm, encryption-algorithm, lifetime-seconds or description\n");
    CHECK(check("securty { ike; }\n").find("error: unknown statement 'securty'") != std::string::npos);
    CHECK(check("protocols { ospf2 { area 0; } }\n").find("error: protocols: unknown statement 'ospf2'") !=
          std::string::npos);
}

TEST_CASE("a word one edit from a statement of a partly modelled hierarchy is a typo", "[config][router]") {
    CHECK(check("interfaces { es-0/0/0 { unit 0 { tunel { source 10.0.0.1; } } } }\n")
              .find("error: interfaces es-0/0/0 unit 0: unknown statement 'tunel'") != std::string::npos);
    CHECK(check("interfaces { es-0/0/0 { unit 0 { family inet { ipsec-as sa1; } } } }\n")
              .find("unknown statement 'ipsec-as'") != std::string::npos);
    CHECK(check("chassis { platfrom m-series; }\n").find("unknown statement 'platfrom'") != std::string::npos);
    // inet6 is a JUNOS family, not a typo of inet.
    CHECK(check("interfaces { ge-0/0/0 { unit 0 { family inet6; } } }\n") ==
          "t.conf:1:41: note: interfaces ge-0/0/0 unit 0 family inet6: not modelled by picsec, skipped\n");
}

TEST_CASE("set lines into a skipped hierarchy give one note for the hierarchy", "[config][router]") {
    Lines l;
    l.add("set system host-name r1");
    l.add("set system services ssh");
    l.add("set system syslog file messages any notice");
    l.add("set protocols ospf area 0.0.0.0 interface so-0/0/0.0");
    l.add("delete system services");
    l.add("deactivate protocols ospf");
    l.add("deactivate system syslog file messages");
    CHECK(check(l) == l.at(1, "system", "system", "not modelled by picsec, skipped", "note") +
                          l.at(4, "ospf", "protocols ospf", "not modelled by picsec, skipped", "note"));
    const auto shown = show_string(l.text(), "t.conf");
    CHECK(shown.text ==
          "/* not modelled by picsec, skipped */\n"
          "system {\n"
          "    host-name r1;\n"
          "    inactive: syslog file messages any notice;\n"
          "}\n"
          "protocols {\n"
          "    /* not modelled by picsec, skipped */\n"
          "    inactive: ospf {\n"
          "        area 0.0.0.0 interface so-0/0/0.0;\n"
          "    }\n"
          "}\n");
}

TEST_CASE("IPv6 BGP neighbors and local addresses are skipped with a note, an IPv6 IKE peer is still an error",
          "[config][router]") {
    const auto r = check_string(R"(protocols {
    bgp {
        group ext6 {
            type external;
            local-address 2001:db8::2;
            peer-as 65001;
            neighbor 2001:db8::1 {
                description "upstream, IPv6";
            }
            neighbor 192.0.2.1;
        }
    }
}
)");
    INFO(format(r.diagnostics));
    CHECK(r.ok());
    CHECK(notes(r.diagnostics) == std::vector<std::string>{"5 protocols bgp group ext6 local-address",
                                                           "7 protocols bgp group ext6 neighbor"});
    for (const auto& d : r.diagnostics)
        if (d.severity == Severity::Note) CHECK(d.message == "IPv6, not modelled by picsec, skipped");
    REQUIRE(r.model.bgp_groups.size() == 1);
    CHECK(r.model.bgp_groups[0].neighbors.size() == 1);

    const auto v6_ike = check_string("security { ike { policy 2001:db8::1 { proposals p1; } } }\n");
    CHECK_FALSE(v6_ike.ok());
    CHECK(format(v6_ike.diagnostics).find("must be the peer's IPv4 address") != std::string::npos);
}
