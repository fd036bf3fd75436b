// Message and payload chain decode / encode (RFC 2408 3.1, 3.2; RFC 2409 5.3).
#include <picsec/ike/codec/message.h>

#include <algorithm>

#include "generic_header.h"

#include <picsec/ike/codec/raw_payload.h>

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

DecodeResult<std::vector<Payload>> decode_payload_chain(PayloadType first, std::span<const std::uint8_t> body,
                                                        bool allow_padding) {
    std::vector<Payload> out;
    std::span<const std::uint8_t> rest;
    auto e = detail::walk_chain(first, body, true, [&](RawPayload&& raw) -> std::optional<DecodeError> {
        auto p = decode_payload(raw.type, raw.body);
        if (!p.ok()) return p.error();
        out.push_back(std::move(p).value());
        return std::nullopt;
    }, rest);
    if (e) return *e;
    // RFC 2409 5.3: a decrypted body may end in zero padding.
    const bool zeros = std::all_of(rest.begin(), rest.end(), [](std::uint8_t b) { return b == 0; });
    if (!rest.empty() && !(allow_padding && zeros))
        return detail::trailing_bytes(out.empty() ? std::string("payload chain") : short_name(payload_type(out.back())),
                                      rest.size(), allow_padding);
    return out;
}

DecodeResult<Message> decode_message(std::span<const std::uint8_t> datagram) {
    auto h = decode_header(datagram);
    if (!h.ok()) return h.error();
    if (h->encryption) {
        return DecodeError{NotifyType::InvalidFlags, "ISAKMP header", "Flags",
                           "ISAKMP header Flags: body is encrypted (got E set, need it clear for a plain decode)"};
    }
    auto chain = decode_payload_chain(h->next_payload, datagram.subspan(header_size), false);
    if (!chain.ok()) return chain.error();
    return Message{h.value(), std::move(chain).value()};
}

namespace {

void write_chain(Writer& w, std::span<const Payload> payloads) {
    detail::write_chain(w, payloads, [](const Payload& p) { return payload_type(p); },
                        [&w](const Payload& p) { encode_body(w, p); });
}

}  // namespace

std::vector<std::uint8_t> encode_payload_chain(std::span<const Payload> payloads) {
    Writer w;
    write_chain(w, payloads);
    return w.take();
}

std::vector<std::uint8_t> encode_header(const Header& header, std::size_t body_size) {
    if (body_size > 0xffffffffu - header_size) throw EncodeError("ISAKMP Length: message too long");
    Writer w;
    write_header(w, header, static_cast<std::uint32_t>(header_size + body_size));
    return w.take();
}

std::vector<std::uint8_t> encode_message(const Header& header, std::span<const Payload> payloads) {
    Header h = header;
    h.next_payload = payloads.empty() ? PayloadType::None : payload_type(payloads.front());
    Writer w;
    write_header(w, h, 0);
    write_chain(w, payloads);
    const auto size = w.size();
    if (size > 0xffffffffu) throw EncodeError("ISAKMP Length: message too long");
    w.patch_u32(24, static_cast<std::uint32_t>(size));
    return w.take();
}

std::string describe(const Message& m) {
    std::string s = describe(m.header);
    for (const auto& p : m.payloads) s += "\n  " + describe(p);
    return s;
}

}  // namespace picsec::ike::codec
