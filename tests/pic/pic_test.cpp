// ES PIC names, the platform table, dynamic SA admission and the chassis.
#include <catch2/catch.hpp>

#include <variant>

#include "picsec/pic/pic.h"

using namespace picsec::pic;

TEST_CASE("es-FPC/PIC/PORT names parse and print back", "[pic][name]") {
    auto parsed = parse_pic_name("es-1/2/0");
    REQUIRE(parsed.ok());
    auto name = parsed.value();
    CHECK(name == PicName{1, 2, 0});
    CHECK(to_string(name) == "es-1/2/0");
}

TEST_CASE("malformed and out-of-slot ES PIC names are refused with a reason", "[pic][name]") {
    for (const char* bad : {"es-0/0", "es-0/0/0/0", "ge-0/0/0", "es-a/0/0", "es-/0/0", "es-0/0/", "es-+1/0/0"}) {
        auto parsed = parse_pic_name(bad);
        REQUIRE_FALSE(parsed.ok());
        CHECK(parsed.error().message == std::string("interface ") + bad +
                                                    " is not of the form es-FPC/PIC/PORT (e.g. es-0/0/0)");
    }
    CHECK(parse_pic_name("es-8/0/0").error().message ==
          "interface es-8/0/0: FPC 8 is out of range, needs 0..7 on m-series");
    CHECK(parse_pic_name("es-0/4/0").error().message ==
          "interface es-0/4/0: PIC 4 is out of range, needs 0..3 on m-series");
    CHECK(parse_pic_name("es-0/0/1").error().message ==
          "interface es-0/0/1: port 1 does not exist, an ES PIC has port 0 only");
}

TEST_CASE("the platform table has M-series with AH and others without", "[pic][platform]") {
    CHECK(default_model().id == Platform::MSeries);
    CHECK(model(Platform::MSeries).ah_supported);
    CHECK_FALSE(model(Platform::TSeries).ah_supported);
    CHECK_FALSE(model(Platform::MxSeries).ah_supported);
    for (const auto& row : platforms()) {
        CHECK(platform_from_keyword(row.keyword) == row.id);
        CHECK(row.spi_min == 256);
        CHECK(row.spi_max == 16639);
        CHECK(row.dynamic_sa_limit == 512);
    }
    CHECK_FALSE(platform_from_keyword("j-series"));
}

TEST_CASE("a PIC admits 512 dynamic SAs and refuses the 513th", "[pic][admission]") {
    Pic pic(PicName{0, 0, 0}, default_model());
    for (int i = 0; i < 512; ++i) REQUIRE_FALSE(pic.admit_dynamic());
    auto refused = pic.admit_dynamic();
    REQUIRE(refused);
    CHECK(refused->message ==
          "dynamic SA refused on es-0/0/0: the PIC already holds 512 dynamic SAs, its limit is 512");
    CHECK(pic.dynamic_sa_count() == 512);
    pic.release_dynamic();
    CHECK_FALSE(pic.admit_dynamic());
}

TEST_CASE("the dynamic SA limit is configurable per PIC", "[pic][admission]") {
    Pic pic(PicName{0, 1, 0}, default_model(), 2);
    CHECK_FALSE(pic.admit_dynamic());
    CHECK_FALSE(pic.admit_dynamic());
    CHECK(pic.admit_dynamic());
    pic.set_dynamic_sa_limit(3);
    CHECK_FALSE(pic.admit_dynamic());
}

TEST_CASE("a chassis keeps one PIC per slot", "[pic][chassis]") {
    Chassis chassis(Platform::TSeries);
    auto& a = chassis.add_pic(PicName{1, 0, 0});
    CHECK_FALSE(a.admit_dynamic());
    CHECK(&chassis.add_pic(PicName{1, 0, 0}) == &a);
    chassis.add_pic(PicName{2, 3, 0});
    CHECK(chassis.pics().size() == 2);
    REQUIRE(chassis.find("es-1/0/0") != nullptr);
    CHECK(chassis.find("es-1/0/0")->dynamic_sa_count() == 1);
    CHECK(chassis.find("es-3/0/0") == nullptr);
    CHECK(chassis.find("bogus") == nullptr);
    CHECK(chassis.platform().keyword == "t-series");
}
