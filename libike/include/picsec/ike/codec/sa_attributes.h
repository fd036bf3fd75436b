// Typed views of a transform's SA attributes: phase 1 (RFC 2409 Appendix A)
// and IPsec DOI phase 2 (RFC 2407 4.5), decoded from and encoded to the
// generic DataAttribute list.
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

/// Phase 1 (ISAKMP SA) attributes of a KEY_IKE transform.
struct Phase1Attributes {
    std::optional<IkeEncryption> encryption;
    std::optional<IkeHash> hash;
    std::optional<AuthMethod> auth_method;
    std::optional<GroupDescription> group;
    std::optional<std::uint16_t> key_length;  ///< bits, for variable-key ciphers (AES)
    std::vector<Lifetime> lifetimes;          ///< at most one per LifeType, in wire order

    bool operator==(const Phase1Attributes&) const = default;
};

/// Phase 2 (IPsec SA) attributes of an AH / ESP transform.
struct Phase2Attributes {
    std::optional<EncapsulationMode> encapsulation;
    std::optional<IpsecAuthAlgorithm> auth_algorithm;
    std::optional<GroupDescription> group;    ///< PFS group
    std::optional<std::uint16_t> key_length;  ///< bits
    std::vector<Lifetime> lifetimes;

    bool operator==(const Phase2Attributes&) const = default;
};

/// Decode the attributes of a phase 1 transform. Errors (each naming the
/// attribute class and the offending value): a class picsec does not handle or
/// an unknown value -> ATTRIBUTES-NOT-SUPPORTED; a basic-only class sent as
/// variable, a duplicate class, a Life Duration without a preceding Life Type,
/// a Life Type without a duration, or a duration of 0 or over 8 bytes ->
/// BAD-PROPOSAL-SYNTAX. Mandatory attributes are not checked here.
DecodeResult<Phase1Attributes> decode_phase1_attributes(std::span<const DataAttribute> attributes);
DecodeResult<Phase2Attributes> decode_phase2_attributes(std::span<const DataAttribute> attributes);

/// Encode in RFC order: phase 1 ENC, KEY_LENGTH, HASH, GROUP, AUTH, life
/// pairs; phase 2 life pairs, GROUP, ENCAPSULATION, AUTH, KEY_LENGTH.
/// Durations up to 65535 go basic, larger ones as 4- or 8-byte variable values.
std::vector<DataAttribute> encode_phase1_attributes(const Phase1Attributes& a);
std::vector<DataAttribute> encode_phase2_attributes(const Phase2Attributes& a);

/// Which attribute classes carry Life Type / Life Duration: phase 1
/// (RFC 2409 Appendix A: 11 / 12) or the IPsec DOI (RFC 2407 4.5: 1 / 2).
enum class LifeClasses { Phase1, Ipsec };

/// The life pairs of an attribute list, in wire order; attributes of other
/// classes are skipped. Errors as for decode_phase1_attributes: a duration
/// without a type, a type without a duration, a duplicate or unknown type, a
/// zero duration or one over 8 bytes.
DecodeResult<std::vector<Lifetime>> decode_lifetimes(std::span<const DataAttribute> attributes, LifeClasses classes);
/// Type / duration pairs in the given order (durations as in encode_phase1_attributes).
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
