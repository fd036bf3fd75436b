// Delete payload (RFC 7296 3.11) decode, encode and summary.
#include <picsec/ike/v2/payload_delete.h>

#include "wire.h"

namespace picsec::ike::v2 {

DeletePayload decode_delete(codec::Reader& r) {
    DeletePayload p;
    const auto proto = r.u8("Protocol ID");
    const auto spi_size = r.u8("SPI Size");
    const auto count = r.u16("Num of SPIs");
    if (!r.ok()) return p;
    if (proto < 1 || proto > 3) {
        detail::fail(r, "Protocol ID", "unknown", std::to_string(proto), "1..3 (IKE, AH, ESP)");
        return p;
    }
    p.protocol = static_cast<ProtocolId>(proto);
    const bool ike = p.protocol == ProtocolId::Ike;
    if (spi_size != (ike ? 0 : 4)) {
        detail::fail(r, "SPI Size", "not allowed for " + name(p.protocol), std::to_string(spi_size), ike ? "0" : "4");
        return p;
    }
    if (ike ? count != 0 : count == 0) {
        detail::fail(r, "Num of SPIs", "wrong count for " + name(p.protocol), std::to_string(count),
                     ike ? "0" : "at least 1");
        return p;
    }
    if (static_cast<std::size_t>(count) * spi_size != r.remaining()) {
        detail::fail(r, "Num of SPIs", "does not match the payload length",
                     std::to_string(r.remaining()) + " bytes of SPIs",
                     std::to_string(static_cast<std::size_t>(count) * spi_size));
        return p;
    }
    p.spis.reserve(count);
    for (unsigned i = 0; i < count && r.ok(); ++i) p.spis.push_back(r.vec(spi_size, "SPI"));
    return p;
}

void encode(codec::Writer& w, const DeletePayload& p) {
    w.u8(static_cast<std::uint8_t>(p.protocol));
    w.u8(static_cast<std::uint8_t>(p.spis.empty() ? 0 : p.spis.front().size()));
    w.u16(static_cast<std::uint16_t>(p.spis.size()));
    for (const auto& s : p.spis) w.bytes(s);
}

std::string describe(const DeletePayload& p) {
    std::string s = "D(" + name(p.protocol);
    for (const auto& spi : p.spis) s += " " + detail::hex(spi);
    return s + ")";
}

}  // namespace picsec::ike::v2
