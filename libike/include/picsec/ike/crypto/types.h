// Common vocabulary of the IKE crypto layer: byte views, secret buffers and the
// one exception type every crypto failure is reported with.
#pragma once

#include <botan/secmem.h>

#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace picsec::ike::crypto {

/// Read-only view of wire bytes or key material.
using ByteView = std::span<const std::uint8_t>;
/// Owned public bytes (KE values, ciphertext, hashes that go on the wire).
using Bytes = std::vector<std::uint8_t>;
/// Owned secret bytes; zeroed on release.
using SecureBytes = Botan::secure_vector<std::uint8_t>;

/// A crypto operation was refused: bad peer value, wrong length, unknown
/// algorithm. what() reads "what: why (got X, need Y)".
class CryptoError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Constant-time equality of two byte strings (HASH_I/HASH_R, QM HASH, ICV).
/// Different lengths compare unequal; the lengths themselves are not secret.
bool constant_time_equal(ByteView a, ByteView b);

}  // namespace picsec::ike::crypto
