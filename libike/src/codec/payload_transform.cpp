// Transform payload (RFC 2408 3.6) decode, encode and summary.
#include <picsec/ike/codec/limits.h>
#include <picsec/ike/codec/payload_transform.h>

namespace picsec::ike::codec {

Transform decode_transform(Reader& r) {
    Transform t;
    t.number = r.u8("Transform #");
    t.id = r.u8("Transform-Id");
    const auto reserved2 = r.u16("RESERVED2");
    if (!r.ok()) return t;
    if (reserved2 != 0) {
        r.fail(NotifyType::PayloadMalformed, "RESERVED2", "not zero", std::to_string(reserved2), "0");
        return t;
    }
    while (r.ok() && !r.empty()) {
        if (t.attributes.size() == max_attributes_per_transform) {
            r.fail(NotifyType::PayloadMalformed, "SA Attributes", "too many attributes",
                   "more than " + std::to_string(max_attributes_per_transform),
                   "at most " + std::to_string(max_attributes_per_transform));
            break;
        }
        auto a = decode_attribute(r);
        if (r.ok()) t.attributes.push_back(std::move(a));
    }
    return t;
}

void encode(Writer& w, const Transform& t) {
    w.u8(t.number);
    w.u8(t.id);
    w.u16(0);
    for (const auto& a : t.attributes) encode_attribute(w, a);
}

std::string describe(const Transform& t, ProtocolId protocol) {
    std::string s = "T#" + std::to_string(t.number) + " " + transform_id_name(protocol, t.id);
    if (!t.attributes.empty()) {
        s += " [";
        bool first = true;
        for (const auto& a : t.attributes) {
            if (!first) s += " ";
            first = false;
            s += describe(a, protocol);
        }
        s += "]";
    }
    return s;
}

}  // namespace picsec::ike::codec
