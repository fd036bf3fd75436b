// The IPsec algorithm table answers by keyword and by id consistently.
#include <catch2/catch.hpp>

#include "picsec/sadb/algorithms.h"

using namespace picsec::sadb;

TEST_CASE("every encryption algorithm is found by its own keyword", "[sadb][algorithms]") {
    for (const auto& row : encryption_algorithms()) {
        auto id = encryption_from_keyword(row.keyword);
        REQUIRE(id.has_value());
        CHECK(info(*id).keyword == row.keyword);
    }
    CHECK_FALSE(encryption_from_keyword("rc4").has_value());
}

TEST_CASE("every authentication algorithm is found by its own keyword", "[sadb][algorithms]") {
    for (const auto& row : authentication_algorithms()) {
        auto id = authentication_from_keyword(row.keyword);
        REQUIRE(id.has_value());
        CHECK(info(*id).icv_bytes == row.icv_bytes);
    }
    CHECK(info(AuthenticationAlgorithm::HmacSha1_96).key_bytes == 20);
    CHECK_FALSE(authentication_from_keyword("hmac-sha1").has_value());
}
