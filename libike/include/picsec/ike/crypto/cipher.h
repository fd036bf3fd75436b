// IKE payload encryption (RFC 2409 5.3, Appendix B): CBC with an explicit
// IV, zero padding to the block size, and the per-exchange IV chain.
#pragma once

#include "picsec/ike/crypto/algorithms.h"
#include "picsec/ike/crypto/types.h"

#include <map>

namespace picsec::ike::crypto {

/// Output of one CBC pass; next_iv is the last ciphertext block, the IV of
/// the next message of the same exchange.
struct CbcResult {
    Bytes data;
    Bytes next_iv;
};

/// Encrypts a message body (everything after the ISAKMP header), padding it
/// with zero octets to a whole number of blocks (RFC 2409 5.3).
CbcResult encrypt_body(EncryptionAlgorithm cipher, ByteView key, ByteView iv, ByteView plaintext);

/// Decrypts a message body; the result keeps the padding (the payload chain
/// says where the data ends). Throws CryptoError unless the body is a
/// non-empty whole number of blocks.
CbcResult decrypt_body(EncryptionAlgorithm cipher, ByteView key, ByteView iv, ByteView ciphertext);

/// The IVs of one IKE SA, one chain per exchange (message ID). Message ID 0 is
/// phase 1; any other chain starts, on first use, from hash(last phase-1 CBC
/// block | M-ID) (RFC 2409 Appendix B) and then follows its own messages.
class IvChain {
public:
    IvChain(HashAlgorithm hash, EncryptionAlgorithm cipher, ByteView phase1_iv);

    /// The IV to encrypt or decrypt the next message of exchange message_id.
    Bytes iv(std::uint32_t message_id);
    /// The same IV without recording it: for a message not yet accepted.
    Bytes peek(std::uint32_t message_id) const;
    /// Records the last ciphertext block of a message of exchange message_id.
    void update(std::uint32_t message_id, ByteView last_block);
    /// Drops a finished exchange's chain.
    void forget(std::uint32_t message_id);

private:
    HashAlgorithm m_hash;
    std::size_t m_block_bytes;
    std::map<std::uint32_t, Bytes> m_ivs;
};

/// RFC 2409 Appendix B: the first IV of a Quick Mode or Informational
/// exchange, hash(last phase-1 CBC block | M-ID) cut to the block size.
Bytes exchange_iv(HashAlgorithm hash, ByteView last_phase1_block, std::uint32_t message_id,
                  std::size_t block_bytes);

}  // namespace picsec::ike::crypto
