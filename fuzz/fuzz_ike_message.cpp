// libFuzzer target: a datagram read the way the exchanges read it
// (decode_header, split_chain, decode_body through decode_payload) and, with
// the header's Next Payload, the bytes past the header as a decrypted body;
// whatever decodes must re-encode and decode again to the same value.
#include <picsec/ike/codec/message.h>
#include <picsec/ike/codec/payload.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <span>

using namespace picsec::ike::codec;

namespace {

// The chain's typed payloads, or nothing when a payload does not decode.
std::optional<std::vector<Payload>> payloads_of(PayloadType first, std::span<const std::uint8_t> body, bool padded) {
    auto chain = split_chain(first, body, padded);
    if (!chain.ok()) {
        if (chain.error().message.empty()) std::abort();
        return std::nullopt;
    }
    auto typed = decode_payloads(chain.value());
    if (!typed.ok()) return std::nullopt;
    return std::move(typed).value();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const std::uint8_t> in(data, size);
    if (auto h = decode_header(in); h.ok()) {
        if (auto p = payloads_of(h->next_payload, in.subspan(header_size), false)) {
            // a plain message re-encodes byte-identically
            const auto body = encode_chain(make_payloads(*p));
            auto bytes = encode_header(h.value(), body.size());
            bytes.insert(bytes.end(), body.begin(), body.end());
            if (bytes.size() != size || !std::equal(bytes.begin(), bytes.end(), data)) std::abort();
        }
    } else if (h.error().message.empty()) {
        std::abort();
    }
    // The same bytes past the header as a decrypted body with padding.
    if (size > header_size) {
        const auto first = static_cast<PayloadType>(data[16]);
        if (auto p = payloads_of(first, in.subspan(header_size), true); p && !p->empty()) {
            const auto again = payloads_of(first, encode_chain(make_payloads(*p)), false);
            if (!again || *again != *p) std::abort();
        }
    }
    return 0;
}
