// libFuzzer target: SA payload bodies (proposals, transforms, attributes) and
// the typed phase 1 / phase 2 attribute views of every transform.
#include <picsec/ike/codec/payload_sa.h>
#include <picsec/ike/codec/sa_attributes.h>

#include <cstdint>
#include <cstdlib>
#include <span>

using namespace picsec::ike::codec;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto sa = decode_sa_payload(std::span<const std::uint8_t>(data, size));
    if (!sa.ok()) return 0;
    Writer w;
    encode(w, sa.value());
    if (w.size() != size || !std::equal(w.data().begin(), w.data().end(), data)) std::abort();
    for (const auto& p : sa->proposals) {
        for (const auto& t : p.transforms) {
            if (p.protocol == ProtocolId::Isakmp) {
                if (auto a = decode_phase1_attributes(t.attributes); a.ok()) {
                    if (decode_phase1_attributes(encode_phase1_attributes(a.value())).value() != a.value()) std::abort();
                }
            } else if (auto a = decode_phase2_attributes(t.attributes); a.ok()) {
                if (decode_phase2_attributes(encode_phase2_attributes(a.value())).value() != a.value()) std::abort();
            }
        }
    }
    return 0;
}
