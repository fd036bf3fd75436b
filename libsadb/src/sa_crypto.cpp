// Botan cipher and MAC objects of one SA leg, created on first use; see sa_crypto.h.
#include "picsec/sadb/sa_crypto.h"

#include <botan/exceptn.h>
#include <botan/mem_ops.h>

#include <algorithm>
#include <array>
#include <mutex>
#include <stdexcept>
#include <string>

namespace picsec::sadb {

namespace {

// The longest HMAC output of the table (SHA-512); checked when the MAC is created.
constexpr std::size_t k_max_mac_bytes = 64;

// Whether Botan can build an algorithm is a property of the library build,
// so it is checked once per algorithm and process; add() still refuses an SA
// whose algorithm is missing, without keeping the probe object.
std::mutex g_probe_mutex;
std::array<bool, 8> g_cipher_probed{};  // by EncryptionAlgorithm
std::array<bool, 8> g_mac_probed{};     // by AuthenticationAlgorithm

void probe_cipher(EncryptionAlgorithm a) {
    const auto slot = static_cast<std::size_t>(a);
    const std::lock_guard lock(g_probe_mutex);
    if (g_cipher_probed.at(slot)) return;
    Botan::Cipher_Mode::create_or_throw(std::string(info(a).botan_name), Botan::ENCRYPTION);
    g_cipher_probed[slot] = true;
}

void probe_mac(AuthenticationAlgorithm a) {
    const auto slot = static_cast<std::size_t>(a);
    const std::lock_guard lock(g_probe_mutex);
    if (g_mac_probed.at(slot)) return;
    Botan::MessageAuthenticationCode::create_or_throw(std::string(info(a).botan_name));
    g_mac_probed[slot] = true;
}

}  // namespace

SaCrypto::SaCrypto(std::optional<EncryptionAlgorithm> encryption, std::span<const std::uint8_t> encryption_key,
                   std::optional<AuthenticationAlgorithm> authentication,
                   std::span<const std::uint8_t> authentication_key) {
    if (encryption) {
        const auto& row = info(*encryption);
        if (encryption_key.size() != row.key_bytes)
            throw std::invalid_argument("encryption key: wrong length for " + std::string(row.keyword) + " (got " +
                                        std::to_string(encryption_key.size()) + " bytes, need " +
                                        std::to_string(row.key_bytes) + ")");
        if (row.aead() && authentication)
            throw std::invalid_argument("authentication: " + std::string(row.keyword) +
                                        " is an AEAD and authenticates by itself (RFC 4106), no authentication "
                                        "algorithm may be added");
        probe_cipher(*encryption);
        m_encryption = encryption;
        m_encryption_key.assign(encryption_key.begin(), encryption_key.end());
        m_iv_bytes = row.iv_bytes;
        m_block_bytes = row.esp_align_bytes();
        m_aead = row.aead();
        if (m_aead) {
            m_icv_bytes = row.icv_bytes;
            // Salt (RFC 4106 4): the last salt_bytes of the keying material.
            std::copy(m_encryption_key.end() - static_cast<std::ptrdiff_t>(row.salt_bytes), m_encryption_key.end(),
                      m_nonce.begin());
        }
    }
    if (authentication) {
        const auto& row = info(*authentication);
        if (authentication_key.size() != row.key_bytes)
            throw std::invalid_argument("authentication key: wrong length for " + std::string(row.keyword) +
                                        " (got " + std::to_string(authentication_key.size()) + " bytes, need " +
                                        std::to_string(row.key_bytes) + ")");
        probe_mac(*authentication);
        m_authentication = authentication;
        m_authentication_key.assign(authentication_key.begin(), authentication_key.end());
        m_icv_bytes = row.icv_bytes;
    }
}

Botan::Cipher_Mode& SaCrypto::cipher(std::unique_ptr<Botan::Cipher_Mode>& slot, Botan::Cipher_Dir direction) {
    if (!m_encryption) throw std::logic_error("SaCrypto: encryption or decryption without a cipher");
    if (!slot) {
        auto c = Botan::Cipher_Mode::create_or_throw(std::string(info(*m_encryption).botan_name), direction);
        c->set_key(m_encryption_key.data(), m_encryption_key.size());
        slot = std::move(c);
    }
    return *slot;
}

Botan::AEAD_Mode& SaCrypto::aead_mode(std::unique_ptr<Botan::AEAD_Mode>& slot, Botan::Cipher_Dir direction) {
    if (!m_aead) throw std::logic_error("SaCrypto: AEAD call without an AEAD cipher");
    if (!slot) {
        const auto& row = info(*m_encryption);
        auto c = Botan::AEAD_Mode::create_or_throw(std::string(row.botan_name), direction);
        c->set_key(m_encryption_key.data(), row.cipher_key_bytes());
        // The tail of a call is under one update granularity, plus the tag:
        // reserved once, so no packet allocates.
        m_tail.reserve(c->update_granularity() + row.icv_bytes);
        slot = std::move(c);
    }
    return *slot;
}

void SaCrypto::gcm_iv(std::uint64_t sequence, std::span<std::uint8_t> out) {
    if (out.size() != 8) throw std::logic_error("SaCrypto: a GCM IV is 8 bytes");
    for (std::size_t i = 0; i < 8; ++i) out[i] = static_cast<std::uint8_t>(sequence >> (56 - 8 * i));
}

void SaCrypto::make_nonce(std::span<const std::uint8_t> iv) {
    if (iv.size() != 8) throw std::logic_error("SaCrypto: a GCM IV is 8 bytes");
    std::copy(iv.begin(), iv.end(), m_nonce.begin() + 4);
}

void SaCrypto::aead_encrypt(std::span<const std::uint8_t> aad, std::span<const std::uint8_t> iv,
                            std::span<std::uint8_t> text, std::span<std::uint8_t> tag) {
    auto& c = aead_mode(m_sealer, Botan::ENCRYPTION);
    if (tag.size() != m_icv_bytes) throw std::logic_error("SaCrypto: AEAD tag buffer of the wrong size");
    make_nonce(iv);
    c.set_associated_data(aad.data(), aad.size());
    c.start(m_nonce.data(), m_nonce.size());
    // Whole blocks in place; the rest (under one block) through finish(),
    // which appends the tag: tail ciphertext and tag go back behind them.
    const std::size_t granularity = c.update_granularity();
    const std::size_t whole = text.size() / granularity * granularity;
    if (whole > 0) c.process(text.data(), whole);
    m_tail.assign(text.begin() + static_cast<std::ptrdiff_t>(whole), text.end());
    c.finish(m_tail);
    const std::size_t rest = text.size() - whole;
    std::copy(m_tail.begin(), m_tail.begin() + static_cast<std::ptrdiff_t>(rest), text.begin() + static_cast<std::ptrdiff_t>(whole));
    std::copy(m_tail.begin() + static_cast<std::ptrdiff_t>(rest), m_tail.end(), tag.begin());
}

bool SaCrypto::aead_decrypt(std::span<const std::uint8_t> aad, std::span<const std::uint8_t> iv,
                            std::span<std::uint8_t> text, std::span<const std::uint8_t> tag) {
    auto& c = aead_mode(m_opener, Botan::DECRYPTION);
    if (tag.size() != m_icv_bytes) return false;
    make_nonce(iv);
    c.set_associated_data(aad.data(), aad.size());
    c.start(m_nonce.data(), m_nonce.size());
    const std::size_t granularity = c.update_granularity();
    const std::size_t whole = text.size() / granularity * granularity;
    if (whole > 0) c.process(text.data(), whole);
    m_tail.assign(text.begin() + static_cast<std::ptrdiff_t>(whole), text.end());
    m_tail.insert(m_tail.end(), tag.begin(), tag.end());
    try {
        c.finish(m_tail);
    } catch (const Botan::Invalid_Authentication_Tag&) {
        c.reset();
        return false;
    }
    std::copy(m_tail.begin(), m_tail.end(), text.begin() + static_cast<std::ptrdiff_t>(whole));
    return true;
}

Botan::MessageAuthenticationCode& SaCrypto::mac() {
    if (!m_authentication) throw std::logic_error("SaCrypto: ICV without a MAC");
    if (!m_mac) {
        auto m = Botan::MessageAuthenticationCode::create_or_throw(std::string(info(*m_authentication).botan_name));
        if (m->output_length() > k_max_mac_bytes) throw std::logic_error("SaCrypto: MAC output too long");
        m->set_key(m_authentication_key.data(), m_authentication_key.size());
        m_mac = std::move(m);
    }
    return *m_mac;
}

void SaCrypto::next_iv(std::span<std::uint8_t> out, Botan::RandomNumberGenerator& rng) {
    if (!m_encryption) throw std::logic_error("SaCrypto: an IV without a cipher");
    if (m_aead) throw std::logic_error("SaCrypto: a GCM IV comes from the sequence number (gcm_iv), not next_iv");
    if (out.size() != m_iv_bytes) throw std::logic_error("SaCrypto: IV buffer of the wrong size");
    if (!m_iv_cipher) {
        const auto& row = info(*m_encryption);
        auto c = Botan::BlockCipher::create_or_throw(std::string(row.block_cipher));
        // K' is independent of the SA's keys: drawn once, used only for IVs.
        const Botan::secure_vector<std::uint8_t> iv_key = rng.random_vec(row.key_bytes);
        c->set_key(iv_key);
        m_iv_cipher = std::move(c);
    }
    // A 2^64 counter cannot wrap within an SA (its sequence numbers run out at
    // 2^32), but refuse rather than repeat an IV.
    if (m_iv_counter == UINT64_MAX) throw std::logic_error("SaCrypto: IV counter exhausted");
    const std::uint64_t n = m_iv_counter++;
    std::fill(out.begin(), out.end(), std::uint8_t{0});
    for (std::size_t i = 0; i < 8; ++i) out[i] = static_cast<std::uint8_t>(n >> (56 - 8 * i));
    m_iv_cipher->encrypt(out.data());
}

void SaCrypto::encrypt(std::span<const std::uint8_t> iv, std::span<std::uint8_t> data) {
    auto& c = cipher(m_encryptor, Botan::ENCRYPTION);
    c.start(iv.data(), iv.size());
    // CBC without padding: process() handles whole blocks in place.
    c.process(data.data(), data.size());
}

void SaCrypto::decrypt(std::span<const std::uint8_t> iv, std::span<std::uint8_t> data) {
    auto& c = cipher(m_decryptor, Botan::DECRYPTION);
    c.start(iv.data(), iv.size());
    c.process(data.data(), data.size());
}

void SaCrypto::mac_update(std::span<const std::uint8_t> data) { mac().update(data.data(), data.size()); }

void SaCrypto::mac_final(std::span<std::uint8_t> out) {
    // final() into a buffer on the stack: no allocation per packet; the MAC
    // keeps its key (HMAC restarts from the keyed inner pad).
    std::array<std::uint8_t, k_max_mac_bytes> full{};
    auto& m = mac();
    m.final(full.data());
    // RFC 2403 / 2404 / 4868: the ICV is the leftmost bits of the HMAC output.
    Botan::copy_mem(out.data(), full.data(), std::min(out.size(), m_icv_bytes));
}

bool SaCrypto::mac_verify(std::span<const std::uint8_t> icv) {
    std::array<std::uint8_t, k_max_mac_bytes> full{};
    mac().final(full.data());
    if (icv.size() != m_icv_bytes) return false;
    return Botan::constant_time_compare(full.data(), icv.data(), m_icv_bytes);
}

}  // namespace picsec::sadb
