// The Botan objects of one SA leg (ESP or AH): a CBC cipher for each
// direction and a truncated HMAC, created from the algorithm table on the
// leg's first packet, so an SA that carries no traffic holds only its keys.
#pragma once

#include <botan/cipher_mode.h>
#include <botan/mac.h>
#include <botan/secmem.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>

#include "picsec/sadb/algorithms.h"

namespace picsec::sadb {

/// Keyed cipher and MAC for one SA leg. Not thread-safe (Botan objects keep
/// state between calls); the SADB is driven from one thread.
///
/// The constructor checks the keys and that Botan provides the algorithms
/// (once per algorithm and process), and keeps a copy of the keys. The
/// encryptor, the decryptor and the MAC are each created and keyed on their
/// first use: an inbound SA never builds an encryptor, and an SA that sees
/// no packet never builds any (about 1.6 kB of Botan state per ESP SA pair).
class SaCrypto {
public:
    /// @throws std::invalid_argument when a key length does not match the
    /// algorithm table, or Botan::Exception when Botan lacks an algorithm.
    SaCrypto(std::optional<EncryptionAlgorithm> encryption, std::span<const std::uint8_t> encryption_key,
             std::optional<AuthenticationAlgorithm> authentication, std::span<const std::uint8_t> authentication_key);

    bool encrypts() const { return m_encryption.has_value(); }
    bool authenticates() const { return m_authentication.has_value(); }
    /// Explicit IV carried in each ESP packet (RFC 2405, 2451, 3602); 0 without a cipher.
    std::size_t iv_bytes() const { return m_iv_bytes; }
    /// ESP alignment: the cipher block, or 4 bytes without a cipher (RFC 4303 2.4).
    std::size_t block_bytes() const { return m_block_bytes; }
    /// Truncated ICV length (12 for the -96 algorithms, 16 for SHA-256-128); 0 without a MAC.
    std::size_t icv_bytes() const { return m_icv_bytes; }

    /// CBC-encrypts data in place; data.size() is a multiple of block_bytes().
    void encrypt(std::span<const std::uint8_t> iv, std::span<std::uint8_t> data);
    /// CBC-decrypts data in place; data.size() is a multiple of block_bytes().
    void decrypt(std::span<const std::uint8_t> iv, std::span<std::uint8_t> data);

    /// Feeds bytes into the ICV computation.
    void mac_update(std::span<const std::uint8_t> data);
    /// Ends the ICV computation and writes the truncated ICV into out (icv_bytes()).
    void mac_final(std::span<std::uint8_t> out);
    /// Ends the ICV computation and compares with icv in constant time.
    bool mac_verify(std::span<const std::uint8_t> icv);

    /// True once a Botan object was created (for tests of the lazy creation).
    bool keyed() const { return m_encryptor || m_decryptor || m_mac; }

private:
    /// The encryptor or decryptor in `slot`, created and keyed on first use.
    Botan::Cipher_Mode& cipher(std::unique_ptr<Botan::Cipher_Mode>& slot, Botan::Cipher_Dir direction);
    Botan::MessageAuthenticationCode& mac();

    std::optional<EncryptionAlgorithm> m_encryption;
    std::optional<AuthenticationAlgorithm> m_authentication;
    Botan::secure_vector<std::uint8_t> m_encryption_key;
    Botan::secure_vector<std::uint8_t> m_authentication_key;
    std::unique_ptr<Botan::Cipher_Mode> m_encryptor;
    std::unique_ptr<Botan::Cipher_Mode> m_decryptor;
    std::unique_ptr<Botan::MessageAuthenticationCode> m_mac;
    std::size_t m_iv_bytes = 0;
    std::size_t m_block_bytes = 4;
    std::size_t m_icv_bytes = 0;
};

}  // namespace picsec::sadb
