// The ISAKMP header of a datagram: decode with its length checks, encode
// before a built body (RFC 2408 3.1).
#include <picsec/ike/codec/message.h>

namespace picsec::ike::codec {

DecodeResult<Header> decode_header(std::span<const std::uint8_t> datagram) {
    Reader r(datagram, "ISAKMP header");
    auto h = read_header(r);
    if (!r.ok()) return r.error();
    if (h.length < header_size) {
        r.fail(NotifyType::PayloadMalformed, "Length", "shorter than the header", std::to_string(h.length),
               "at least 28");
    } else if (h.length > datagram.size()) {
        r.fail(NotifyType::PayloadMalformed, "Length", "message truncated", std::to_string(h.length),
               "at most the datagram size " + std::to_string(datagram.size()));
    } else if (h.length < datagram.size()) {
        r.fail(NotifyType::PayloadMalformed, "Length", "trailing bytes after the message",
               std::to_string(h.length), "the datagram size " + std::to_string(datagram.size()));
    }
    if (!r.ok()) return r.error();
    return h;
}

std::vector<std::uint8_t> encode_header(const Header& header, std::size_t body_size) {
    if (body_size > 0xffffffffu - header_size) throw EncodeError("ISAKMP Length: message too long");
    Writer w;
    write_header(w, header, static_cast<std::uint32_t>(header_size + body_size));
    return w.take();
}

}  // namespace picsec::ike::codec
