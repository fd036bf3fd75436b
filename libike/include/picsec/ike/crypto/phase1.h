// Phase-1 key derivation (RFC 2409 5 and Appendix B): SKEYID and its
// descendants, the encryption key Ka, the initial IV and HASH_I / HASH_R.
#pragma once

#include "picsec/ike/crypto/algorithms.h"
#include "picsec/ike/crypto/types.h"

namespace picsec::ike::crypto {

/// Everything phase 1 derives; all secret, all zeroed when dropped.
struct Phase1Keys {
    SecureBytes skeyid;
    SecureBytes skeyid_d;  ///< keys non-ISAKMP SAs (KEYMAT, RFC 2409 5.5)
    SecureBytes skeyid_a;  ///< authenticates ISAKMP messages (QM/Informational HASH)
    SecureBytes skeyid_e;  ///< source of Ka
    SecureBytes ka;        ///< phase-1 cipher key, cut or extended from SKEYID_e
    SecureBytes iv;        ///< IV of the first encrypted phase-1 message
};

/// Public and secret inputs after the KE/Nonce exchange.
struct Phase1Inputs {
    HashAlgorithm hash;
    EncryptionAlgorithm cipher;
    ByteView g_xy;   ///< shared secret, padded to the group length
    ByteView g_xi;   ///< initiator KE data
    ByteView g_xr;   ///< responder KE data
    ByteView cky_i;  ///< initiator cookie (8 octets)
    ByteView cky_r;  ///< responder cookie (8 octets)
};

/// RFC 2409 5: SKEYID = prf(pre-shared-key, Ni_b | Nr_b).
SecureBytes skeyid_pre_shared_key(HashAlgorithm hash, ByteView psk, ByteView ni_b, ByteView nr_b);
/// RFC 2409 5: SKEYID = prf(Ni_b | Nr_b, g^xy) for signature authentication.
SecureBytes skeyid_signature(HashAlgorithm hash, ByteView ni_b, ByteView nr_b, ByteView g_xy);

/// RFC 2409 5: SKEYID_d/a/e from SKEYID, Ka (Appendix B) and the initial IV.
Phase1Keys derive_phase1_keys(const Phase1Inputs& in, SecureBytes skeyid);

/// RFC 2409 Appendix B: Ka = first key_bytes of K1 | K2 | ..., K1 = prf(SKEYID_e, 0),
/// Kn = prf(SKEYID_e, Kn-1); SKEYID_e itself is used when it is long enough.
SecureBytes encryption_key(HashAlgorithm hash, ByteView skeyid_e, std::size_t key_bytes);

/// RFC 2409 Appendix B: IV = hash(g^xi | g^xr), cut to the block size.
SecureBytes phase1_iv(HashAlgorithm hash, ByteView g_xi, ByteView g_xr, std::size_t block_bytes);

/// Inputs of HASH_I / HASH_R. sa_i_b is the initiator's SA payload body
/// (without its generic header); id_b the sender's ID payload body.
struct AuthHashInputs {
    ByteView g_xi;
    ByteView g_xr;
    ByteView cky_i;
    ByteView cky_r;
    ByteView sa_i_b;
    ByteView id_b;
};

/// RFC 2409 5: HASH_I = prf(SKEYID, g^xi | g^xr | CKY-I | CKY-R | SAi_b | IDii_b).
SecureBytes hash_i(HashAlgorithm hash, ByteView skeyid, const AuthHashInputs& in);
/// RFC 2409 5: HASH_R = prf(SKEYID, g^xr | g^xi | CKY-R | CKY-I | SAi_b | IDir_b).
SecureBytes hash_r(HashAlgorithm hash, ByteView skeyid, const AuthHashInputs& in);

}  // namespace picsec::ike::crypto
