// Notification payload (RFC 2408 3.14) decode, encode and summary.
#include <picsec/ike/codec/payload_notify.h>

#include "blob.h"

namespace picsec::ike::codec {

NotifyPayload decode_notify(Reader& r) {
    NotifyPayload p;
    p.doi = r.u32("DOI");
    const auto proto = r.u8("Protocol-ID");
    const auto spi_size = r.u8("SPI Size");
    p.notify_type = static_cast<NotifyType>(r.u16("Notify Message Type"));
    if (!r.ok()) return p;
    // RFC 2408 3.14: DOI 0 (ISAKMP) is allowed for phase 1 notifications.
    if (p.doi != ipsec_doi && p.doi != isakmp_doi) {
        r.fail(NotifyType::DoiNotSupported, "DOI", "unsupported", std::to_string(p.doi), "0 or 1");
        return p;
    }
    p.protocol = static_cast<ProtocolId>(proto);
    if (!is_known(p.protocol)) {
        r.fail(NotifyType::InvalidProtocolId, "Protocol-ID", "unknown", std::to_string(proto), "0..4");
        return p;
    }
    if (spi_size > r.remaining()) {
        r.fail(NotifyType::PayloadMalformed, "SPI Size", "longer than the payload", std::to_string(spi_size),
               "at most " + std::to_string(r.remaining()));
        return p;
    }
    p.spi = r.vec(spi_size, "SPI");
    p.data = r.rest_vec();
    return p;
}

void encode(Writer& w, const NotifyPayload& p) {
    if (p.spi.size() > 255) throw EncodeError("Notify SPI: longer than 255 bytes");
    w.u32(p.doi);
    w.u8(static_cast<std::uint8_t>(p.protocol));
    w.u8(static_cast<std::uint8_t>(p.spi.size()));
    w.u16(static_cast<std::uint16_t>(p.notify_type));
    w.bytes(p.spi);
    w.bytes(p.data);
}

std::string describe(const NotifyPayload& p) {
    std::string s = "N(" + to_string(p.notify_type) + " " + to_string(p.protocol);
    if (!p.spi.empty()) s += " spi=" + detail::hex(p.spi);
    if (!p.data.empty()) s += " data=" + detail::hex(p.data, 16);
    return s + ")";
}

}  // namespace picsec::ike::codec
