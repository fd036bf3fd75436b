// IKE payload encryption and the IV chain (see cipher.h).
#include "picsec/ike/crypto/cipher.h"

#include "picsec/ike/crypto/prf.h"

#include <botan/cipher_mode.h>

#include <map>
#include <memory>
#include <string>
#include <utility>

namespace picsec::ike::crypto {
namespace {

// Creating a Botan Cipher_Mode parses its name and allocates; one per
// (cipher, direction) and thread is reused, its key wiped after each message.
Botan::Cipher_Mode& cached_mode(EncryptionAlgorithm cipher, Botan::Cipher_Dir dir) {
    thread_local std::map<std::pair<EncryptionAlgorithm, Botan::Cipher_Dir>, std::unique_ptr<Botan::Cipher_Mode>> modes;
    auto& slot = modes[{cipher, dir}];
    if (!slot) slot = Botan::Cipher_Mode::create_or_throw(std::string(info(cipher).botan_name), dir);
    return *slot;
}

CbcResult run_cbc(EncryptionAlgorithm cipher, ByteView key, ByteView iv, ByteView input,
                  Botan::Cipher_Dir dir) {
    const auto& row = info(cipher);
    if (key.size() != row.key_bytes)
        throw CryptoError(std::string(row.keyword) + " key: wrong length (got " + std::to_string(key.size()) +
                          " bytes, need " + std::to_string(row.key_bytes) + ")");
    if (iv.size() != row.block_bytes)
        throw CryptoError(std::string(row.keyword) + " IV: wrong length (got " + std::to_string(iv.size()) +
                          " bytes, need " + std::to_string(row.block_bytes) + ")");
    auto& mode = cached_mode(cipher, dir);
    mode.set_key(key.data(), key.size());
    mode.start(iv.data(), iv.size());
    Botan::secure_vector<std::uint8_t> buf(input.begin(), input.end());
    mode.finish(buf);
    mode.clear();
    CbcResult out;
    out.data.assign(buf.begin(), buf.end());
    const auto& ciphertext = dir == Botan::ENCRYPTION ? out.data : Bytes(input.begin(), input.end());
    out.next_iv.assign(ciphertext.end() - static_cast<std::ptrdiff_t>(row.block_bytes), ciphertext.end());
    return out;
}

}  // namespace

CbcResult encrypt_body(EncryptionAlgorithm cipher, ByteView key, ByteView iv, ByteView plaintext) {
    const std::size_t block = info(cipher).block_bytes;
    // RFC 2409 5.3: pad with zero octets to a whole number of blocks; an
    // empty body still becomes one block so that an IV can be chained.
    const std::size_t padded = plaintext.empty() ? block : (plaintext.size() + block - 1) / block * block;
    Bytes buf(plaintext.begin(), plaintext.end());
    buf.resize(padded, 0);
    return run_cbc(cipher, key, iv, buf, Botan::ENCRYPTION);
}

CbcResult decrypt_body(EncryptionAlgorithm cipher, ByteView key, ByteView iv, ByteView ciphertext) {
    const auto& row = info(cipher);
    if (ciphertext.empty() || ciphertext.size() % row.block_bytes != 0)
        throw CryptoError("encrypted body: not a whole number of " + std::string(row.keyword) +
                          " blocks (got " + std::to_string(ciphertext.size()) + " bytes, need a non-zero multiple of " +
                          std::to_string(row.block_bytes) + ")");
    return run_cbc(cipher, key, iv, ciphertext, Botan::DECRYPTION);
}

Bytes exchange_iv(HashAlgorithm hash_alg, ByteView last_phase1_block, std::uint32_t message_id,
                  std::size_t block_bytes) {
    const auto mid = message_id_bytes(message_id);
    Bytes h = hash(hash_alg, {last_phase1_block, mid});
    if (h.size() < block_bytes) throw CryptoError("exchange IV: hash shorter than the cipher block");
    h.resize(block_bytes);
    return h;
}

IvChain::IvChain(HashAlgorithm hash, EncryptionAlgorithm cipher, ByteView phase1_iv)
    : m_hash(hash), m_block_bytes(info(cipher).block_bytes) {
    update(0, phase1_iv);
}

Bytes IvChain::iv(std::uint32_t message_id) {
    Bytes current = peek(message_id);
    m_ivs.emplace(message_id, current);
    return current;
}

Bytes IvChain::peek(std::uint32_t message_id) const {
    const auto it = m_ivs.find(message_id);
    if (it != m_ivs.end()) return it->second;
    // RFC 2409 Appendix B: a new exchange starts from the last phase-1 block.
    return exchange_iv(m_hash, m_ivs.at(0), message_id, m_block_bytes);
}

void IvChain::update(std::uint32_t message_id, ByteView last_block) {
    if (last_block.size() != m_block_bytes)
        throw CryptoError("IV: wrong length (got " + std::to_string(last_block.size()) + " bytes, need " +
                          std::to_string(m_block_bytes) + ")");
    m_ivs[message_id] = Bytes(last_block.begin(), last_block.end());
}

void IvChain::forget(std::uint32_t message_id) {
    if (message_id != 0) m_ivs.erase(message_id);
}

}  // namespace picsec::ike::crypto
