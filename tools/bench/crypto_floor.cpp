// The crypto floor of one IKEv1 negotiation on the responder: the Botan work
// a Main Mode (pre-shared key) + Quick Mode exchange cannot avoid, measured
// alone: DH key generation and agreement for the phase-1 group (and the PFS
// group), SKEYID and its descendants, HASH_I/HASH_R, the three Quick Mode
// hashes and KEYMAT for both directions (RFC 2409 5, 5.5, Appendix B).
//   picsec-crypto-floor GROUP HASH CIPHER PFS_GROUP|none [ITERATIONS]
#include "picsec/ike/crypto/dh.h"
#include "picsec/ike/crypto/phase1.h"
#include "picsec/ike/crypto/phase2.h"

#include <botan/auto_rng.h>
#include <botan/dl_group.h>
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
};

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
    f.dh_ms = t1 - t0;
    f.prf_ms = t2 - t1;
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

}  // namespace

int main(int argc, char** argv) {
    if (argc < 5) {
        std::cerr << "usage: picsec-crypto-floor GROUP HASH CIPHER PFS_GROUP|none [ITERATIONS]\n"
                     "  e.g. picsec-crypto-floor group2 sha1 3des-cbc group2 200\n";
        return 2;
    }
    const auto group = dh_group_from_keyword(argv[1]);
    const auto hash = hash_from_keyword(argv[2]);
    const auto cipher = ike_encryption_from_keyword(argv[3]);
    std::optional<DhGroup> pfs;
    if (std::string(argv[4]) != "none") pfs = dh_group_from_keyword(argv[4]);
    const int n = argc > 5 ? std::stoi(argv[5]) : 200;
    if (!group || !hash || !cipher || (std::string(argv[4]) != "none" && !pfs) || n <= 0) {
        std::cerr << "picsec-crypto-floor: unknown group, hash, cipher or PFS group\n";
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
    }
    std::printf("crypto floor per negotiation, CPU time (%s %s %s PFS %s, %d runs): DH %.3f ms, PRF/hash %.3f ms, total %.3f ms\n",
                argv[1], argv[2], argv[3], argv[4], n, total.dh_ms / n, total.prf_ms / n,
                (total.dh_ms + total.prf_ms) / n);
    const double bare = bare_dh_ms(*group, rng, n) + (pfs ? bare_dh_ms(*pfs, rng, n) : 0.0);
    std::printf("Botan primitives alone (cached group and modulus, no blinding): DH %.3f ms, with PRF/hash %.3f ms\n", bare,
                bare + total.prf_ms / n);
    return 0;
}
