// The IPsec algorithm table (see algorithms.h).
#include "picsec/sadb/algorithms.h"

#include <array>
#include <stdexcept>

namespace picsec::sadb {
namespace {

constexpr std::array<EncryptionInfo, 5> k_encryption{{
    {EncryptionAlgorithm::DesCbc, "des-cbc", "DES/CBC/NoPadding", "DES", 8, 8, 2, 0},
    {EncryptionAlgorithm::TripleDesCbc, "3des-cbc", "TripleDES/CBC/NoPadding", "TripleDES", 24, 8, 3, 0},
    {EncryptionAlgorithm::Aes128Cbc, "aes-128-cbc", "AES-128/CBC/NoPadding", "AES-128", 16, 16, 12, 128},
    {EncryptionAlgorithm::Aes192Cbc, "aes-192-cbc", "AES-192/CBC/NoPadding", "AES-192", 24, 16, 12, 192},
    {EncryptionAlgorithm::Aes256Cbc, "aes-256-cbc", "AES-256/CBC/NoPadding", "AES-256", 32, 16, 12, 256},
}};

constexpr std::array<AuthenticationInfo, 3> k_authentication{{
    {AuthenticationAlgorithm::HmacMd5_96, "hmac-md5-96", "HMAC(MD5)", 16, 12, 1, 2},
    {AuthenticationAlgorithm::HmacSha1_96, "hmac-sha1-96", "HMAC(SHA-1)", 20, 12, 2, 3},
    {AuthenticationAlgorithm::HmacSha256_128, "hmac-sha-256-128", "HMAC(SHA-256)", 32, 16, 5, 5},
}};

}  // namespace

std::span<const EncryptionInfo> encryption_algorithms() { return k_encryption; }
std::span<const AuthenticationInfo> authentication_algorithms() { return k_authentication; }

const EncryptionInfo& info(EncryptionAlgorithm a) {
    for (const auto& row : k_encryption)
        if (row.id == a) return row;
    throw std::logic_error("encryption algorithm missing from table");
}

const AuthenticationInfo& info(AuthenticationAlgorithm a) {
    for (const auto& row : k_authentication)
        if (row.id == a) return row;
    throw std::logic_error("authentication algorithm missing from table");
}

std::optional<EncryptionAlgorithm> encryption_from_keyword(std::string_view keyword) {
    for (const auto& row : k_encryption)
        if (row.keyword == keyword) return row.id;
    return std::nullopt;
}

std::optional<AuthenticationAlgorithm> authentication_from_keyword(std::string_view keyword) {
    for (const auto& row : k_authentication)
        if (row.keyword == keyword) return row.id;
    return std::nullopt;
}

std::string_view to_string(Protocol p) {
    switch (p) {
        case Protocol::Ah: return "ah";
        case Protocol::Esp: return "esp";
        case Protocol::Bundle: return "bundle";
    }
    return "?";
}

std::string_view to_string(Direction d) {
    switch (d) {
        case Direction::Inbound: return "inbound";
        case Direction::Outbound: return "outbound";
        case Direction::Bidirectional: return "bidirectional";
    }
    return "?";
}

std::string_view to_string(Mode m) {
    switch (m) {
        case Mode::Transport: return "transport";
        case Mode::Tunnel: return "tunnel";
    }
    return "?";
}

}  // namespace picsec::sadb
