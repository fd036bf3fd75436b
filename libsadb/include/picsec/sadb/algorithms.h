// The one algorithm table for IPsec SAs: config keyword, IANA numbers, Botan
// name and sizes. Config parsing, log names, Botan object creation and
// proposal validation all derive from it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace picsec::sadb {

/// IPsec security protocol of an SA. `Bundle` is AH over ESP (ESP under the
/// auxiliary SPI), as configured on the ES PIC.
enum class Protocol { Ah, Esp, Bundle };

enum class Direction { Inbound, Outbound, Bidirectional };

enum class Mode { Transport, Tunnel };

enum class EncryptionAlgorithm { DesCbc, TripleDesCbc, Aes128Cbc, Aes192Cbc, Aes256Cbc };

enum class AuthenticationAlgorithm { HmacMd5_96, HmacSha1_96, HmacSha256_128 };

/// One row of the encryption table.
struct EncryptionInfo {
    EncryptionAlgorithm id;
    std::string_view keyword;     ///< JUNOS config keyword, e.g. "3des-cbc"
    std::string_view botan_name;  ///< Botan::Cipher_Mode name without padding, e.g. "TripleDES/CBC/NoPadding"
    std::string_view block_cipher; ///< Botan::BlockCipher name, e.g. "TripleDES"
    std::size_t key_bytes;
    std::size_t block_bytes;      ///< also the ESP IV size (RFC 2405, 2451, 3602)
    std::uint16_t esp_transform_id; ///< IANA "IPsec ESP Transform Identifiers" (RFC 2407 4.4.4)
    std::uint16_t key_length_bits;  ///< value of the KEY_LENGTH attribute, 0 when the cipher has a fixed key
};

/// One row of the authentication table.
struct AuthenticationInfo {
    AuthenticationAlgorithm id;
    std::string_view keyword;     ///< JUNOS config keyword, e.g. "hmac-sha1-96"
    std::string_view botan_name;  ///< Botan::MessageAuthenticationCode name, e.g. "HMAC(SHA-1)"
    std::size_t key_bytes;
    std::size_t icv_bytes;        ///< truncated ICV length
    std::uint16_t ipsec_auth_attribute; ///< RFC 2407 4.5 Authentication Algorithm attribute value
    std::uint16_t ah_transform_id;      ///< RFC 2407 4.4.3 AH transform identifier
};

std::span<const EncryptionInfo> encryption_algorithms();
std::span<const AuthenticationInfo> authentication_algorithms();

const EncryptionInfo& info(EncryptionAlgorithm a);
const AuthenticationInfo& info(AuthenticationAlgorithm a);

std::optional<EncryptionAlgorithm> encryption_from_keyword(std::string_view keyword);
std::optional<AuthenticationAlgorithm> authentication_from_keyword(std::string_view keyword);

std::string_view to_string(Protocol p);
std::string_view to_string(Direction d);
std::string_view to_string(Mode m);

}  // namespace picsec::sadb
