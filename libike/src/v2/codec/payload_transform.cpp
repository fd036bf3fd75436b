// Transform substructure (RFC 7296 3.3.2, 3.3.5) decode, encode and summary.
#include <picsec/ike/v2/payload_transform.h>

#include "wire.h"

namespace picsec::ike::v2 {
namespace {

constexpr std::uint16_t attribute_tv = 0x8000;
constexpr std::uint16_t key_length_attribute = 14;

}  // namespace

Transform decode_transform(codec::Reader& r) {
    Transform t;
    const auto type = r.u8("Transform Type");
    r.u8("RESERVED");
    t.id = r.u16("Transform ID");
    if (!r.ok()) return t;
    if (type == 0) {
        detail::fail(r, "Transform Type", "reserved", "0", "1..255");
        return t;
    }
    t.type = static_cast<TransformType>(type);
    while (r.ok() && !r.empty()) {
        const auto af_type = r.u16("Attribute Type");
        const auto value = r.u16("Attribute Value");
        if (!r.ok()) break;
        if ((af_type & ~attribute_tv) != key_length_attribute) {
            detail::fail(r, "Attribute Type", "unknown attribute",
                         std::to_string(af_type & ~attribute_tv), "14 (Key Length)");
        } else if ((af_type & attribute_tv) == 0) {
            detail::fail(r, "Attribute Type", "Key Length not in TV format", "AF=0", "AF=1");
        } else if (t.key_length) {
            detail::fail(r, "Attribute Type", "Key Length repeated", "2", "at most 1");
        } else {
            t.key_length = value;
        }
    }
    return t;
}

void encode(codec::Writer& w, const Transform& t) {
    w.u8(static_cast<std::uint8_t>(t.type));
    w.u8(0);
    w.u16(t.id);
    if (t.key_length) {
        w.u16(attribute_tv | key_length_attribute);
        w.u16(*t.key_length);
    }
}

std::string describe(const Transform& t) {
    std::string s = name(t.type) + " " + std::to_string(t.id);
    if (t.key_length) s += "/" + std::to_string(*t.key_length);
    return s;
}

}  // namespace picsec::ike::v2
