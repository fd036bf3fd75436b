// Notify payload (RFC 7296 3.10) decode, encode and summary.
#include <picsec/ike/v2/payload_notify.h>

#include "wire.h"

namespace picsec::ike::v2 {

NotifyPayload decode_notify(codec::Reader& r) {
    NotifyPayload p;
    p.protocol = static_cast<ProtocolId>(r.u8("Protocol ID"));
    const auto spi_size = r.u8("SPI Size");
    p.type = r.u16("Notify Message Type");
    if (!r.ok()) return p;
    if (spi_size != 0 && spi_size != 4 && spi_size != 8) {
        detail::fail(r, "SPI Size", "not an IKE, AH or ESP SPI size", std::to_string(spi_size), "0, 4 or 8");
        return p;
    }
    p.spi = r.vec(spi_size, "SPI");
    p.data = r.rest_vec();
    return p;
}

void encode(codec::Writer& w, const NotifyPayload& p) {
    w.u8(static_cast<std::uint8_t>(p.protocol));
    w.u8(static_cast<std::uint8_t>(p.spi.size()));
    w.u16(p.type);
    w.bytes(p.spi);
    w.bytes(p.data);
}

std::string describe(const NotifyPayload& p) {
    std::string s = "N(" + name(p.notify());
    if (!p.spi.empty()) s += " " + name(p.protocol) + " spi=" + detail::hex(p.spi);
    return s + ")";
}

}  // namespace picsec::ike::v2
