// Typed views of a transform's SA attributes: phase 1 (RFC 2409 Appendix A)
// and IPsec DOI phase 2 (RFC 2407 4.5), decoded from and encoded to the
// generic DataAttribute list.
#pragma once

#include <picsec/ike/codec/attributes.h>
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

}  // namespace picsec::ike::codec
