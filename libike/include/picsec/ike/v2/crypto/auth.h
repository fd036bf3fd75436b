// IKEv2 authentication (RFC 7296 2.15): the signed octets, the AUTH of a
// pre-shared key, RSA signatures (auth method 1, RFC 7296 3.8, and Digital
// Signature, method 14, RFC 7427) and the SIGNATURE_HASH_ALGORITHMS notify.
#pragma once

#include "picsec/base/algorithms.h"
#include "picsec/base/expected.h"

#include <botan/secmem.h>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace Botan {
class Private_Key;
class Public_Key;
class RandomNumberGenerator;
}  // namespace Botan

namespace picsec::ike::v2::crypto {

/// RFC 7296 2.15: <SignedOctets> = RealMessage | NoncePeer | prf(SK_p, RestOfIDPayload),
/// where RestOfIDPayload (id_body) is the ID payload body: ID Type, 3 RESERVED
/// octets and the identification data. SK_p is SK_pi for the initiator's
/// AUTH, SK_pr for the responder's.
std::vector<std::uint8_t> signed_octets(algo::HashAlgorithm prf, std::span<const std::uint8_t> real_message,
                                        std::span<const std::uint8_t> nonce_peer,
                                        std::span<const std::uint8_t> sk_p, std::span<const std::uint8_t> id_body);

/// RFC 7296 2.15: AUTH = prf(prf(Shared Secret, "Key Pad for IKEv2"), <SignedOctets>)
/// (Auth Method 2, Shared Key Message Integrity Code).
Botan::secure_vector<std::uint8_t> psk_auth(algo::HashAlgorithm prf, std::span<const std::uint8_t> psk,
                                            std::span<const std::uint8_t> signed_octets);

/// Whether a received AUTH equals psk_auth(), compared in constant time.
bool psk_auth_matches(algo::HashAlgorithm prf, std::span<const std::uint8_t> psk,
                      std::span<const std::uint8_t> signed_octets, std::span<const std::uint8_t> received);

/// How an RSA AUTH is signed: RSA Digital Signature (Auth Method 1, RFC 7296
/// 3.8: RSASSA-PKCS1-v1_5 with SHA-1) or Digital Signature (Auth Method 14,
/// RFC 7427) with sha256WithRSAEncryption or RSASSA-PSS (SHA-256, MGF1 with
/// SHA-256, 32 octets of salt).
enum class SignatureScheme { RsaPkcs1Sha1, RsaPkcs1Sha256, RsaPssSha256 };

/// The Auth Method octet of the AUTH payload for a scheme: 1 or 14.
std::uint8_t auth_method(SignatureScheme scheme);

/// The AUTH payload's Authentication Data: the bare signature for method 1;
/// for method 14 (RFC 7427 3) the ASN.1 length octet, the AlgorithmIdentifier
/// DER and the signature. Throws CryptoError unless the key is RSA.
std::vector<std::uint8_t> rsa_sign(SignatureScheme scheme, const Botan::Private_Key& key,
                                   std::span<const std::uint8_t> signed_octets, Botan::RandomNumberGenerator& rng);

/// Verifies the Authentication Data of an AUTH payload with Auth Method
/// `method` (1 or 14; anything else fails) against the peer's public key. For
/// method 14 the AlgorithmIdentifier must be one of the schemes above; a
/// key other than RSA fails.
bool rsa_verify(std::uint8_t method, std::span<const std::uint8_t> auth_data, const Botan::Public_Key& key,
                std::span<const std::uint8_t> signed_octets);

/// The scheme a method-14 Authentication Data names, or why it names none
/// ("AUTH: unsupported signature algorithm ..."), for logs and tests.
Expected<SignatureScheme, std::string> digital_signature_scheme(std::span<const std::uint8_t> auth_data);

/// RFC 7427 4 / IANA "IKEv2 Hash Algorithms": SHA2-256 is 2.
constexpr std::uint16_t k_hash_sha2_256 = 2;

/// Notification Data of our SIGNATURE_HASH_ALGORITHMS notify (RFC 7427 4):
/// the 2-octet hash ids we verify with, big-endian.
std::vector<std::uint8_t> signature_hash_algorithms_data();

/// The hash ids of a peer's SIGNATURE_HASH_ALGORITHMS notify; an odd length
/// is an error ("SIGNATURE_HASH_ALGORITHMS: odd length (got 3 bytes, need a multiple of 2)").
Expected<std::vector<std::uint16_t>, std::string> parse_signature_hash_algorithms(std::span<const std::uint8_t> data);

}  // namespace picsec::ike::v2::crypto
