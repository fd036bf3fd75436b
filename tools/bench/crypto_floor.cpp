// The crypto floor of one IKEv1 negotiation on the responder: the Botan work
// a Main Mode (pre-shared key) + Quick Mode exchange cannot avoid, measured
// alone: DH key generation and agreement for the phase-1 group (and the PFS
// group), SKEYID and its descendants, HASH_I/HASH_R, the three Quick Mode
// hashes and KEYMAT for both directions (RFC 2409 5, 5.5, Appendix B), and
// the payload encryption of Main Mode 5/6 and Quick Mode 1-3 with the Quick
// Mode IV (RFC 2409 5.3, Appendix B).
//   picsec-crypto-floor GROUP HASH CIPHER PFS_GROUP|none [ITERATIONS]
#include "picsec/ike/crypto/cipher.h"
#include "picsec/ike/crypto/dh.h"
#include "picsec/ike/crypto/phase1.h"
#include "picsec/ike/crypto/phase2.h"

#include <botan/auto_rng.h>
#include <botan/cipher_mode.h>
#include <botan/dl_group.h>
#include <botan/hash.h>
#include <botan/numthry.h>
#include <botan/pow_mod.h>

#include <ctime>
#include <cstdio>
#include <iostream>
#include <string>

using namespace picsec::ike;
using namespace picsec::ike::crypto;

namespace {

// Process CPU time (what /proc/PID/stat accounts for the responder), not wall time.
double cpu_ms() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

struct Floor {
    double dh_ms = 0;   ///< keygen + agreement, phase 1 and PFS
    double prf_ms = 0;  ///< every PRF/hash of MM + QM
    double cipher_ms = 0;  ///< payload CBC of MM 5/6 and QM 1-3, and the QM IV
};

// Body (after the ISAKMP header) of a message of the benchmark's
// negotiation, padded to whole blocks: Main Mode 5 and 6 carry ID + HASH,
// Quick Mode 1 and 2 HASH, SA, Nonce, KE (PFS) and both client IDs, Quick
// Mode 3 HASH only. Sizes as picsec run sees them from ike-peer with a
// 1024-bit PFS group and SHA-1 (SHA-256 adds 8 bytes to each HASH, a larger
// PFS group lengthens QM 1 and 2).
Bytes body(std::size_t bytes, std::size_t block, std::uint8_t fill) {
    return Bytes((bytes + block - 1) / block * block, fill);
}

Floor one(DhGroup group, HashAlgorithm hash, picsec::sadb::EncryptionAlgorithm cipher, std::optional<DhGroup> pfs,
          Botan::RandomNumberGenerator& rng, const DhKeyPair& peer, const std::optional<DhKeyPair>& peer_pfs) {
    Floor f;
    const Bytes ni(16, 1), nr(16, 2), cky_i(8, 3), cky_r(8, 4), sa_b(48, 5), id_b(8, 6), qm(120, 7);
    const SecureBytes psk(24, 8);
    const double t0 = cpu_ms();
    // Responder: g^xr, then g^xy (Main Mode messages 2-4).
    auto ours = DhKeyPair::generate(group, rng);
    const auto g_xy = ours.shared_secret(peer.public_value());
    std::optional<DhKeyPair> ours_pfs;
    SecureBytes g_qm;
    if (pfs) {
        ours_pfs = DhKeyPair::generate(*pfs, rng);
        g_qm = ours_pfs->shared_secret(peer_pfs->public_value());
    }
    const double t1 = cpu_ms();
    auto skeyid = skeyid_pre_shared_key(hash, psk, ni, nr);
    const Phase1Inputs in{hash, cipher, g_xy, peer.public_value(), ours.public_value(), cky_i, cky_r};
    const auto keys = derive_phase1_keys(in, skeyid);
    const AuthHashInputs ai{peer.public_value(), ours.public_value(), cky_i, cky_r, sa_b, id_b};
    volatile auto a = hash_i(hash, keys.skeyid, ai).size();
    a = hash_r(hash, keys.skeyid, ai).size();
    a = quick_mode_hash1(hash, keys.skeyid_a, 1, qm).size();
    a = quick_mode_hash2(hash, keys.skeyid_a, 1, ni, qm).size();
    a = quick_mode_hash3(hash, keys.skeyid_a, 1, ni, nr).size();
    const Bytes spi_in{1, 2, 3, 4}, spi_out{5, 6, 7, 8};
    for (const auto& spi : {spi_in, spi_out}) {
        const KeymatInputs k{hash, keys.skeyid_d, g_qm, picsec::sadb::Protocol::Esp, spi, ni, nr};
        a = derive_sa_keys(k, picsec::sadb::EncryptionAlgorithm::TripleDesCbc,
                           picsec::sadb::AuthenticationAlgorithm::HmacSha1_96)
                .encryption_key.size();
    }
    (void)a;
    const double t2 = cpu_ms();
    // RFC 2409 5.3: the responder decrypts Main Mode 5 and Quick Mode 1 and 3
    // and encrypts Main Mode 6 and Quick Mode 2; the Quick Mode's first IV is
    // hash(last phase-1 block | M-ID) (Appendix B). A responder cannot skip any of it.
    const std::size_t block = keys.iv.size();
    const std::size_t ke = pfs ? info(*pfs).public_bytes + 4 : 0;
    auto mm5 = decrypt_body(cipher, keys.ka, keys.iv, body(40, block, 9));
    auto mm6 = encrypt_body(cipher, keys.ka, mm5.next_iv, body(40, block, 10));
    auto qm_iv = exchange_iv(hash, mm6.next_iv, 1, block);
    auto qm1 = decrypt_body(cipher, keys.ka, qm_iv, body(148 + ke, block, 11));
    auto qm2 = encrypt_body(cipher, keys.ka, qm1.next_iv, body(148 + ke, block, 12));
    a = decrypt_body(cipher, keys.ka, qm2.next_iv, body(24, block, 13)).data.size();
    const double t3 = cpu_ms();
    f.dh_ms = t1 - t0;
    f.prf_ms = t2 - t1;
    f.cipher_ms = t3 - t2;
    return f;
}

// The same two DH exponentiations per group with Botan's primitives alone:
// a cached DL_Group, g^x with a short exponent, y^x without blinding.
double bare_dh_ms(DhGroup group, Botan::RandomNumberGenerator& rng, int n) {
    const auto& row = info(group);
    const Botan::DL_Group g = row.botan_group.empty()
                                  ? Botan::DL_Group(Botan::BigInt("0x" + std::string(row.prime_hex)), Botan::BigInt(2))
                                  : Botan::DL_Group(std::string(row.botan_group));
    const std::size_t bits = g.exponent_bits();
    const Botan::BigInt peer = g.power_g_p(Botan::BigInt(rng, bits), bits);
    const Botan::Power_Mod mod_p(g.get_p());  // Montgomery parameters of p, computed once
    const double t0 = cpu_ms();
    for (int i = 0; i < n; ++i) {
        const Botan::BigInt x(rng, bits);
        volatile auto y = g.power_g_p(x, bits).bits();
        Botan::Power_Mod pm(mod_p);
        pm.set_exponent(x);
        pm.set_base(peer);
        volatile auto z = pm.execute().bits();
        (void)y;
        (void)z;
    }
    return (cpu_ms() - t0) / n;
}

// The payload encryption of one negotiation with Botan alone: one keyed
// encryptor and decryptor per IKE SA (Ka is the same for Main Mode 5/6 and the
// Quick Mode), CBC over the same five bodies, and the Quick Mode IV's hash.
double bare_cipher_ms(picsec::sadb::EncryptionAlgorithm cipher, HashAlgorithm hash, std::optional<DhGroup> pfs, int n) {
    const auto& row = picsec::sadb::info(cipher);
    const auto enc = Botan::Cipher_Mode::create_or_throw(std::string(row.botan_name), Botan::ENCRYPTION);
    const auto dec = Botan::Cipher_Mode::create_or_throw(std::string(row.botan_name), Botan::DECRYPTION);
    const auto h = Botan::HashFunction::create_or_throw(std::string(info(hash).botan_hash));
    const Bytes key(row.key_bytes, 0x5a), iv(row.block_bytes, 0x11), mid{0, 0, 0, 1};
    const std::size_t ke = pfs ? info(*pfs).public_bytes + 4 : 0;
    const std::pair<Botan::Cipher_Mode*, std::size_t> messages[] = {
        {dec.get(), 40}, {enc.get(), 40}, {dec.get(), 148 + ke}, {enc.get(), 148 + ke}, {dec.get(), 24}};
    const double t0 = cpu_ms();
    for (int i = 0; i < n; ++i) {
        enc->set_key(key.data(), key.size());
        dec->set_key(key.data(), key.size());
        for (const auto& [mode, bytes] : messages) {
            const Bytes b = body(bytes, row.block_bytes, 7);
            Botan::secure_vector<std::uint8_t> buf(b.begin(), b.end());
            mode->start(iv.data(), iv.size());
            mode->finish(buf);
        }
        h->update(iv.data(), iv.size());
        h->update(mid.data(), mid.size());
        volatile auto d = h->final().size();
        (void)d;
    }
    return (cpu_ms() - t0) / n;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 5) {
        std::cerr << "usage: picsec-crypto-floor GROUP HASH CIPHER PFS_GROUP|none [ITERATIONS]\n"
                     "  e.g. picsec-crypto-floor group2 sha1 3des-cbc group2 200\n";
        return 2;
    }
    const auto group = dh_group_from_keyword(argv[1]);
    const auto hash = hash_from_keyword(argv[2]);
    const auto cipher = encryption_from_keyword(argv[3]);
    std::optional<DhGroup> pfs;
    if (std::string(argv[4]) != "none") pfs = dh_group_from_keyword(argv[4]);
    const int n = argc > 5 ? std::stoi(argv[5]) : 200;
    if (!group || !hash || !cipher || (std::string(argv[4]) != "none" && !pfs) || n <= 0) {
        std::cerr << "picsec-crypto-floor: unknown group, hash, cipher or PFS group\n";
        return 2;
    }
    // The bare-primitive comparison below is modular exponentiation.
    if (info(*group).kind != DhKind::Modp || (pfs && info(*pfs).kind != DhKind::Modp)) {
        std::cerr << "picsec-crypto-floor: MODP groups only (group1, group2, group5, group14)\n";
        return 2;
    }
    Botan::AutoSeeded_RNG rng;
    const auto peer = DhKeyPair::generate(*group, rng);
    std::optional<DhKeyPair> peer_pfs;
    if (pfs) peer_pfs = DhKeyPair::generate(*pfs, rng);
    one(*group, *hash, *cipher, pfs, rng, peer, peer_pfs);  // warm-up
    Floor total;
    for (int i = 0; i < n; ++i) {
        const auto f = one(*group, *hash, *cipher, pfs, rng, peer, peer_pfs);
        total.dh_ms += f.dh_ms;
        total.prf_ms += f.prf_ms;
        total.cipher_ms += f.cipher_ms;
    }
    std::printf("crypto floor per negotiation, CPU time (%s %s %s PFS %s, %d runs): DH %.3f ms, PRF/hash %.3f ms, "
                "payload cipher %.3f ms, total %.3f ms\n",
                argv[1], argv[2], argv[3], argv[4], n, total.dh_ms / n, total.prf_ms / n, total.cipher_ms / n,
                (total.dh_ms + total.prf_ms + total.cipher_ms) / n);
    const double bare = bare_dh_ms(*group, rng, n) + (pfs ? bare_dh_ms(*pfs, rng, n) : 0.0);
    const double bare_cipher = bare_cipher_ms(*cipher, *hash, pfs, n);
    std::printf("Botan primitives alone (cached group and modulus, no blinding; one keyed payload cipher per SA): "
                "DH %.3f ms, with PRF/hash %.3f ms, with PRF/hash and payload cipher (%.3f ms) %.3f ms\n",
                bare, bare + total.prf_ms / n, bare_cipher, bare + total.prf_ms / n + bare_cipher);
    return 0;
}
