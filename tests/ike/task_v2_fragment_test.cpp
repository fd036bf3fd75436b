// IKEv2 fragments (RFC 7383): SKF fragments verified one by one and
// reassembled into the inner payloads; forged, oversized and foreign
// fragments change nothing.
#include <catch2/catch.hpp>

#include "../v2/exchange/protection.h"

#include "picsec/ike/v2/crypto/sk.h"
#include "picsec/ike/v2/message.h"

#include <botan/chacha_rng.h>

using namespace picsec;
using namespace picsec::ike;
namespace c2 = picsec::ike::v2;
namespace k2 = picsec::ike::v2::crypto;
using detail::v2::Reassembly;
using detail::v2::SaKeys;

namespace {

Botan::ChaCha_RNG g_rng{Botan::secure_vector<std::uint8_t>(32, 0x5f)};

SaKeys keys(Role role) {
    SaKeys k;
    k.suite = k2::Suite{algo::EncryptionAlgorithm::Aes128Cbc, algo::HashAlgorithm::Sha256,
                        algo::AuthenticationAlgorithm::HmacSha256_128, algo::DhGroup::Modp2048};
    auto fill = [](std::size_t n, std::uint8_t v) { return Botan::secure_vector<std::uint8_t>(n, v); };
    k.keys = k2::IkeKeys{fill(32, 1), fill(32, 2), fill(32, 3), fill(16, 4), fill(16, 5), fill(32, 6), fill(32, 7)};
    k.role = role;
    return k;
}

c2::Header header(std::uint32_t id) {
    return detail::v2::header({1, 2, 3, 4, 5, 6, 7, 8}, {8, 7, 6, 5, 4, 3, 2, 1}, c2::ExchangeType::IkeAuth,
                              Role::Initiator, false, id);
}

// One SKF fragment as the initiator sends it (RFC 7383 2.5).
std::vector<std::uint8_t> fragment(const SaKeys& sender, std::uint32_t id, std::uint16_t number, std::uint16_t total,
                                   c2::PayloadType first, std::span<const std::uint8_t> plaintext) {
    auto h = header(id);
    h.next = c2::PayloadType::Skf;
    const std::size_t body = 4 + 4 + k2::sk_body_size(sender.suite, plaintext.size());
    auto out = c2::encode_header(h, body);
    out.push_back(static_cast<std::uint8_t>(number == 1 ? first : c2::PayloadType::None));
    out.push_back(0);
    out.push_back(static_cast<std::uint8_t>(body >> 8));
    out.push_back(static_cast<std::uint8_t>(body));
    out.push_back(static_cast<std::uint8_t>(number >> 8));
    out.push_back(static_cast<std::uint8_t>(number));
    out.push_back(static_cast<std::uint8_t>(total >> 8));
    out.push_back(static_cast<std::uint8_t>(total));
    const auto sealed = k2::sk_seal(sender.suite, k2::SkKeys{sender.keys.sk_ei, sender.keys.sk_ai}, out, plaintext, g_rng);
    out.insert(out.end(), sealed.begin(), sealed.end());
    return out;
}

struct Split {
    c2::InnerChain inner;
    std::vector<std::vector<std::uint8_t>> datagrams;
};

Split split(std::uint32_t id, std::size_t pieces) {
    const std::vector<c2::Payload> payloads{c2::IdPayload{true, c2::IdType::Fqdn, {'r', '1'}},
                                            c2::NoncePayload{std::vector<std::uint8_t>(200, 0x33)}};
    Split s;
    s.inner = c2::encode_inner(payloads);
    const auto& b = s.inner.bytes;
    const std::size_t step = (b.size() + pieces - 1) / pieces;
    for (std::size_t i = 0; i < pieces; ++i) {
        const auto from = std::min(b.size(), i * step), to = std::min(b.size(), (i + 1) * step);
        s.datagrams.push_back(fragment(keys(Role::Initiator), id, static_cast<std::uint16_t>(i + 1),
                                       static_cast<std::uint16_t>(pieces), s.inner.first,
                                       std::span(b).subspan(from, to - from)));
    }
    return s;
}

// The datagram's own header, as the engine hands it over.
auto open(const SaKeys& k, const std::vector<std::uint8_t>& d, Reassembly& r) {
    return detail::v2::open_fragment(k, c2::decode_header(d).value(), d, r);
}

}  // namespace

TEST_CASE("IKEv2 fragments in any order reassemble into the message's payloads", "[ikev2][fragment]") {
    const auto s = split(1, 3);
    const auto responder = keys(Role::Responder);
    Reassembly r;
    for (std::size_t i : {2u, 0u}) {
        auto got = open(responder, s.datagrams[i], r);
        REQUIRE(got);
        CHECK_FALSE(got.value().has_value());
    }
    auto got = open(responder, s.datagrams[1], r);
    REQUIRE(got);
    REQUIRE(got.value().has_value());
    const auto& payloads = *got.value();
    REQUIRE(payloads.size() == 2);
    CHECK(std::get<c2::IdPayload>(payloads[0]).data == std::vector<std::uint8_t>{'r', '1'});
    CHECK(std::get<c2::NoncePayload>(payloads[1]).data.size() == 200);
    CHECK(r.total == 0);  // nothing kept once delivered
}

TEST_CASE("a forged IKEv2 fragment is refused and keeps nothing", "[ikev2][fragment][hostile]") {
    const auto s = split(1, 2);
    const auto responder = keys(Role::Responder);
    Reassembly r;
    auto forged = s.datagrams[0];
    forged[forged.size() - 20] ^= 1;
    auto got = open(responder, forged, r);
    REQUIRE_FALSE(got);
    CHECK(got.error().find("ICV") != std::string::npos);
    CHECK(r.total == 0);
    // The genuine pair still completes.
    REQUIRE_FALSE(open(responder, s.datagrams[0], r).value().has_value());
    CHECK(open(responder, s.datagrams[1], r).value().has_value());
}

TEST_CASE("an IKEv2 message in more fragments than the bound is refused", "[ikev2][fragment][hostile]") {
    const auto d = fragment(keys(Role::Initiator), 1, 1, Reassembly::max_fragments + 1, c2::PayloadType::IdI,
                            std::vector<std::uint8_t>(8, 0));
    Reassembly r;
    auto got = open(keys(Role::Responder), d, r);
    REQUIRE_FALSE(got);
    CHECK(got.error().find("at most 32") != std::string::npos);
    CHECK(r.total == 0);
}

TEST_CASE("a fragment of another message restarts the reassembly", "[ikev2][fragment]") {
    const auto a = split(1, 2);
    const auto b = split(2, 2);
    const auto responder = keys(Role::Responder);
    Reassembly r;
    REQUIRE_FALSE(open(responder, a.datagrams[0], r).value().has_value());
    REQUIRE_FALSE(open(responder, b.datagrams[0], r).value().has_value());
    CHECK(r.message_id == 2);
    CHECK(open(responder, b.datagrams[1], r).value().has_value());
}

TEST_CASE("seal_message keeps a message within the limit whole and splits a longer one into verified fragments",
          "[ikev2][fragment]") {
    std::vector<c2::Payload> payloads{c2::IdPayload{true, c2::IdType::Fqdn, {'r', '1'}}};
    for (std::uint8_t i = 0; i < 4; ++i) payloads.push_back(c2::NoncePayload{std::vector<std::uint8_t>(250, i)});
    const auto sender = keys(Role::Initiator);
    const auto responder = keys(Role::Responder);
    const auto whole = detail::v2::seal_message(sender, header(1), payloads, g_rng, 0);
    REQUIRE(whole.size() == 1);
    CHECK(c2::decode_header(whole[0]).value().next == c2::PayloadType::Sk);
    CHECK(detail::v2::seal_message(sender, header(1), payloads, g_rng, whole[0].size()).size() == 1);

    const std::size_t limit = 300;
    const auto parts = detail::v2::seal_message(sender, header(1), payloads, g_rng, limit);
    // 1026 bytes of inner payloads; a fragment takes 28 + 8 + IV 16 + ICV 16 + whole
    // 16-byte blocks holding its share and the Pad Length octet: at most 223 bytes.
    REQUIRE(parts.size() == 5);
    Reassembly r;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        CHECK(parts[i].size() <= limit);
        CHECK(c2::decode_header(parts[i]).value().next == c2::PayloadType::Skf);
        // RFC 7383 2.5: the first fragment names the first inner payload, the others 0.
        CHECK(parts[i][c2::header_size] == (i == 0 ? static_cast<std::uint8_t>(c2::PayloadType::IdI) : 0));
        auto got = open(responder, parts[i], r);
        INFO("fragment " << i + 1 << ": " << (got ? std::string("ok") : got.error()));
        REQUIRE(got);
        CHECK(got.value().has_value() == (i + 1 == parts.size()));
        if (i + 1 == parts.size()) {
            REQUIRE(got.value()->size() == 5);
            CHECK(std::get<c2::IdPayload>(got.value()->at(0)).data == std::vector<std::uint8_t>{'r', '1'});
            CHECK(std::get<c2::NoncePayload>(got.value()->at(4)).data == std::vector<std::uint8_t>(250, 3));
        }
    }
}

TEST_CASE("the fragment limit leaves room for the IPv4 and UDP headers and the non-ESP marker", "[ikev2][fragment]") {
    CHECK(detail::v2::message_limit(1280) == 1248);
    CHECK(detail::v2::message_limit(576) == 544);
    CHECK(detail::v2::message_limit(0) == 0);  // no fragments
}

TEST_CASE("only a fragment 1 whose ICV verifies may have a cached response resent (RFC 7383 2.6.1)",
          "[ikev2][fragment][hostile]") {
    const std::vector<c2::Payload> payloads{c2::NoncePayload{std::vector<std::uint8_t>(250, 0x55)},
                                            c2::NoncePayload{std::vector<std::uint8_t>(250, 0x56)},
                                            c2::NoncePayload{std::vector<std::uint8_t>(250, 0x57)}};
    const auto parts = detail::v2::seal_message(keys(Role::Initiator), header(3), payloads, g_rng, 256);
    REQUIRE(parts.size() >= 3);
    const auto responder = keys(Role::Responder);
    auto verifies = [&](const std::vector<std::uint8_t>& d) {
        return detail::v2::first_fragment_verifies(responder, c2::decode_header(d).value(), d);
    };
    CHECK(verifies(parts[0]));
    CHECK_FALSE(verifies(parts[1]));
    auto forged = parts[0];
    forged.back() ^= 1;
    CHECK_FALSE(verifies(forged));
    const auto whole = detail::v2::seal_message(keys(Role::Initiator), header(3), payloads, g_rng, 0);
    CHECK_FALSE(verifies(whole[0]));  // not a fragment at all
}
