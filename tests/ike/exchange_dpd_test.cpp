// Dead peer detection (RFC 3706) between two in-memory engines.
#include "exchange_harness.h"

#include <catch2/catch.hpp>

using namespace picsec::ike;
using namespace picsec::ike::test;

TEST_CASE("DPD keeps a live peer and declares a silent one dead", "[ike][v1][dpd]")
{
    auto a = make_config("10.0.0.1", "10.0.0.2", true);
    a.timers.dpd_interval_ms = 10000;
    Pair p(a, make_config("10.0.0.2", "10.0.0.1", false));
    p.tick(0);
    p.settle();
    REQUIRE(p.na.installed.size() == 1);
    // Idle for one interval: R-U-THERE -->, <-- R-U-THERE-ACK
    p.tick(10000);
    REQUIRE(p.na.outbox.size() == 1);
    p.settle();
    p.tick(11000);
    CHECK(p.na.installed.size() == 1);
    CHECK(p.ea->ike_security_associations().size() == 1);
    // Now B goes silent: every R-U-THERE is lost.
    for (std::uint64_t t = 20000; t < 120000; t += 500) {
        p.ea->tick(t);
        p.na.outbox.clear();
    }
    CHECK(p.na.installed.empty());
    CHECK(p.ea->ike_security_associations().empty());
    CHECK_THAT(p.log_text.str(), Catch::Contains("peer dead"));
}
