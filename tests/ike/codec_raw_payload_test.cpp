// The raw view of a payload chain (type + body, for the RFC 2409 hashes):
// round trip, padding, and truncated, bad-length and overlong chains.
#include <catch2/catch.hpp>

#include <picsec/ike/codec/limits.h>
#include <picsec/ike/codec/payload_nonce.h>
#include <picsec/ike/codec/raw_payload.h>

#include "codec_support.h"

using namespace picsec::ike::codec;
using picsec::ike::codec::test::from_hex;
using picsec::ike::codec::test::to_hex;

TEST_CASE("a raw payload chain round trips with linked Next Payload fields", "[ike][codec][raw]") {
    const std::vector<RawPayload> chain{make_payload(NoncePayload{{1, 2, 3, 4, 5, 6, 7, 8}}),
                                       RawPayload{PayloadType::VendorId, {0xaa, 0xbb}}};
    const auto bytes = encode_chain(chain);
    // Nonce (next VID=13, length 12), then VID (next NONE, length 6).
    CHECK(to_hex(bytes) == "0d00000c0102030405060708" "00000006aabb");
    auto back = split_chain(PayloadType::Nonce, bytes, false);
    REQUIRE(back.ok());
    CHECK(*back == chain);
    RawMessage m{Header{}, *back};
    CHECK(m.count(PayloadType::VendorId) == 1);
    CHECK(m.find(PayloadType::Nonce)->body.size() == 8);
    CHECK(m.find(PayloadType::Nonce, 1) == nullptr);
    CHECK(m.summary() == "HDR, Nonce, VID");
    auto nonce = decode_body<NoncePayload>(*m.find(PayloadType::Nonce), decode_nonce, "Nonce");
    REQUIRE(nonce.ok());
    CHECK(nonce->data.size() == 8);
}

TEST_CASE("raw chain splitting refuses trailing bytes unless they are padding", "[ike][codec][raw]") {
    const auto bytes = from_hex("00000006aabb" "0000ff");
    auto strict = split_chain(PayloadType::VendorId, bytes, false);
    REQUIRE_FALSE(strict.ok());
    CHECK(strict.error().notify == NotifyType::PayloadMalformed);
    CHECK(strict.error().message == "payload chain: trailing bytes after the last payload (got 3 bytes, need 0)");
    // RFC 2409 5.3: a decrypted body carries padding, whatever the peer padded with.
    auto padded = split_chain(PayloadType::VendorId, bytes, true);
    REQUIRE(padded.ok());
    CHECK(padded->size() == 1);
}

TEST_CASE("malformed raw chains name the payload and the field", "[ike][codec][raw]") {
    struct Case {
        const char* hex;
        const char* payload;
        const char* field;
    };
    const Case cases[] = {
        {"000000", "VID", "Payload Length"},          // header truncated
        {"00000003", "VID", "Payload Length"},        // shorter than its header
        {"00000009aabb", "VID", "Payload Length"},    // longer than the data
        {"00010006aabb", "VID", "RESERVED"},          // RESERVED not zero
        {"0d000006aabb", "VID", "Payload Length"},    // next VID missing
    };
    for (const auto& c : cases) {
        INFO(c.hex);
        auto r = split_chain(PayloadType::VendorId, from_hex(c.hex), false);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().notify == NotifyType::PayloadMalformed);
        CHECK(r.error().payload == c.payload);
        CHECK(r.error().field == c.field);
    }
    // More payloads than a message may carry: every VID names another VID.
    std::string many;
    for (std::size_t i = 0; i <= max_payloads_per_message; ++i) many += "0d000004";
    auto overlong = split_chain(PayloadType::VendorId, from_hex(many), false);
    REQUIRE_FALSE(overlong.ok());
    CHECK(overlong.error().message.find("too many payloads") != std::string::npos);
}
