// Identification payload (RFC 2407 4.6.2) decode, encode and summary.
#include <picsec/ike/codec/payload_id.h>
#include <picsec/ike/codec/printable.h>

#include "blob.h"

namespace picsec::ike::codec {
namespace {

void require_size(Reader& r, std::size_t need, IdType t) {
    if (r.remaining() != need) {
        r.fail(NotifyType::InvalidIdInformation, "Identification Data",
               std::string(r.payload()) + " Identification Data: wrong size for " + to_string(t) + " (got " +
                   std::to_string(r.remaining()) + " bytes, need " + std::to_string(need) + ")");
    }
}

std::string read_name(Reader& r, IdType t) {
    if (r.empty()) {
        r.fail(NotifyType::InvalidIdInformation, "Identification Data",
               std::string(r.payload()) + " Identification Data: empty " + to_string(t) +
                   " (got 0 bytes, need at least 1)");
        return {};
    }
    auto b = r.rest();
    return std::string(b.begin(), b.end());
}

std::vector<std::uint8_t> read_der(Reader& r, IdType t) {
    if (r.empty()) {
        r.fail(NotifyType::InvalidIdInformation, "Identification Data",
               std::string(r.payload()) + " Identification Data: empty " + to_string(t) +
                   " (got 0 bytes, need at least 1)");
        return {};
    }
    return r.rest_vec();
}

std::string dotted(const Ipv4Address& a) {
    return std::to_string(a.octets[0]) + "." + std::to_string(a.octets[1]) + "." + std::to_string(a.octets[2]) +
           "." + std::to_string(a.octets[3]);
}

std::string colon(const Ipv6Address& a) {
    std::string out;
    for (std::size_t i = 0; i < 16; i += 2) {
        if (i) out += ":";
        out += detail::hex(std::span(a.octets).subspan(i, 2));
    }
    return out;
}

}  // namespace

IdPayload decode_id(Reader& r) {
    IdPayload p;
    const auto raw_type = r.u8("ID Type");
    p.protocol_id = r.u8("Protocol ID");
    p.port = r.u16("Port");
    if (!r.ok()) {
        return p;
    }
    const auto t = static_cast<IdType>(raw_type);
    if (!is_known(t)) {
        r.fail(NotifyType::InvalidIdInformation, "ID Type",
               std::string(r.payload()) + " ID Type: unknown (got " + std::to_string(raw_type) + ", need 1..11)");
        return p;
    }
    switch (t) {
    case IdType::Ipv4Addr:
        require_size(r, 4, t);
        if (r.ok()) p.data = Ipv4Address{r.array<4>("IPv4 address")};
        break;
    case IdType::Ipv4AddrSubnet:
        require_size(r, 8, t);
        if (r.ok()) p.data = Ipv4Subnet{{r.array<4>("IPv4 address")}, {r.array<4>("IPv4 mask")}};
        break;
    case IdType::Ipv4AddrRange:
        require_size(r, 8, t);
        if (r.ok()) p.data = Ipv4Range{{r.array<4>("IPv4 start")}, {r.array<4>("IPv4 end")}};
        break;
    case IdType::Ipv6Addr:
        require_size(r, 16, t);
        if (r.ok()) p.data = Ipv6Address{r.array<16>("IPv6 address")};
        break;
    case IdType::Ipv6AddrSubnet:
        require_size(r, 32, t);
        if (r.ok()) p.data = Ipv6Subnet{{r.array<16>("IPv6 address")}, {r.array<16>("IPv6 mask")}};
        break;
    case IdType::Ipv6AddrRange:
        require_size(r, 32, t);
        if (r.ok()) p.data = Ipv6Range{{r.array<16>("IPv6 start")}, {r.array<16>("IPv6 end")}};
        break;
    case IdType::Fqdn: p.data = Fqdn{read_name(r, t)}; break;
    case IdType::UserFqdn: p.data = UserFqdn{read_name(r, t)}; break;
    case IdType::DerAsn1Dn: p.data = DerAsn1Dn{read_der(r, t)}; break;
    case IdType::DerAsn1Gn: p.data = DerAsn1Gn{read_der(r, t)}; break;
    case IdType::KeyId: p.data = KeyId{read_der(r, t)}; break;
    }
    return p;
}

namespace {
struct DataWriter {
    Writer& w;
    void operator()(const Ipv4Address& a) const { w.bytes(a.octets); }
    void operator()(const Ipv6Address& a) const { w.bytes(a.octets); }
    void operator()(const Ipv4Subnet& s) const { w.bytes(s.address.octets); w.bytes(s.mask.octets); }
    void operator()(const Ipv6Subnet& s) const { w.bytes(s.address.octets); w.bytes(s.mask.octets); }
    void operator()(const Ipv4Range& s) const { w.bytes(s.start.octets); w.bytes(s.end.octets); }
    void operator()(const Ipv6Range& s) const { w.bytes(s.start.octets); w.bytes(s.end.octets); }
    void operator()(const Fqdn& n) const { w.bytes({reinterpret_cast<const std::uint8_t*>(n.name.data()), n.name.size()}); }
    void operator()(const UserFqdn& n) const { w.bytes({reinterpret_cast<const std::uint8_t*>(n.name.data()), n.name.size()}); }
    void operator()(const DerAsn1Dn& d) const { w.bytes(d.der); }
    void operator()(const DerAsn1Gn& d) const { w.bytes(d.der); }
    void operator()(const KeyId& d) const { w.bytes(d.id); }
};

struct DataDescriber {
    std::string operator()(const Ipv4Address& a) const { return dotted(a); }
    std::string operator()(const Ipv6Address& a) const { return colon(a); }
    std::string operator()(const Ipv4Subnet& s) const { return dotted(s.address) + "/" + dotted(s.mask); }
    std::string operator()(const Ipv6Subnet& s) const { return colon(s.address) + "/" + colon(s.mask); }
    std::string operator()(const Ipv4Range& s) const { return dotted(s.start) + "-" + dotted(s.end); }
    std::string operator()(const Ipv6Range& s) const { return colon(s.start) + "-" + colon(s.end); }
    // The peer's names reach logs before it is authenticated: escaped, one line.
    std::string operator()(const Fqdn& n) const { return printable(n.name); }
    std::string operator()(const UserFqdn& n) const { return printable(n.name); }
    std::string operator()(const DerAsn1Dn& d) const { return "der:" + detail::hex(d.der, 24); }
    std::string operator()(const DerAsn1Gn& d) const { return "der:" + detail::hex(d.der, 24); }
    std::string operator()(const KeyId& d) const { return "keyid:" + detail::hex(d.id, 24); }
};
}  // namespace

void encode(Writer& w, const IdPayload& p) {
    w.u8(static_cast<std::uint8_t>(p.id_type()));
    w.u8(p.protocol_id);
    w.u16(p.port);
    std::visit(DataWriter{w}, p.data);
}

std::string describe(const IdData& d) { return std::visit(DataDescriber{}, d); }

std::string describe(const IdPayload& p) {
    return "ID(" + to_string(p.id_type()) + " " + describe(p.data) + " proto=" + std::to_string(p.protocol_id) +
           " port=" + std::to_string(p.port) + ")";
}

}  // namespace picsec::ike::codec
