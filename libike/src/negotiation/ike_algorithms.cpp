// The phase 1 algorithm table (see ike_algorithms.h).
#include "picsec/ike/negotiation/ike_algorithms.h"

#include <array>
#include <stdexcept>

namespace picsec::ike::negotiation {
namespace {

// RFC 2409 App. A: DES-CBC 1, 3DES-CBC 5; IANA "IKE Attributes": AES-CBC 7
// with the Key Length attribute (RFC 3602 for the cipher itself).
constexpr std::array<IkeEncryptionInfo, 5> k_encryption{{
    {IkeEncryption::DesCbc, "des-cbc", 1, 0},
    {IkeEncryption::TripleDesCbc, "3des-cbc", 5, 0},
    {IkeEncryption::Aes128Cbc, "aes-128-cbc", 7, 128},
    {IkeEncryption::Aes192Cbc, "aes-192-cbc", 7, 192},
    {IkeEncryption::Aes256Cbc, "aes-256-cbc", 7, 256},
}};

// RFC 2409 App. A: MD5 1, SHA 2; IANA: SHA2-256 4.
constexpr std::array<IkeHashInfo, 3> k_hash{{
    {IkeHash::Md5, "md5", 1},
    {IkeHash::Sha1, "sha1", 2},
    {IkeHash::Sha256, "sha-256", 4},
}};

// RFC 2409 App. A: pre-shared key 1, RSA signatures 3.
constexpr std::array<AuthMethodInfo, 2> k_auth{{
    {AuthMethod::PreSharedKeys, "pre-shared-keys", 1},
    {AuthMethod::RsaSignatures, "rsa-signatures", 3},
}};

// RFC 2409 6.1/6.2 (groups 1, 2), RFC 3526 2/3 (groups 5, 14).
constexpr std::array<DhGroupInfo, 4> k_groups{{
    {DhGroup::Group1, "group1", 1, 768},
    {DhGroup::Group2, "group2", 2, 1024},
    {DhGroup::Group5, "group5", 5, 1536},
    {DhGroup::Group14, "group14", 14, 2048},
}};

template <typename Table, typename Id>
const auto& find_row(const Table& table, Id id) {
    for (const auto& row : table)
        if (row.id == id) return row;
    throw std::logic_error("IKE algorithm missing from table");
}

template <typename Table>
auto find_keyword(const Table& table, std::string_view keyword)
    -> std::optional<decltype(table[0].id)> {
    for (const auto& row : table)
        if (row.keyword == keyword) return row.id;
    return std::nullopt;
}

template <typename Table>
auto find_iana(const Table& table, std::uint16_t iana) -> std::optional<decltype(table[0].id)> {
    for (const auto& row : table)
        if (row.iana == iana) return row.id;
    return std::nullopt;
}

}  // namespace

std::span<const IkeEncryptionInfo> ike_encryption_algorithms() { return k_encryption; }
std::span<const IkeHashInfo> ike_hash_algorithms() { return k_hash; }
std::span<const AuthMethodInfo> auth_methods() { return k_auth; }
std::span<const DhGroupInfo> dh_groups() { return k_groups; }

const IkeEncryptionInfo& info(IkeEncryption a) { return find_row(k_encryption, a); }
const IkeHashInfo& info(IkeHash a) { return find_row(k_hash, a); }
const AuthMethodInfo& info(AuthMethod a) { return find_row(k_auth, a); }
const DhGroupInfo& info(DhGroup g) { return find_row(k_groups, g); }

std::optional<IkeEncryption> ike_encryption_from_keyword(std::string_view k) { return find_keyword(k_encryption, k); }
std::optional<IkeHash> ike_hash_from_keyword(std::string_view k) { return find_keyword(k_hash, k); }
std::optional<AuthMethod> auth_method_from_keyword(std::string_view k) { return find_keyword(k_auth, k); }
std::optional<DhGroup> dh_group_from_keyword(std::string_view k) { return find_keyword(k_groups, k); }

std::optional<IkeEncryption> ike_encryption_from_iana(std::uint16_t iana, std::uint16_t key_length_bits) {
    for (const auto& row : k_encryption)
        if (row.iana == iana && row.key_length_bits == key_length_bits) return row.id;
    return std::nullopt;
}
std::optional<IkeHash> ike_hash_from_iana(std::uint16_t iana) { return find_iana(k_hash, iana); }
std::optional<AuthMethod> auth_method_from_iana(std::uint16_t iana) { return find_iana(k_auth, iana); }
std::optional<DhGroup> dh_group_from_iana(std::uint16_t iana) { return find_iana(k_groups, iana); }

}  // namespace picsec::ike::negotiation
