// IKEv1 protocol numbers (RFC 2407, 2408, 2409, 3706, 3947) as enums, with
// their names for logs kept in tables (constants.cpp).
#pragma once

#include <cstdint>
#include <string>

namespace picsec::ike::codec {

/// RFC 2408 3.1 / RFC 2409 / RFC 2407: ISAKMP Exchange Types.
enum class ExchangeType : std::uint8_t {
    None = 0,
    Base = 1,
    IdentityProtection = 2,  ///< Main Mode
    AuthenticationOnly = 3,
    Aggressive = 4,
    Informational = 5,
    Transaction = 6,         ///< draft-ietf-ipsec-isakmp-mode-cfg
    QuickMode = 32,          ///< RFC 2409 5.5
    NewGroupMode = 33,       ///< RFC 2409 5.6
};

/// RFC 2408 3.1 Next Payload Types, RFC 3947 3.2 / 5.2 NAT-D and NAT-OA.
enum class PayloadType : std::uint8_t {
    None = 0,
    SecurityAssociation = 1,
    Proposal = 2,
    Transform = 3,
    KeyExchange = 4,
    Identification = 5,
    Certificate = 6,
    CertificateRequest = 7,
    Hash = 8,
    Signature = 9,
    Nonce = 10,
    Notification = 11,
    Delete = 12,
    VendorId = 13,
    NatD = 20,
    NatOa = 21,
};

/// RFC 2408 3.14.1 error types, RFC 2407 4.6.3 status types, RFC 3706 DPD.
/// Values outside the enumerators are legal (private and future types) and
/// are kept as they are.
enum class NotifyType : std::uint16_t {
    InvalidPayloadType = 1,
    DoiNotSupported = 2,
    SituationNotSupported = 3,
    InvalidCookie = 4,
    InvalidMajorVersion = 5,
    InvalidMinorVersion = 6,
    InvalidExchangeType = 7,
    InvalidFlags = 8,
    InvalidMessageId = 9,
    InvalidProtocolId = 10,
    InvalidSpi = 11,
    InvalidTransformId = 12,
    AttributesNotSupported = 13,
    NoProposalChosen = 14,
    BadProposalSyntax = 15,
    PayloadMalformed = 16,
    InvalidKeyInformation = 17,
    InvalidIdInformation = 18,
    InvalidCertEncoding = 19,
    InvalidCertificate = 20,
    CertTypeUnsupported = 21,
    InvalidCertAuthority = 22,
    InvalidHashInformation = 23,
    AuthenticationFailed = 24,
    InvalidSignature = 25,
    AddressNotification = 26,
    NotifySaLifetime = 27,
    CertificateUnavailable = 28,
    UnsupportedExchangeType = 29,
    UnequalPayloadLengths = 30,
    Connected = 16384,
    ResponderLifetime = 24576,  ///< RFC 2407 4.6.3.1
    ReplayStatus = 24577,       ///< RFC 2407 4.6.3.2
    InitialContact = 24578,     ///< RFC 2407 4.6.3.3
    RUThere = 36136,            ///< RFC 3706 5
    RUThereAck = 36137,         ///< RFC 3706 5
};

/// RFC 2408 3.14.1: types below 16384 are errors, the rest status.
bool is_error(NotifyType t);

/// RFC 2407 4.4.1 IPsec Security Protocol Identifiers. `Reserved` (0) is not
/// allowed in a proposal but is tolerated in Notify and Delete, where some
/// peers send it for ISAKMP.
enum class ProtocolId : std::uint8_t {
    Reserved = 0,
    Isakmp = 1,
    IpsecAh = 2,
    IpsecEsp = 3,
    Ipcomp = 4,
};

/// RFC 2407 4.6.2.1 Identification Type Values.
enum class IdType : std::uint8_t {
    Ipv4Addr = 1,
    Fqdn = 2,
    UserFqdn = 3,
    Ipv4AddrSubnet = 4,
    Ipv6Addr = 5,
    Ipv6AddrSubnet = 6,
    Ipv4AddrRange = 7,
    Ipv6AddrRange = 8,
    DerAsn1Dn = 9,
    DerAsn1Gn = 10,
    KeyId = 11,
};

/// RFC 2408 3.9 Certificate Encoding (also the CERTREQ Certificate Type).
enum class CertEncoding : std::uint8_t {
    None = 0,
    Pkcs7 = 1,
    Pgp = 2,
    DnsSignedKey = 3,
    X509Signature = 4,
    X509KeyExchange = 5,
    Kerberos = 6,
    Crl = 7,
    Arl = 8,
    Spki = 9,
    X509Attribute = 10,
};

/// RFC 2407 4.2 IPsec DOI and 4.2 SIT_IDENTITY_ONLY.
inline constexpr std::uint32_t ipsec_doi = 1;
inline constexpr std::uint32_t isakmp_doi = 0;  ///< RFC 2408 3.14: allowed in phase 1 Notify/Delete
inline constexpr std::uint32_t sit_identity_only = 1;
inline constexpr std::uint32_t sit_secrecy = 2;
inline constexpr std::uint32_t sit_integrity = 4;

/// RFC 2407 4.4.2: the ISAKMP transform identifier KEY_IKE.
inline constexpr std::uint8_t key_ike = 1;

/// Names as the RFCs spell them ("IDENTITY_PROTECTION", "INVALID-PAYLOAD-TYPE",
/// "PROTO_IPSEC_ESP", ...); unknown values render as "UNKNOWN(<n>)".
std::string to_string(ExchangeType t);
std::string to_string(PayloadType t);
std::string to_string(NotifyType t);
std::string to_string(ProtocolId p);
std::string to_string(IdType t);
std::string to_string(CertEncoding e);
/// Short payload names used in errors and summaries: "SA", "KE", "IDi"...
std::string short_name(PayloadType t);
/// Transform ID name for the proposal's protocol (RFC 2407 4.4.2-4.4.5): "KEY_IKE", "ESP_3DES", "AH_SHA".
std::string transform_id_name(ProtocolId p, std::uint8_t id);

/// True for the enumerators above (known values).
bool is_known(ExchangeType t);
bool is_known(PayloadType t);
bool is_known(ProtocolId p);
bool is_known(IdType t);
bool is_known(CertEncoding e);

}  // namespace picsec::ike::codec
