// Proposal payload (RFC 2408 3.5) decode with its Transform chain, encode, summary.
#include <picsec/ike/codec/limits.h>
#include <picsec/ike/codec/payload_proposal.h>

#include "blob.h"
#include "generic_header.h"

namespace picsec::ike::codec {
namespace {

// RFC 2407 4.6.1 / RFC 2409 5: SPI sizes by protocol. ISAKMP may carry the
// 16 cookie bytes (RFC 2408 2.4) but IKE sends none; IPCOMP uses a 2-byte CPI,
// sent in 2 or 4 bytes (RFC 2393 4.1).
bool spi_size_allowed(ProtocolId p, std::size_t n) {
    switch (p) {
    case ProtocolId::Isakmp: return n == 0 || n == 16;
    case ProtocolId::IpsecAh:
    case ProtocolId::IpsecEsp: return n == 4;
    case ProtocolId::Ipcomp: return n == 2 || n == 4;
    case ProtocolId::Reserved: return false;
    }
    return false;
}

}  // namespace

Proposal decode_proposal(Reader& r) {
    Proposal p;
    p.number = r.u8("Proposal #");
    const auto proto = r.u8("Protocol-Id");
    const auto spi_size = r.u8("SPI Size");
    const auto count = r.u8("# of Transforms");
    if (!r.ok()) return p;
    p.protocol = static_cast<ProtocolId>(proto);
    if (!is_known(p.protocol) || p.protocol == ProtocolId::Reserved) {
        r.fail(NotifyType::InvalidProtocolId, "Protocol-Id", "unknown", std::to_string(proto), "1..4");
        return p;
    }
    if (!spi_size_allowed(p.protocol, spi_size)) {
        r.fail(NotifyType::InvalidSpi, "SPI Size", "not allowed for " + to_string(p.protocol),
               std::to_string(spi_size), p.protocol == ProtocolId::Isakmp ? "0 or 16"
                                         : p.protocol == ProtocolId::Ipcomp ? "2 or 4" : "4");
        return p;
    }
    p.spi = r.vec(spi_size, "SPI");
    if (count == 0) {
        r.fail(NotifyType::BadProposalSyntax, "# of Transforms", "no transforms", "0", "at least 1");
        return p;
    }
    if (count > max_transforms_per_proposal) {
        r.fail(NotifyType::PayloadMalformed, "# of Transforms", "too many transforms", std::to_string(count),
               "at most " + std::to_string(max_transforms_per_proposal));
        return p;
    }
    p.transforms.reserve(count);
    std::uint8_t next = static_cast<std::uint8_t>(PayloadType::Transform);
    while (r.ok() && next != static_cast<std::uint8_t>(PayloadType::None)) {
        if (next != static_cast<std::uint8_t>(PayloadType::Transform)) {
            r.fail(NotifyType::BadProposalSyntax, "Next Payload", "not a Transform inside a Proposal",
                   std::to_string(next), "3 (Transform) or 0");
            break;
        }
        if (p.transforms.size() == count) {
            r.fail(NotifyType::BadProposalSyntax, "# of Transforms", "more transforms than announced",
                   "more than " + std::to_string(count), std::to_string(count));
            break;
        }
        auto g = detail::read_generic(r, "Transform");
        if (!r.ok()) break;
        auto t = decode_transform(g.body);
        g.body.expect_end();
        if (!g.body.ok()) {
            r.fail(g.body.error());
            break;
        }
        p.transforms.push_back(std::move(t));
        next = g.next;
    }
    if (r.ok() && p.transforms.size() != count) {
        r.fail(NotifyType::BadProposalSyntax, "# of Transforms", "fewer transforms than announced",
               std::to_string(p.transforms.size()), std::to_string(count));
    }
    return p;
}

void encode(Writer& w, const Proposal& p) {
    if (p.spi.size() > 255) throw EncodeError("Proposal SPI: longer than 255 bytes");
    if (p.transforms.empty() || p.transforms.size() > 255) throw EncodeError("Proposal: needs 1..255 transforms");
    w.u8(p.number);
    w.u8(static_cast<std::uint8_t>(p.protocol));
    w.u8(static_cast<std::uint8_t>(p.spi.size()));
    w.u8(static_cast<std::uint8_t>(p.transforms.size()));
    w.bytes(p.spi);
    for (std::size_t i = 0; i < p.transforms.size(); ++i) {
        const bool last = i + 1 == p.transforms.size();
        const auto start = w.size();
        const auto len = detail::begin_generic(
            w, static_cast<std::uint8_t>(last ? PayloadType::None : PayloadType::Transform));
        encode(w, p.transforms[i]);
        w.end_length16(len, start, "Transform");
    }
}

std::string describe(const Proposal& p) {
    std::string s = "P#" + std::to_string(p.number) + " " + to_string(p.protocol);
    if (!p.spi.empty()) s += " spi=" + detail::hex(p.spi);
    for (const auto& t : p.transforms) s += " " + describe(t, p.protocol);
    return s;
}

}  // namespace picsec::ike::codec
