// Delete payload (RFC 2408 3.15) decode, encode and summary.
#include <picsec/ike/codec/payload_delete.h>

#include "blob.h"

namespace picsec::ike::codec {

DeletePayload decode_delete(Reader& r) {
    DeletePayload p;
    p.doi = r.u32("DOI");
    const auto proto = r.u8("Protocol-Id");
    p.spi_size = r.u8("SPI Size");
    const auto count = r.u16("# of SPIs");
    if (!r.ok()) return p;
    if (p.doi != ipsec_doi && p.doi != isakmp_doi) {
        r.fail(NotifyType::DoiNotSupported, "DOI", "unsupported", std::to_string(p.doi), "0 or 1");
        return p;
    }
    p.protocol = static_cast<ProtocolId>(proto);
    if (!is_known(p.protocol)) {
        r.fail(NotifyType::InvalidProtocolId, "Protocol-Id", "unknown", std::to_string(proto), "0..4");
        return p;
    }
    if (p.spi_size == 0 || count == 0) {
        r.fail(NotifyType::PayloadMalformed, p.spi_size == 0 ? "SPI Size" : "# of SPIs", "nothing to delete",
               "SPI size " + std::to_string(p.spi_size) + " x " + std::to_string(count) + " SPIs",
               "at least one SPI of at least one byte");
        return p;
    }
    const std::size_t need = std::size_t{p.spi_size} * count;
    if (need != r.remaining()) {
        r.fail(NotifyType::PayloadMalformed, "# of SPIs", "SPIs do not fill the payload",
               std::to_string(r.remaining()) + " bytes", std::to_string(count) + " x " +
                   std::to_string(p.spi_size) + " = " + std::to_string(need));
        return p;
    }
    p.spis.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        p.spis.push_back(r.vec(p.spi_size, "SPI"));
    }
    return p;
}

void encode(Writer& w, const DeletePayload& p) {
    if (p.spis.size() > 0xffff) throw EncodeError("Delete # of SPIs: more than 65535");
    w.u32(p.doi);
    w.u8(static_cast<std::uint8_t>(p.protocol));
    w.u8(p.spi_size);
    w.u16(static_cast<std::uint16_t>(p.spis.size()));
    for (const auto& spi : p.spis) {
        if (spi.size() != p.spi_size) throw EncodeError("Delete SPI: size differs from SPI Size");
        w.bytes(spi);
    }
}

std::string describe(const DeletePayload& p) {
    std::string s = "D(" + to_string(p.protocol);
    for (const auto& spi : p.spis) s += " " + detail::hex(spi);
    return s + ")";
}

}  // namespace picsec::ike::codec
