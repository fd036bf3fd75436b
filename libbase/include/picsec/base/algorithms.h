// The one algorithm table of picsec: for every algorithm picsec knows, its
// identity (an enum), IANA numbers, JUNOS configuration keyword (also its name
// in logs and show output), key and ICV sizes and the Botan names used to
// create its objects, as plain strings (no Botan here). libconfig parses
// keywords with it, libsadb and libike's crypto build Botan objects from it,
// libike's negotiation maps attribute values with it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace picsec::algo {

/// Ciphers of ESP: the CBC ciphers (RFC 2405, 2451, 3602), also those of IKE
/// phase 1 (RFC 2409 App. A), and AES-GCM with a 16-byte ICV (RFC 4106), an
/// AEAD: it authenticates by itself and takes no authentication algorithm.
enum class EncryptionAlgorithm { DesCbc, TripleDesCbc, Aes128Cbc, Aes192Cbc, Aes256Cbc, Aes128Gcm16, Aes256Gcm16 };

/// Truncated HMACs of AH and ESP (RFC 2403, 2404, 4868).
enum class AuthenticationAlgorithm { HmacMd5_96, HmacSha1_96, HmacSha256_128, HmacSha384_192, HmacSha512_256 };

/// RFC 2409 App. A Hash Algorithm (also selects the HMAC PRF, RFC 2409 4).
enum class HashAlgorithm { Md5, Sha1, Sha256, Sha384, Sha512 };

/// RFC 2409 App. A Authentication Method.
enum class AuthMethod { PreSharedKeys, RsaSignatures };

/// IKE Diffie-Hellman groups (phase 1, Quick Mode PFS, IKEv2 D-H transforms):
/// the RFC 2409 6 / RFC 3526 MODP groups, the RFC 5903 ECP groups and
/// Curve25519 (RFC 8031).
enum class DhGroup { Modp768, Modp1024, Modp1536, Modp2048, Ecp256, Ecp384, Curve25519 };

/// How a group computes: modular exponentiation (RFC 2409 5), ECDH over a
/// NIST prime curve (RFC 5903), or X25519 (RFC 8031, RFC 7748).
enum class DhKind { Modp, Ecp, Curve25519 };

/// Phase-1 exchange mode (RFC 2409 5).
enum class ExchangeMode { Main, Aggressive };

/// One row of the cipher table.
///
/// An AEAD row (icv_bytes != 0, AES-GCM) has no separate integrity
/// algorithm: ESP with it carries no authentication algorithm, its ICV is
/// the AEAD's tag (RFC 4106 3, RFC 5282), and IKE offers it without an
/// integrity transform (RFC 4106 8.4, RFC 7296 3.3).
struct EncryptionInfo {
    EncryptionAlgorithm id;
    std::string_view keyword;       ///< JUNOS keyword, e.g. "3des-cbc", "aes-256-gcm"
    std::string_view botan_name;    ///< Botan::Cipher_Mode name without padding, e.g. "TripleDES/CBC/NoPadding", "AES-128/GCM(16)"
    std::string_view block_cipher;  ///< Botan::BlockCipher name, e.g. "TripleDES"
    std::size_t key_bytes;          ///< keying material: the cipher key, plus for AES-GCM the 4-byte salt (RFC 4106 8.1)
    std::size_t block_bytes;        ///< the cipher's block; for CBC also the ESP and IKE IV size (RFC 2405, 2451, 3602)
    std::uint16_t esp_transform_id; ///< IANA "IPsec ESP Transform Identifiers" (RFC 2407 4.4.4; ESP_AES_GCM_16 20, RFC 4106 8.4)
    std::uint16_t ike_attribute;    ///< RFC 2409 App. A Encryption Algorithm: DES-CBC 1, 3DES-CBC 5, AES-CBC 7; 0 = not an IKEv1 phase-1 cipher
    std::uint16_t key_length_bits;  ///< KEY_LENGTH attribute (IKE and IPsec DOI, IKEv2 Key Length), 0 when the key is fixed
    std::uint16_t ikev2_encr_id;    ///< RFC 7296 3.3.2 Transform Type 1: ENCR_DES 2, ENCR_3DES 3, ENCR_AES_CBC 12, ENCR_AES_GCM_16 20
    std::size_t iv_bytes;           ///< explicit ESP IV: the block for CBC, 8 for AES-GCM (RFC 4106 3.1)
    std::size_t salt_bytes;         ///< trailing salt in key_bytes: 4 for AES-GCM (RFC 4106 4), else 0
    std::size_t icv_bytes;          ///< AEAD tag, the ESP ICV: 16 for AES-GCM-16; 0 for a cipher that needs an integrity algorithm

    bool aead() const { return icv_bytes != 0; }
    /// An IKEv1 phase-1 cipher (RFC 2409 App. A); AES-GCM is not one.
    bool ike_phase1() const { return ike_attribute != 0; }
    /// The cipher key without the salt.
    std::size_t cipher_key_bytes() const { return key_bytes - salt_bytes; }
    /// ESP payload alignment: the cipher block for CBC, 4 bytes for AES-GCM (RFC 4106 3.2, RFC 4303 2.4).
    std::size_t esp_align_bytes() const { return aead() ? 4 : block_bytes; }
};

/// One row of the IPsec authentication table.
struct AuthenticationInfo {
    AuthenticationAlgorithm id;
    std::string_view keyword;     ///< JUNOS keyword, e.g. "hmac-sha1-96"
    std::string_view botan_name;  ///< Botan::MessageAuthenticationCode name, e.g. "HMAC(SHA-1)"
    std::size_t key_bytes;
    std::size_t icv_bytes;        ///< truncated ICV length
    std::uint16_t ipsec_auth_attribute; ///< RFC 2407 4.5 Authentication Algorithm attribute value
    std::uint16_t ah_transform_id;      ///< RFC 2407 4.4.3 AH transform identifier
    std::uint16_t ikev2_integ_id;       ///< RFC 7296 3.3.2 Transform Type 3: AUTH_HMAC_MD5_96 1, AUTH_HMAC_SHA1_96 2, AUTH_HMAC_SHA2_256_128 12, _384_192 13, _512_256 14
};

struct HashInfo {
    HashAlgorithm id;
    std::string_view keyword;      ///< JUNOS authentication-algorithm keyword
    std::uint16_t ike_attribute;   ///< MD5 1, SHA 2, SHA2-256 4, SHA2-384 5, SHA2-512 6
    std::string_view botan_hash;   ///< Botan::HashFunction name
    std::string_view botan_hmac;   ///< Botan::MessageAuthenticationCode name
    std::size_t output_bytes;
    std::uint16_t ikev2_prf_id;    ///< RFC 7296 3.3.2 Transform Type 2: PRF_HMAC_MD5 1, PRF_HMAC_SHA1 2, PRF_HMAC_SHA2_256 5, _384 6, _512 7
    AuthenticationAlgorithm ikev2_integ; ///< the integrity algorithm an IKEv2 SA pairs with this PRF (same hash)
};

struct AuthMethodInfo {
    AuthMethod id;
    std::string_view keyword;      ///< JUNOS authentication-method keyword
    std::uint16_t ike_attribute;   ///< pre-shared key 1, RSA signatures 3
};

struct DhGroupInfo {
    DhGroup id;
    std::string_view keyword;      ///< JUNOS dh-group / pfs keys keyword, e.g. "group2", "group19"
    std::uint16_t ike_attribute;   ///< Group Description and IKEv2 D-H id: 1, 2, 5, 14, 19, 20, 31
    DhKind kind;
    std::string_view botan_group;  ///< Botan::DL_Group name (MODP) or Botan::EC_Group name (ECP); empty when Botan lacks it or needs none
    std::string_view prime_hex;    ///< a MODP prime when botan_group is empty (generator 2)
    std::size_t public_bytes;      ///< KE data: g^x (RFC 2409 5), x || y (RFC 5903 7), the X25519 u (RFC 8031 2)
    std::size_t secret_bytes;      ///< the shared secret: g^xy, the x coordinate (RFC 5903 9), X25519's output
};

struct ExchangeModeInfo {
    ExchangeMode id;
    std::string_view keyword;      ///< JUNOS ike policy mode keyword
    std::uint8_t exchange_type;    ///< RFC 2408 3.1: Identity Protection 2, Aggressive 4
};

std::span<const EncryptionInfo> encryption_algorithms();
std::span<const AuthenticationInfo> authentication_algorithms();
std::span<const HashInfo> hash_algorithms();
std::span<const AuthMethodInfo> auth_methods();
std::span<const DhGroupInfo> dh_groups();
std::span<const ExchangeModeInfo> exchange_modes();

const EncryptionInfo& info(EncryptionAlgorithm a);
const AuthenticationInfo& info(AuthenticationAlgorithm a);
const HashInfo& info(HashAlgorithm a);
const AuthMethodInfo& info(AuthMethod a);
const DhGroupInfo& info(DhGroup g);
const ExchangeModeInfo& info(ExchangeMode m);

/// The keyword of any identity: its configuration word and its name in logs.
template <class Id>
std::string_view keyword(Id id) { return info(id).keyword; }

std::optional<EncryptionAlgorithm> encryption_from_keyword(std::string_view keyword);
std::optional<AuthenticationAlgorithm> authentication_from_keyword(std::string_view keyword);
std::optional<HashAlgorithm> hash_from_keyword(std::string_view keyword);
std::optional<AuthMethod> auth_method_from_keyword(std::string_view keyword);
std::optional<DhGroup> dh_group_from_keyword(std::string_view keyword);
std::optional<ExchangeMode> exchange_mode_from_keyword(std::string_view keyword);

/// Lookup by IKE attribute value; key_length_bits is the KEY_LENGTH attribute
/// (0 when absent). AES without a key length is not accepted (RFC 3602 5).
std::optional<EncryptionAlgorithm> ike_encryption_from_attribute(std::uint16_t value, std::uint16_t key_length_bits);
std::optional<HashAlgorithm> hash_from_attribute(std::uint16_t value);
std::optional<AuthMethod> auth_method_from_attribute(std::uint16_t value);
std::optional<DhGroup> dh_group_from_attribute(std::uint16_t value);

/// IKEv2 lookups by Transform ID (RFC 7296 3.3.2; DH groups share IKEv1's
/// numbers, see dh_group_from_attribute). key_length_bits is the Key Length
/// attribute (0 when absent); AES without one is not accepted (RFC 7296 3.3.5).
std::optional<EncryptionAlgorithm> ikev2_encryption_from_id(std::uint16_t id, std::uint16_t key_length_bits);
std::optional<HashAlgorithm> ikev2_prf_from_id(std::uint16_t id);
std::optional<AuthenticationAlgorithm> ikev2_integ_from_id(std::uint16_t id);

}  // namespace picsec::algo
