// ISAKMP header (RFC 2408 3.1) read, write and summary.
#include <picsec/ike/codec/header.h>

#include "blob.h"

namespace picsec::ike::codec {
namespace {
constexpr std::uint8_t flag_e = 0x01;
constexpr std::uint8_t flag_c = 0x02;
constexpr std::uint8_t flag_a = 0x04;
}  // namespace

Header read_header(Reader& r) {
    Header h;
    h.initiator_cookie = r.array<8>("Initiator Cookie");
    h.responder_cookie = r.array<8>("Responder Cookie");
    h.next_payload = static_cast<PayloadType>(r.u8("Next Payload"));
    const auto version = r.u8("Version");
    const auto exchange = r.u8("Exchange Type");
    const auto flags = r.u8("Flags");
    h.message_id = r.u32("Message ID");
    h.length = r.u32("Length");
    if (!r.ok()) return h;
    h.major_version = version >> 4;
    h.minor_version = version & 0x0f;
    h.exchange_type = static_cast<ExchangeType>(exchange);
    h.encryption = flags & flag_e;
    h.commit = flags & flag_c;
    h.authentication_only = flags & flag_a;
    // RFC 2408 5.1: a major version above ours is rejected; a minor version
    // above ours too (we only speak 1.0).
    if (h.major_version != 1) {
        r.fail(NotifyType::InvalidMajorVersion, "MjVer", "unsupported", std::to_string(h.major_version), "1");
    } else if (h.minor_version != 0) {
        r.fail(NotifyType::InvalidMinorVersion, "MnVer", "unsupported", std::to_string(h.minor_version), "0");
    } else if (!is_known(h.exchange_type) || h.exchange_type == ExchangeType::None) {
        r.fail(NotifyType::InvalidExchangeType, "Exchange Type", "unknown", std::to_string(exchange),
               "1..6, 32 or 33");
    } else if (flags & ~(flag_e | flag_c | flag_a)) {
        r.fail(NotifyType::InvalidFlags, "Flags", "unknown flag bits", std::to_string(flags),
               "only E (1), C (2), A (4)");
    }
    return h;
}

void write_header(Writer& w, const Header& h, std::uint32_t length) {
    w.bytes(h.initiator_cookie);
    w.bytes(h.responder_cookie);
    w.u8(static_cast<std::uint8_t>(h.next_payload));
    w.u8(static_cast<std::uint8_t>((h.major_version << 4) | (h.minor_version & 0x0f)));
    w.u8(static_cast<std::uint8_t>(h.exchange_type));
    w.u8(static_cast<std::uint8_t>((h.encryption ? flag_e : 0) | (h.commit ? flag_c : 0) |
                                   (h.authentication_only ? flag_a : 0)));
    w.u32(h.message_id);
    w.u32(length);
}

std::string describe(const Header& h) {
    std::string flags;
    if (h.encryption) flags += "E";
    if (h.commit) flags += "C";
    if (h.authentication_only) flags += "A";
    char id[11];
    static constexpr char digits[] = "0123456789abcdef";
    id[0] = '0';
    id[1] = 'x';
    for (int i = 0; i < 8; ++i) id[2 + i] = digits[(h.message_id >> (28 - 4 * i)) & 0xf];
    id[10] = '\0';
    return "HDR(" + detail::hex(h.initiator_cookie) + " " + detail::hex(h.responder_cookie) + " " +
           to_string(h.exchange_type) + (flags.empty() ? "" : " flags=" + flags) + " msgid=" + id +
           " len=" + std::to_string(h.length) + ")";
}

}  // namespace picsec::ike::codec
