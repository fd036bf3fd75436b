// PIC names (es- and ms-), the PIC tables, dynamic SA admission and the chassis.
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
                                                    " is not of the form es-FPC/PIC/PORT or ms-FPC/PIC/PORT (e.g. es-0/0/0)");
    }
    CHECK(parse_pic_name("es-8/0/0").error().message ==
          "interface es-8/0/0: FPC 8 is out of range, needs 0..7 on m-series");
    CHECK(parse_pic_name("es-0/4/0").error().message ==
          "interface es-0/4/0: PIC 4 is out of range, needs 0..3 on m-series");
    CHECK(parse_pic_name("es-0/0/1").error().message ==
          "interface es-0/0/1: port 1 does not exist, the ES PIC has port 0 only");
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

TEST_CASE("ms-FPC/PIC/PORT names a services PIC, distinct from the ES PIC in the same slot", "[pic][name][services]") {
    auto parsed = parse_pic_name("ms-1/2/0", model(Platform::MxSeries));
    REQUIRE(parsed.ok());
    CHECK(parsed.value() == PicName{1, 2, 0, PicKind::Services});
    CHECK(to_string(parsed.value()) == "ms-1/2/0");
    CHECK(parsed.value() != PicName{1, 2, 0});
    CHECK(pic_kind_of("ms-0/0/0") == PicKind::Services);
    CHECK(pic_kind_of("es-0/0/0") == PicKind::EncryptionServices);
    CHECK_FALSE(pic_kind_of("ge-0/0/0"));
    CHECK(parse_pic_name("ms-0/0/1").error().message ==
          "interface ms-0/0/1: port 1 does not exist, the services PIC has port 0 only");
    CHECK(parse_pic_name("ms-12/0/0", model(Platform::MxSeries)).error().message ==
          "interface ms-12/0/0: FPC 12 is out of range, needs 0..11 on mx-series");

    Chassis chassis(Platform::MxSeries);
    auto& es = chassis.add_pic(PicName{1, 0, 0});
    auto& ms = chassis.add_pic(PicName{1, 0, 0, PicKind::Services});
    CHECK(&es != &ms);
    CHECK(chassis.pics().size() == 2);
    CHECK(chassis.find("ms-1/0/0") == &ms);
    CHECK(chassis.find("es-1/0/0") == &es);
    CHECK(ms.platform().kind == PicKind::Services);
    CHECK(ms.platform().id == Platform::MxSeries);
    CHECK(ms.dynamic_sa_limit() == 4000);
    CHECK(es.dynamic_sa_limit() == 512);
    CHECK(ms.name_string() == "ms-1/0/0");
}

TEST_CASE("the services PIC table: AES, AES-GCM for IKE SAs only, the SHA-2 HMACs, on every platform",
          "[pic][platform][services]") {
    using picsec::sadb::AuthenticationAlgorithm;
    using picsec::sadb::EncryptionAlgorithm;
    for (const auto& es : platforms()) {
        const auto& ms = model(es.id, PicKind::Services);
        CAPTURE(ms.keyword);
        CHECK(ms.kind == PicKind::Services);
        CHECK(ms.interface_prefix == "ms-");
        CHECK(ms.ah_supported);
        CHECK(supports_manual(ms, EncryptionAlgorithm::Aes256Cbc));
        CHECK(supports_ike(ms, EncryptionAlgorithm::Aes128Gcm16));
        CHECK(supports_ike(ms, EncryptionAlgorithm::Aes256Gcm16));
        // RFC 4106 2: AES-GCM needs automated key management.
        CHECK_FALSE(supports_manual(ms, EncryptionAlgorithm::Aes128Gcm16));
        for (auto a : {AuthenticationAlgorithm::HmacSha256_128, AuthenticationAlgorithm::HmacSha384_192,
                       AuthenticationAlgorithm::HmacSha512_256}) {
            CHECK(supports_manual(ms, a));
            CHECK(supports_ike(ms, a));
            // The ES PIC keeps refusing them.
            CHECK_FALSE(supports_manual(es, a));
            CHECK_FALSE(supports_ike(es, a));
        }
        for (auto e : {EncryptionAlgorithm::Aes128Cbc, EncryptionAlgorithm::Aes128Gcm16,
                       EncryptionAlgorithm::Aes256Gcm16}) {
            CHECK_FALSE(supports_manual(es, e));
            CHECK_FALSE(supports_ike(es, e));
        }
    }
    CHECK(pic_models().size() == 6);
    CHECK(platforms().size() == 3);  // the chassis platform keywords: ES rows only
}
