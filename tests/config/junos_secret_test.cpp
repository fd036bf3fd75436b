// JUNOS "$9$" secrets: published vectors decode to their plain text, every
// encoding decodes back, malformed ones are refused with the reason, and a
// configuration's ascii-text key in $9$ form is its plain text.
#include <catch2/catch.hpp>

#include "config_test_util.h"
#include "picsec/config/junos_secret.h"

using namespace picsec::config;
using namespace picsec::config::test;

namespace {

std::string decoded(std::string_view text) {
    auto r = decode_junos_secret(text);
    if (auto* e = std::get_if<JunosSecretError>(&r)) FAIL(e->message);
    return std::get<std::string>(r);
}

std::string refused(std::string_view text) {
    auto r = decode_junos_secret(text);
    REQUIRE(std::holds_alternative<JunosSecretError>(r));
    return std::get<JunosSecretError>(r).message;
}

}  // namespace

TEST_CASE("published $9$ secrets decode to their plain text", "[config][secret]") {
    // The example of Crypt::Juniper's documentation (metacpan.org/pod/Crypt::Juniper).
    CHECK(decoded("$9$LbHX-wg4Z") == "lc");
    // The test vector of github.com/jeremmfr/junosdecode (jdecode_test.go).
    CHECK(decoded("$9$1HFIyKXxdsgJ-VH.Pfn6lKMXdsZUi5Qnikfz") == "testPassWord");
}

TEST_CASE("every byte value survives $9$ encoding and decoding with any salt", "[config][secret]") {
    std::string all;
    for (int c = 0; c < 256; ++c) all.push_back(static_cast<char>(c));
    for (unsigned salt = 0; salt < 64; ++salt) {
        const auto secret = encode_junos_secret(all, salt);
        CHECK(is_junos_secret(secret));
        CHECK(decoded(secret) == all);
    }
    CHECK(encode_junos_secret("juniper123", 7) == encode_junos_secret("juniper123", 7));
    CHECK(decoded(encode_junos_secret("", 3)).empty());
}

TEST_CASE("malformed $9$ secrets are refused with the reason", "[config][secret]") {
    CHECK(refused("$9$") == "$9$ secret: no salt character after $9$");
    CHECK(refused("$9$LbHX-wg4") == "$9$ secret: ends inside character 2 (got 2 characters, need 3)");
    CHECK(refused("$9$LbHX-w!4Z") == "$9$ secret: character '!' at position 10 is not in the $9$ alphabet");
    CHECK(refused("$9$Q") == "$9$ secret: too short for its salt (got 4 characters, need at least 7)");
    CHECK(refused("secret") == "$9$ secret: does not start with $9$");
}

TEST_CASE("an ascii-text pre-shared key in $9$ form is its plain text", "[config][secret]") {
    auto plain = dynamic_tunnel_sa();
    auto nine = dynamic_tunnel_sa();
    nine.lines[2] = "set security ike policy 10.0.0.2 pre-shared-key ascii-text \"" +
                    encode_junos_secret("secret", 11) + "\"";
    const auto a = check_string(plain.text(), "t.conf");
    const auto b = check_string(nine.text(), "t.conf");
    REQUIRE(a.ok());
    REQUIRE(b.ok());
    REQUIRE(b.model.ike_policies.at(0).pre_shared_key);
    CHECK(b.model.ike_policies.at(0).pre_shared_key->value.bytes ==
          a.model.ike_policies.at(0).pre_shared_key->value.bytes);
}

TEST_CASE("a malformed $9$ key is an error at the key", "[config][secret]") {
    auto l = dynamic_tunnel_sa();
    l.lines[2] = "set security ike policy 10.0.0.2 pre-shared-key ascii-text $9$LbHX-wg4";
    CHECK(check(l) == l.at(3, "$9$LbHX-wg4", "security ike policy 10.0.0.2 pre-shared-key",
                           "$9$ secret: ends inside character 2 (got 2 characters, need 3)"));
}
