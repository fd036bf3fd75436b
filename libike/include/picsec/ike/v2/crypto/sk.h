// The Encrypted payload SK{} of IKEv2 (RFC 7296 3.14) and its fragments SKF
// (RFC 7383 2.5): CBC encryption with an explicit IV, then a truncated HMAC
// over the whole message.
#pragma once

#include "picsec/base/expected.h"
#include "picsec/ike/v2/crypto/keys.h"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace Botan {
class RandomNumberGenerator;
}  // namespace Botan

namespace picsec::ike::v2::crypto {

/// The keys of one direction: SK_ei/SK_ai for what the initiator sends,
/// SK_er/SK_ar for what the responder sends (RFC 7296 2.14).
struct SkKeys {
    std::span<const std::uint8_t> sk_e;
    std::span<const std::uint8_t> sk_a;
};

/// Length of the SK body for `plaintext_size` bytes of inner payloads:
/// IV + ciphertext (payloads, padding and the Pad Length octet, a whole
/// number of blocks) + ICV (RFC 7296 3.14).
std::size_t sk_body_size(const Suite& suite, std::size_t plaintext_size);

/// Encrypts and protects inner payloads and returns the SK body
/// (IV | ciphertext | ICV). `message_prefix` is everything before the body as
/// it goes on the wire: the IKE header and the SK generic header (for SKF
/// also its Fragment Number and Total Fragments), already carrying the final
/// lengths (see sk_body_size). The IV is drawn from rng; the padding is zeros.
std::vector<std::uint8_t> sk_seal(const Suite& suite, SkKeys keys, std::span<const std::uint8_t> message_prefix,
                                  std::span<const std::uint8_t> plaintext, Botan::RandomNumberGenerator& rng);

/// Checks and decrypts an SK (or SKF) body. `message` is the whole IKE
/// message (no non-ESP marker), `body_offset` where the body (the IV) begins.
/// The ICV is checked first, in constant time; then the body is decrypted and
/// the padding stripped. Returns the inner payloads, or one line saying why
/// not ("SK: ICV mismatch").
Expected<Botan::secure_vector<std::uint8_t>, std::string> sk_open(const Suite& suite, SkKeys keys,
                                                                  std::span<const std::uint8_t> message,
                                                                  std::size_t body_offset);

}  // namespace picsec::ike::v2::crypto
