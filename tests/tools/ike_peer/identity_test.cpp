// ike-peer --identity-per-sa: the identity each SA of a load run sends,
// derived from the --identity base, and the bases it refuses.
#include "peer_setup.h"

#include <catch2/catch.hpp>

using picsec::tools::peer::identity_for_sa;

TEST_CASE("identity-per-sa derives SA n's identity from an FQDN, user@fqdn or address base", "[tools][ike-peer]")
{
    struct Row {
        std::string base;
        std::size_t n;
        std::string want;
    };
    const Row rows[] = {
        {"ike-peer.test", 1, "load-1.ike-peer.test"},
        {"ike-peer.test", 17, "load-17.ike-peer.test"},
        {"ike-peer.test", 100000, "load-100000.ike-peer.test"},
        {"lab@ike-peer.test", 17, "lab-17@ike-peer.test"},
        {"10.1.0.0", 17, "10.1.0.17"},
        {"10.1.0.250", 10, "10.1.1.4"},
        {"255.255.255.254", 1, "255.255.255.255"},
    };
    for (const auto& r : rows) {
        std::string error;
        const auto id = identity_for_sa(r.base, r.n, error);
        INFO(r.base << " #" << r.n);
        REQUIRE(id);
        CHECK(*id == r.want);
        CHECK(error.empty());
    }
}

TEST_CASE("identity-per-sa refuses a DN base, an address past the last one and an over-long name",
          "[tools][ike-peer]")
{
    std::string error;
    CHECK_FALSE(identity_for_sa("CN=r1, O=Example", 1, error));
    CHECK(error.find("looks like a DN") != std::string::npos);
    error.clear();
    CHECK_FALSE(identity_for_sa("255.255.255.254", 2, error));
    CHECK(error.find("past 255.255.255.255") != std::string::npos);
    error.clear();
    CHECK(identity_for_sa(std::string(248, 'a'), 9, error));  // "load-9." + 248 = 255 bytes
    CHECK_FALSE(identity_for_sa(std::string(248, 'a'), 10, error));
    CHECK(error.find("longer than 255 bytes") != std::string::npos);
}
