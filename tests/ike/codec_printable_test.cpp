// Peer-supplied ID names are described as one escaped line (printable.h), so
// an ID_FQDN or ID_USER_FQDN cannot forge log lines or show output before the
// peer is authenticated.
#include <catch2/catch.hpp>

#include <picsec/ike/codec/payload_id.h>
#include <picsec/ike/codec/printable.h>
#include <picsec/ike/codec/raw_payload.h>

#include <string>
#include <vector>

using namespace picsec::ike::codec;

namespace {

// An ID payload body as a peer sends it: ID Type, Protocol ID, Port, data.
IdPayload decode_peer_id(IdType type, const std::string& data) {
    std::vector<std::uint8_t> body{static_cast<std::uint8_t>(type), 17, 0x01, 0xf4};
    body.insert(body.end(), data.begin(), data.end());
    auto id = decode_body<IdPayload>(RawPayload{PayloadType::Identification, body}, decode_id, "ID");
    REQUIRE(id.ok());
    return *id;
}

}  // namespace

TEST_CASE("printable escapes control bytes, non-ASCII bytes and the backslash as \\xNN", "[ike][codec][printable]") {
    CHECK(printable("gw.example.org") == "gw.example.org");
    CHECK(printable("") == "");
    CHECK(printable(" !~") == " !~");
    CHECK(printable("a\nb") == "a\\x0ab");
    CHECK(printable("a\r\tb") == "a\\x0d\\x09b");
    CHECK(printable(std::string("a\0b", 3)) == "a\\x00b");
    CHECK(printable("\x1b[31m") == "\\x1b[31m");
    CHECK(printable("\x7f\x80\xff") == "\\x7f\\x80\\xff");
    // The backslash itself, so "\x0a" sent literally is told apart from a newline.
    CHECK(printable("a\\b") == "a\\x5cb");
    CHECK(printable("\\x0a") == "\\x5cx0a");
}

TEST_CASE("an ID_FQDN with a newline describes as one line and cannot forge a log line", "[ike][codec][id][printable]") {
    const auto id = decode_peer_id(IdType::Fqdn, "evil.example\n[info] phase 1 established");
    // The decoded value keeps the peer's bytes; only the description is escaped.
    CHECK(std::get<Fqdn>(id.data).name == "evil.example\n[info] phase 1 established");
    const auto text = describe(id.data);
    CHECK(text == "evil.example\\x0a[info] phase 1 established");
    CHECK(text.find('\n') == std::string::npos);
    CHECK(describe(id) == "ID(ID_FQDN evil.example\\x0a[info] phase 1 established proto=17 port=500)");
}

TEST_CASE("an ID_USER_FQDN with control bytes and a backslash describes escaped", "[ike][codec][id][printable]") {
    const auto id = decode_peer_id(IdType::UserFqdn, "a\\b@example.org\r\n\x1b[2K");
    CHECK(describe(id.data) == "a\\x5cb@example.org\\x0d\\x0a\\x1b[2K");
}

TEST_CASE("plain ID names describe unchanged", "[ike][codec][id][printable]") {
    CHECK(describe(decode_peer_id(IdType::Fqdn, "gw.example.org").data) == "gw.example.org");
    CHECK(describe(decode_peer_id(IdType::UserFqdn, "vpn@example.org").data) == "vpn@example.org");
    CHECK(describe(IdData{KeyId{{0x0a, 0x5c, 0x41}}}) == "keyid:0a5c41");
    CHECK(describe(IdData{DerAsn1Dn{{0x30, 0x00}}}) == "der:3000");
}
