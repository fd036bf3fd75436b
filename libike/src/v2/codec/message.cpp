// Whole-message helpers over the header and chain codecs.
#include <picsec/ike/v2/message.h>

namespace picsec::ike::v2 {

DecodeResult<RawMessage> decode_message(std::span<const std::uint8_t> datagram) {
    auto h = decode_header(datagram);
    if (!h.ok()) return h.error();
    auto chain = split_chain(h->next, datagram.subspan(header_size));
    if (!chain.ok()) return chain.error();
    return RawMessage{h.value(), std::move(chain).value()};
}

std::vector<std::uint8_t> encode_message(Header header, std::span<const Payload> payloads) {
    header.next = payloads.empty() ? PayloadType::None : payload_type(payloads.front());
    const auto raw = make_payloads(payloads);
    const auto body = encode_chain(raw);
    auto out = encode_header(header, body.size());
    out.insert(out.end(), body.begin(), body.end());
    return out;
}

InnerChain encode_inner(std::span<const Payload> payloads) {
    const auto raw = make_payloads(payloads);
    return InnerChain{payloads.empty() ? PayloadType::None : payload_type(payloads.front()), encode_chain(raw)};
}

}  // namespace picsec::ike::v2
