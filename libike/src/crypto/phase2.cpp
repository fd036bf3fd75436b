// Quick Mode / Informational hashes and KEYMAT (see phase2.h).
#include "picsec/ike/crypto/phase2.h"

#include "picsec/ike/crypto/prf.h"

#include <array>
#include <string>

namespace picsec::ike::crypto {

SecureBytes quick_mode_hash1(HashAlgorithm hash, ByteView skeyid_a, std::uint32_t message_id, ByteView rest) {
    const auto mid = message_id_bytes(message_id);
    return prf(hash, skeyid_a, {mid, rest});
}

SecureBytes quick_mode_hash2(HashAlgorithm hash, ByteView skeyid_a, std::uint32_t message_id, ByteView ni_b,
                             ByteView rest) {
    const auto mid = message_id_bytes(message_id);
    return prf(hash, skeyid_a, {mid, ni_b, rest});
}

SecureBytes quick_mode_hash3(HashAlgorithm hash, ByteView skeyid_a, std::uint32_t message_id, ByteView ni_b,
                             ByteView nr_b) {
    const std::array<std::uint8_t, 1> zero{0};
    const auto mid = message_id_bytes(message_id);
    return prf(hash, skeyid_a, {zero, mid, ni_b, nr_b});
}

SecureBytes informational_hash(HashAlgorithm hash, ByteView skeyid_a, std::uint32_t message_id,
                               ByteView payloads) {
    const auto mid = message_id_bytes(message_id);
    return prf(hash, skeyid_a, {mid, payloads});
}

namespace {

// RFC 2407 4.4.1: PROTO_IPSEC_AH 2, PROTO_IPSEC_ESP 3.
std::uint8_t protocol_id(sadb::Protocol p) {
    switch (p) {
        case sadb::Protocol::Ah: return 2;
        case sadb::Protocol::Esp: return 3;
        case sadb::Protocol::Bundle: break;
    }
    throw CryptoError("KEYMAT: protocol must be ah or esp (a bundle has one KEYMAT per protocol)");
}

}  // namespace

SecureBytes keymat(const KeymatInputs& in, std::size_t length) {
    const std::array<std::uint8_t, 1> proto{protocol_id(in.protocol)};
    SecureBytes out;
    SecureBytes k;
    while (out.size() < length) {
        // K1 has no predecessor; Kn is prefixed with Kn-1 (RFC 2409 5.5).
        k = prf(in.hash, in.skeyid_d, {k, in.g_qm_xy, proto, in.spi, in.ni_b, in.nr_b});
        out.insert(out.end(), k.begin(), k.end());
    }
    out.resize(length);
    return out;
}

std::size_t keymat_length(std::optional<sadb::EncryptionAlgorithm> encryption,
                          std::optional<sadb::AuthenticationAlgorithm> authentication) {
    return (encryption ? sadb::info(*encryption).key_bytes : 0) +
           (authentication ? sadb::info(*authentication).key_bytes : 0);
}

SaKeys split_keymat(ByteView keymat, std::optional<sadb::EncryptionAlgorithm> encryption,
                    std::optional<sadb::AuthenticationAlgorithm> authentication) {
    const std::size_t need = keymat_length(encryption, authentication);
    if (keymat.size() < need)
        throw CryptoError("KEYMAT: too short for the SA's algorithms (got " + std::to_string(keymat.size()) +
                          " bytes, need " + std::to_string(need) + ")");
    const std::size_t enc = encryption ? sadb::info(*encryption).key_bytes : 0;
    SaKeys keys;
    keys.encryption_key.assign(keymat.begin(), keymat.begin() + enc);
    keys.authentication_key.assign(keymat.begin() + enc, keymat.begin() + need);
    return keys;
}

SaKeys derive_sa_keys(const KeymatInputs& in, std::optional<sadb::EncryptionAlgorithm> encryption,
                      std::optional<sadb::AuthenticationAlgorithm> authentication) {
    return split_keymat(keymat(in, keymat_length(encryption, authentication)), encryption, authentication);
}

}  // namespace picsec::ike::crypto
