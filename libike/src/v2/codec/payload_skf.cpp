// SKF payload (RFC 7383 2.5): fragment numbering checked, body opaque.
#include <picsec/ike/v2/payload_skf.h>

#include "wire.h"

namespace picsec::ike::v2 {

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
