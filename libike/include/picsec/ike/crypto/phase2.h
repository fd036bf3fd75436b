// Quick Mode and Informational derivations (RFC 2409 5.5, 5.7): the
// HASH(1)/(2)/(3) values, KEYMAT and its split into ESP/AH keys.
#pragma once

#include "picsec/ike/crypto/algorithms.h"
#include "picsec/ike/crypto/types.h"
#include "picsec/sadb/algorithms.h"

#include <optional>

namespace picsec::ike::crypto {

/// RFC 2409 5.5: HASH(1) = prf(SKEYID_a, M-ID | SA | Ni [ | KE ] [ | IDci | IDcr ]);
/// `rest` is the message after the HASH payload, padding excluded.
SecureBytes quick_mode_hash1(HashAlgorithm hash, ByteView skeyid_a, std::uint32_t message_id, ByteView rest);
/// RFC 2409 5.5: HASH(2) = prf(SKEYID_a, M-ID | Ni_b | SA | Nr [ | KE ] [ | IDci | IDcr ]).
SecureBytes quick_mode_hash2(HashAlgorithm hash, ByteView skeyid_a, std::uint32_t message_id, ByteView ni_b,
                             ByteView rest);
/// RFC 2409 5.5: HASH(3) = prf(SKEYID_a, 0 | M-ID | Ni_b | Nr_b).
SecureBytes quick_mode_hash3(HashAlgorithm hash, ByteView skeyid_a, std::uint32_t message_id, ByteView ni_b,
                             ByteView nr_b);
/// RFC 2409 5.7: HASH(1) = prf(SKEYID_a, M-ID | N/D), N/D being the whole
/// Notification or Delete payload (generic header included).
SecureBytes informational_hash(HashAlgorithm hash, ByteView skeyid_a, std::uint32_t message_id,
                               ByteView payloads);

/// Inputs of KEYMAT for one SA (one direction, one protocol).
struct KeymatInputs {
    HashAlgorithm hash;
    ByteView skeyid_d;
    ByteView g_qm_xy;        ///< PFS shared secret; empty without PFS
    sadb::Protocol protocol; ///< Ah or Esp (a bundle has one KEYMAT per protocol)
    ByteView spi;            ///< the SPI of this SA as sent on the wire
    ByteView ni_b;
    ByteView nr_b;
};

/// RFC 2409 5.5: KEYMAT = K1 | K2 | ..., K1 = prf(SKEYID_d, [g(qm)^xy |] protocol | SPI | Ni_b | Nr_b),
/// Kn = prf(SKEYID_d, Kn-1 | [g(qm)^xy |] protocol | SPI | Ni_b | Nr_b); `length` bytes.
SecureBytes keymat(const KeymatInputs& in, std::size_t length);

/// Keys of one IPsec SA; a member is empty when its algorithm is absent.
struct SaKeys {
    SecureBytes encryption_key;
    SecureBytes authentication_key;
};

/// Bytes of KEYMAT an SA with these algorithms consumes.
std::size_t keymat_length(std::optional<sadb::EncryptionAlgorithm> encryption,
                          std::optional<sadb::AuthenticationAlgorithm> authentication);

/// Splits KEYMAT: the encryption key first, then the authentication key
/// (RFC 2409 5.5 leaves the order to the DOI; RFC 2407 4.5.2 / every
/// implementation takes the cipher key first). Throws when keymat is short.
SaKeys split_keymat(ByteView keymat, std::optional<sadb::EncryptionAlgorithm> encryption,
                    std::optional<sadb::AuthenticationAlgorithm> authentication);

/// keymat() + split_keymat() for one SA.
SaKeys derive_sa_keys(const KeymatInputs& in, std::optional<sadb::EncryptionAlgorithm> encryption,
                      std::optional<sadb::AuthenticationAlgorithm> authentication);

}  // namespace picsec::ike::crypto
