// A complete M-series router configuration (tests/config/data/m-series-router.conf)
// plans the daemon as its IPsec statements say: the IKE policy and dynamic SA
// reach the engine, the manual SA reaches the SADB, and inactive or skipped
// statements reach neither.
#include "engine_config.h"
#include "manual_sas.h"

#include "picsec/config/load.h"

#include <catch2/catch.hpp>

TEST_CASE("a complete router configuration plans the daemon from its active IPsec statements", "[tools][config]") {
    const auto r = picsec::config::check_file(std::string(PICSEC_TEST_DATA) + "/../../config/data/m-series-router.conf");
    INFO(picsec::config::format(r.diagnostics));
    REQUIRE(r.ok());
    const auto plan = picsec::tools::plan_daemon(r.model, std::nullopt, 500, 4500);
    CHECK(plan.problems.empty());
    CHECK(plan.unbound.empty());
    CHECK(plan.engine.local.address.to_string() == "10.1.12.1");
    REQUIRE(plan.engine.ike_policies.size() == 1);
    const auto& ike = plan.engine.ike_policies[0];
    CHECK(ike.peer.to_string() == "10.1.12.2");
    CHECK(std::string(ike.pre_shared_key.begin(), ike.pre_shared_key.end()) == "testPassWord");
    REQUIRE(plan.engine.ipsec_policies.size() == 1);
    const auto& sa = plan.engine.ipsec_policies[0];
    CHECK(sa.name == "sa-dynamic");
    CHECK(sa.peer.to_string() == "10.1.12.2");
    CHECK(sa.replay_window == 64);  // its replay-window-size 32 is inactive
    REQUIRE(sa.pfs_group);
    REQUIRE(sa.proposals.size() == 1);

    const auto manual = picsec::tools::manual_sas(r.model);
    REQUIRE(manual.size() == 1);  // sa-old is inactive
    CHECK(manual[0].binding == "interfaces es-0/3/0 unit 1");
    CHECK(manual[0].spec.spi == 16000);
}
