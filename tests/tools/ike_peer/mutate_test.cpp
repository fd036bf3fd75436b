// ike-peer's malformed-message generator against the engine: the variants are
// what they claim to be, and a responder fed all of them neither crashes,
// nor keeps state for the broken ones, nor answers with more than it got.
#include "exchange_harness.h"
#include "mutate.h"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace picsec::ike;
using namespace picsec::ike::test;
using picsec::tools::peer::mutate;
using picsec::tools::peer::Variant;

namespace {

// HDR, SA, VID... as a picsec initiator sends it (Main Mode message 1).
std::vector<std::uint8_t> first_message()
{
    Pair p(make_config("10.0.0.1", "10.0.0.2", true), make_config("10.0.0.2", "10.0.0.1", false));
    p.tick(0);
    REQUIRE(p.na.outbox.size() == 1);
    return p.na.outbox.front().bytes;
}

bool has(const std::vector<Variant>& v, std::string_view what)
{
    return std::any_of(v.begin(), v.end(), [&](const Variant& x) { return x.name.find(what) != std::string::npos; });
}

std::uint32_t length_field(const std::vector<std::uint8_t>& m)
{
    return std::uint32_t(m[24]) << 24 | std::uint32_t(m[25]) << 16 | std::uint32_t(m[26]) << 8 | m[27];
}

}  // namespace

TEST_CASE("mutate yields distinct named variants of every kind for a plaintext first message", "[ike-peer][mutate]")
{
    const auto m = first_message();
    const auto v = mutate(m);
    CHECK(v.size() >= 40);
    for (const char* kind : {"truncated", "header length 0xffffffff", "trailing bytes", "major version 2",
                             "length 65535", "left out", "twice", "swapped", "reverse order",
                             "unknown payload type 200", "255 transforms", "SPI size 255",
                             "TLV of length 0xffff", "DOI 0"})
        CHECK(has(v, kind));
    for (const auto& x : v) {
        INFO(x.name);
        CHECK(x.bytes != m);
    }
    // Variants that re-assemble the chain keep the header length consistent,
    // so the receiver has to look inside the payloads to find the fault.
    for (const auto& x : v)
        if (x.name.find("twice") != std::string::npos || x.name.find("swapped") != std::string::npos) {
            INFO(x.name);
            CHECK(length_field(x.bytes) == x.bytes.size());
        }
}

TEST_CASE("an encrypted message gets only wire-level variants", "[ike-peer][mutate]")
{
    auto m = first_message();
    m[19] |= 0x01;  // E flag: the body is ciphertext, its structure unknown
    const auto v = mutate(m);
    CHECK(!v.empty());
    CHECK(v.size() < mutate(first_message()).size());
    CHECK_FALSE(has(v, "SA:"));
    CHECK_FALSE(has(v, "swapped"));
    CHECK(mutate(std::vector<std::uint8_t>(10, 0)).empty());
}

TEST_CASE("a responder fed every variant of a first message survives, keeps no state for broken ones and does not amplify", "[ike-peer][mutate][hostile]")
{
    const auto m = first_message();
    const auto variants = mutate(m);
    Pair p(make_config("10.0.0.1", "10.0.0.2", true), make_config("10.0.0.2", "10.0.0.1", false));
    p.tick(0);
    std::size_t in_bytes = 0, cookie = 0;
    for (auto v : variants) {
        // Each variant is a separate attempt with its own initiator cookie.
        if (v.bytes.size() >= 8) {
            v.bytes[0] = 0xa5;
            v.bytes[1] = static_cast<std::uint8_t>(++cookie);
        }
        in_bytes += v.bytes.size();
        p.eb->received_datagram(v.bytes, Endpoint{addr("10.0.0.1"), 500}, Endpoint{addr("10.0.0.2"), 500});
    }
    std::size_t out_bytes = 0;
    for (const auto& d : p.nb.outbox)
        out_bytes += d.bytes.size();
    // Only variants a conforming responder may accept (a VID or an unknown
    // payload more or less) got an answer; every answer created one SA.
    CHECK(p.nb.outbox.size() == p.eb->ike_security_associations().size());
    CHECK(p.nb.outbox.size() < variants.size() / 4);
    CHECK(out_bytes < in_bytes);
    // And the real initiator still gets through (the answers to the variants
    // went to a flooder, not to A).
    p.nb.outbox.clear();
    REQUIRE(p.a_to_b());
    REQUIRE(p.b_to_a());
    REQUIRE(p.a_to_b());
    REQUIRE(p.b_to_a());
    REQUIRE(p.a_to_b());
    REQUIRE(p.b_to_a());
    CHECK(p.na.p1_up.size() == 1);
}
