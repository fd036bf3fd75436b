// libFuzzer target: decode a whole IKEv1 message (and, with the first byte as
// a payload type, a decrypted payload chain); whatever decodes must re-encode
// and decode again to the same value.
#include <picsec/ike/codec/message.h>

#include <cstdint>
#include <cstdlib>
#include <span>

using namespace picsec::ike::codec;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const std::uint8_t> in(data, size);
    if (auto m = decode_message(in); m.ok()) {
        const auto bytes = encode_message(m->header, m->payloads);
        auto again = decode_message(bytes);
        if (!again.ok() || again->payloads != m->payloads) std::abort();
        // a plain message re-encodes byte-identically
        if (bytes.size() != size || !std::equal(bytes.begin(), bytes.end(), data)) std::abort();
    } else if (m.error().message.empty()) {
        std::abort();
    }
    // The same bytes past the header as a decrypted body with zero padding.
    if (size > header_size) {
        const auto first = static_cast<PayloadType>(data[16]);
        if (auto c = decode_payload_chain(first, in.subspan(header_size), true); c.ok() && !c->empty()) {
            auto again = decode_payload_chain(first, encode_payload_chain(c.value()));
            if (!again.ok() || again.value() != c.value()) std::abort();
        }
    }
    return 0;
}
