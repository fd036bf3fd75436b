// show_string/show_file: the loaded configuration printed back in JUNOS
// brace form, keys as "$9$", `inactive:` kept, skipped hierarchies annotated;
// what it prints loads to the same model and prints the same again.
#include <catch2/catch.hpp>

#include "picsec/config/junos_secret.h"
#include "picsec/config/load.h"
#include "picsec/config/show.h"

using namespace picsec::config;

namespace {

std::string data(const std::string& name) { return std::string(PICSEC_TEST_DATA) + "/" + name; }

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("show configuration prints keys in their $9$ form", "[config][show]") {
    const auto s = show_string(
        "security { ike { policy 10.0.0.2 { pre-shared-key ascii-text \"a shared secret\"; } } }\n"
        "set security ipsec security-association sa1 manual direction bidirectional encryption key hexadecimal "
        "0123456789abcdef\n",
        "t.conf");
    REQUIRE(s.ok());
    CHECK_FALSE(contains(s.text, "a shared secret"));
    CHECK_FALSE(contains(s.text, "0123456789abcdef"));
    const auto at = s.text.find("pre-shared-key ascii-text \"$9$");
    REQUIRE(at != std::string::npos);
    const auto start = s.text.find('"', at) + 1;
    const auto secret = s.text.substr(start, s.text.find('"', start) - start);
    CHECK(std::get<std::string>(decode_junos_secret(secret)) == "a shared secret");
    CHECK(contains(s.text, "; ## SECRET-DATA\n"));
    CHECK(contains(s.text, "key hexadecimal \"$9$"));
}

TEST_CASE("show configuration prints a complete router configuration back loadable and stable", "[config][show]") {
    const auto first = show_file(data("m-series-router.conf"));
    INFO(format(first.diagnostics));
    REQUIRE(first.ok());
    CHECK(contains(first.text, "version 9.3R1.7;"));
    CHECK(contains(first.text, "/* not modelled by picsec, skipped */\nsystem {\n    host-name r1-m10i;\n"));
    CHECK(contains(first.text, "    inactive: ge-0/1/1 {\n"));
    CHECK(contains(first.text, "        inactive: security-association sa-old {\n"));
    CHECK(contains(first.text, "                inactive: replay-window-size 32;\n"));
    CHECK(contains(first.text, "        inactive: telnet;\n"));
    CHECK(contains(first.text, "            family inet {\n                address 10.1.12.1/30;\n            }\n"
                               "            /* not modelled by picsec, skipped */\n            family iso;\n"));
    CHECK(contains(first.text, "pre-shared-key ascii-text \"$9$1HFIyKXxdsgJ-VH.Pfn6lKMXdsZUi5Qnikfz\"; ## SECRET-DATA\n"));
    CHECK(contains(first.text, "        description \"to r2 so-0/0/0\";\n"));

    const auto again = show_string(first.text, "shown.conf");
    REQUIRE(again.ok());
    CHECK(again.text == first.text);

    const auto original = check_file(data("m-series-router.conf"));
    const auto reloaded = check_string(first.text, "shown.conf");
    INFO(format(reloaded.diagnostics));
    REQUIRE(reloaded.ok());
    CHECK(note_count(reloaded.diagnostics) == note_count(original.diagnostics));
    CHECK(reloaded.model.security_associations.size() == original.model.security_associations.size());
    const auto& a = original.model.find_sa("sa-manual")->directions.at(0);
    const auto& b = reloaded.model.find_sa("sa-manual")->directions.at(0);
    CHECK(a.encryption->key->value.bytes == b.encryption->key->value.bytes);
    CHECK(a.authentication->key->value.bytes == b.authentication->key->value.bytes);
}

TEST_CASE("show configuration refuses a configuration with errors and prints nothing", "[config][show]") {
    const auto s = show_string("security { ipsec { proposal p { protokol esp; } } }\n", "t.conf");
    CHECK_FALSE(s.ok());
    CHECK(s.text.empty());
}
