// IKEv2 key material (RFC 7296 2.13, 2.14, 2.17, 2.18): the PRF, prf+, the
// IKE SA keys SK_d/ai/ar/ei/er/pi/pr and the KEYMAT of a Child SA.
#pragma once

#include "picsec/base/algorithms.h"

#include <botan/secmem.h>

#include <cstddef>
#include <cstdint>
#include <span>

namespace picsec::ike::v2::crypto {

/// The negotiated transforms of an IKE SA (RFC 7296 3.3.2 types 1-4).
struct Suite {
    algo::EncryptionAlgorithm encr;
    algo::HashAlgorithm prf;  ///< PRF_HMAC_<hash>
    algo::AuthenticationAlgorithm integ;
    algo::DhGroup group;
};

/// The seven secrets of an IKE SA (RFC 7296 2.14). SK_d, SK_pi and SK_pr are
/// as long as the PRF output, SK_a* the integrity key, SK_e* the cipher key.
struct IkeKeys {
    Botan::secure_vector<std::uint8_t> sk_d, sk_ai, sk_ar, sk_ei, sk_er, sk_pi, sk_pr;
};

/// prf(key, data) = HMAC-<hash>(key, data) (RFC 7296 3.3.2 PRF_HMAC_*).
Botan::secure_vector<std::uint8_t> prf(algo::HashAlgorithm prf, std::span<const std::uint8_t> key,
                                       std::span<const std::uint8_t> data);

/// RFC 7296 2.13: prf+(K, S) = T1 | T2 | ..., T1 = prf(K, S | 0x01),
/// Tn = prf(K, T(n-1) | S | n), cut to `length`. Throws CryptoError when
/// length exceeds 255 PRF outputs (the counter is one octet).
Botan::secure_vector<std::uint8_t> prf_plus(algo::HashAlgorithm prf, std::span<const std::uint8_t> key,
                                            std::span<const std::uint8_t> seed, std::size_t length);

/// RFC 7296 2.14: SKEYSEED = prf(Ni | Nr, g^ir);
/// {SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr} = prf+(SKEYSEED, Ni | Nr | SPIi | SPIr).
/// HMAC takes Ni | Nr whole as its key (the fixed-key-size rule of 2.14 is for other PRFs).
IkeKeys derive_ike_keys(const Suite& suite, std::span<const std::uint8_t> g_ir, std::span<const std::uint8_t> ni,
                        std::span<const std::uint8_t> nr, std::span<const std::uint8_t, 8> spi_i,
                        std::span<const std::uint8_t, 8> spi_r);

/// RFC 7296 2.18: rekeying an IKE SA, SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr)
/// with the old SA's PRF; the keys then follow 2.14 with the new suite and the new SPIs.
IkeKeys derive_rekeyed_ike_keys(const Suite& new_suite, algo::HashAlgorithm old_prf,
                                std::span<const std::uint8_t> old_sk_d, std::span<const std::uint8_t> g_ir,
                                std::span<const std::uint8_t> ni, std::span<const std::uint8_t> nr,
                                std::span<const std::uint8_t, 8> spi_i, std::span<const std::uint8_t, 8> spi_r);

/// RFC 7296 2.17: KEYMAT = prf+(SK_d, [g^ir (new) |] Ni | Nr); g_ir is empty without PFS.
Botan::secure_vector<std::uint8_t> child_keymat(algo::HashAlgorithm prf, std::span<const std::uint8_t> sk_d,
                                                std::span<const std::uint8_t> g_ir, std::span<const std::uint8_t> ni,
                                                std::span<const std::uint8_t> nr, std::size_t length);

/// The ESP keys of one Child SA (RFC 7296 2.17): `_i` protect initiator to
/// responder traffic, `_r` the other direction.
struct ChildKeys {
    Botan::secure_vector<std::uint8_t> encr_i, integ_i, encr_r, integ_r;
};

/// Bytes of KEYMAT a Child SA with this cipher and integrity algorithm takes.
std::size_t child_keymat_size(algo::EncryptionAlgorithm encr, algo::AuthenticationAlgorithm integ);

/// RFC 7296 2.17: the encryption key then the integrity key of the
/// initiator-to-responder SA, then those of the responder-to-initiator SA.
/// Throws CryptoError unless keymat is child_keymat_size() bytes.
ChildKeys split_child_keymat(algo::EncryptionAlgorithm encr, algo::AuthenticationAlgorithm integ,
                             std::span<const std::uint8_t> keymat);

}  // namespace picsec::ike::v2::crypto
