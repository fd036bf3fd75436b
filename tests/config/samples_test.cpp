// The sample configurations in tests/config/data: clean ones pass the commit
// check, broken ones report what is wrong where.
#include <catch2/catch.hpp>

#include "picsec/config/load.h"

using namespace picsec::config;

namespace {
std::string data(const std::string& name) { return std::string(PICSEC_TEST_DATA) + "/" + name; }
}  // namespace

TEST_CASE("the clean manual-SA samples pass the commit check", "[config][samples]") {
    for (const char* name : {"manual-clean.conf", "manual-clean.set"}) {
        auto r = check_file(data(name));
        INFO(format(r.diagnostics));
        CHECK(r.diagnostics.empty());
        const auto* tunnel = r.model.find_sa("sa-tunnel");
        REQUIRE(tunnel);
        CHECK(tunnel->mode.value == picsec::sadb::Mode::Tunnel);
        REQUIRE(r.model.interfaces.size() == 1);
        CHECK(r.model.interfaces[0].pic == picsec::pic::PicName{0, 0, 0});
        CHECK(r.model.find_sa("sa-bgp")->directions.at(0).protocol.value == picsec::sadb::Protocol::Ah);
        CHECK(r.model.find_sa("sa-ospf3")->directions.size() == 2);
        CHECK(r.model.find_sa("sa-bundle")->directions.at(0).protocol.value == picsec::sadb::Protocol::Bundle);
    }
}

TEST_CASE("the clean dynamic-SA sample passes the commit check", "[config][samples]") {
    auto r = check_file(data("dynamic-clean.conf"));
    INFO(format(r.diagnostics));
    CHECK(r.diagnostics.empty());
    const auto* policy = r.model.find_ike_policy(picsec::Ipv4Address::from_uint(0x0A000002));
    REQUIRE(policy);
    REQUIRE(policy->pre_shared_key);
    CHECK(policy->pre_shared_key->value.bytes.size() == 15);
    CHECK(r.model.find_ipsec_policy("pfs-group2")->pfs_keys.value == picsec::algo::DhGroup::Modp1024);
    CHECK(r.model.find_sa("sa-dynamic")->dynamic->replay_window_size.value == 32);
}

TEST_CASE("the broken commit sample reports every marked line", "[config][samples]") {
    auto r = check_file(data("broken-commit.conf"));
    CHECK_FALSE(r.ok());
    std::vector<std::uint32_t> lines;
    for (const auto& d : r.diagnostics) lines.push_back(d.line);
    // Lines marked "!" in the file; sa2 (line 24) also lacks an ES PIC for tunnel mode.
    CHECK(lines == std::vector<std::uint32_t>{11, 12, 15, 17, 24, 31, 42, 45});
}

TEST_CASE("the broken syntax sample reports the missing semicolon and the open string", "[config][samples]") {
    auto r = check_file(data("broken-syntax.conf"));
    const std::string path = data("broken-syntax.conf");
    CHECK(format(r.diagnostics) == path + ":4:24: error: missing ';' after 'tunnel'\n" + path +
                                       ":5:25: error: unterminated string: '\"' is never closed\n");
}
