// libFuzzer target: SA payload bodies (proposals, transforms, attributes) and
// the offers negotiation reads from them (to_phase1_offer, to_phase2_offer):
// an offer that reads must map back to an SA payload that reads to it again.
#include <picsec/ike/codec/payload_sa.h>
#include <picsec/ike/negotiation/sa_payload.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <span>

using namespace picsec::ike;
using namespace picsec::ike::codec;

namespace {

// Attributes negotiation never sends are dropped by to_sa_payload.
template <class Offer>
bool sendable(const Offer& offer);

template <>
bool sendable(const negotiation::Phase1Offer& offer) {
    return std::all_of(offer.transforms.begin(), offer.transforms.end(),
                       [](const auto& t) { return t.other_attributes.empty(); });
}

template <>
bool sendable(const negotiation::Phase2Offer& offer) {
    for (const auto& p : offer.proposals)
        for (const auto& proto : p.protocols)
            for (const auto& t : proto.transforms)
                if (!t.other_attributes.empty()) return false;
    return true;
}

template <class Offer, class Read>
void round_trip(const DecodeResult<Offer>& offer, Read read) {
    if (!offer.ok() || !sendable(offer.value())) return;
    const auto again = read(negotiation::to_sa_payload(offer.value()));
    if (!again.ok() || again.value() != offer.value()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto sa = decode_sa_payload(std::span<const std::uint8_t>(data, size));
    if (!sa.ok()) return 0;
    Writer w;
    encode(w, sa.value());
    if (w.size() != size || !std::equal(w.data().begin(), w.data().end(), data)) std::abort();
    const bool phase1 = !sa->proposals.empty() && sa->proposals.front().protocol == ProtocolId::Isakmp;
    if (phase1)
        round_trip(negotiation::to_phase1_offer(sa.value()), [](const SaPayload& s) { return negotiation::to_phase1_offer(s); });
    else
        round_trip(negotiation::to_phase2_offer(sa.value()), [](const SaPayload& s) { return negotiation::to_phase2_offer(s); });
    return 0;
}
