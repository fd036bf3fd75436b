// Phase 1 (ISAKMP SA) algorithm table: JUNOS keyword and IANA value (RFC 2409
// Appendix A) of each encryption, hash, authentication method and DH group.
//
// NOTE: the crypto layer will own the full IKE algorithm table (IANA ids plus
// Botan names); until it exists, negotiation keeps this minimal one in its own
// namespace. The two must be unified into one table.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace picsec::ike::negotiation {

/// Phase 1 encryption-algorithm (RFC 2409 App. A "Encryption Algorithm").
enum class IkeEncryption { DesCbc, TripleDesCbc, Aes128Cbc, Aes192Cbc, Aes256Cbc };

/// Phase 1 authentication-algorithm, i.e. the ISAKMP "Hash Algorithm".
enum class IkeHash { Md5, Sha1, Sha256 };

/// Phase 1 authentication-method (RFC 2409 App. A "Authentication Method").
enum class AuthMethod { PreSharedKeys, RsaSignatures };

/// MODP Diffie-Hellman groups (RFC 2409 6.1/6.2, RFC 3526 2 and 3).
enum class DhGroup { Group1, Group2, Group5, Group14 };

struct IkeEncryptionInfo {
    IkeEncryption id;
    std::string_view keyword;       ///< JUNOS keyword, e.g. "aes-128-cbc"
    std::uint16_t iana;             ///< Encryption Algorithm attribute value (AES-CBC is 7 for all sizes)
    std::uint16_t key_length_bits;  ///< Key Length attribute value, 0 when the cipher has a fixed key
};

struct IkeHashInfo {
    IkeHash id;
    std::string_view keyword;  ///< "md5", "sha1", "sha-256"
    std::uint16_t iana;        ///< Hash Algorithm attribute value
};

struct AuthMethodInfo {
    AuthMethod id;
    std::string_view keyword;  ///< "pre-shared-keys", "rsa-signatures"
    std::uint16_t iana;        ///< Authentication Method attribute value
};

struct DhGroupInfo {
    DhGroup id;
    std::string_view keyword;  ///< "group1" ...
    std::uint16_t iana;        ///< Group Description value (phase 1 and the IPsec PFS attribute)
    std::size_t modulus_bits;
};

std::span<const IkeEncryptionInfo> ike_encryption_algorithms();
std::span<const IkeHashInfo> ike_hash_algorithms();
std::span<const AuthMethodInfo> auth_methods();
std::span<const DhGroupInfo> dh_groups();

const IkeEncryptionInfo& info(IkeEncryption a);
const IkeHashInfo& info(IkeHash a);
const AuthMethodInfo& info(AuthMethod a);
const DhGroupInfo& info(DhGroup g);

std::optional<IkeEncryption> ike_encryption_from_keyword(std::string_view keyword);
std::optional<IkeHash> ike_hash_from_keyword(std::string_view keyword);
std::optional<AuthMethod> auth_method_from_keyword(std::string_view keyword);
std::optional<DhGroup> dh_group_from_keyword(std::string_view keyword);

/// Looks up the wire pair (Encryption Algorithm, Key Length); key_length_bits
/// is 0 when the attribute is absent.
std::optional<IkeEncryption> ike_encryption_from_iana(std::uint16_t iana, std::uint16_t key_length_bits);
std::optional<IkeHash> ike_hash_from_iana(std::uint16_t iana);
std::optional<AuthMethod> auth_method_from_iana(std::uint16_t iana);
std::optional<DhGroup> dh_group_from_iana(std::uint16_t iana);

}  // namespace picsec::ike::negotiation
