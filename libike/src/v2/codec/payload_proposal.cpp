// Proposal substructure (RFC 7296 3.3.1) decode with its transforms, encode, summary.
#include <picsec/ike/v2/error.h>
#include <picsec/ike/v2/payload_proposal.h>

#include "wire.h"

namespace picsec::ike::v2 {
namespace {

// RFC 7296 3.3.2 Last Substruc of a transform: 0 for the last, 3 otherwise.
constexpr std::uint8_t more_transforms = 3;

bool spi_size_allowed(ProtocolId p, std::size_t n) {
    switch (p) {
    case ProtocolId::Ike: return n == 0 || n == 8;
    case ProtocolId::Ah:
    case ProtocolId::Esp: return n == 4;
    case ProtocolId::None: return false;
    }
    return false;
}

}  // namespace

Proposal decode_proposal(codec::Reader& r) {
    Proposal p;
    p.number = r.u8("Proposal Num");
    const auto proto = r.u8("Protocol ID");
    const auto spi_size = r.u8("SPI Size");
    const auto count = r.u8("Num Transforms");
    if (!r.ok()) return p;
    if (proto < 1 || proto > 3) {
        detail::fail(r, "Protocol ID", "unknown", std::to_string(proto), "1..3 (IKE, AH, ESP)");
        return p;
    }
    p.protocol = static_cast<ProtocolId>(proto);
    if (!spi_size_allowed(p.protocol, spi_size)) {
        detail::fail(r, "SPI Size", "not allowed for " + name(p.protocol), std::to_string(spi_size),
                     p.protocol == ProtocolId::Ike ? "0 or 8" : "4");
        return p;
    }
    p.spi = r.vec(spi_size, "SPI");
    if (count == 0 || count > max_transforms_per_proposal) {
        detail::fail(r, "Num Transforms", "out of range", std::to_string(count),
                     "1.." + std::to_string(max_transforms_per_proposal));
        return p;
    }
    p.transforms.reserve(count);
    std::uint8_t last = more_transforms;
    while (r.ok() && last == more_transforms) {
        if (p.transforms.size() == count) {
            detail::fail(r, "Num Transforms", "more transforms than announced",
                         "more than " + std::to_string(count), std::to_string(count));
            break;
        }
        auto g = detail::read_generic(r, "Transform", "Transform Length");
        if (!r.ok()) break;
        if (g.next != 0 && g.next != more_transforms) {
            detail::fail(r, "Last Substruc", "not 0 or 3 in a transform", std::to_string(g.next), "0 or 3");
            break;
        }
        auto t = decode_transform(g.body);
        g.body.expect_end();
        if (!g.body.ok()) {
            r.fail(g.body.error());
            break;
        }
        p.transforms.push_back(t);
        last = g.next;
    }
    if (r.ok() && p.transforms.size() != count) {
        detail::fail(r, "Num Transforms", "fewer transforms than announced", std::to_string(p.transforms.size()),
                     std::to_string(count));
    }
    return p;
}

void encode(codec::Writer& w, const Proposal& p) {
    w.u8(p.number);
    w.u8(static_cast<std::uint8_t>(p.protocol));
    w.u8(static_cast<std::uint8_t>(p.spi.size()));
    w.u8(static_cast<std::uint8_t>(p.transforms.size()));
    w.bytes(p.spi);
    for (std::size_t i = 0; i < p.transforms.size(); ++i) {
        const auto start = w.size();
        const auto len = detail::begin_generic(w, i + 1 < p.transforms.size() ? more_transforms : 0, false);
        encode(w, p.transforms[i]);
        w.end_length16(len, start, "Transform");
    }
}

std::string describe(const Proposal& p) {
    std::string s = "#" + std::to_string(p.number) + " " + name(p.protocol);
    if (!p.spi.empty()) s += " spi=" + detail::hex(p.spi);
    s += " [";
    for (std::size_t i = 0; i < p.transforms.size(); ++i) {
        if (i) s += ", ";
        s += describe(p.transforms[i]);
    }
    return s + "]";
}

}  // namespace picsec::ike::v2
