// Botan cipher and MAC objects of one SA leg; see sa_crypto.h.
#include "picsec/sadb/sa_crypto.h"

#include <botan/mem_ops.h>

#include <algorithm>
#include <stdexcept>
#include <string>

namespace picsec::sadb {

SaCrypto::SaCrypto(std::optional<EncryptionAlgorithm> encryption, std::span<const std::uint8_t> encryption_key,
                   std::optional<AuthenticationAlgorithm> authentication,
                   std::span<const std::uint8_t> authentication_key) {
    if (encryption) {
        const auto& row = info(*encryption);
        if (encryption_key.size() != row.key_bytes)
            throw std::invalid_argument("encryption key: wrong length for " + std::string(row.keyword) + " (got " +
                                        std::to_string(encryption_key.size()) + " bytes, need " +
                                        std::to_string(row.key_bytes) + ")");
        const std::string name(row.botan_name);
        m_encryptor = Botan::Cipher_Mode::create_or_throw(name, Botan::ENCRYPTION);
        m_decryptor = Botan::Cipher_Mode::create_or_throw(name, Botan::DECRYPTION);
        m_encryptor->set_key(encryption_key.data(), encryption_key.size());
        m_decryptor->set_key(encryption_key.data(), encryption_key.size());
        m_iv_bytes = row.block_bytes;
        m_block_bytes = row.block_bytes;
    }
    if (authentication) {
        const auto& row = info(*authentication);
        if (authentication_key.size() != row.key_bytes)
            throw std::invalid_argument("authentication key: wrong length for " + std::string(row.keyword) +
                                        " (got " + std::to_string(authentication_key.size()) + " bytes, need " +
                                        std::to_string(row.key_bytes) + ")");
        m_mac = Botan::MessageAuthenticationCode::create_or_throw(std::string(row.botan_name));
        m_mac->set_key(authentication_key.data(), authentication_key.size());
        m_icv_bytes = row.icv_bytes;
    }
}

void SaCrypto::encrypt(std::span<const std::uint8_t> iv, std::span<std::uint8_t> data) {
    if (!m_encryptor) throw std::logic_error("SaCrypto::encrypt without a cipher");
    m_encryptor->start(iv.data(), iv.size());
    // CBC without padding: process() handles whole blocks in place.
    m_encryptor->process(data.data(), data.size());
}

void SaCrypto::decrypt(std::span<const std::uint8_t> iv, std::span<std::uint8_t> data) {
    if (!m_decryptor) throw std::logic_error("SaCrypto::decrypt without a cipher");
    m_decryptor->start(iv.data(), iv.size());
    m_decryptor->process(data.data(), data.size());
}

void SaCrypto::mac_update(std::span<const std::uint8_t> data) {
    if (!m_mac) throw std::logic_error("SaCrypto::mac_update without a MAC");
    m_mac->update(data.data(), data.size());
}

void SaCrypto::mac_final(std::span<std::uint8_t> out) {
    if (!m_mac) throw std::logic_error("SaCrypto::mac_final without a MAC");
    const Botan::secure_vector<std::uint8_t> full = m_mac->final();
    // RFC 2403 / 2404 / 4868: the ICV is the leftmost bits of the HMAC output.
    Botan::copy_mem(out.data(), full.data(), std::min(out.size(), m_icv_bytes));
}

bool SaCrypto::mac_verify(std::span<const std::uint8_t> icv) {
    if (!m_mac) throw std::logic_error("SaCrypto::mac_verify without a MAC");
    const Botan::secure_vector<std::uint8_t> full = m_mac->final();
    if (icv.size() != m_icv_bytes) return false;
    return Botan::constant_time_compare(full.data(), icv.data(), m_icv_bytes);
}

}  // namespace picsec::sadb
