// libFuzzer target: an IKEv2 datagram read the way the exchanges will read it
// (decode_header, split_chain, decode_payloads) and, with the header's Next
// Payload, the bytes past the header as a decrypted SK body. Whatever decodes
// must re-encode and decode again to the same values, and re-encoding that
// must give the same bytes (the wire form is canonical after one pass: the
// reserved bits and the Critical bit of known payloads are not kept).
#include <picsec/ike/v2/message.h>

#include <cstdint>
#include <cstdlib>
#include <optional>
#include <span>

using namespace picsec::ike::v2;

namespace {

// The chain's typed payloads, or nothing when it does not decode.
std::optional<std::vector<Payload>> payloads_of(PayloadType first, std::span<const std::uint8_t> body) {
    auto chain = split_chain(first, body);
    if (!chain.ok()) {
        if (chain.error().message.empty() || chain.error().payload.empty()) std::abort();
        return std::nullopt;
    }
    auto typed = decode_payloads(chain->payloads);
    if (!typed.ok()) {
        if (typed.error().message.empty() || typed.error().payload.empty()) std::abort();
        return std::nullopt;
    }
    return std::move(typed).value();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const std::uint8_t> in(data, size);
    (void)major_version(in);
    if (auto h = decode_header(in); h.ok()) {
        if (auto p = payloads_of(h->next, in.subspan(header_size))) {
            const auto bytes = encode_message(h.value(), *p);
            auto m = decode_message(bytes);
            if (!m.ok()) std::abort();
            auto again = decode_payloads(m->chain.payloads);
            if (!again.ok() || *again != *p) std::abort();
            auto header = h.value();
            header.next = m->header.next;
            header.length = m->header.length;
            if (m->header != header) std::abort();
            if (encode_message(m->header, *again) != bytes) std::abort();
        }
    } else if (h.error().message.empty()) {
        std::abort();
    }
    // The same bytes past the header as a decrypted inner chain.
    if (size > header_size) {
        const auto first = static_cast<PayloadType>(data[16]);
        if (auto p = payloads_of(first, in.subspan(header_size)); p && !p->empty()) {
            const auto inner = encode_inner(*p);
            const auto again = payloads_of(inner.first, inner.bytes);
            if (!again || *again != *p) std::abort();
        }
    }
    return 0;
}
