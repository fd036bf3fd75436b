// IPv4 helpers: checksum, header validation and the AH mutable-field rules.
#include <catch2/catch.hpp>

#include "picsec/sadb/ipv4.h"
#include "sadb_test_support.h"

using namespace picsec::sadb;
using picsec::sadb::test::hex;

TEST_CASE("IPv4 checksum reproduces the header checksums printed in RFC 3602", "[sadb][ipv4]") {
    // RFC 3602 4 case 5: original header checksum f9fe, protected header checksum f9a5.
    for (const char* header : {"45000054 08f20000 4001f9fe c0a87b03 c0a87b64", "4500007c 08f20000 4032f9a5 c0a87b03 c0a87b64"}) {
        auto h = hex(header);
        CHECK(ipv4::checksum(h) == 0);
        const auto printed = ipv4::load16(h, 10);
        ipv4::store16(h, 10, 0);
        CHECK(ipv4::checksum(h) == printed);
    }
}

TEST_CASE("IPv4 parse reads the fields and checks every length", "[sadb][ipv4]") {
    const auto h = hex("45000014 08f24000 40012345 c0a87b03 c0a87b64");
    auto fixed = h;
    ipv4::finish_header(fixed, 20);
    auto parsed = ipv4::parse(fixed);
    REQUIRE(parsed);
    CHECK(parsed->header_bytes == 20);
    CHECK(parsed->protocol == 1);
    CHECK(parsed->dont_fragment());
    CHECK_FALSE(parsed->is_fragment());
    CHECK(parsed->source == 0xc0a87b03);
    auto short_ihl = fixed;
    short_ihl[0] = 0x44;
    auto r = ipv4::parse(short_ihl);
    REQUIRE_FALSE(r);
    CHECK_THAT(r.error().message, Catch::Contains("IHL too small (got 4, need >= 5)"));
    auto trailing = fixed;
    trailing.push_back(0);
    REQUIRE_FALSE(ipv4::parse(trailing));
    CHECK_FALSE(ipv4::parse(std::vector<std::uint8_t>{}));
}

TEST_CASE("AH zeroes mutable IPv4 fields and mutable options only", "[sadb][ipv4][ah]") {
    // 24-byte header: Router Alert (immutable, RFC 4302 A.1) then ... ; and a record-route
    // option (mutable) in a 28-byte header.
    auto ra = hex("46b80020 1234 4321 3f06 beef 0a000001 0a000002 94040000");
    ipv4::zero_mutable_fields(ra);
    CHECK(ra == hex("46000020 1234 0000 0006 0000 0a000001 0a000002 94040000"));

    auto rr = hex("47000020 1234 0000 4006 0000 0a000001 0a000002 0707040a000003 01");
    ipv4::zero_mutable_fields(rr);
    CHECK(rr == hex("47000020 1234 0000 0006 0000 0a000001 0a000002 00000000000000 01"));

    auto broken = hex("46000020 1234 0000 4006 0000 0a000001 0a000002 07 09 aa bb");
    ipv4::zero_mutable_fields(broken);  // option length past the header: zero to the end
    CHECK(broken == hex("46000020 1234 0000 0006 0000 0a000001 0a000002 00000000"));
}

TEST_CASE("IPv4 checksum equals the RFC 1071 big-endian word sum for every length and content",
          "[sadb][ipv4]") {
    // RFC 1071 4.1: 16-bit big-endian words, an odd last byte padded with zero.
    const auto reference = [](const std::vector<std::uint8_t>& b) {
        std::uint32_t sum = 0;
        for (std::size_t i = 0; i < b.size(); i += 2)
            sum += static_cast<std::uint32_t>(b[i] << 8) | (i + 1 < b.size() ? b[i + 1] : 0U);
        while ((sum >> 16) != 0) sum = (sum & 0xffff) + (sum >> 16);
        return static_cast<std::uint16_t>(~sum);
    };
    std::uint32_t x = 12345;
    for (std::size_t n = 0; n <= 67; ++n) {
        for (int round = 0; round < 20; ++round) {
            std::vector<std::uint8_t> b(n);
            for (auto& v : b) {
                x = x * 1103515245U + 12345U;
                v = static_cast<std::uint8_t>(round == 0 ? 0xff : x >> 16);
            }
            CAPTURE(n, round);
            REQUIRE(ipv4::checksum(b) == reference(b));
        }
    }
}
