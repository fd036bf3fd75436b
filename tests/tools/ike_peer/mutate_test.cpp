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

namespace {

EngineConfig v2_config(const char* self, const char* peer, bool initiator)
{
    auto c = make_config(self, peer, initiator);
    for (auto& p : c.ike_policies)
        p.version = IkeVersion::V2;
    return c;
}

}  // namespace

TEST_CASE("IKEv2: mutate yields IKE_SA_INIT variants of every kind and SK variants for IKE_AUTH", "[ike-peer][mutate][ikev2]")
{
    Pair p(v2_config("10.0.0.1", "10.0.0.2", true), v2_config("10.0.0.2", "10.0.0.1", false));
    p.tick(0);
    REQUIRE(p.na.outbox.size() == 1);
    const auto init = p.na.outbox.front().bytes;
    const auto v = mutate(init);  // dispatched on the version octet
    CHECK(v.size() >= 100);
    for (const char* kind : {"truncated", "major version 3", "minor version 15", "Response flag inverted",
                             "length 65535", "left out", "twice", "swapped", "reverse order",
                             "unknown critical payload type 200", "unknown non-critical payload type 200",
                             "with the critical bit", "255 transforms", "0 transforms", "SPI size 255",
                             "first transform of unknown type 250", "KE data one byte short", "KE of group 0",
                             "KE says group 14", "Nonce of 15 bytes", "Nonce of 257 bytes"})
        CHECK(has(v, kind));
    for (const auto& x : v) {
        INFO(x.name);
        CHECK(x.bytes != init);
    }
    p.a_to_b();
    p.b_to_a();
    REQUIRE(p.na.outbox.size() == 1);
    const auto auth = p.na.outbox.front().bytes;
    const auto s = picsec::tools::peer::mutate_v2(auth);
    for (const char* kind : {"SK: last ICV bit flipped", "ICV truncated by 4", "one byte short of the block size",
                             "payload length one past", "an unprotected Notify before SK"})
        CHECK(has(s, kind));
    CHECK_FALSE(has(s, "KE data"));
    // None of them verifies: the responder drops all, answers none, and the real one still goes through.
    for (const auto& x : s) {
        INFO(x.name);
        p.eb->received_datagram(x.bytes, p.na.outbox.front().from, p.na.outbox.front().to);
        CHECK(p.nb.received.size() == 1);
    }
    CHECK(p.nb.outbox.empty());
    CHECK(p.nb.received.size() == 1);  // IKE_SA_INIT only: no variant was read
    p.settle();
    CHECK(p.na.p2_up.size() == 1);
    CHECK(p.nb.p2_up.size() == 1);
}

TEST_CASE("IKEv2: a responder fed every IKE_SA_INIT variant survives, refuses by notify where the RFC says and does not amplify",
          "[ike-peer][mutate][ikev2][hostile]")
{
    Pair p(v2_config("10.0.0.1", "10.0.0.2", true), v2_config("10.0.0.2", "10.0.0.1", false));
    p.tick(0);
    const auto init = p.na.outbox.front().bytes;
    const auto variants = mutate(init);
    std::size_t in_bytes = 0, n = 0;
    std::map<std::string, std::string> answer_to;
    for (auto v : variants) {
        v.bytes[0] = 0xa5;  // each variant its own SPIi
        v.bytes[1] = static_cast<std::uint8_t>(++n);
        in_bytes += v.bytes.size();
        const auto before = p.nb.outbox.size();
        p.eb->received_datagram(v.bytes, Endpoint{addr("10.0.0.1"), 500}, Endpoint{addr("10.0.0.2"), 500});
        if (p.nb.outbox.size() > before)
            answer_to[v.name] = picsec::tools::peer::v2_answer_summary(p.nb.outbox.back().bytes);
    }
    std::size_t out_bytes = 0;
    for (const auto& d : p.nb.outbox)
        out_bytes += d.bytes.size();
    CHECK(out_bytes < in_bytes);
    CHECK(answer_to["unknown critical payload type 200 (UNSUPPORTED_CRITICAL_PAYLOAD)"] ==
          "HDR, N(UNSUPPORTED_CRITICAL_PAYLOAD)");
    CHECK(answer_to["KE of group 0"] == "HDR, N(INVALID_KE_PAYLOAD)");
    CHECK(answer_to["unknown non-critical payload type 200 at the end"].rfind("HDR, SAr1, KEr, Nr", 0) == 0);
    CHECK(answer_to.count("header length 0xffffffff") == 0);
    CHECK(answer_to.count("Nonce of 15 bytes (RFC 7296 3.9: at least 16)") == 0);
    // Every answer that is not a refusal created one half-open SA.
    std::size_t accepted = 0;
    for (const auto& [name, a] : answer_to)
        accepted += a.rfind("HDR, SAr1", 0) == 0;
    CHECK(p.eb->ike_security_associations().size() == accepted);
    p.nb.outbox.clear();
    p.settle();
    CHECK(p.na.p2_up.size() == 1);
}
