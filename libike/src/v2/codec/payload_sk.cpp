// SK (RFC 7296 3.14) and SKF (RFC 7383 2.5) payloads: opaque bodies here.
#include <picsec/ike/v2/payload_sk.h>

#include "wire.h"

namespace picsec::ike::v2 {

SkPayload decode_sk(codec::Reader& r, PayloadType first_inner) {
    // At least one byte: a cipher's IV, padding length and ICV come on top,
    // checked by the crypto layer that knows their sizes.
    return SkPayload{first_inner, detail::read_data(r, "Encrypted IKE Payloads", 1, 0xffff)};
}

void encode(codec::Writer& w, const SkPayload& p) { w.bytes(p.body); }

std::string describe(const SkPayload& p) {
    return "SK(" + name(p.first_inner) + ", " + std::to_string(p.body.size()) + " bytes)";
}

SkfPayload decode_skf(codec::Reader& r, PayloadType first_inner) {
    SkfPayload p;
    p.first_inner = first_inner;
    p.fragment_number = r.u16("Fragment Number");
    p.total_fragments = r.u16("Total Fragments");
    if (!r.ok()) return p;
    if (p.fragment_number == 0) {
        detail::fail(r, "Fragment Number", "fragments are numbered from 1", "0", "at least 1");
        return p;
    }
    if (p.fragment_number > p.total_fragments) {
        detail::fail(r, "Total Fragments", "less than the Fragment Number", std::to_string(p.total_fragments),
                     "at least " + std::to_string(p.fragment_number));
        return p;
    }
    p.body = detail::read_data(r, "Encrypted IKE Payloads", 1, 0xffff);
    return p;
}

void encode(codec::Writer& w, const SkfPayload& p) {
    w.u16(p.fragment_number);
    w.u16(p.total_fragments);
    w.bytes(p.body);
}

std::string describe(const SkfPayload& p) {
    return "SKF(" + std::to_string(p.fragment_number) + "/" + std::to_string(p.total_fragments) + ", " +
           name(p.first_inner) + ", " + std::to_string(p.body.size()) + " bytes)";
}

}  // namespace picsec::ike::v2
