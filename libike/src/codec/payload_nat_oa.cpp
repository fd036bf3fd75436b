// NAT-OA payload (RFC 3947 5.2) decode, encode and summary.
#include <picsec/ike/codec/payload_nat_oa.h>

namespace picsec::ike::codec {

NatOaPayload decode_nat_oa(Reader& r) {
    NatOaPayload p;
    const auto t = r.u8("ID Type");
    const auto res1 = r.u8("RESERVED");
    const auto res2 = r.u16("RESERVED");
    if (!r.ok()) return p;
    if (res1 != 0 || res2 != 0) {
        r.fail(NotifyType::PayloadMalformed, "RESERVED", "not zero",
               std::to_string(res1) + "/" + std::to_string(res2), "0");
        return p;
    }
    const auto id = static_cast<IdType>(t);
    const std::size_t need = id == IdType::Ipv4Addr ? 4 : id == IdType::Ipv6Addr ? 16 : 0;
    if (need == 0) {
        r.fail(NotifyType::InvalidIdInformation, "ID Type", "not an address type", std::to_string(t),
               "1 (ID_IPV4_ADDR) or 5 (ID_IPV6_ADDR)");
        return p;
    }
    if (r.remaining() != need) {
        r.fail(NotifyType::PayloadMalformed, "address", "wrong size", std::to_string(r.remaining()) + " bytes",
               std::to_string(need));
        return p;
    }
    if (need == 4) {
        p.address = Ipv4Address{r.array<4>("address")};
    } else {
        p.address = Ipv6Address{r.array<16>("address")};
    }
    return p;
}

void encode(Writer& w, const NatOaPayload& p) {
    const bool v4 = p.address.index() == 0;
    w.u8(static_cast<std::uint8_t>(v4 ? IdType::Ipv4Addr : IdType::Ipv6Addr));
    w.u8(0);
    w.u16(0);
    std::visit([&w](const auto& a) { w.bytes(a.octets); }, p.address);
}

std::string describe(const NatOaPayload& p) {
    return "NAT-OA(" + std::visit([](const auto& a) { return describe(IdData{a}); }, p.address) + ")";
}

}  // namespace picsec::ike::codec
