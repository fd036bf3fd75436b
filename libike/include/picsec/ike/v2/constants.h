// IKEv2 protocol numbers (RFC 7296 3, IANA "IKEv2 Parameters") and their
// names for logs. Enums hold raw wire values: a number picsec does not know
// is kept as is and printed as a number.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace picsec::ike::v2 {

/// RFC 7296 3.1 Exchange Type.
enum class ExchangeType : std::uint8_t { IkeSaInit = 34, IkeAuth = 35, CreateChildSa = 36, Informational = 37 };

/// RFC 7296 3.2 payload types (Next Payload values), RFC 7383 2.5 for SKF.
enum class PayloadType : std::uint8_t {
    None = 0,
    Sa = 33,
    Ke = 34,
    IdI = 35,
    IdR = 36,
    Cert = 37,
    CertReq = 38,
    Auth = 39,
    Nonce = 40,
    Notify = 41,
    Delete = 42,
    VendorId = 43,
    TsI = 44,
    TsR = 45,
    Sk = 46,
    Cp = 47,
    Eap = 48,
    Skf = 53,
};

/// RFC 7296 3.3.1 Protocol ID of proposals, Notify and Delete payloads.
enum class ProtocolId : std::uint8_t { None = 0, Ike = 1, Ah = 2, Esp = 3 };

/// RFC 7296 3.3.2 Transform Type.
enum class TransformType : std::uint8_t { Encr = 1, Prf = 2, Integ = 3, Dh = 4, Esn = 5 };

/// RFC 7296 3.5 ID Type.
enum class IdType : std::uint8_t {
    Ipv4Addr = 1,
    Fqdn = 2,
    Rfc822Addr = 3,
    Ipv6Addr = 5,
    DerAsn1Dn = 9,
    DerAsn1Gn = 10,
    KeyId = 11,
};

/// RFC 7296 3.8 Auth Method, RFC 7427 3 for Digital Signature.
enum class AuthMethod : std::uint8_t { RsaSignature = 1, SharedKeyMic = 2, DssSignature = 3, DigitalSignature = 14 };

/// RFC 7296 3.10.1 Notify Message Types: errors below 16384, status from 16384.
enum class NotifyType : std::uint16_t {
    UnsupportedCriticalPayload = 1,
    InvalidIkeSpi = 4,
    InvalidMajorVersion = 5,
    InvalidSyntax = 7,
    InvalidMessageId = 9,
    InvalidSpi = 11,
    NoProposalChosen = 14,
    InvalidKePayload = 17,
    AuthenticationFailed = 24,
    SinglePairRequired = 34,
    NoAdditionalSas = 35,
    InternalAddressFailure = 36,
    FailedCpRequired = 37,
    TsUnacceptable = 38,
    InvalidSelectors = 39,
    UnacceptableAddresses = 40,   // RFC 4555
    UnexpectedNatDetected = 41,   // RFC 4555
    UseAssignedHoa = 42,          // RFC 5026
    TemporaryFailure = 43,
    ChildSaNotFound = 44,

    InitialContact = 16384,
    SetWindowSize = 16385,
    AdditionalTsPossible = 16386,
    IpcompSupported = 16387,
    NatDetectionSourceIp = 16388,
    NatDetectionDestinationIp = 16389,
    Cookie = 16390,
    UseTransportMode = 16391,
    HttpCertLookupSupported = 16392,
    RekeySa = 16393,
    EspTfcPaddingNotSupported = 16394,
    NonFirstFragmentsAlso = 16395,
    MobikeSupported = 16396,              // RFC 4555
    MultipleAuthSupported = 16404,        // RFC 4739
    AnotherAuthFollows = 16405,           // RFC 4739
    RedirectSupported = 16406,            // RFC 5685
    ChildlessIkev2Supported = 16418,      // RFC 6023
    Ikev2FragmentationSupported = 16430,  // RFC 7383
    SignatureHashAlgorithms = 16431,      // RFC 7427
};

/// RFC 7296 3.10.1: types below this are errors, the others status.
inline constexpr std::uint16_t first_status_notify = 16384;

/// RFC names ("IKE_SA_INIT", "SA", "NO_PROPOSAL_CHOSEN", "ENCR", "IKE", ...);
/// a value picsec has no name for prints as its decimal number.
std::string name(ExchangeType t);
std::string name(PayloadType t);
std::string name(ProtocolId p);
std::string name(TransformType t);
std::string name(IdType t);
std::string name(AuthMethod m);
std::string name(NotifyType t);

}  // namespace picsec::ike::v2
