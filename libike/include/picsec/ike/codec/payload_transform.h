// RFC 2408 3.6 Transform payload: one transform (algorithm set) of a proposal,
// its SA attributes as a generic list (typed views in sa_attributes.h).
#pragma once

#include <picsec/ike/codec/attributes.h>

#include <cstdint>
#include <string>
#include <vector>

namespace picsec::ike::codec {

/*
 * RFC 2408 3.6 Transform Payload
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !  Transform #  !  Transform-Id !           RESERVED2           !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                        SA Attributes                          ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */

/// One transform. `id` is interpreted by the proposal's protocol
/// (RFC 2407 4.4.2 KEY_IKE, 4.4.3 AH_*, 4.4.4 ESP_*); see transform_id_name().
struct Transform {
    std::uint8_t number = 1;
    std::uint8_t id = key_ike;
    std::vector<DataAttribute> attributes;

    bool operator==(const Transform&) const = default;
};

/// Decode the transform body (after its generic header); more than
/// max_attributes_per_transform attributes answer PAYLOAD-MALFORMED.
Transform decode_transform(Reader& body);
void encode(Writer& w, const Transform& t);
std::string describe(const Transform& t, ProtocolId protocol);

}  // namespace picsec::ike::codec
