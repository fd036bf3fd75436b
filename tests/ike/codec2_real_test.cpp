// Real strongSwan IKEv2 messages (tests/ike/data/codec/v2_real_messages.txt,
// extracted with tshark): decode to what Wireshark's dissector shows and
// re-encode byte-identically.
#include <catch2/catch.hpp>

#include "codec2_support.h"

using namespace picsec::ike::v2;
using namespace picsec::ike::v2::test;

namespace {

std::vector<Payload> payloads_of(const std::vector<std::uint8_t>& bytes, RawMessage* raw_out = nullptr) {
    auto m = decode_message(bytes);
    INFO((m.ok() ? std::string() : to_string(m.error())));
    REQUIRE(m.ok());
    auto p = decode_payloads(m->chain.payloads);
    INFO((p.ok() ? std::string() : to_string(p.error())));
    REQUIRE(p.ok());
    if (raw_out) *raw_out = m.value();
    return p.value();
}

std::vector<std::uint16_t> notify_types(const std::vector<Payload>& ps) {
    std::vector<std::uint16_t> out;
    for (const auto& p : ps)
        if (const auto* n = std::get_if<NotifyPayload>(&p)) out.push_back(n->type);
    return out;
}

}  // namespace

TEST_CASE("every captured strongSwan IKEv2 datagram decodes and re-encodes byte for byte", "[ike][v2][codec]") {
    const auto all = real_messages();
    REQUIRE(all.size() >= 12);
    for (const auto& m : all) {
        INFO(m.name);
        REQUIRE(major_version(m.bytes) == 2);
        RawMessage raw;
        const auto payloads = payloads_of(m.bytes, &raw);
        CHECK(reencode(raw.header, payloads) == m.bytes);
        // The raw chain re-encodes too (unknown payloads included).
        auto again = encode_header(raw.header, encode_chain(raw.chain.payloads).size());
        const auto body = encode_chain(raw.chain.payloads);
        again.insert(again.end(), body.begin(), body.end());
        CHECK(again == m.bytes);
    }
}

TEST_CASE("strongSwan's IKE_SA_INIT request decodes to its SA, KE, Nonce and notifies", "[ike][v2][codec]") {
    RawMessage raw;
    const auto ps = payloads_of(real("v2-psk-modp2048#1"), &raw);
    const auto& h = raw.header;
    CHECK(h.exchange == static_cast<std::uint8_t>(ExchangeType::IkeSaInit));
    CHECK(h.initiator);
    CHECK_FALSE(h.response);
    CHECK_FALSE(h.version);
    CHECK(h.message_id == 0);
    CHECK(h.spi_r == IkeSpi{});
    CHECK(h.length == 464);
    CHECK(h.next == PayloadType::Sa);
    const std::vector<PayloadType> head{PayloadType::Sa, PayloadType::Ke, PayloadType::Nonce};
    const auto types = types_of(ps);
    REQUIRE(types.size() > 3);
    CHECK(std::vector<PayloadType>(types.begin(), types.begin() + 3) == head);

    const auto& sa = std::get<SaPayload>(ps[0]);
    REQUIRE(sa.proposals.size() == 1);
    const auto& prop = sa.proposals[0];
    CHECK(prop.number == 1);
    CHECK(prop.protocol == ProtocolId::Ike);
    CHECK(prop.spi.empty());
    REQUIRE(prop.transforms.size() == 4);
    CHECK(prop.transforms[0] == Transform{TransformType::Encr, 12, 256});  // ENCR_AES_CBC 256
    CHECK(prop.transforms[1] == Transform{TransformType::Integ, 12, std::nullopt});  // HMAC_SHA2_256_128
    CHECK(prop.transforms[2] == Transform{TransformType::Prf, 5, std::nullopt});  // PRF_HMAC_SHA2_256
    CHECK(prop.transforms[3] == Transform{TransformType::Dh, 14, std::nullopt});  // MODP 2048
    CHECK(describe(ps[0]) == "SA(#1 IKE [ENCR 12/256, INTEG 12, PRF 5, DH 14])");

    const auto& ke = std::get<KePayload>(ps[1]);
    CHECK(ke.group == 14);
    CHECK(ke.data.size() == 256);
    CHECK(std::get<NoncePayload>(ps[2]).data.size() >= 16);

    const auto ns = notify_types(ps);
    const std::vector<std::uint16_t> expected{
        static_cast<std::uint16_t>(NotifyType::NatDetectionSourceIp),
        static_cast<std::uint16_t>(NotifyType::NatDetectionDestinationIp),
        static_cast<std::uint16_t>(NotifyType::Ikev2FragmentationSupported),
        static_cast<std::uint16_t>(NotifyType::SignatureHashAlgorithms),
        static_cast<std::uint16_t>(NotifyType::RedirectSupported)};
    CHECK(ns == expected);
    const auto& nat_src = std::get<NotifyPayload>(ps[3]);
    CHECK(nat_src.data.size() == 20);  // SHA-1 (RFC 7296 2.23)
    CHECK(nat_src.spi.empty());
    CHECK(describe(ps[3]) == "N(NAT_DETECTION_SOURCE_IP)");
    // RFC 7427 4: a list of 16-bit hash algorithm numbers.
    const auto& sig_hash = std::get<NotifyPayload>(ps[6]);
    CHECK(sig_hash.data.size() % 2 == 0);
    CHECK_FALSE(sig_hash.data.empty());
}

TEST_CASE("strongSwan's IKE_SA_INIT response carries the chosen proposal and the responder SPI",
          "[ike][v2][codec]") {
    RawMessage raw;
    const auto ps = payloads_of(real("v2-psk-modp2048#2"), &raw);
    CHECK(raw.header.response);
    CHECK_FALSE(raw.header.initiator);
    CHECK(raw.header.spi_r != IkeSpi{});
    CHECK(raw.header.spi_i == decode_header(real("v2-psk-modp2048#1"))->spi_i);
    const auto& sa = std::get<SaPayload>(ps.at(0));
    REQUIRE(sa.proposals.size() == 1);
    CHECK(sa.proposals[0].transforms.size() == 4);
    CHECK(std::get<KePayload>(ps.at(1)).group == 14);
}

TEST_CASE("strongSwan's IKE_AUTH request is one SK payload whose Next Payload is IDi", "[ike][v2][codec]") {
    RawMessage raw;
    const auto ps = payloads_of(real("v2-psk-modp2048#3"), &raw);
    CHECK(raw.header.exchange == static_cast<std::uint8_t>(ExchangeType::IkeAuth));
    CHECK(raw.header.message_id == 1);
    CHECK(raw.header.next == PayloadType::Sk);
    REQUIRE(raw.chain.payloads.size() == 1);
    CHECK(raw.chain.inner_first == PayloadType::IdI);
    REQUIRE(ps.size() == 1);
    const auto& sk = std::get<SkPayload>(ps[0]);
    CHECK(sk.first_inner == PayloadType::IdI);
    CHECK(sk.body.size() + header_size + 4 == raw.header.length);
    CHECK(describe(ps[0]) == "SK(IDi, " + std::to_string(sk.body.size()) + " bytes)");
}

TEST_CASE("strongSwan's fragmented IKE_AUTH arrives as SKF payloads numbered 1 and 2 of 2", "[ike][v2][codec]") {
    const auto first = payloads_of(real("v2-cert-rsa#3"));
    const auto second = payloads_of(real("v2-cert-rsa#4"));
    REQUIRE(first.size() == 1);
    REQUIRE(second.size() == 1);
    const auto& f1 = std::get<SkfPayload>(first[0]);
    const auto& f2 = std::get<SkfPayload>(second[0]);
    CHECK(f1.fragment_number == 1);
    CHECK(f1.total_fragments == 2);
    CHECK(f1.first_inner == PayloadType::IdI);
    CHECK(f2.fragment_number == 2);
    CHECK(f2.total_fragments == 2);
    CHECK(f2.first_inner == PayloadType::None);  // RFC 7383 2.5
}
