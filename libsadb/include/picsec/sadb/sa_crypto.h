// The Botan objects of one SA leg (ESP or AH): a CBC cipher for each
// direction, a truncated HMAC and the CBC IV generator, created from the
// algorithm table on the leg's first packet, so an SA that carries no traffic
// holds only its keys. Each object is keyed once and reused for every packet.
#pragma once

#include <botan/aead.h>
#include <botan/block_cipher.h>
#include <botan/cipher_mode.h>
#include <botan/mac.h>
#include <botan/rng.h>
#include <botan/secmem.h>

#include <array>
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
/// no packet never builds any (about 1.6 kB of Botan state per ESP SA pair, plus the
/// outbound leg's IV cipher).
/// Once created, an object keeps its key: no packet calls set_key().
///
/// CBC IVs (next_iv) come from a per-leg generator rather than from the RNG
/// per packet: IV_n = E_K'(n) for a 64-bit counter n = 0, 1, 2, ... placed in
/// the first 8 bytes of a zero block, where E is the leg's own block cipher
/// and K' a key of the cipher's length drawn once from the RNG, on the first
/// IV, and never used for anything else. RFC 4303 3.3.2 and RFC 3602 2.3
/// require CBC IVs an observer cannot predict: E_K' is a pseudorandom
/// permutation, so without K' every IV is indistinguishable from a random
/// block even to someone who knows n and every earlier IV, and since n never
/// repeats within the leg (a 64-bit counter; the leg's 32-bit sequence numbers
/// end first) and E_K' is a permutation, no two IVs of a leg are equal.
///
/// AES-GCM (RFC 4106) is an AEAD: the leg has no MAC, its ICV is the GCM tag.
/// The key is the first cipher_key_bytes() of the keying material, the salt
/// its last 4 bytes (RFC 4106 8.1); the nonce is salt || IV (RFC 4106 4). Its
/// 8-byte IV is not drawn from a generator but is the packet's 64-bit
/// sequence number (gcm_iv(), RFC 4106 3.1 allows any counter; with ESN the
/// full 64-bit number): the sender's sequence numbers never repeat within an
/// SA (RFC 4303 3.3.3; the SA stops at 2^32 - 1, or 2^64 - 1 with ESN), so
/// neither does the nonce. One Botan AEAD
/// object per direction keeps its key.
class SaCrypto {
public:
    /// @throws std::invalid_argument when a key length does not match the
    /// algorithm table, or Botan::Exception when Botan lacks an algorithm.
    SaCrypto(std::optional<EncryptionAlgorithm> encryption, std::span<const std::uint8_t> encryption_key,
             std::optional<AuthenticationAlgorithm> authentication, std::span<const std::uint8_t> authentication_key);

    bool encrypts() const { return m_encryption.has_value(); }
    /// True when the SA's packets carry an ICV: a MAC's, or an AEAD's tag.
    bool authenticates() const { return m_authentication.has_value() || aead(); }
    /// True for an AEAD cipher (AES-GCM): encryption and ICV in one operation.
    bool aead() const { return m_aead; }
    /// Extended sequence numbers (RFC 4303 2.2.1, RFC 4304): the packet
    /// carries the low 32 bits, the ICV also covers the high 32 bits (after
    /// the ESP trailer or the AH payload; in the AES-GCM AAD, RFC 4106 5).
    bool esn() const { return m_esn; }
    void set_esn(bool esn) { m_esn = esn; }
    /// Explicit IV carried in each ESP packet (RFC 2405, 2451, 3602); 0 without a cipher.
    std::size_t iv_bytes() const { return m_iv_bytes; }
    /// ESP alignment: the cipher block, or 4 bytes without a cipher (RFC 4303 2.4).
    std::size_t block_bytes() const { return m_block_bytes; }
    /// ICV length: the truncated HMAC (12 for the -96 algorithms, 16, 24, 32
    /// for SHA-256-128, SHA-384-192, SHA-512-256) or the AEAD tag (16); 0 without either.
    std::size_t icv_bytes() const { return m_icv_bytes; }

    /// Writes the leg's next CBC IV (iv_bytes() bytes) into out. The first
    /// call draws the generator's key from rng; later calls do not use rng.
    void next_iv(std::span<std::uint8_t> out, Botan::RandomNumberGenerator& rng);
    /// IVs produced so far.
    std::uint64_t ivs_issued() const { return m_iv_counter; }

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

    /// AES-GCM: the 8-byte IV of the packet with this 64-bit sequence number
    /// (big-endian, RFC 4106 3.1); unique per SA since sequence numbers are.
    static void gcm_iv(std::uint64_t sequence, std::span<std::uint8_t> out);
    /// AES-GCM: encrypts text in place under nonce salt || iv with the
    /// associated data aad (RFC 4106 5: SPI || sequence, or SPI || high ||
    /// low sequence with ESN) and writes the 16-byte tag into tag.
    void aead_encrypt(std::span<const std::uint8_t> aad, std::span<const std::uint8_t> iv,
                      std::span<std::uint8_t> text, std::span<std::uint8_t> tag);
    /// AES-GCM: verifies tag over aad and text and decrypts text in place;
    /// false (text then holds nothing usable) when the tag does not verify.
    bool aead_decrypt(std::span<const std::uint8_t> aad, std::span<const std::uint8_t> iv,
                      std::span<std::uint8_t> text, std::span<const std::uint8_t> tag);

    /// True once a Botan object was created (for tests of the lazy creation).
    bool keyed() const { return m_encryptor || m_decryptor || m_mac || m_iv_cipher || m_sealer || m_opener; }

private:
    /// The encryptor or decryptor in `slot`, created and keyed on first use.
    Botan::Cipher_Mode& cipher(std::unique_ptr<Botan::Cipher_Mode>& slot, Botan::Cipher_Dir direction);
    Botan::MessageAuthenticationCode& mac();
    /// The AEAD sealer or opener in `slot`, created and keyed on first use.
    Botan::AEAD_Mode& aead_mode(std::unique_ptr<Botan::AEAD_Mode>& slot, Botan::Cipher_Dir direction);
    /// salt || iv into m_nonce.
    void make_nonce(std::span<const std::uint8_t> iv);

    std::optional<EncryptionAlgorithm> m_encryption;
    std::optional<AuthenticationAlgorithm> m_authentication;
    Botan::secure_vector<std::uint8_t> m_encryption_key;
    Botan::secure_vector<std::uint8_t> m_authentication_key;
    std::unique_ptr<Botan::Cipher_Mode> m_encryptor;
    std::unique_ptr<Botan::Cipher_Mode> m_decryptor;
    std::unique_ptr<Botan::MessageAuthenticationCode> m_mac;
    std::unique_ptr<Botan::BlockCipher> m_iv_cipher;  ///< E_K' of next_iv(), K' from the RNG
    std::unique_ptr<Botan::AEAD_Mode> m_sealer;       ///< AES-GCM encryption, keyed once
    std::unique_ptr<Botan::AEAD_Mode> m_opener;       ///< AES-GCM decryption, keyed once
    Botan::secure_vector<std::uint8_t> m_tail;        ///< the last partial block and tag of an AEAD call (capacity kept)
    std::array<std::uint8_t, 12> m_nonce{};           ///< salt || IV of the current AEAD call
    bool m_aead = false;
    bool m_esn = false;
    std::uint64_t m_iv_counter = 0;
    std::size_t m_iv_bytes = 0;
    std::size_t m_block_bytes = 4;
    std::size_t m_icv_bytes = 0;
};

}  // namespace picsec::sadb
