// The IKE (phase 1) algorithm table: RFC 2409 Appendix A attribute values,
// JUNOS keywords, Botan names and sizes. Ciphers are the rows of the IPsec
// table (picsec/sadb/algorithms.h); this table adds only their IKE numbers.
// Plain data in its own library (picsec_ike_algorithms, no Botan linked):
// crypto builds Botan objects from it, negotiation renders and matches with it.
#pragma once

#include "picsec/sadb/algorithms.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace picsec::ike::crypto {

/// Phase-1 ciphers are the same CBC ciphers as ESP's; sizes and Botan names
/// come from sadb::info(EncryptionAlgorithm).
using EncryptionAlgorithm = sadb::EncryptionAlgorithm;

/// RFC 2409 App. A Hash Algorithm (also selects the HMAC PRF, RFC 2409 4).
enum class HashAlgorithm { Md5, Sha1, Sha256 };

/// RFC 2409 App. A Authentication Method.
enum class AuthMethod { PreSharedKeys, RsaSignatures };

/// RFC 2409 6 / RFC 3526 MODP groups.
enum class DhGroup { Modp768, Modp1024, Modp1536, Modp2048 };

/// IKE numbers of a phase-1 cipher (RFC 2409 App. A Encryption Algorithm
/// attribute, plus Key Length for AES, RFC 3602 / IANA).
struct IkeEncryptionInfo {
    EncryptionAlgorithm id;
    std::uint16_t ike_attribute;   ///< DES-CBC 1, 3DES-CBC 5, AES-CBC 7
    std::uint16_t key_length_bits; ///< KEY_LENGTH attribute value, 0 when fixed
};

struct HashInfo {
    HashAlgorithm id;
    std::string_view keyword;      ///< JUNOS authentication-algorithm keyword
    std::uint16_t ike_attribute;   ///< MD5 1, SHA 2, SHA2-256 4
    std::string_view botan_hash;   ///< Botan::HashFunction name
    std::string_view botan_hmac;   ///< Botan::MessageAuthenticationCode name
    std::size_t output_bytes;
};

struct AuthMethodInfo {
    AuthMethod id;
    std::string_view keyword;      ///< JUNOS authentication-method keyword
    std::uint16_t ike_attribute;   ///< pre-shared key 1, RSA signatures 3
};

struct DhGroupInfo {
    DhGroup id;
    std::string_view keyword;      ///< JUNOS dh-group keyword, e.g. "group2"
    std::uint16_t ike_attribute;   ///< Group Description: 1, 2, 5, 14
    std::string_view botan_group;  ///< Botan::DL_Group name; empty when Botan lacks it
    std::string_view prime_hex;    ///< the prime when botan_group is empty (generator 2)
    std::size_t modulus_bytes;     ///< length of KE data and g^xy (RFC 2409 5)
};

std::span<const IkeEncryptionInfo> ike_encryption_algorithms();
std::span<const HashInfo> hash_algorithms();
std::span<const AuthMethodInfo> auth_methods();
std::span<const DhGroupInfo> dh_groups();

const IkeEncryptionInfo& ike_info(EncryptionAlgorithm a);
const HashInfo& info(HashAlgorithm a);
const AuthMethodInfo& info(AuthMethod a);
const DhGroupInfo& info(DhGroup g);

/// Phase-1 cipher keywords are the IPsec ones (des-cbc ... aes-256-cbc).
std::optional<EncryptionAlgorithm> ike_encryption_from_keyword(std::string_view keyword);
std::optional<HashAlgorithm> hash_from_keyword(std::string_view keyword);
std::optional<AuthMethod> auth_method_from_keyword(std::string_view keyword);
std::optional<DhGroup> dh_group_from_keyword(std::string_view keyword);

/// Lookup by IKE attribute value; key_length_bits is the KEY_LENGTH attribute
/// (0 when absent). AES without a key length is not accepted (RFC 3602 5).
std::optional<EncryptionAlgorithm> ike_encryption_from_attribute(std::uint16_t value,
                                                                 std::uint16_t key_length_bits);
std::optional<HashAlgorithm> hash_from_attribute(std::uint16_t value);
std::optional<AuthMethod> auth_method_from_attribute(std::uint16_t value);
std::optional<DhGroup> dh_group_from_attribute(std::uint16_t value);

}  // namespace picsec::ike::crypto
