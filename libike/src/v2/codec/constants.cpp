// Names of IKEv2 protocol numbers for logs and decode errors.
#include <picsec/ike/v2/constants.h>

namespace picsec::ike::v2 {
namespace {

template <class E>
std::string number(E v) {
    return std::to_string(static_cast<unsigned>(v));
}

}  // namespace

// Each switch is exhaustive over its enum; the return after it covers values
// on the wire that the enum does not name.
std::string name(ExchangeType t) {
    switch (t) {
    case ExchangeType::IkeSaInit: return "IKE_SA_INIT";
    case ExchangeType::IkeAuth: return "IKE_AUTH";
    case ExchangeType::CreateChildSa: return "CREATE_CHILD_SA";
    case ExchangeType::Informational: return "INFORMATIONAL";
    }
    return number(t);
}

// RFC 7296 3.2 notation.
std::string name(PayloadType t) {
    switch (t) {
    case PayloadType::None: return "NONE";
    case PayloadType::Sa: return "SA";
    case PayloadType::Ke: return "KE";
    case PayloadType::IdI: return "IDi";
    case PayloadType::IdR: return "IDr";
    case PayloadType::Cert: return "CERT";
    case PayloadType::CertReq: return "CERTREQ";
    case PayloadType::Auth: return "AUTH";
    case PayloadType::Nonce: return "Nonce";
    case PayloadType::Notify: return "N";
    case PayloadType::Delete: return "D";
    case PayloadType::VendorId: return "V";
    case PayloadType::TsI: return "TSi";
    case PayloadType::TsR: return "TSr";
    case PayloadType::Sk: return "SK";
    case PayloadType::Cp: return "CP";
    case PayloadType::Eap: return "EAP";
    case PayloadType::Skf: return "SKF";
    }
    return number(t);
}

std::string name(ProtocolId p) {
    switch (p) {
    case ProtocolId::None: return "NONE";
    case ProtocolId::Ike: return "IKE";
    case ProtocolId::Ah: return "AH";
    case ProtocolId::Esp: return "ESP";
    }
    return number(p);
}

std::string name(TransformType t) {
    switch (t) {
    case TransformType::Encr: return "ENCR";
    case TransformType::Prf: return "PRF";
    case TransformType::Integ: return "INTEG";
    case TransformType::Dh: return "DH";
    case TransformType::Esn: return "ESN";
    }
    return number(t);
}

std::string name(IdType t) {
    switch (t) {
    case IdType::Ipv4Addr: return "ID_IPV4_ADDR";
    case IdType::Fqdn: return "ID_FQDN";
    case IdType::Rfc822Addr: return "ID_RFC822_ADDR";
    case IdType::Ipv6Addr: return "ID_IPV6_ADDR";
    case IdType::DerAsn1Dn: return "ID_DER_ASN1_DN";
    case IdType::DerAsn1Gn: return "ID_DER_ASN1_GN";
    case IdType::KeyId: return "ID_KEY_ID";
    }
    return number(t);
}

std::string name(AuthMethod m) {
    switch (m) {
    case AuthMethod::RsaSignature: return "RSA_SIG";
    case AuthMethod::SharedKeyMic: return "PSK";
    case AuthMethod::DssSignature: return "DSS_SIG";
    case AuthMethod::DigitalSignature: return "DIGITAL_SIGNATURE";
    }
    return number(m);
}

std::string name(NotifyType t) {
    switch (t) {
    case NotifyType::UnsupportedCriticalPayload: return "UNSUPPORTED_CRITICAL_PAYLOAD";
    case NotifyType::InvalidIkeSpi: return "INVALID_IKE_SPI";
    case NotifyType::InvalidMajorVersion: return "INVALID_MAJOR_VERSION";
    case NotifyType::InvalidSyntax: return "INVALID_SYNTAX";
    case NotifyType::InvalidMessageId: return "INVALID_MESSAGE_ID";
    case NotifyType::InvalidSpi: return "INVALID_SPI";
    case NotifyType::NoProposalChosen: return "NO_PROPOSAL_CHOSEN";
    case NotifyType::InvalidKePayload: return "INVALID_KE_PAYLOAD";
    case NotifyType::AuthenticationFailed: return "AUTHENTICATION_FAILED";
    case NotifyType::SinglePairRequired: return "SINGLE_PAIR_REQUIRED";
    case NotifyType::NoAdditionalSas: return "NO_ADDITIONAL_SAS";
    case NotifyType::InternalAddressFailure: return "INTERNAL_ADDRESS_FAILURE";
    case NotifyType::FailedCpRequired: return "FAILED_CP_REQUIRED";
    case NotifyType::TsUnacceptable: return "TS_UNACCEPTABLE";
    case NotifyType::InvalidSelectors: return "INVALID_SELECTORS";
    case NotifyType::UnacceptableAddresses: return "UNACCEPTABLE_ADDRESSES";
    case NotifyType::UnexpectedNatDetected: return "UNEXPECTED_NAT_DETECTED";
    case NotifyType::UseAssignedHoa: return "USE_ASSIGNED_HoA";
    case NotifyType::TemporaryFailure: return "TEMPORARY_FAILURE";
    case NotifyType::ChildSaNotFound: return "CHILD_SA_NOT_FOUND";
    case NotifyType::InitialContact: return "INITIAL_CONTACT";
    case NotifyType::SetWindowSize: return "SET_WINDOW_SIZE";
    case NotifyType::AdditionalTsPossible: return "ADDITIONAL_TS_POSSIBLE";
    case NotifyType::IpcompSupported: return "IPCOMP_SUPPORTED";
    case NotifyType::NatDetectionSourceIp: return "NAT_DETECTION_SOURCE_IP";
    case NotifyType::NatDetectionDestinationIp: return "NAT_DETECTION_DESTINATION_IP";
    case NotifyType::Cookie: return "COOKIE";
    case NotifyType::UseTransportMode: return "USE_TRANSPORT_MODE";
    case NotifyType::HttpCertLookupSupported: return "HTTP_CERT_LOOKUP_SUPPORTED";
    case NotifyType::RekeySa: return "REKEY_SA";
    case NotifyType::EspTfcPaddingNotSupported: return "ESP_TFC_PADDING_NOT_SUPPORTED";
    case NotifyType::NonFirstFragmentsAlso: return "NON_FIRST_FRAGMENTS_ALSO";
    case NotifyType::MobikeSupported: return "MOBIKE_SUPPORTED";
    case NotifyType::MultipleAuthSupported: return "MULTIPLE_AUTH_SUPPORTED";
    case NotifyType::AnotherAuthFollows: return "ANOTHER_AUTH_FOLLOWS";
    case NotifyType::RedirectSupported: return "REDIRECT_SUPPORTED";
    case NotifyType::ChildlessIkev2Supported: return "CHILDLESS_IKEV2_SUPPORTED";
    case NotifyType::Ikev2FragmentationSupported: return "IKEV2_FRAGMENTATION_SUPPORTED";
    case NotifyType::SignatureHashAlgorithms: return "SIGNATURE_HASH_ALGORITHMS";
    }
    return number(t);
}

}  // namespace picsec::ike::v2
