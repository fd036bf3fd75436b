// decode(encode(x)) == x for every IKEv2 payload type, over hand-built values
// and the payloads of the real strongSwan messages.
#include <catch2/catch.hpp>

#include "codec2_support.h"

using namespace picsec::ike::v2;
using namespace picsec::ike::v2::test;

namespace {

std::vector<std::uint8_t> bytes(std::size_t n, std::uint8_t seed) {
    std::vector<std::uint8_t> out(n);
    for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::uint8_t>(seed + 7 * i);
    return out;
}

// One value of every alternative, with the optional parts both present and absent.
std::vector<Payload> every_payload() {
    SaPayload sa;
    sa.proposals.push_back(Proposal{1, ProtocolId::Ike, {},
                                    {{TransformType::Encr, 20, 256}, {TransformType::Prf, 7, std::nullopt},
                                     {TransformType::Dh, 19, std::nullopt}}});
    sa.proposals.push_back(Proposal{2, ProtocolId::Ike, bytes(8, 1), {{TransformType::Encr, 12, 128}}});
    sa.proposals.push_back(Proposal{3, ProtocolId::Esp, bytes(4, 2),
                                    {{TransformType::Encr, 12, 256}, {TransformType::Integ, 12, std::nullopt},
                                     {TransformType::Esn, 0, std::nullopt}}});
    SaPayload ah{{Proposal{4, ProtocolId::Ah, bytes(4, 3), {{TransformType::Integ, 2, std::nullopt}}}}};
    TsPayload tsi{true, {TrafficSelector{0, 0, 65535, picsec::Ipv4Address{{10, 1, 0, 0}},
                                         picsec::Ipv4Address{{10, 1, 255, 255}}}}};
    TsPayload tsr{false, {TrafficSelector{6, 443, 443, picsec::Ipv4Address{{192, 0, 2, 1}},
                                          picsec::Ipv4Address{{192, 0, 2, 1}}},
                          TrafficSelector{17, 500, 4500, picsec::Ipv4Address{{0, 0, 0, 0}},
                                          picsec::Ipv4Address{{255, 255, 255, 255}}}}};
    return {
        sa,
        ah,
        KePayload{14, bytes(256, 4)},
        IdPayload{true, IdType::Fqdn, {'m', 'o', 'o', 'n'}},
        IdPayload{false, IdType::Ipv4Addr, {192, 0, 2, 7}},
        IdPayload{true, static_cast<IdType>(200), {1}},  // unknown type kept raw
        CertPayload{4, bytes(300, 5)},
        CertReqPayload{4, bytes(40, 6)},
        CertReqPayload{4, {}},
        AuthPayload{AuthMethod::SharedKeyMic, bytes(32, 7)},
        AuthPayload{AuthMethod::DigitalSignature, bytes(270, 8)},
        NoncePayload{bytes(16, 9)},
        NoncePayload{bytes(256, 10)},
        NotifyPayload{ProtocolId::None, {}, static_cast<std::uint16_t>(NotifyType::NatDetectionSourceIp),
                      bytes(20, 11)},
        NotifyPayload{ProtocolId::Esp, bytes(4, 12), static_cast<std::uint16_t>(NotifyType::RekeySa), {}},
        NotifyPayload{ProtocolId::Ike, bytes(8, 13), static_cast<std::uint16_t>(NotifyType::InvalidIkeSpi), {}},
        NotifyPayload{ProtocolId::None, {}, 40000, bytes(3, 14)},  // unknown status type
        DeletePayload{ProtocolId::Ike, {}},
        DeletePayload{ProtocolId::Esp, {bytes(4, 15), bytes(4, 16)}},
        VendorIdPayload{bytes(16, 17)},
        VendorIdPayload{{}},
        tsi,
        tsr,
        SkPayload{PayloadType::IdI, bytes(80, 18)},
        SkfPayload{PayloadType::IdI, 1, 3, bytes(100, 19)},
        SkfPayload{PayloadType::None, 3, 3, bytes(10, 20)},
    };
}

}  // namespace

TEST_CASE("every payload type decodes back to the value it was encoded from", "[ike][v2][codec]") {
    for (const auto& p : every_payload()) {
        INFO(describe(p));
        const auto raw = make_payload(p);
        CHECK(raw.type == static_cast<std::uint8_t>(payload_type(p)));
        CHECK_FALSE(raw.critical);
        auto back = decode_payload(raw);
        INFO((back.ok() ? std::string() : to_string(back.error())));
        REQUIRE(back.ok());
        CHECK(back.value() == p);
    }
}

TEST_CASE("a message of every non-SK payload type round-trips through encode_message and decode_message",
          "[ike][v2][codec]") {
    std::vector<Payload> ps;
    for (auto& p : every_payload())
        if (!std::holds_alternative<SkPayload>(p) && !std::holds_alternative<SkfPayload>(p)) ps.push_back(p);
    Header h;
    h.spi_i = IkeSpi{1, 2, 3, 4, 5, 6, 7, 8};
    h.exchange = static_cast<std::uint8_t>(ExchangeType::CreateChildSa);
    h.initiator = true;
    h.message_id = 7;
    const auto bytes = encode_message(h, ps);
    CHECK(major_version(bytes) == 2);
    auto m = decode_message(bytes);
    REQUIRE(m.ok());
    CHECK(m->header.next == PayloadType::Sa);
    CHECK(m->header.length == bytes.size());
    CHECK(m->header.initiator);
    CHECK_FALSE(m->header.response);
    CHECK(m->header.message_id == 7);
    auto back = decode_payloads(m->chain.payloads);
    REQUIRE(back.ok());
    CHECK(back.value() == ps);
}

TEST_CASE("an SK payload ends the chain and carries the inner chain's first type", "[ike][v2][codec]") {
    // HDR, SK {IDi, AUTH, SA, TSi, TSr}
    const std::vector<Payload> inner{IdPayload{true, IdType::Fqdn, {'s', 'u', 'n'}},
                                     AuthPayload{AuthMethod::SharedKeyMic, bytes(32, 1)},
                                     NoncePayload{bytes(32, 2)}};
    const auto plain = encode_inner(inner);
    CHECK(plain.first == PayloadType::IdI);
    auto split = split_chain(plain.first, plain.bytes);
    REQUIRE(split.ok());
    CHECK(decode_payloads(split->payloads).value() == inner);

    Header h;
    h.exchange = static_cast<std::uint8_t>(ExchangeType::IkeAuth);
    h.message_id = 1;
    const std::vector<Payload> outer{NotifyPayload{ProtocolId::None, {}, 16384, {}},
                                     SkPayload{plain.first, plain.bytes}};  // stands in for the ciphertext
    const auto msg = encode_message(h, outer);
    auto m = decode_message(msg);
    REQUIRE(m.ok());
    CHECK(m->chain.inner_first == PayloadType::IdI);
    CHECK(decode_payloads(m->chain.payloads).value() == outer);
}

TEST_CASE("the payloads of every captured message decode back to themselves after re-encoding",
          "[ike][v2][codec]") {
    for (const auto& m : real_messages()) {
        INFO(m.name);
        auto raw = decode_message(m.bytes);
        REQUIRE(raw.ok());
        auto ps = decode_payloads(raw->chain.payloads);
        REQUIRE(ps.ok());
        for (const auto& p : ps.value()) {
            auto again = decode_payload(make_payload(p));
            REQUIRE(again.ok());
            CHECK(again.value() == p);
        }
    }
}

TEST_CASE("names of IKEv2 numbers follow the RFC, unknown numbers print as numbers", "[ike][v2][codec]") {
    CHECK(name(NotifyType::NoProposalChosen) == "NO_PROPOSAL_CHOSEN");
    CHECK(name(NotifyType::Ikev2FragmentationSupported) == "IKEV2_FRAGMENTATION_SUPPORTED");
    CHECK(name(static_cast<NotifyType>(12345)) == "12345");
    CHECK(name(PayloadType::Sa) == "SA");
    CHECK(name(static_cast<PayloadType>(99)) == "99");
    CHECK(name(ExchangeType::IkeSaInit) == "IKE_SA_INIT");
    CHECK(name(static_cast<ExchangeType>(40)) == "40");
    CHECK(describe(Payload{NotifyPayload{ProtocolId::None, {}, 16388, {}}}) == "N(NAT_DETECTION_SOURCE_IP)");
    CHECK(describe(Payload{DeletePayload{ProtocolId::Esp, {{0xc0, 0xff, 0xee, 0x01}}}}) == "D(ESP c0ffee01)");
}
