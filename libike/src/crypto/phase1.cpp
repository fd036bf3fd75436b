// Phase-1 key derivation (see phase1.h).
#include "picsec/ike/crypto/phase1.h"

#include "picsec/ike/crypto/prf.h"

#include <array>

namespace picsec::ike::crypto {

SecureBytes skeyid_pre_shared_key(HashAlgorithm hash, ByteView psk, ByteView ni_b, ByteView nr_b) {
    return prf(hash, psk, {ni_b, nr_b});
}

SecureBytes skeyid_signature(HashAlgorithm hash, ByteView ni_b, ByteView nr_b, ByteView g_xy) {
    SecureBytes key(ni_b.begin(), ni_b.end());
    key.insert(key.end(), nr_b.begin(), nr_b.end());
    return prf(hash, key, {g_xy});
}

SecureBytes encryption_key(HashAlgorithm hash, ByteView skeyid_e, std::size_t key_bytes) {
    if (skeyid_e.size() >= key_bytes) return SecureBytes(skeyid_e.begin(), skeyid_e.begin() + key_bytes);
    // RFC 2409 Appendix B: K1 = prf(SKEYID_e, 0), K2 = prf(SKEYID_e, K1), ...
    // with "0" a single zero octet.
    const std::array<std::uint8_t, 1> zero{0};
    SecureBytes out;
    SecureBytes k = prf(hash, skeyid_e, {zero});
    for (;;) {
        out.insert(out.end(), k.begin(), k.end());
        if (out.size() >= key_bytes) break;
        k = prf(hash, skeyid_e, {k});
    }
    out.resize(key_bytes);
    return out;
}

SecureBytes phase1_iv(HashAlgorithm hash_alg, ByteView g_xi, ByteView g_xr, std::size_t block_bytes) {
    const Bytes h = hash(hash_alg, {g_xi, g_xr});
    if (h.size() < block_bytes) throw CryptoError("phase-1 IV: hash shorter than the cipher block");
    return SecureBytes(h.begin(), h.begin() + block_bytes);
}

Phase1Keys derive_phase1_keys(const Phase1Inputs& in, SecureBytes skeyid) {
    // RFC 2409 5: the trailing 0, 1, 2 are single octets.
    const std::array<std::uint8_t, 1> c0{0}, c1{1}, c2{2};
    Phase1Keys k;
    k.skeyid = std::move(skeyid);
    k.skeyid_d = prf(in.hash, k.skeyid, {in.g_xy, in.cky_i, in.cky_r, c0});
    k.skeyid_a = prf(in.hash, k.skeyid, {k.skeyid_d, in.g_xy, in.cky_i, in.cky_r, c1});
    k.skeyid_e = prf(in.hash, k.skeyid, {k.skeyid_a, in.g_xy, in.cky_i, in.cky_r, c2});
    const auto& cipher = info(in.cipher);
    k.ka = encryption_key(in.hash, k.skeyid_e, cipher.key_bytes);
    k.iv = phase1_iv(in.hash, in.g_xi, in.g_xr, cipher.block_bytes);
    return k;
}

SecureBytes hash_i(HashAlgorithm hash, ByteView skeyid, const AuthHashInputs& in) {
    return prf(hash, skeyid, {in.g_xi, in.g_xr, in.cky_i, in.cky_r, in.sa_i_b, in.id_b});
}

SecureBytes hash_r(HashAlgorithm hash, ByteView skeyid, const AuthHashInputs& in) {
    return prf(hash, skeyid, {in.g_xr, in.g_xi, in.cky_r, in.cky_i, in.sa_i_b, in.id_b});
}

}  // namespace picsec::ike::crypto
