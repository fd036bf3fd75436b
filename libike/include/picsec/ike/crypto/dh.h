// Diffie-Hellman over the IKE groups with fixed-length public values and
// shared secrets: MODP (RFC 2409 5, 6; RFC 3526), ECP (RFC 5903) and
// Curve25519 (RFC 8031). The row of each group in the algorithm table says
// which kind it is and its sizes.
#pragma once

#include "picsec/ike/crypto/algorithms.h"
#include "picsec/ike/crypto/types.h"

#include <memory>

namespace Botan {
class RandomNumberGenerator;
class Private_Key;
class DH_PrivateKey;
class ECDH_PrivateKey;
class Curve25519_PrivateKey;
}  // namespace Botan

namespace picsec::ike::crypto {

/// Checks a peer's KE data: exactly public_bytes long, and for MODP
/// 1 < y < p-1, for ECP a point of the curve other than the point at infinity
/// (RFC 5903 7). Curve25519 takes any 32 bytes (RFC 7748 5); its low-order
/// points are caught by shared_secret. Throws CryptoError naming the problem.
void validate_public_value(DhGroup group, ByteView peer_public);

/// One side's DH key pair for one exchange (phase 1 or a PFS Quick Mode).
class DhKeyPair {
public:
    /// Fresh private value from rng (pass a seeded test RNG for reproducible runs).
    static DhKeyPair generate(DhGroup group, Botan::RandomNumberGenerator& rng);
    /// Known private value, for known-answer tests: x (MODP) or the scalar
    /// (ECP), big-endian; the 32-byte X25519 scalar as RFC 7748 writes it.
    static DhKeyPair from_private_value(DhGroup group, ByteView x);

    DhKeyPair(DhKeyPair&&) noexcept;
    DhKeyPair& operator=(DhKeyPair&&) noexcept;
    ~DhKeyPair();

    DhGroup group() const { return m_group; }
    /// The KE payload data: g^x mod p left-padded to the modulus length,
    /// x || y (ECP), or the X25519 public value.
    const Bytes& public_value() const { return m_public; }
    /// g^xy left-padded to the modulus length, the shared point's x (ECP,
    /// RFC 5903 9) or X25519's output (refused when all zero, RFC 8031 2.1);
    /// validates peer_public first.
    SecureBytes shared_secret(ByteView peer_public) const;

private:
    DhKeyPair(DhGroup group, std::unique_ptr<Botan::Private_Key> key, Bytes public_value);
    static DhKeyPair make_modp(DhGroup group, std::unique_ptr<Botan::DH_PrivateKey> key);
    static DhKeyPair make_ecp(DhGroup group, std::unique_ptr<Botan::ECDH_PrivateKey> key);
    static DhKeyPair make_x25519(DhGroup group, std::unique_ptr<Botan::Curve25519_PrivateKey> key);

    DhGroup m_group;
    std::unique_ptr<Botan::Private_Key> m_key;
    Bytes m_public;
};

}  // namespace picsec::ike::crypto
