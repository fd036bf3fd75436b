// The configuration parser: bracketed and set syntax give the same model,
// comments, strings and lists, and every syntax error kind with line:column.
#include <catch2/catch.hpp>

#include <botan/hex.h>

#include <fstream>
#include <sstream>

#include "config_test_util.h"

using namespace picsec::config;
using namespace picsec::config::test;

namespace {

std::string read(const std::string& name) {
    std::ifstream in(std::string(PICSEC_TEST_DATA) + "/" + name, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

template <typename T>
std::string shown(const Setting<T>& s) {
    return std::to_string(static_cast<long long>(s.value)) + (s.configured ? "*" : "");
}

// A canonical text dump of what the model holds (keys as hex), to compare
// two loads of the same configuration.
std::string dump(const Model& m) {
    std::ostringstream o;
    o << "platform " << picsec::pic::to_string(m.platform.value) << "\n";
    for (const auto& p : m.ike_proposals)
        o << "ike proposal " << p.name << " " << shown(p.authentication_method) << " " << shown(p.dh_group) << " "
          << shown(p.lifetime_seconds) << "\n";
    for (const auto& p : m.ike_policies) {
        o << "ike policy " << p.name << " " << shown(p.mode);
        for (const auto& r : p.proposals) o << " " << r.name;
        if (p.pre_shared_key) o << " psk " << Botan::hex_encode(p.pre_shared_key->value.bytes);
        o << "\n";
    }
    for (const auto& p : m.ipsec_policies) {
        o << "ipsec policy " << p.name << " pfs " << shown(p.pfs_keys);
        for (const auto& r : p.proposals) o << " " << r.name;
        o << "\n";
    }
    for (const auto& sa : m.security_associations) {
        o << "sa " << sa.name << " [" << sa.description << "] " << shown(sa.mode) << "\n";
        for (const auto& d : sa.directions) {
            o << "  dir " << picsec::sadb::to_string(d.direction) << " " << shown(d.protocol) << " " << shown(d.spi)
              << " " << shown(d.auxiliary_spi);
            if (d.authentication)
                o << " auth " << shown(d.authentication->algorithm) << " "
                  << Botan::hex_encode(d.authentication->key->value.bytes);
            if (d.encryption)
                o << " enc " << shown(d.encryption->algorithm) << " " << Botan::hex_encode(d.encryption->key->value.bytes);
            o << "\n";
        }
        if (sa.dynamic) o << "  dynamic " << sa.dynamic->ipsec_policy.value << " " << shown(sa.dynamic->replay_window_size) << "\n";
    }
    for (const auto& i : m.interfaces)
        for (const auto& u : i.units) {
            o << "if " << i.name << "." << u.number << " " << u.tunnel_source.value.to_string() << " -> "
              << u.tunnel_destination.value.to_string() << " sa " << (u.ipsec_sa ? u.ipsec_sa->name : "-");
            for (const auto& a : u.addresses)
                o << " " << a.address.to_string() << "/" << int(a.prefix_length) << " dst " << a.destination.value.to_string();
            o << "\n";
        }
    for (const auto& g : m.bgp_groups)
        for (const auto& n : g.neighbors)
            o << "bgp " << g.name << " " << n.address.to_string() << " " << (n.ipsec_sa ? n.ipsec_sa->name : "-") << "\n";
    for (const auto& a : m.ospf3_areas)
        for (const auto& i : a.interfaces)
            o << "ospf3 " << a.id << " " << i.name << " " << (i.ipsec_sa ? i.ipsec_sa->name : "-") << "\n";
    return o.str();
}

std::string errors(const std::string& text) { return format(load_string(text, "t.conf").diagnostics); }

}  // namespace

TEST_CASE("bracketed and set syntax of the same configuration give the same model", "[config][parser]") {
    auto bracketed = load_string(read("manual-clean.conf"), "manual-clean.conf");
    auto set = load_string(read("manual-clean.set"), "manual-clean.set");
    REQUIRE(format(bracketed.diagnostics) == "");
    REQUIRE(format(set.diagnostics) == "");
    CHECK(bracketed.model.security_associations.size() == 4);
    CHECK(dump(bracketed.model) == dump(set.model));
    const auto* bundle = bracketed.model.find_sa("sa-bundle");
    REQUIRE(bundle);
    REQUIRE(bundle->directions.size() == 1);
    CHECK(bundle->directions[0].direction == picsec::sadb::Direction::Bidirectional);  // from "bi-directional"
    CHECK(bundle->directions[0].auxiliary_spi.value == 601);
    CHECK(Botan::hex_encode(bundle->directions[0].encryption->key->value.bytes, false) ==
          "0123456789abcdef23456789abcdef01456789abcdef0123");
}

TEST_CASE("a file may mix set lines and bracketed statements", "[config][parser]") {
    auto r = load_string("security { ipsec { security-association sa1 { mode transport; } } }\n"
                         "set security ipsec security-association sa1 description \"mixed\"\n",
                         "t.conf");
    REQUIRE(r.ok());
    REQUIRE(r.model.security_associations.size() == 1);
    CHECK(r.model.security_associations[0].mode.value == picsec::sadb::Mode::Transport);
    CHECK(r.model.security_associations[0].description == "mixed");
}

TEST_CASE("comments of both kinds are ignored, also inside statements", "[config][parser]") {
    auto plain = load_string("security { ipsec { security-association sa1 { mode transport; } } }", "a");
    auto commented = load_string("# leading comment\n"
                                 "security { /* multi\n line */ ipsec {\n"
                                 "  security-association sa1 { # trailing\n"
                                 "    mode /* inline */ transport; description \"# not a comment /* nor this */\";\n"
                                 "} } }\n",
                                 "b");
    REQUIRE(plain.ok());
    REQUIRE(format(commented.diagnostics) == "");
    CHECK(commented.model.security_associations[0].mode.value == picsec::sadb::Mode::Transport);
    CHECK(commented.model.security_associations[0].description == "# not a comment /* nor this */");
}

TEST_CASE("compact bracketed forms walk several levels at once", "[config][parser]") {
    auto r = load_string("protocols bgp group g neighbor 10.1.1.2 { ipsec-sa sa1; }\n"
                         "protocols { ospf3 area 1 interface so-0/0/0.0 ipsec-sa sa2; }\n",
                         "t.conf");
    REQUIRE(format(r.diagnostics) == "");
    REQUIRE(r.model.bgp_groups.size() == 1);
    CHECK(r.model.bgp_groups[0].neighbors[0].ipsec_sa->name == "sa1");
    REQUIRE(r.model.ospf3_areas.size() == 1);
    CHECK(r.model.ospf3_areas[0].id == "0.0.0.1");
}

TEST_CASE("lists accept brackets, and set lines append to them", "[config][parser]") {
    auto r = load_string("set security ike policy 10.0.0.2 proposals [ a b ]\n"
                         "set security ike policy 10.0.0.2 proposals c\n",
                         "t.conf");
    REQUIRE(format(r.diagnostics) == "");
    const auto& p = r.model.ike_policies.at(0);
    REQUIRE(p.proposals.size() == 3);
    CHECK(p.proposals[0].name == "a");
    CHECK(p.proposals[2].name == "c");
    CHECK(errors("set security ike policy 10.0.0.2 proposals [ a a ]\n") ==
          "t.conf:1:48: error: security ike policy 10.0.0.2 proposals: 'a' is already in the list\n");
}

TEST_CASE("quoted strings keep spaces and resolve escapes", "[config][parser]") {
    auto r = load_string("security { ipsec { security-association sa1 { description \"a \\\"quoted\\\" {word};\"; } } }",
                         "t.conf");
    REQUIRE(r.ok());
    CHECK(r.model.security_associations[0].description == "a \"quoted\" {word};");
}

TEST_CASE("the generic tree records file, line and column of each statement", "[config][parser]") {
    Diagnostics d;
    auto tree = parse_syntax("security {\n  ike {\n    proposal p1 { dh-group group2; }\n  }\n}\nset chassis platform m-series\n",
                             "f.conf", d);
    REQUIRE(d.empty());
    REQUIRE(tree.statements.size() == 2);
    const auto& proposal = tree.statements[0].children.at(0).children.at(0);
    CHECK(proposal.loc.file == "f.conf");
    CHECK(proposal.loc.line == 3);
    CHECK(proposal.loc.column == 5);
    CHECK(proposal.words.at(1).text == "p1");
    CHECK(proposal.children.at(0).words.at(1).loc.column == 28);
    CHECK(tree.statements[1].set_line);
    CHECK(tree.statements[1].words.at(0).text == "chassis");
}

TEST_CASE("a missing semicolon is reported after the last word", "[config][parser][syntax]") {
    CHECK(errors("security {\n  ipsec {\n    proposal p1 {\n      protocol esp\n      lifetime-seconds 3600;\n    }\n  }\n}\n") ==
          "t.conf:4:19: error: missing ';' after 'esp'\n");
    CHECK(errors("chassis { platform m-series }") == "t.conf:1:28: error: missing ';' after 'm-series'\n");
}

TEST_CASE("an unclosed brace is reported where it was opened", "[config][parser][syntax]") {
    CHECK(errors("security {\n  ike {\n    proposal p1 { dh-group group2; }\n}\n") ==
          "t.conf:1:10: error: unbalanced braces: '{' opened here is never closed by '}'\n");
}

TEST_CASE("a closing brace without an opening one is reported", "[config][parser][syntax]") {
    CHECK(errors("chassis { platform m-series; }\n}\n") ==
          "t.conf:2:1: error: unbalanced braces: '}' without a matching '{'\n");
}

TEST_CASE("an unterminated string is reported at its opening quote", "[config][parser][syntax]") {
    CHECK(errors("security {\n  ipsec {\n    proposal p1 { description \"abc;\n  }\n}\n") ==
          "t.conf:3:31: error: unterminated string: '\"' is never closed\n");
}

TEST_CASE("an unterminated comment is reported at its opening", "[config][parser][syntax]") {
    CHECK(errors("chassis { platform m-series; }\n  /* no end\n") ==
          "t.conf:2:3: error: unterminated comment: '/*' is never closed by '*/'\n");
}

TEST_CASE("an unclosed list is reported at its opening bracket", "[config][parser][syntax]") {
    CHECK(errors("security { ike { policy 10.0.0.2 { proposals [ a b; } } }") ==
          "t.conf:1:46: error: missing ']': '[' opened here is closed by nothing before ';'\n");
}

TEST_CASE("braces in a set line and an empty set line are reported", "[config][parser][syntax]") {
    CHECK(errors("set chassis { platform m-series\n") ==
          "t.conf:1:13: error: unexpected '{' in a set line\n");
    CHECK(errors("set\n") ==
          "t.conf:1:1: error: 'set' needs a statement path, e.g. set security ipsec proposal P protocol esp\n");
}

TEST_CASE("control characters are reported with their position", "[config][parser][syntax]") {
    CHECK(errors(std::string("chassis {\n  platform\x01 m-series;\n}\n")) ==
          "t.conf:2:11: error: unexpected control character 0x01\n");
}

TEST_CASE("several syntax errors are reported in one run", "[config][parser][syntax]") {
    CHECK(errors("chassis { platform m-series }\n}\n;\n") ==
          "t.conf:1:28: error: missing ';' after 'm-series'\n"
          "t.conf:2:1: error: unbalanced braces: '}' without a matching '{'\n"
          "t.conf:3:1: error: unexpected ';' without a statement\n");
}

TEST_CASE("an unknown statement lists what is expected there", "[config][parser][schema]") {
    CHECK(errors("set security ipsec security-association sa1 manual direction bidirectional protokol esp\n") ==
          "t.conf:1:76: error: security ipsec security-association sa1 manual direction bidirectional: unknown "
          "statement 'protokol', expected protocol, spi, auxiliary-spi, authentication or encryption\n");
    // routing-options is a JUNOS hierarchy picsec skips with a note; a word
    // that is no JUNOS hierarchy is an error.
    CHECK(errors("routing-optoins { static; }\n") ==
          "t.conf:1:1: error: unknown statement 'routing-optoins', expected security, interfaces, protocols or chassis\n");
}

TEST_CASE("a bad keyword value lists the valid ones", "[config][parser][schema]") {
    CHECK(errors("set security ipsec proposal p1 protocol gre\n") ==
          "t.conf:1:41: error: security ipsec proposal p1 protocol: 'gre' is not valid for protocol, needs ah, esp or bundle\n");
    CHECK(errors("set security ipsec security-association sa1 manual direction both protocol esp\n") ==
          "t.conf:1:62: error: security ipsec security-association sa1 manual direction: 'both' is not valid for "
          "direction, needs inbound, outbound or bidirectional\n");
}

TEST_CASE("numbers and addresses are checked", "[config][parser][schema]") {
    CHECK(errors("set security ipsec security-association sa1 manual direction inbound spi 0x100\n") ==
          "t.conf:1:74: error: security ipsec security-association sa1 manual direction inbound spi: '0x100' is not a "
          "number, spi needs SPI\n");
    CHECK(errors("set interfaces es-0/0/0 unit 0 tunnel destination 10.0.0.256\n") ==
          "t.conf:1:51: error: interfaces es-0/0/0 unit 0 tunnel destination: '10.0.0.256' is not an IPv4 address, "
          "destination needs A.B.C.D\n");
    CHECK(errors("set interfaces es-0/0/0 unit 0 family inet address 10.0.0.1/33\n") ==
          "t.conf:1:52: error: interfaces es-0/0/0 unit 0 family inet address: '10.0.0.1/33' is not an IPv4 prefix, "
          "address needs A.B.C.D/LEN with LEN 0..32\n");
    CHECK(errors("set security certificates path-length 16\n") ==
          "t.conf:1:39: error: security certificates path-length: path-length 16 is out of range, needs 1..15\n");
}

TEST_CASE("a missing value is reported at its statement", "[config][parser][schema]") {
    CHECK(errors("set security ipsec proposal p1 protocol\n") ==
          "t.conf:1:32: error: security ipsec proposal p1 protocol: missing value: protocol needs PROTOCOL\n");
}

TEST_CASE("a key without its encoding says that ascii-text or hexadecimal is missing", "[config][parser][schema]") {
    CHECK(errors("set security ike policy 10.0.0.2 pre-shared-key \"abc\"\n") ==
          "t.conf:1:34: error: security ike policy 10.0.0.2 pre-shared-key: missing encoding: pre-shared-key needs "
          "ascii-text or hexadecimal before the key, ascii-text KEY or hexadecimal KEY\n");
    CHECK(errors("security { ipsec { security-association sa1 { manual { direction bidirectional { encryption { "
                 "key \"0123456789abcdef\"; } } } } } }\n") ==
          "t.conf:1:95: error: security ipsec security-association sa1 manual direction bidirectional encryption "
          "key: missing encoding: key needs ascii-text or hexadecimal before the key, ascii-text KEY or "
          "hexadecimal KEY\n");
    CHECK(errors("set security ike policy 10.0.0.2 pre-shared-key\n") ==
          "t.conf:1:34: error: security ike policy 10.0.0.2 pre-shared-key: missing value: pre-shared-key needs "
          "ascii-text KEY or hexadecimal KEY\n");
}

TEST_CASE("a leaf set again by a set line takes the new value, as JUNOS does", "[config][parser][schema]") {
    auto r = load_string("set security ipsec proposal p1 protocol esp\nset security ipsec proposal p1 protocol ah\n", "t.conf");
    CHECK(r.diagnostics.empty());
    REQUIRE(r.model.ipsec_proposals.size() == 1);
    CHECK(r.model.ipsec_proposals[0].protocol.value == picsec::sadb::Protocol::Ah);
    CHECK(r.model.ipsec_proposals[0].protocol.origin.loc.line == 2);
}

TEST_CASE("a leaf given twice in one block is a duplicate", "[config][parser][schema]") {
    CHECK(errors("security { ipsec { proposal p1 { protocol esp; protocol ah; } } }\n") ==
          "t.conf:1:48: error: security ipsec proposal p1 protocol: duplicate statement, protocol is already set at 1:34\n");
}

TEST_CASE("delete lines remove what they name and warn when it is not there", "[config][parser][schema]") {
    const std::string text =
        "set security ike proposal ike1 dh-group group2\n"
        "set security ike proposal ike2 dh-group group5\n"
        "set security ike policy 10.0.0.2 proposals [ ike1 ike2 ]\n"
        "delete security ike proposal ike2\n"
        "delete security ike policy 10.0.0.2 proposals ike2\n"
        "delete security ike proposal ike1 dh-group\n"
        "delete security ike proposal ike9\n";
    auto r = load_string(text, "t.conf");
    REQUIRE(r.model.ike_proposals.size() == 1);
    CHECK(r.model.ike_proposals[0].name == "ike1");
    CHECK_FALSE(r.model.ike_proposals[0].dh_group.configured);
    REQUIRE(r.model.ike_policies.size() == 1);
    REQUIRE(r.model.ike_policies[0].proposals.size() == 1);
    CHECK(r.model.ike_policies[0].proposals[0].name == "ike1");
    CHECK(format(r.diagnostics) == "t.conf:7:21: warning: security ike proposal ike9: delete: security ike proposal "
                                   "ike9 is not in the configuration\n");
}

TEST_CASE("a named block defined twice is a duplicate definition", "[config][parser][schema]") {
    CHECK(errors("security {\n  ike {\n    proposal p1 { dh-group group2; }\n    proposal p1 { dh-group group5; }\n  }\n}\n") ==
          "t.conf:4:17: error: security ike proposal p1: duplicate definition, already defined at 3:17\n");
    CHECK(errors("interfaces {\n  es-0/0/0 { unit 0; }\n  es-0/0/0 { unit 1; }\n}\n") ==
          "t.conf:3:12: error: interfaces es-0/0/0: duplicate definition, already defined at 2:12\n");
}

TEST_CASE("a leaf statement given a block is reported", "[config][parser][schema]") {
    CHECK(errors("chassis { platform m-series { } }\n") ==
          "t.conf:1:29: error: chassis platform: platform is a single statement and takes no '{ }' block\n");
}

TEST_CASE("a hexadecimal key with a non-hex character is reported without echoing the key", "[config][parser][key]") {
    CHECK(errors(k_dir + "authentication key hexadecimal 00112233445566778899aabbccddeeffgg112233\n") ==
          "t.conf:1:107: error: security ipsec security-association sa1 manual direction bidirectional authentication "
          "key: hexadecimal key has a character that is not a hex digit at position 33, needs 0-9 and a-f only\n");
}

TEST_CASE("a malformed ES PIC interface name is reported", "[config][parser][pic]") {
    CHECK(errors("set interfaces es-0/0 unit 0 family inet ipsec-sa sa1\n") ==
          "t.conf:1:16: error: interfaces es-0/0: interface es-0/0 is not of the form es-FPC/PIC/PORT or ms-FPC/PIC/PORT (e.g. es-0/0/0)\n");
    CHECK(errors("set interfaces es-9/0/0 unit 0\n") ==
          "t.conf:1:16: error: interfaces es-9/0/0: interface es-9/0/0: FPC 9 is out of range, needs 0..7 on m-series\n");
}

TEST_CASE("the platform decides the ES PIC slot limits", "[config][parser][pic]") {
    CHECK(errors("set chassis platform mx-series\nset interfaces es-9/0/0 unit 0\n") == "");
}

TEST_CASE("defaults apply when statements are absent", "[config][parser]") {
    auto r = load_string("set security ike proposal p1 description x\nset security ipsec proposal p2 description y\n"
                         "set security ipsec security-association s dynamic ipsec-policy q\n",
                         "t.conf");
    REQUIRE(r.ok());
    const auto& ike = r.model.ike_proposals.at(0);
    CHECK(ike.lifetime_seconds.value == 3600);
    CHECK_FALSE(ike.lifetime_seconds.configured);
    CHECK(ike.dh_group.value == picsec::algo::DhGroup::Modp1024);
    CHECK(r.model.ipsec_proposals.at(0).lifetime_seconds.value == 28800);
    CHECK(r.model.security_associations.at(0).mode.value == picsec::sadb::Mode::Tunnel);
    CHECK(r.model.security_associations.at(0).dynamic->replay_window_size.value == 64);
    CHECK(r.model.platform.value == picsec::pic::Platform::MSeries);
}

TEST_CASE("an unreadable file is one diagnostic that says why, not an exception", "[config][parser]") {
    auto r = load_file("/nonexistent/picsec.conf");
    CHECK(format(r.diagnostics) ==
          "/nonexistent/picsec.conf:0:0: error: cannot read the configuration file: No such file or directory\n");
    const std::string dir = PICSEC_TEST_DATA;
    auto d = load_file(dir);
    CHECK(format(d.diagnostics) == dir + ":0:0: error: cannot read the configuration file: it is a directory\n");
    CHECK_FALSE(d.ok());
}

TEST_CASE("a configuration starting with a UTF-8 byte order mark loads as without it", "[config][parser]") {
    const std::string text = "security { ike { proposal p1 { authentication-method pre-shared-keys; } } }\n";
    auto plain = load_string(text, "t.conf");
    auto bom = load_string("\xEF\xBB\xBF" + text, "t.conf");
    CHECK(bom.diagnostics.empty());
    CHECK(bom.model.ike_proposals.size() == plain.model.ike_proposals.size());
    CHECK(bom.model.ike_proposals.size() == 1);
}

TEST_CASE("truncated and bit-flipped configurations never throw", "[config][parser][robustness]") {
    for (const char* name : {"manual-clean.conf", "manual-clean.set", "dynamic-clean.conf"}) {
        const std::string text = read(name);
        REQUIRE_FALSE(text.empty());
        for (std::size_t cut = 0; cut < text.size(); cut += 7) CHECK_NOTHROW(check_string(text.substr(0, cut), name));
        for (std::size_t i = 0; i < text.size(); i += 5) {
            std::string flipped = text;
            flipped[i] = static_cast<char>(flipped[i] ^ (1 << (i % 8)));
            CHECK_NOTHROW(check_string(flipped, name));
        }
    }
    CHECK_NOTHROW(check_string(std::string(200, '{'), "deep"));
    CHECK_NOTHROW(check_string(std::string(200, '}'), "closing"));
}

TEST_CASE("nesting deeper than 64 levels is reported once", "[config][parser][syntax]") {
    std::string text;
    for (int i = 0; i < 70; ++i) text += "a {\n";
    for (int i = 0; i < 70; ++i) text += "}\n";
    auto d = load_string(text, "t.conf").diagnostics;
    REQUIRE_FALSE(d.empty());
    CHECK(format(d.front()) == "t.conf:1:1: error: unknown statement 'a', expected security, interfaces, protocols or chassis");
    bool deep = false;
    for (const auto& x : d) deep = deep || (x.line == 65 && x.message == "configuration nested too deeply (more than 64 levels)");
    CHECK(deep);
}
