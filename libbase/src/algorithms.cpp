// The algorithm table (see picsec/base/algorithms.h).
#include "picsec/base/algorithms.h"

#include <array>
#include <stdexcept>

namespace picsec::algo {
namespace {

// ESP transform ids: RFC 2407 4.4.4; IKE values: RFC 2409 App. A, AES-CBC 7
// with a Key Length (RFC 3602); IKEv2 ENCR ids: RFC 7296 3.3.2 (AES-CBC 12,
// RFC 3602, with a Key Length attribute, RFC 7296 3.3.5).
// AES-GCM with a 16-byte ICV (RFC 4106): ESP transform and IKEv2 ENCR id 20
// with a Key Length of 128 or 256 (RFC 4106 8.4); its KEYMAT is the key and
// a 4-byte salt (RFC 4106 8.1), its IV 8 bytes (RFC 4106 3.1). It is no IKEv1
// phase-1 cipher (ike_attribute 0). AES-192-GCM is left out: the services
// PIC model does not list it (docs/services-pic.md).
constexpr std::array<EncryptionInfo, 7> k_encryption{{
    {EncryptionAlgorithm::DesCbc, "des-cbc", "DES/CBC/NoPadding", "DES", 8, 8, 2, 1, 0, 2, 8, 0, 0},
    {EncryptionAlgorithm::TripleDesCbc, "3des-cbc", "TripleDES/CBC/NoPadding", "TripleDES", 24, 8, 3, 5, 0, 3, 8, 0, 0},
    {EncryptionAlgorithm::Aes128Cbc, "aes-128-cbc", "AES-128/CBC/NoPadding", "AES-128", 16, 16, 12, 7, 128, 12, 16, 0, 0},
    {EncryptionAlgorithm::Aes192Cbc, "aes-192-cbc", "AES-192/CBC/NoPadding", "AES-192", 24, 16, 12, 7, 192, 12, 16, 0, 0},
    {EncryptionAlgorithm::Aes256Cbc, "aes-256-cbc", "AES-256/CBC/NoPadding", "AES-256", 32, 16, 12, 7, 256, 12, 16, 0, 0},
    {EncryptionAlgorithm::Aes128Gcm16, "aes-128-gcm", "AES-128/GCM(16)", "AES-128", 20, 16, 20, 0, 128, 20, 8, 4, 16},
    {EncryptionAlgorithm::Aes256Gcm16, "aes-256-gcm", "AES-256/GCM(16)", "AES-256", 36, 16, 20, 0, 256, 20, 8, 4, 16},
}};

// RFC 4868: HMAC-SHA-384-192 and HMAC-SHA-512-256, keys of the hash's output
// length (RFC 4868 2.1.1); IPsec DOI authentication attribute 6 / 7 and AH
// transform 6 / 7, IKEv2 INTEG 13 / 14 (RFC 4868 3.1 and 3.2).
constexpr std::array<AuthenticationInfo, 5> k_authentication{{
    {AuthenticationAlgorithm::HmacMd5_96, "hmac-md5-96", "HMAC(MD5)", 16, 12, 1, 2, 1},
    {AuthenticationAlgorithm::HmacSha1_96, "hmac-sha1-96", "HMAC(SHA-1)", 20, 12, 2, 3, 2},
    {AuthenticationAlgorithm::HmacSha256_128, "hmac-sha-256-128", "HMAC(SHA-256)", 32, 16, 5, 5, 12},
    {AuthenticationAlgorithm::HmacSha384_192, "hmac-sha-384", "HMAC(SHA-384)", 48, 24, 6, 6, 13},
    {AuthenticationAlgorithm::HmacSha512_256, "hmac-sha-512", "HMAC(SHA-512)", 64, 32, 7, 7, 14},
}};

// RFC 2409 App. A Hash Algorithm; SHA2-256 is 4 (RFC 4868 / IANA). IKEv2
// PRF ids: RFC 7296 3.3.2, PRF_HMAC_SHA2_256 5 (RFC 4868); an IKEv2 SA uses
// the HMAC of the same hash for integrity (RFC 4868 2.2: SHA-256 truncated to 128).
// SHA2-384 5, SHA2-512 6 (IANA IKE Hash Algorithm); PRF_HMAC_SHA2_384 6,
// PRF_HMAC_SHA2_512 7 (RFC 4868 3.1).
constexpr std::array<HashInfo, 5> k_hash{{
    {HashAlgorithm::Md5, "md5", 1, "MD5", "HMAC(MD5)", 16, 1, AuthenticationAlgorithm::HmacMd5_96},
    {HashAlgorithm::Sha1, "sha1", 2, "SHA-1", "HMAC(SHA-1)", 20, 2, AuthenticationAlgorithm::HmacSha1_96},
    {HashAlgorithm::Sha256, "sha-256", 4, "SHA-256", "HMAC(SHA-256)", 32, 5, AuthenticationAlgorithm::HmacSha256_128},
    {HashAlgorithm::Sha384, "sha-384", 5, "SHA-384", "HMAC(SHA-384)", 48, 6, AuthenticationAlgorithm::HmacSha384_192},
    {HashAlgorithm::Sha512, "sha-512", 6, "SHA-512", "HMAC(SHA-512)", 64, 7, AuthenticationAlgorithm::HmacSha512_256},
}};

constexpr std::array<AuthMethodInfo, 2> k_auth{{
    {AuthMethod::PreSharedKeys, "pre-shared-keys", 1},
    {AuthMethod::RsaSignatures, "rsa-signatures", 3},
}};

// RFC 2409 6.1: the First Oakley Group; Botan 2 ships only the RFC 2409/3526
// groups from 1024 bits up, so group 1 carries its prime (generator 2).
constexpr std::string_view k_modp768_prime =
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74"
    "020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437"
    "4FE1356D6D51C245E485B576625E7EC6F44C42E9A63A3620FFFFFFFFFFFFFFFF";

// ECP groups 19 and 20 (RFC 5903): KE data x || y, shared secret x. Group
// 31, Curve25519 (RFC 8031): 32-byte values both ways. JUNOS spells 19 and 20
// group19 and group20; it publishes no keyword for 31, group31 is picsec's
// (docs/services-pic.md).
constexpr std::array<DhGroupInfo, 7> k_dh{{
    {DhGroup::Modp768, "group1", 1, DhKind::Modp, "", k_modp768_prime, 96, 96},
    {DhGroup::Modp1024, "group2", 2, DhKind::Modp, "modp/ietf/1024", "", 128, 128},
    {DhGroup::Modp1536, "group5", 5, DhKind::Modp, "modp/ietf/1536", "", 192, 192},
    {DhGroup::Modp2048, "group14", 14, DhKind::Modp, "modp/ietf/2048", "", 256, 256},
    {DhGroup::Ecp256, "group19", 19, DhKind::Ecp, "secp256r1", "", 64, 32},
    {DhGroup::Ecp384, "group20", 20, DhKind::Ecp, "secp384r1", "", 96, 48},
    {DhGroup::Curve25519, "group31", 31, DhKind::Curve25519, "", "", 32, 32},
}};

constexpr std::array<ExchangeModeInfo, 2> k_modes{{
    {ExchangeMode::Main, "main", 2},
    {ExchangeMode::Aggressive, "aggressive", 4},
}};

template <typename Table, typename Id>
const auto& row_of(const Table& table, Id id, const char* what) {
    for (const auto& row : table)
        if (row.id == id) return row;
    throw std::logic_error(what);
}

template <typename Table>
auto id_from_keyword(const Table& table, std::string_view keyword) -> std::optional<decltype(table[0].id)> {
    for (const auto& row : table)
        if (row.keyword == keyword) return row.id;
    return std::nullopt;
}

template <typename Table>
auto id_from_attribute(const Table& table, std::uint16_t value) -> std::optional<decltype(table[0].id)> {
    for (const auto& row : table)
        if (row.ike_attribute == value) return row.id;
    return std::nullopt;
}

}  // namespace

std::span<const EncryptionInfo> encryption_algorithms() { return k_encryption; }
std::span<const AuthenticationInfo> authentication_algorithms() { return k_authentication; }
std::span<const HashInfo> hash_algorithms() { return k_hash; }
std::span<const AuthMethodInfo> auth_methods() { return k_auth; }
std::span<const DhGroupInfo> dh_groups() { return k_dh; }
std::span<const ExchangeModeInfo> exchange_modes() { return k_modes; }

const EncryptionInfo& info(EncryptionAlgorithm a) { return row_of(k_encryption, a, "cipher missing from table"); }
const AuthenticationInfo& info(AuthenticationAlgorithm a) {
    return row_of(k_authentication, a, "authentication algorithm missing from table");
}
const HashInfo& info(HashAlgorithm a) { return row_of(k_hash, a, "hash algorithm missing from table"); }
const AuthMethodInfo& info(AuthMethod a) { return row_of(k_auth, a, "authentication method missing from table"); }
const DhGroupInfo& info(DhGroup g) { return row_of(k_dh, g, "DH group missing from table"); }
const ExchangeModeInfo& info(ExchangeMode m) { return row_of(k_modes, m, "exchange mode missing from table"); }

std::optional<EncryptionAlgorithm> encryption_from_keyword(std::string_view keyword) {
    return id_from_keyword(k_encryption, keyword);
}
std::optional<AuthenticationAlgorithm> authentication_from_keyword(std::string_view keyword) {
    return id_from_keyword(k_authentication, keyword);
}
std::optional<HashAlgorithm> hash_from_keyword(std::string_view keyword) { return id_from_keyword(k_hash, keyword); }
std::optional<AuthMethod> auth_method_from_keyword(std::string_view keyword) {
    return id_from_keyword(k_auth, keyword);
}
std::optional<DhGroup> dh_group_from_keyword(std::string_view keyword) { return id_from_keyword(k_dh, keyword); }
std::optional<ExchangeMode> exchange_mode_from_keyword(std::string_view keyword) {
    return id_from_keyword(k_modes, keyword);
}

std::optional<EncryptionAlgorithm> ike_encryption_from_attribute(std::uint16_t value, std::uint16_t key_length_bits) {
    for (const auto& row : k_encryption)
        if (row.ike_attribute != 0 && row.ike_attribute == value && row.key_length_bits == key_length_bits)
            return row.id;
    return std::nullopt;
}
std::optional<HashAlgorithm> hash_from_attribute(std::uint16_t value) { return id_from_attribute(k_hash, value); }
std::optional<AuthMethod> auth_method_from_attribute(std::uint16_t value) { return id_from_attribute(k_auth, value); }
std::optional<DhGroup> dh_group_from_attribute(std::uint16_t value) { return id_from_attribute(k_dh, value); }

std::optional<EncryptionAlgorithm> ikev2_encryption_from_id(std::uint16_t id, std::uint16_t key_length_bits) {
    for (const auto& row : k_encryption)
        if (row.ikev2_encr_id == id && row.key_length_bits == key_length_bits) return row.id;
    return std::nullopt;
}
std::optional<HashAlgorithm> ikev2_prf_from_id(std::uint16_t id) {
    for (const auto& row : k_hash)
        if (row.ikev2_prf_id == id) return row.id;
    return std::nullopt;
}
std::optional<AuthenticationAlgorithm> ikev2_integ_from_id(std::uint16_t id) {
    for (const auto& row : k_authentication)
        if (row.ikev2_integ_id == id) return row.id;
    return std::nullopt;
}

}  // namespace picsec::algo
