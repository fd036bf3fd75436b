// The IKEv2 Encrypted payload body: seal and open (see picsec/ike/v2/crypto/sk.h).
#include "picsec/ike/v2/crypto/sk.h"

#include "picsec/ike/crypto/types.h"

#include <botan/cipher_mode.h>
#include <botan/mac.h>
#include <botan/rng.h>

#include <memory>
#include <string>

namespace picsec::ike::v2::crypto {
namespace {

using ike::crypto::CryptoError;
using Secret = Botan::secure_vector<std::uint8_t>;

std::string n(std::size_t v) { return std::to_string(v); }

// RFC 7296 3.14: the ICV is the integrity algorithm's truncated output over
// the message from the first octet of the IKE header through the ciphertext.
std::vector<std::uint8_t> icv(algo::AuthenticationAlgorithm integ, std::span<const std::uint8_t> sk_a,
                              std::span<const std::uint8_t> covered_a, std::span<const std::uint8_t> covered_b) {
    const auto& row = algo::info(integ);
    if (sk_a.size() != row.key_bytes)
        throw CryptoError(std::string(row.keyword) + " SK_a: wrong length (got " + n(sk_a.size()) + " bytes, need " +
                          n(row.key_bytes) + ")");
    const auto mac = Botan::MessageAuthenticationCode::create_or_throw(std::string(row.botan_name));
    mac->set_key(sk_a.data(), sk_a.size());
    mac->update(covered_a.data(), covered_a.size());
    mac->update(covered_b.data(), covered_b.size());
    auto out = mac->final_stdvec();
    out.resize(row.icv_bytes);
    return out;
}

// CBC in place over a whole number of blocks (RFC 7296 3.14 with RFC 3602 /
// RFC 2451 ciphers: explicit IV, no chaining between messages).
void cbc(algo::EncryptionAlgorithm encr, std::span<const std::uint8_t> sk_e, std::span<const std::uint8_t> iv,
         Secret& buf, Botan::Cipher_Dir dir) {
    const auto& row = algo::info(encr);
    if (sk_e.size() != row.key_bytes)
        throw CryptoError(std::string(row.keyword) + " SK_e: wrong length (got " + n(sk_e.size()) + " bytes, need " +
                          n(row.key_bytes) + ")");
    const auto mode = Botan::Cipher_Mode::create_or_throw(std::string(row.botan_name), dir);
    mode->set_key(sk_e.data(), sk_e.size());
    mode->start(iv.data(), iv.size());
    mode->finish(buf);
}

}  // namespace

std::size_t sk_body_size(const Suite& suite, std::size_t plaintext_size) {
    const std::size_t block = algo::info(suite.encr).block_bytes;
    // RFC 7296 3.14: payloads, padding and the Pad Length octet fill whole blocks.
    const std::size_t padded = (plaintext_size + 1 + block - 1) / block * block;
    return block + padded + algo::info(suite.integ).icv_bytes;
}

std::vector<std::uint8_t> sk_seal(const Suite& suite, SkKeys keys, std::span<const std::uint8_t> message_prefix,
                                  std::span<const std::uint8_t> plaintext, Botan::RandomNumberGenerator& rng) {
    const std::size_t block = algo::info(suite.encr).block_bytes;
    const std::size_t icv_bytes = algo::info(suite.integ).icv_bytes;
    const std::size_t padded = sk_body_size(suite, plaintext.size()) - block - icv_bytes;
    const auto pad_length = static_cast<std::uint8_t>(padded - plaintext.size() - 1);

    // RFC 7296 3.14: the IV is random and unpredictable for CBC ciphers.
    std::vector<std::uint8_t> body(block);
    rng.randomize(body.data(), body.size());

    Secret buf(plaintext.begin(), plaintext.end());
    buf.resize(padded - 1, 0);  // Padding: any value; zeros here
    buf.push_back(pad_length);
    cbc(suite.encr, keys.sk_e, std::span<const std::uint8_t>(body.data(), block), buf, Botan::ENCRYPTION);
    body.insert(body.end(), buf.begin(), buf.end());

    const auto mac = icv(suite.integ, keys.sk_a, message_prefix, body);
    body.insert(body.end(), mac.begin(), mac.end());
    return body;
}

Expected<Secret, std::string> sk_open(const Suite& suite, SkKeys keys, std::span<const std::uint8_t> message,
                                      std::size_t body_offset) {
    const std::size_t block = algo::info(suite.encr).block_bytes;
    const std::size_t icv_bytes = algo::info(suite.integ).icv_bytes;
    if (body_offset > message.size())
        return std::string("SK: body starts beyond the message (got offset " + n(body_offset) + ", need at most " +
                           n(message.size()) + ")");
    const std::size_t body_size = message.size() - body_offset;
    // At least an IV, one block of ciphertext (the Pad Length octet) and the ICV.
    if (body_size < block + block + icv_bytes)
        return std::string("SK: body too short (got " + n(body_size) + " bytes, need at least " +
                           n(2 * block + icv_bytes) + ")");
    const std::size_t cipher_size = body_size - block - icv_bytes;
    if (cipher_size % block != 0)
        return std::string("SK: ciphertext not a whole number of blocks (got " + n(cipher_size) +
                           " bytes, need a multiple of " + n(block) + ")");

    // RFC 7296 2.21.2 / 3.14: authenticate before decrypting anything.
    const auto covered = message.first(message.size() - icv_bytes);
    const auto expected = icv(suite.integ, keys.sk_a, covered, {});
    if (!ike::crypto::constant_time_equal(expected, message.last(icv_bytes))) return std::string("SK: ICV mismatch");

    const auto iv = message.subspan(body_offset, block);
    const auto ciphertext = message.subspan(body_offset + block, cipher_size);
    Secret buf(ciphertext.begin(), ciphertext.end());
    cbc(suite.encr, keys.sk_e, iv, buf, Botan::DECRYPTION);
    const std::size_t pad_length = buf.back();
    if (pad_length + 1 > buf.size())
        return std::string("SK: pad length " + n(pad_length) + " exceeds the plaintext (got " + n(buf.size()) +
                           " bytes, need at least " + n(pad_length + 1) + ")");
    buf.resize(buf.size() - pad_length - 1);
    return buf;
}

}  // namespace picsec::ike::v2::crypto
