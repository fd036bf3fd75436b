// Internal: phase 1 attribute values and keywords (see ike_values.h).
#include "ike_values.h"

#include <array>

namespace picsec::ike::negotiation::detail {
namespace {

using crypto::AuthMethod;
using crypto::DhGroup;
using crypto::EncryptionAlgorithm;
using crypto::HashAlgorithm;

constexpr std::array k_ciphers{EncryptionAlgorithm::DesCbc, EncryptionAlgorithm::TripleDesCbc,
                               EncryptionAlgorithm::Aes128Cbc, EncryptionAlgorithm::Aes192Cbc,
                               EncryptionAlgorithm::Aes256Cbc};
constexpr std::array k_hashes{HashAlgorithm::Md5, HashAlgorithm::Sha1, HashAlgorithm::Sha256};
constexpr std::array k_methods{AuthMethod::PreSharedKeys, AuthMethod::RsaSignatures};
constexpr std::array k_groups{DhGroup::Modp768, DhGroup::Modp1024, DhGroup::Modp1536, DhGroup::Modp2048};

template <typename Enum, std::size_t N>
std::optional<Enum> by_attribute(const std::array<Enum, N>& all, std::uint16_t value) {
    for (auto e : all)
        if (ike_attribute(e) == value) return e;
    return std::nullopt;
}

}  // namespace

std::uint16_t ike_attribute(EncryptionAlgorithm a) {
    // RFC 2409 App. A: DES-CBC 1, 3DES-CBC 5; IANA: AES-CBC 7 (RFC 3602).
    switch (a) {
        case EncryptionAlgorithm::DesCbc: return 1;
        case EncryptionAlgorithm::TripleDesCbc: return 5;
        case EncryptionAlgorithm::Aes128Cbc:
        case EncryptionAlgorithm::Aes192Cbc:
        case EncryptionAlgorithm::Aes256Cbc: return 7;
    }
    return 0;
}

std::uint16_t ike_attribute(HashAlgorithm a) {
    switch (a) {
        case HashAlgorithm::Md5: return 1;
        case HashAlgorithm::Sha1: return 2;
        case HashAlgorithm::Sha256: return 4;
    }
    return 0;
}

std::uint16_t ike_attribute(AuthMethod a) {
    switch (a) {
        case AuthMethod::PreSharedKeys: return 1;
        case AuthMethod::RsaSignatures: return 3;
    }
    return 0;
}

std::uint16_t ike_attribute(DhGroup g) {
    switch (g) {
        case DhGroup::Modp768: return 1;
        case DhGroup::Modp1024: return 2;
        case DhGroup::Modp1536: return 5;
        case DhGroup::Modp2048: return 14;
    }
    return 0;
}

std::string_view keyword(HashAlgorithm a) {
    switch (a) {
        case HashAlgorithm::Md5: return "md5";
        case HashAlgorithm::Sha1: return "sha1";
        case HashAlgorithm::Sha256: return "sha-256";
    }
    return "?";
}

std::string_view keyword(AuthMethod a) {
    switch (a) {
        case AuthMethod::PreSharedKeys: return "pre-shared-keys";
        case AuthMethod::RsaSignatures: return "rsa-signatures";
    }
    return "?";
}

std::string_view keyword(DhGroup g) {
    switch (g) {
        case DhGroup::Modp768: return "group1";
        case DhGroup::Modp1024: return "group2";
        case DhGroup::Modp1536: return "group5";
        case DhGroup::Modp2048: return "group14";
    }
    return "?";
}

std::optional<EncryptionAlgorithm> ike_encryption_from_attribute(std::uint16_t value, std::uint16_t key_length_bits) {
    for (auto e : k_ciphers)
        if (ike_attribute(e) == value && sadb::info(e).key_length_bits == key_length_bits) return e;
    return std::nullopt;
}

std::optional<HashAlgorithm> hash_from_attribute(std::uint16_t v) { return by_attribute(k_hashes, v); }
std::optional<AuthMethod> auth_method_from_attribute(std::uint16_t v) { return by_attribute(k_methods, v); }
std::optional<DhGroup> dh_group_from_attribute(std::uint16_t v) { return by_attribute(k_groups, v); }

}  // namespace picsec::ike::negotiation::detail
