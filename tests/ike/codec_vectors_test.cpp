// Data-driven codec tests from tests/ike/data/codec/payload_vectors.txt:
// valid, truncated, trailing-bytes and bad-length cases of every payload.
#include <catch2/catch.hpp>

#include "codec_support.h"

using namespace picsec::ike::codec;
using namespace picsec::ike::codec::test;

TEST_CASE("every payload vector decodes to its expected summary or error", "[ike][codec][vectors]") {
    const auto vectors = load_vectors("payload_vectors.txt");
    REQUIRE(vectors.size() > 100);
    for (const auto& v : vectors) {
        INFO("vector: " << v.name);
        const auto bytes = from_hex(v.get("hex"));
        const auto d = decode_as(v.get("mode"), bytes);
        const auto expected_error = v.get("error");
        if (!expected_error.empty()) {
            REQUIRE(d.error.has_value());
            INFO("message: " << d.error->message);
            CHECK(to_string(d.error->notify) + " | " + d.error->payload + " | " + d.error->field == expected_error);
            CHECK(d.error->message.find("(got ") != std::string::npos);
            continue;
        }
        if (d.error) FAIL(to_string(*d.error));
        std::vector<std::string> got;
        if (d.header) got.push_back(describe(*d.header));
        for (const auto& p : d.payloads) got.push_back(describe(p));
        CHECK(got == v.all("expect"));
    }
}

TEST_CASE("every valid payload vector re-encodes byte-identically", "[ike][codec][vectors][roundtrip]") {
    for (const auto& v : load_vectors("payload_vectors.txt")) {
        if (!v.get("error").empty()) continue;
        INFO("vector: " << v.name);
        const auto bytes = from_hex(v.get("hex"));
        const auto mode = v.get("mode");
        const auto d = decode_as(mode, bytes);
        REQUIRE_FALSE(d.error.has_value());
        const auto encoded = encode(d);
        if (d.header) {
            CHECK(to_hex(encoded) == to_hex(bytes));
        } else {
            // a padded body re-encodes without its padding
            CHECK(to_hex(encoded) == to_hex(std::span(bytes).first(encoded.size())));
            if (mode.rfind("padded", 0) != 0) CHECK(encoded.size() == bytes.size());
        }
    }
}

TEST_CASE("decode errors read as what, why, got and need", "[ike][codec][errors]") {
    const auto bytes = from_hex("00000006" "0102");  // a 2-byte Nonce
    const auto r = decode_as("chain 10", bytes);
    REQUIRE(r.error.has_value());
    CHECK(r.error->notify == NotifyType::PayloadMalformed);
    CHECK(r.error->payload == "Nonce");
    CHECK(r.error->message == "Nonce Nonce Data: too short (got 2 bytes, need at least 8)");
    CHECK(to_string(*r.error) == "PAYLOAD-MALFORMED: Nonce Nonce Data: too short (got 2 bytes, need at least 8)");
}

TEST_CASE("a message built with encode_chain and encode_header links next payloads and lengths", "[ike][codec][encode]") {
    Header h;
    h.initiator_cookie = {1, 2, 3, 4, 5, 6, 7, 8};
    h.exchange_type = ExchangeType::Informational;
    h.message_id = 0x11223344;
    h.length = 9999;  // ignored
    NotifyPayload n;
    n.notify_type = NotifyType::RUThere;
    n.spi.assign(16, 0xab);
    n.data = {0, 0, 0, 7};
    DeletePayload d;
    d.protocol = ProtocolId::IpsecEsp;
    d.spis = {{0xc0, 0xff, 0xee, 0x01}};
    const std::vector<Payload> payloads{HashPayload{std::vector<std::uint8_t>(20, 0x11)}, n, d};
    const auto bytes = encode(Decoded{h, payloads, std::nullopt});
    REQUIRE(bytes.size() == 28 + 24 + 32 + 16);
    const auto m = decode_as("message", bytes);
    REQUIRE_FALSE(m.error.has_value());
    CHECK(m.header->next_payload == PayloadType::Hash);
    CHECK(m.header->length == bytes.size());
    CHECK(m.payloads == payloads);
    CHECK(encode_header(*m.header, bytes.size() - header_size) == std::vector(bytes.begin(), bytes.begin() + 28));
}

TEST_CASE("encoding refuses a payload longer than 65535 bytes", "[ike][codec][encode]") {
    const std::vector<Payload> payloads{CertPayload{CertEncoding::X509Signature, std::vector<std::uint8_t>(70000, 1)}};
    CHECK_THROWS_AS(encode_chain(make_payloads(payloads)), EncodeError);
}

TEST_CASE("protocol numbers have RFC names and unknown ones show their value", "[ike][codec][names]") {
    CHECK(to_string(NotifyType::InvalidMajorVersion) == "INVALID-MAJOR-VERSION");
    CHECK(to_string(NotifyType::InitialContact) == "INITIAL-CONTACT");
    CHECK(to_string(NotifyType::RUThereAck) == "R-U-THERE-ACK");
    CHECK(to_string(static_cast<NotifyType>(9999)) == "UNKNOWN(9999)");
    CHECK(is_error(NotifyType::NoProposalChosen));
    CHECK_FALSE(is_error(NotifyType::ResponderLifetime));
    CHECK(to_string(ExchangeType::QuickMode) == "QUICK_MODE");
    CHECK(to_string(PayloadType::NatD) == "NAT-D");
    CHECK(to_string(IdType::DerAsn1Dn) == "ID_DER_ASN1_DN");
    CHECK(transform_id_name(ProtocolId::IpsecEsp, 12) == "ESP_AES");
    CHECK(transform_id_name(ProtocolId::IpsecAh, 3) == "AH_SHA");
    CHECK(to_string(EncapsulationMode::UdpEncapsulatedTunnel) == "UDP_ENCAPSULATED_TUNNEL");
    CHECK(to_string(IkeAttribute::LifeDuration) == "LIFE_DURATION");
    CHECK(to_string(IpsecAttribute::EncapsulationMode) == "ENCAPSULATION_MODE");
}
