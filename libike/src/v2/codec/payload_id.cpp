// ID payloads (RFC 7296 3.5) decode, encode and summary.
#include <picsec/ike/codec/printable.h>
#include <picsec/ike/v2/payload_id.h>

#include "wire.h"

namespace picsec::ike::v2 {

IdPayload decode_id(codec::Reader& r, bool initiator) {
    IdPayload p;
    p.initiator = initiator;
    p.type = static_cast<IdType>(r.u8("ID Type"));
    r.bytes(3, "RESERVED");
    if (!r.ok()) return p;
    // An unknown ID Type matches no case and is kept raw, at least 1 byte.
    std::size_t min = 1;
    std::size_t max = 0xffff;
    switch (p.type) {
    case IdType::Ipv4Addr: min = max = 4; break;
    case IdType::Ipv6Addr: min = max = 16; break;
    case IdType::Fqdn:
    case IdType::Rfc822Addr:
    case IdType::DerAsn1Dn:
    case IdType::DerAsn1Gn:
    case IdType::KeyId: break;
    }
    p.data = detail::read_data(r, "Identification Data", min, max);
    return p;
}

void encode(codec::Writer& w, const IdPayload& p) {
    w.u8(static_cast<std::uint8_t>(p.type));
    w.u8(0);
    w.u16(0);
    w.bytes(p.data);
}

std::string describe(const IdPayload& p) {
    std::string value = detail::hex(p.data);  // also for an unknown ID Type
    switch (p.type) {
    case IdType::Ipv4Addr:
        value.clear();
        for (std::size_t i = 0; i < p.data.size(); ++i) value += (i ? "." : "") + std::to_string(p.data[i]);
        break;
    case IdType::Fqdn:
    case IdType::Rfc822Addr:
        value = codec::printable(std::string_view(reinterpret_cast<const char*>(p.data.data()), p.data.size()));
        break;
    case IdType::Ipv6Addr:
    case IdType::DerAsn1Dn:
    case IdType::DerAsn1Gn:
    case IdType::KeyId: break;
    }
    return std::string(p.initiator ? "IDi(" : "IDr(") + name(p.type) + " " + value + ")";
}

}  // namespace picsec::ike::v2
