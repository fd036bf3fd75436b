// Name tables for the ISAKMP / IPsec DOI protocol numbers (RFC 2407, 2408, 3706, 3947).
#include <picsec/ike/codec/constants.h>

#include "names.h"

namespace picsec::ike::codec {
namespace {

using detail::Name;

constexpr Name exchange_types[] = {
    {0, "NONE"}, {1, "BASE"}, {2, "IDENTITY_PROTECTION"}, {3, "AUTHENTICATION_ONLY"}, {4, "AGGRESSIVE"},
    {5, "INFORMATIONAL"}, {6, "TRANSACTION"}, {32, "QUICK_MODE"}, {33, "NEW_GROUP_MODE"},
};

constexpr Name payload_types[] = {
    {0, "NONE"}, {1, "SA"}, {2, "PROPOSAL"}, {3, "TRANSFORM"}, {4, "KE"}, {5, "ID"}, {6, "CERT"}, {7, "CR"},
    {8, "HASH"}, {9, "SIG"}, {10, "NONCE"}, {11, "N"}, {12, "D"}, {13, "VID"}, {20, "NAT-D"}, {21, "NAT-OA"},
};

constexpr Name notify_types[] = {
    {1, "INVALID-PAYLOAD-TYPE"}, {2, "DOI-NOT-SUPPORTED"}, {3, "SITUATION-NOT-SUPPORTED"},
    {4, "INVALID-COOKIE"}, {5, "INVALID-MAJOR-VERSION"}, {6, "INVALID-MINOR-VERSION"},
    {7, "INVALID-EXCHANGE-TYPE"}, {8, "INVALID-FLAGS"}, {9, "INVALID-MESSAGE-ID"},
    {10, "INVALID-PROTOCOL-ID"}, {11, "INVALID-SPI"}, {12, "INVALID-TRANSFORM-ID"},
    {13, "ATTRIBUTES-NOT-SUPPORTED"}, {14, "NO-PROPOSAL-CHOSEN"}, {15, "BAD-PROPOSAL-SYNTAX"},
    {16, "PAYLOAD-MALFORMED"}, {17, "INVALID-KEY-INFORMATION"}, {18, "INVALID-ID-INFORMATION"},
    {19, "INVALID-CERT-ENCODING"}, {20, "INVALID-CERTIFICATE"}, {21, "CERT-TYPE-UNSUPPORTED"},
    {22, "INVALID-CERT-AUTHORITY"}, {23, "INVALID-HASH-INFORMATION"}, {24, "AUTHENTICATION-FAILED"},
    {25, "INVALID-SIGNATURE"}, {26, "ADDRESS-NOTIFICATION"}, {27, "NOTIFY-SA-LIFETIME"},
    {28, "CERTIFICATE-UNAVAILABLE"}, {29, "UNSUPPORTED-EXCHANGE-TYPE"}, {30, "UNEQUAL-PAYLOAD-LENGTHS"},
    {16384, "CONNECTED"}, {24576, "RESPONDER-LIFETIME"}, {24577, "REPLAY-STATUS"}, {24578, "INITIAL-CONTACT"},
    {36136, "R-U-THERE"}, {36137, "R-U-THERE-ACK"},
};

constexpr Name protocol_ids[] = {
    {0, "RESERVED"}, {1, "PROTO_ISAKMP"}, {2, "PROTO_IPSEC_AH"}, {3, "PROTO_IPSEC_ESP"}, {4, "PROTO_IPCOMP"},
};

constexpr Name id_types[] = {
    {1, "ID_IPV4_ADDR"}, {2, "ID_FQDN"}, {3, "ID_USER_FQDN"}, {4, "ID_IPV4_ADDR_SUBNET"}, {5, "ID_IPV6_ADDR"},
    {6, "ID_IPV6_ADDR_SUBNET"}, {7, "ID_IPV4_ADDR_RANGE"}, {8, "ID_IPV6_ADDR_RANGE"}, {9, "ID_DER_ASN1_DN"},
    {10, "ID_DER_ASN1_GN"}, {11, "ID_KEY_ID"},
};

constexpr Name cert_encodings[] = {
    {0, "NONE"}, {1, "PKCS7"}, {2, "PGP"}, {3, "DNS_SIGNED_KEY"}, {4, "X509_SIGNATURE"},
    {5, "X509_KEY_EXCHANGE"}, {6, "KERBEROS_TOKENS"}, {7, "CRL"}, {8, "ARL"}, {9, "SPKI"},
    {10, "X509_ATTRIBUTE"},
};

constexpr Name short_names[] = {
    {0, "NONE"}, {1, "SA"}, {2, "Proposal"}, {3, "Transform"}, {4, "KE"}, {5, "ID"}, {6, "CERT"}, {7, "CR"},
    {8, "HASH"}, {9, "SIG"}, {10, "Nonce"}, {11, "N"}, {12, "D"}, {13, "VID"}, {20, "NAT-D"}, {21, "NAT-OA"},
};

// RFC 2407 4.4.2 - 4.4.5.
constexpr Name ike_transform_ids[] = {{1, "KEY_IKE"}};
constexpr Name ah_transform_ids[] = {
    {2, "AH_MD5"}, {3, "AH_SHA"}, {4, "AH_DES"}, {5, "AH_SHA2_256"}, {6, "AH_SHA2_384"}, {7, "AH_SHA2_512"},
};
constexpr Name esp_transform_ids[] = {
    {1, "ESP_DES_IV64"}, {2, "ESP_DES"}, {3, "ESP_3DES"}, {4, "ESP_RC5"}, {5, "ESP_IDEA"}, {6, "ESP_CAST"},
    {7, "ESP_BLOWFISH"}, {8, "ESP_3IDEA"}, {9, "ESP_DES_IV32"}, {10, "ESP_RC4"}, {11, "ESP_NULL"},
    {12, "ESP_AES"}, {18, "ESP_AES_GCM_8"}, {19, "ESP_AES_GCM_12"}, {20, "ESP_AES_GCM_16"},
};
constexpr Name ipcomp_transform_ids[] = {{1, "IPCOMP_OUI"}, {2, "IPCOMP_DEFLATE"}, {3, "IPCOMP_LZS"}};

}  // namespace

bool is_error(NotifyType t) { return static_cast<std::uint16_t>(t) < 16384; }

std::string to_string(ExchangeType t) { return detail::lookup(exchange_types, static_cast<std::uint8_t>(t)); }
std::string to_string(PayloadType t) { return detail::lookup(payload_types, static_cast<std::uint8_t>(t)); }
std::string to_string(NotifyType t) { return detail::lookup(notify_types, static_cast<std::uint16_t>(t)); }
std::string to_string(ProtocolId p) { return detail::lookup(protocol_ids, static_cast<std::uint8_t>(p)); }
std::string to_string(IdType t) { return detail::lookup(id_types, static_cast<std::uint8_t>(t)); }
std::string to_string(CertEncoding e) { return detail::lookup(cert_encodings, static_cast<std::uint8_t>(e)); }
std::string short_name(PayloadType t) { return detail::lookup(short_names, static_cast<std::uint8_t>(t)); }

std::string transform_id_name(ProtocolId p, std::uint8_t id) {
    switch (p) {
    case ProtocolId::Isakmp: return detail::lookup(ike_transform_ids, id);
    case ProtocolId::IpsecAh: return detail::lookup(ah_transform_ids, id);
    case ProtocolId::IpsecEsp: return detail::lookup(esp_transform_ids, id);
    case ProtocolId::Ipcomp: return detail::lookup(ipcomp_transform_ids, id);
    case ProtocolId::Reserved: break;
    }
    return "UNKNOWN(" + std::to_string(id) + ")";
}

bool is_known(ExchangeType t) { return detail::contains(exchange_types, static_cast<std::uint8_t>(t)); }
bool is_known(PayloadType t) { return detail::contains(payload_types, static_cast<std::uint8_t>(t)); }
bool is_known(ProtocolId p) { return detail::contains(protocol_ids, static_cast<std::uint8_t>(p)); }
bool is_known(IdType t) { return detail::contains(id_types, static_cast<std::uint8_t>(t)); }
bool is_known(CertEncoding e) { return detail::contains(cert_encodings, static_cast<std::uint8_t>(e)); }

}  // namespace picsec::ike::codec
