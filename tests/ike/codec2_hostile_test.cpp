// Hostile IKEv2 input: each malformed datagram or payload is refused with the
// Notify type to answer and an error naming the payload and field; a
// deterministic truncation and byte-flip pass over the real messages.
#include <catch2/catch.hpp>

#include "codec2_support.h"

using namespace picsec::ike::v2;
using namespace picsec::ike::v2::test;

namespace {

DecodeError header_error(const std::vector<std::uint8_t>& datagram) {
    auto h = decode_header(datagram);
    REQUIRE_FALSE(h.ok());
    return h.error();
}

DecodeError chain_error(PayloadType first, const std::string& hex) {
    auto c = split_chain(first, from_hex(hex));
    REQUIRE_FALSE(c.ok());
    return c.error();
}

// A body decoded as `type`; the error it gives.
DecodeError payload_error(PayloadType type, const std::string& hex, bool critical = false) {
    auto p = decode_payload(RawPayload{static_cast<std::uint8_t>(type), critical, from_hex(hex)});
    REQUIRE_FALSE(p.ok());
    return p.error();
}

void check(const DecodeError& e, NotifyType notify, const std::string& payload, const std::string& field,
           const std::string& why) {
    INFO(to_string(e));
    CHECK(e.notify == notify);
    CHECK(e.payload == payload);
    CHECK(e.field == field);
    CHECK_THAT(e.message, Catch::Contains(payload) && Catch::Contains(field) && Catch::Contains(why));
}

// Proposal substructure: last (0) or more (2), the body after its 4-byte header.
std::string proposal(const std::string& last, const std::string& body) {
    const auto n = static_cast<std::uint16_t>(body.size() / 2 + 4);
    const std::uint8_t len[2] = {static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n)};
    return last + "00" + to_hex(len) + body;
}

const std::string encr_aes_256 = "0000000c" "0100000c" "800e0100";  // last transform: ENCR 12, key length 256

}  // namespace

TEST_CASE("a datagram shorter than the IKE header is INVALID_SYNTAX naming the header length",
          "[ike][v2][codec][hostile]") {
    auto d = real("v2-psk-modp2048#1");
    d.resize(27);
    check(header_error(d), NotifyType::InvalidSyntax, "IKE header", "Length", "truncated (got 27 bytes, need 28)");
    CHECK_FALSE(major_version(d).has_value());
}

TEST_CASE("a header Length that is not the datagram's size is INVALID_SYNTAX", "[ike][v2][codec][hostile]") {
    auto d = real("v2-psk-modp2048#1");
    d.push_back(0);
    check(header_error(d), NotifyType::InvalidSyntax, "IKE header", "Length", "got 464, need 465");
    d.resize(d.size() - 2);
    check(header_error(d), NotifyType::InvalidSyntax, "IKE header", "Length", "not the datagram's size");
}

TEST_CASE("major versions 1 and 3 are INVALID_MAJOR_VERSION, and major_version tells them apart",
          "[ike][v2][codec][hostile]") {
    for (const std::uint8_t v : {0x10, 0x30}) {
        auto d = real("v2-psk-modp2048#1");
        d[17] = v;
        CHECK(major_version(d) == v >> 4);
        check(header_error(d), NotifyType::InvalidMajorVersion, "IKE header", "MjVer", "not IKEv2");
    }
    auto d = real("v2-psk-modp2048#1");
    d[17] = 0x21;  // RFC 7296 3.1: the minor version is ignored
    CHECK(decode_header(d).ok());
}

TEST_CASE("a payload length below the generic header is INVALID_SYNTAX", "[ike][v2][codec][hostile]") {
    check(chain_error(PayloadType::Nonce, "00000003"), NotifyType::InvalidSyntax, "Nonce", "Payload Length",
          "shorter than the payload header (got 3, need at least 4)");
}

TEST_CASE("a payload length past the end of the message is INVALID_SYNTAX", "[ike][v2][codec][hostile]") {
    check(chain_error(PayloadType::VendorId, "00000032" "0102030405"), NotifyType::InvalidSyntax, "V",
          "Payload Length", "exceeds the data left (got 50, need at most 9)");
    check(chain_error(PayloadType::Ke, "0000"), NotifyType::InvalidSyntax, "KE", "Payload Length",
          "truncated payload header (got 2 bytes, need 4)");
}

TEST_CASE("bytes after the last payload are INVALID_SYNTAX", "[ike][v2][codec][hostile]") {
    check(chain_error(PayloadType::VendorId, "00000005" "01" "ff"), NotifyType::InvalidSyntax, "V",
          "Payload Length", "trailing bytes after the last payload (got 1 bytes, need 0)");
}

TEST_CASE("an SK payload that is not the last payload is INVALID_SYNTAX", "[ike][v2][codec][hostile]") {
    // SK (next IDi), 4 body bytes, then a V payload
    check(chain_error(PayloadType::Sk, "23000008" "01020304" "00000004"), NotifyType::InvalidSyntax, "SK",
          "Payload Length", "not the last payload (got 4 bytes after it, need 0)");
    check(chain_error(PayloadType::Skf, "23000008" "00010001" "00000004"), NotifyType::InvalidSyntax, "SKF",
          "Payload Length", "not the last payload");
}

TEST_CASE("an unknown critical payload is kept with its Critical bit and answered UNSUPPORTED_CRITICAL_PAYLOAD",
          "[ike][v2][codec][hostile]") {
    // type 99, critical, one body byte; then a non-critical type 98; then a V
    auto c = split_chain(static_cast<PayloadType>(99), from_hex("62800005" "aa" "2b000004" "00000004"));
    REQUIRE(c.ok());
    REQUIRE(c->payloads.size() == 3);
    CHECK(c->payloads[0] == RawPayload{99, true, {0xaa}, PayloadType::None});
    CHECK(c->payloads[1] == RawPayload{98, false, {}, PayloadType::None});
    CHECK(encode_chain(c->payloads) == from_hex("62800005" "aa" "2b000004" "00000004"));
    auto typed = decode_payloads(c->payloads);
    REQUIRE_FALSE(typed.ok());
    check(typed.error(), NotifyType::UnsupportedCriticalPayload, "99", "Next Payload",
          "critical payload of an unsupported type (got 99");
    // Without the critical one, the unknown payload is skipped (RFC 7296 2.5).
    auto rest = decode_payloads(std::span(c->payloads).subspan(1));
    REQUIRE(rest.ok());
    REQUIRE(rest->size() == 1);
    CHECK(std::holds_alternative<VendorIdPayload>(rest->front()));
    // decode_payload alone names a non-critical unknown type too.
    check(payload_error(static_cast<PayloadType>(98), ""), NotifyType::InvalidSyntax, "98", "Next Payload",
          "not a payload type picsec decodes");
    // A known type with the Critical bit set decodes (RFC 7296 3.2).
    CHECK(decode_payload(RawPayload{43, true, {1}, PayloadType::None}).ok());
}

TEST_CASE("SA proposal numbering follows RFC 7296 3.3.1", "[ike][v2][codec][hostile]") {
    const auto p = [](const std::string& last, const std::string& num) {
        return proposal(last, num + "010001" + encr_aes_256);
    };
    check(payload_error(PayloadType::Sa, p("02", "01") + p("00", "03")), NotifyType::InvalidSyntax, "SA",
          "Proposal Num", "not the previous number or the next one (got 3, need 1 or 2)");
    check(payload_error(PayloadType::Sa, p("02", "02") + p("00", "03")), NotifyType::InvalidSyntax, "SA",
          "Proposal Num", "the first of several proposals is not 1 (got 2, need 1)");
    check(payload_error(PayloadType::Sa, p("00", "00")), NotifyType::InvalidSyntax, "SA", "Proposal Num",
          "numbered from 1");
}

TEST_CASE("SA numbering accepts an answer's single proposal and consecutive offers", "[ike][v2][codec][hostile]") {
    const auto p = [](const std::string& last, const std::string& num) {
        return proposal(last, num + "010001" + encr_aes_256);
    };
    CHECK(decode_payload(RawPayload{33, false, from_hex(p("00", "05")), PayloadType::None}).ok());
    CHECK(decode_payload(RawPayload{33, false, from_hex(p("02", "01") + p("02", "02") + p("00", "03")),
                                    PayloadType::None}).ok());
    // the previous number again (RFC 4306 3.3.1's AND of proposals)
    CHECK(decode_payload(RawPayload{33, false, from_hex(p("02", "01") + p("00", "01")), PayloadType::None}).ok());
}

TEST_CASE("malformed proposals are INVALID_SYNTAX naming the Proposal field", "[ike][v2][codec][hostile]") {
    check(payload_error(PayloadType::Sa, proposal("00", "01000001" + encr_aes_256)), NotifyType::InvalidSyntax,
          "Proposal", "Protocol ID", "unknown (got 0");
    check(payload_error(PayloadType::Sa, proposal("00", "01030301" "aabbcc" + encr_aes_256)),
          NotifyType::InvalidSyntax, "Proposal", "SPI Size", "not allowed for ESP (got 3, need 4)");
    check(payload_error(PayloadType::Sa, proposal("00", "01010002" + encr_aes_256)), NotifyType::InvalidSyntax,
          "Proposal", "Num Transforms", "fewer transforms than announced (got 1, need 2)");
    check(payload_error(PayloadType::Sa, proposal("00", "01010000")), NotifyType::InvalidSyntax, "Proposal",
          "Num Transforms", "out of range (got 0");
    check(payload_error(PayloadType::Sa, proposal("05", "01010001" + encr_aes_256)), NotifyType::InvalidSyntax,
          "SA", "Last Substruc", "not 0 or 2");
    check(payload_error(PayloadType::Sa, ""), NotifyType::InvalidSyntax, "Proposal", "Proposal Length",
          "truncated payload header (got 0 bytes, need 4)");
}

TEST_CASE("a transform attribute other than Key Length is INVALID_SYNTAX", "[ike][v2][codec][hostile]") {
    check(payload_error(PayloadType::Sa, proposal("00", "01010001" "0000000c" "0100000c" "800f0100")),
          NotifyType::InvalidSyntax, "Transform", "Attribute Type", "unknown attribute (got 15, need 14");
    check(payload_error(PayloadType::Sa, proposal("00", "01010001" "0000000c" "0100000c" "000e0100")),
          NotifyType::InvalidSyntax, "Transform", "Attribute Type", "not in TV format");
    check(payload_error(PayloadType::Sa,
                        proposal("00", "01010001" "00000010" "0100000c" "800e0100" "800e0080")),
          NotifyType::InvalidSyntax, "Transform", "Attribute Type", "repeated");
    check(payload_error(PayloadType::Sa, proposal("00", "01010001" "0000000a" "0100000c" "800e")),
          NotifyType::InvalidSyntax, "Transform", "Attribute Value", "truncated");
}

TEST_CASE("more payloads than max_payloads_per_message is INVALID_SYNTAX", "[ike][v2][codec][hostile]") {
    std::string hex;
    for (std::size_t i = 0; i < max_payloads_per_message; ++i) hex += "2b000004";
    check(chain_error(PayloadType::VendorId, hex + "00000004"), NotifyType::InvalidSyntax, "V", "Next Payload",
          "too many payloads (got more than 64, need at most 64)");
    CHECK(split_chain(PayloadType::VendorId, from_hex(hex.substr(8) + "00000004")).ok());  // exactly 64
}

TEST_CASE("an empty or too short nonce is INVALID_SYNTAX", "[ike][v2][codec][hostile]") {
    check(payload_error(PayloadType::Nonce, ""), NotifyType::InvalidSyntax, "Nonce", "Nonce Data",
          "too short (got 0 bytes, need at least 16)");
    check(payload_error(PayloadType::Nonce, std::string(30, 'a')), NotifyType::InvalidSyntax, "Nonce",
          "Nonce Data", "too short (got 15 bytes, need at least 16)");
    check(payload_error(PayloadType::Nonce, std::string(514, 'a')), NotifyType::InvalidSyntax, "Nonce",
          "Nonce Data", "too long (got 257 bytes, need at most 256)");
}

TEST_CASE("a KE payload without key exchange data is INVALID_SYNTAX", "[ike][v2][codec][hostile]") {
    check(payload_error(PayloadType::Ke, "000e0000"), NotifyType::InvalidSyntax, "KE", "Key Exchange Data",
          "too short (got 0 bytes, need at least 1)");
    check(payload_error(PayloadType::Ke, "000e"), NotifyType::InvalidSyntax, "KE", "RESERVED", "truncated");
}

TEST_CASE("malformed ID, CERTREQ, AUTH, N and D payloads are INVALID_SYNTAX naming the field",
          "[ike][v2][codec][hostile]") {
    check(payload_error(PayloadType::IdI, "01000000" "c00002"), NotifyType::InvalidSyntax, "IDi",
          "Identification Data", "too short (got 3 bytes, need at least 4)");
    check(payload_error(PayloadType::IdR, "02000000"), NotifyType::InvalidSyntax, "IDr", "Identification Data",
          "too short");
    check(payload_error(PayloadType::CertReq, "04" + std::string(38, '0')), NotifyType::InvalidSyntax, "CERTREQ",
          "Certification Authority", "got 19 bytes, need a multiple of 20");
    check(payload_error(PayloadType::Auth, "02000000"), NotifyType::InvalidSyntax, "AUTH", "Authentication Data",
          "too short");
    check(payload_error(PayloadType::Notify, "03034000" "aabbcc"), NotifyType::InvalidSyntax, "N", "SPI Size",
          "got 3, need 0, 4 or 8");
    check(payload_error(PayloadType::Notify, "03044000" "aabb"), NotifyType::InvalidSyntax, "N", "SPI",
          "truncated");
    check(payload_error(PayloadType::Delete, "01000001"), NotifyType::InvalidSyntax, "D", "Num of SPIs",
          "wrong count for IKE (got 1, need 0)");
    check(payload_error(PayloadType::Delete, "03040002" "aabbccdd"), NotifyType::InvalidSyntax, "D",
          "Num of SPIs", "does not match the payload length");
    check(payload_error(PayloadType::Delete, "03080001" "aabbccddeeff0011"), NotifyType::InvalidSyntax, "D",
          "SPI Size", "not allowed for ESP (got 8, need 4)");
}

TEST_CASE("traffic selectors: IPv6 ranges are TS_UNACCEPTABLE, malformed ones INVALID_SYNTAX",
          "[ike][v2][codec][hostile]") {
    check(payload_error(PayloadType::TsI, "01000000" "08000028" + std::string(72, '0')),
          NotifyType::TsUnacceptable, "TSi", "TS Type", "not TS_IPV4_ADDR_RANGE (got 8, need 7)");
    check(payload_error(PayloadType::TsR, "00000000"), NotifyType::InvalidSyntax, "TSr", "Number of TSs",
          "no traffic selector");
    check(payload_error(PayloadType::TsR, "02000000" "07000010" "0000ffff" "0a000000" "0affffff"),
          NotifyType::InvalidSyntax, "TSr", "TS Type", "truncated");
    check(payload_error(PayloadType::TsR, "01000000" "07000014" "0000ffff" "0a000000" "0affffff" "00000000"),
          NotifyType::InvalidSyntax, "TSr", "Selector Length", "got 20, need 16");
}

TEST_CASE("SKF fragment numbers run from 1 to Total Fragments", "[ike][v2][codec][hostile]") {
    check(payload_error(PayloadType::Skf, "00000002" "aa"), NotifyType::InvalidSyntax, "SKF", "Fragment Number",
          "numbered from 1");
    check(payload_error(PayloadType::Skf, "00030002" "aa"), NotifyType::InvalidSyntax, "SKF", "Total Fragments",
          "got 2, need at least 3");
    check(payload_error(PayloadType::Sk, ""), NotifyType::InvalidSyntax, "SK", "Encrypted IKE Payloads",
          "too short");
}

TEST_CASE("truncated and byte-flipped real messages decode to an error or to a value that round-trips",
          "[ike][v2][codec][hostile]") {
    std::size_t decoded = 0, refused = 0;
    const auto probe = [&](const std::vector<std::uint8_t>& d) {
        auto m = decode_message(d);
        if (!m.ok()) {
            CHECK_FALSE(m.error().message.empty());
            ++refused;
            return;
        }
        auto ps = decode_payloads(m->chain.payloads);
        if (!ps.ok()) {
            CHECK_FALSE(ps.error().message.empty());
            CHECK_FALSE(ps.error().payload.empty());
            ++refused;
            return;
        }
        ++decoded;
        // (unknown payloads were skipped, so the chain starts with the first decoded one)
        const auto first = ps->empty() ? PayloadType::None : payload_type(ps->front());
        auto again = split_chain(first, encode_chain(make_payloads(ps.value())));
        REQUIRE(again.ok());
        auto back = decode_payloads(again->payloads);
        REQUIRE(back.ok());
        CHECK(back.value() == ps.value());
    };
    for (const auto& m : real_messages()) {
        INFO(m.name);
        for (std::size_t n = 0; n < m.bytes.size(); n += 3) {
            std::vector<std::uint8_t> cut(m.bytes.begin(), m.bytes.begin() + static_cast<std::ptrdiff_t>(n));
            probe(cut);
        }
        for (std::size_t i = 0; i < m.bytes.size() && i < 400; ++i) {
            auto flipped = m.bytes;
            flipped[i] ^= static_cast<std::uint8_t>(1u << (i % 8));
            probe(flipped);
        }
    }
    CHECK(decoded > 100);
    CHECK(refused > 100);
}
