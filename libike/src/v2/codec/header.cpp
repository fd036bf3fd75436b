// IKE header (RFC 7296 3.1) decode and encode, DecodeError rendering.
#include <picsec/ike/v2/header.h>

#include "wire.h"

namespace picsec::ike::v2 {
namespace {

constexpr std::uint8_t flag_initiator = 0x08;
constexpr std::uint8_t flag_version = 0x10;
constexpr std::uint8_t flag_response = 0x20;

DecodeError header_error(NotifyType notify, std::string field, std::string why, const std::string& got,
                         const std::string& need) {
    std::string message = "IKE header " + field + ": " + why + " (got " + got + ", need " + need + ")";
    return DecodeError{notify, "IKE header", std::move(field), std::move(message)};
}

}  // namespace

std::string to_string(const DecodeError& e) { return name(e.notify) + ": " + e.message; }

std::optional<int> major_version(std::span<const std::uint8_t> datagram) {
    if (datagram.size() < header_size) return std::nullopt;
    return datagram[17] >> 4;
}

DecodeResult<Header> decode_header(std::span<const std::uint8_t> datagram) {
    if (datagram.size() < header_size) {
        return header_error(NotifyType::InvalidSyntax, "Length", "truncated",
                            std::to_string(datagram.size()) + " bytes", std::to_string(header_size));
    }
    detail::Reader r(datagram, "IKE header");
    Header h;
    h.spi_i = r.array<8>("IKE SA Initiator's SPI");
    h.spi_r = r.array<8>("IKE SA Responder's SPI");
    h.next = static_cast<PayloadType>(r.u8("Next Payload"));
    const auto version = r.u8("Version");
    h.exchange = r.u8("Exchange Type");
    const auto flags = r.u8("Flags");
    h.message_id = r.u32("Message ID");
    h.length = r.u32("Length");
    // RFC 7296 2.5: a higher major version is answered INVALID_MAJOR_VERSION;
    // IKEv1 (1) never gets here when the engine dispatches with major_version().
    if ((version >> 4) != 2) {
        return header_error(NotifyType::InvalidMajorVersion, "MjVer", "not IKEv2",
                            std::to_string(version >> 4), "2");
    }
    if (h.length != datagram.size()) {
        return header_error(NotifyType::InvalidSyntax, "Length", "not the datagram's size",
                            std::to_string(h.length), std::to_string(datagram.size()));
    }
    h.initiator = (flags & flag_initiator) != 0;
    h.version = (flags & flag_version) != 0;
    h.response = (flags & flag_response) != 0;
    return h;
}

std::vector<std::uint8_t> encode_header(const Header& h, std::size_t body_size) {
    detail::Writer w;
    w.bytes(h.spi_i);
    w.bytes(h.spi_r);
    w.u8(static_cast<std::uint8_t>(h.next));
    w.u8(0x20);  // MjVer 2, MnVer 0
    w.u8(h.exchange);
    w.u8(static_cast<std::uint8_t>((h.initiator ? flag_initiator : 0) | (h.version ? flag_version : 0) |
                                   (h.response ? flag_response : 0)));
    w.u32(h.message_id);
    w.u32(static_cast<std::uint32_t>(header_size + body_size));
    return w.take();
}

}  // namespace picsec::ike::v2
