// RFC 7296 3.3.2 Transform substructure of a proposal: one algorithm, with
// the Key Length attribute (3.3.5) as the only attribute IKEv2 defines.
#pragma once

#include <picsec/ike/codec/reader.h>
#include <picsec/ike/codec/writer.h>
#include <picsec/ike/v2/constants.h>

#include <cstdint>
#include <optional>
#include <string>

namespace picsec::ike::v2 {

/*
 * RFC 7296 3.3.2 Transform Substructure
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Last Substruc |   RESERVED    |        Transform Length       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Transform Type |   RESERVED    |          Transform ID         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                      Transform Attributes                     ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * RFC 7296 3.3.5 Transform Attribute (Key Length: AF=1, type 14, TV)
 * |A|       Attribute Type        |    AF=0  Attribute Length     |
 * |F|                             |    AF=1  Attribute Value      |
 */

/// One transform. `type` keeps an unknown Transform Type value as is (RFC
/// 7296 3.3.6: the proposal holding it is unacceptable, a negotiation
/// decision, not a syntax error); `id` is read per type (IANA IKEv2
/// Transform Type 1..5 registries).
struct Transform {
    TransformType type = TransformType::Encr;
    std::uint16_t id = 0;
    /// Attribute 14 (Key Length, RFC 7296 3.3.5) in bits. Any other attribute,
    /// a TLV Key Length or a repeated one is INVALID_SYNTAX.
    std::optional<std::uint16_t> key_length;

    bool operator==(const Transform&) const = default;
};

/// Decode the transform body (after the 4-byte substructure header).
Transform decode_transform(codec::Reader& body);
void encode(codec::Writer& w, const Transform& t);
/// "ENCR 12/256", "DH 14"
std::string describe(const Transform& t);

}  // namespace picsec::ike::v2
