// Diffie-Hellman over the IKE MODP groups (RFC 2409 5, 6; RFC 3526) with
// fixed-length big-endian public values and shared secrets.
#pragma once

#include "picsec/ike/crypto/algorithms.h"
#include "picsec/ike/crypto/types.h"

#include <memory>

namespace Botan {
class RandomNumberGenerator;
class DH_PrivateKey;
}  // namespace Botan

namespace picsec::ike::crypto {

/// Checks a peer's KE data: exactly modulus_bytes long and 1 < y < p-1.
/// Throws CryptoError naming the problem.
void validate_public_value(DhGroup group, ByteView peer_public);

/// One side's DH key pair for one exchange (phase 1 or a PFS Quick Mode).
class DhKeyPair {
public:
    /// Fresh private value from rng (pass a seeded test RNG for reproducible runs).
    static DhKeyPair generate(DhGroup group, Botan::RandomNumberGenerator& rng);
    /// Known private value x (big-endian), for known-answer tests.
    static DhKeyPair from_private_value(DhGroup group, ByteView x);

    DhKeyPair(DhKeyPair&&) noexcept;
    DhKeyPair& operator=(DhKeyPair&&) noexcept;
    ~DhKeyPair();

    DhGroup group() const { return m_group; }
    /// g^x mod p, left-padded to the group's modulus length (the KE payload data).
    const Bytes& public_value() const { return m_public; }
    /// g^xy, left-padded to the modulus length; validates peer_public first.
    SecureBytes shared_secret(ByteView peer_public) const;

private:
    DhKeyPair(DhGroup group, std::unique_ptr<Botan::DH_PrivateKey> key);

    DhGroup m_group;
    std::unique_ptr<Botan::DH_PrivateKey> m_key;
    Bytes m_public;
};

}  // namespace picsec::ike::crypto
