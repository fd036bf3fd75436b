// A check shared by the two-engine exchange tests: the SA pairs both sides
// installed mirror each other.
#pragma once

#include "exchange_harness.h"

#include <catch2/catch.hpp>

namespace picsec::ike::test {

/// Each side installed one pair, the mirror of the other's: SPIs crossed,
/// the same keys, a different key each way.
inline void check_mirrored_pairs(const RecordingNode& a, const RecordingNode& b)
{
    REQUIRE(a.installed.size() == 1);
    REQUIRE(b.installed.size() == 1);
    const auto& pa = a.installed.begin()->second;
    const auto& pb = b.installed.begin()->second;
    CHECK(pa.inbound.spi == pb.outbound.spi);
    CHECK(pa.outbound.spi == pb.inbound.spi);
    CHECK(pa.inbound.encryption_key == pb.outbound.encryption_key);
    CHECK(pa.inbound.authentication_key == pb.outbound.authentication_key);
    CHECK(pa.outbound.encryption_key == pb.inbound.encryption_key);
    CHECK(pa.outbound.authentication_key == pb.inbound.authentication_key);
    CHECK(pa.inbound.encryption_key != pa.outbound.encryption_key);
}

}  // namespace picsec::ike::test
