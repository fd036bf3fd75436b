// The life pairs (Life Type / Life Duration) of a transform's SA attributes,
// phase 1 (RFC 2409 Appendix A) and IPsec DOI (RFC 2407 4.5), and the
// RESPONDER-LIFETIME notify data (RFC 2407 4.6.3.1). The other attribute
// classes are read by negotiation (negotiation/sa_payload.h).
#pragma once

#include <picsec/ike/codec/attributes.h>
#include <picsec/ike/codec/constants.h>
#include <picsec/ike/codec/error.h>

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace picsec::ike::codec {

/// One Life Type / Life Duration pair. RFC 2409 Appendix A: a duration may
/// be sent as a basic attribute or as a variable one of up to 8 bytes here.
struct Lifetime {
    LifeType type = LifeType::Seconds;
    std::uint64_t duration = 0;

    bool operator==(const Lifetime&) const = default;
};

/// Which attribute classes carry Life Type / Life Duration: phase 1
/// (RFC 2409 Appendix A: 11 / 12) or the IPsec DOI (RFC 2407 4.5: 1 / 2).
enum class LifeClasses { Phase1, Ipsec };

/// The life pairs of an attribute list, in wire order; attributes of other
/// classes are skipped (negotiation reads them, negotiation/sa_payload.h).
/// Errors, naming the attribute class and the offending value: a duration
/// without a type, a type without a duration, a duplicate type or a duration
/// of over 8 bytes -> BAD-PROPOSAL-SYNTAX; an unknown type or a zero duration
/// -> ATTRIBUTES-NOT-SUPPORTED.
DecodeResult<std::vector<Lifetime>> decode_lifetimes(std::span<const DataAttribute> attributes, LifeClasses classes);
/// Type / duration pairs in the given order. Durations up to 65535 go basic,
/// larger ones as 4- or 8-byte variable values (RFC 2409 Appendix A).
std::vector<DataAttribute> encode_lifetimes(std::span<const Lifetime> lifetimes, LifeClasses classes);
/// The duration of the pair of type `type`, if present.
std::optional<std::uint64_t> lifetime_of(std::span<const Lifetime> lifetimes, LifeType type);

/// RFC 2407 4.6.3.1 RESPONDER-LIFETIME notification data: the life pairs of
/// the SA the notify names. A PROTO_ISAKMP notify (the ISAKMP SA) uses the
/// phase 1 classes, an AH / ESP one the IPsec DOI classes. Errors name the
/// RESPONDER-LIFETIME field: a truncated attribute, a class other than the
/// two life classes, and the life pair errors of decode_lifetimes.
DecodeResult<std::vector<Lifetime>> decode_responder_lifetime(std::span<const std::uint8_t> data,
                                                              ProtocolId protocol);
std::vector<std::uint8_t> encode_responder_lifetime(std::span<const Lifetime> lifetimes, ProtocolId protocol);

}  // namespace picsec::ike::codec
