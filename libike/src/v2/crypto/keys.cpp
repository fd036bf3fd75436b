// IKEv2 PRF, prf+ and key derivation (see picsec/ike/v2/crypto/keys.h).
#include "picsec/ike/v2/crypto/keys.h"

#include "picsec/ike/crypto/prf.h"
#include "picsec/ike/crypto/types.h"

#include <algorithm>
#include <initializer_list>
#include <string>

namespace picsec::ike::v2::crypto {
namespace {

using ike::crypto::CryptoError;
using Secret = Botan::secure_vector<std::uint8_t>;

Secret concat(std::initializer_list<std::span<const std::uint8_t>> parts) {
    Secret out;
    for (const auto p : parts) out.insert(out.end(), p.begin(), p.end());
    return out;
}

// Takes the next `n` bytes of a prf+ stream.
Secret take(const Secret& stream, std::size_t& offset, std::size_t n) {
    Secret out(stream.begin() + static_cast<std::ptrdiff_t>(offset),
               stream.begin() + static_cast<std::ptrdiff_t>(offset + n));
    offset += n;
    return out;
}

// RFC 7296 2.14: the seven keys in order, from prf+(SKEYSEED, Ni | Nr | SPIi | SPIr).
IkeKeys split_ike_keys(const Suite& suite, std::span<const std::uint8_t> skeyseed, std::span<const std::uint8_t> ni,
                       std::span<const std::uint8_t> nr, std::span<const std::uint8_t, 8> spi_i,
                       std::span<const std::uint8_t, 8> spi_r) {
    // 2.14: SK_d, SK_pi and SK_pr are the PRF's preferred key length, its
    // output size for HMAC (RFC 2104 2, RFC 4868 2.1.1).
    const std::size_t prf_bytes = algo::info(suite.prf).output_bytes;
    const std::size_t integ_bytes = algo::info(suite.integ).key_bytes;
    const std::size_t encr_bytes = algo::info(suite.encr).key_bytes;
    const Secret seed = concat({ni, nr, spi_i, spi_r});
    const Secret stream = prf_plus(suite.prf, skeyseed, seed, 3 * prf_bytes + 2 * integ_bytes + 2 * encr_bytes);
    std::size_t at = 0;
    IkeKeys k;
    k.sk_d = take(stream, at, prf_bytes);
    k.sk_ai = take(stream, at, integ_bytes);
    k.sk_ar = take(stream, at, integ_bytes);
    k.sk_ei = take(stream, at, encr_bytes);
    k.sk_er = take(stream, at, encr_bytes);
    k.sk_pi = take(stream, at, prf_bytes);
    k.sk_pr = take(stream, at, prf_bytes);
    return k;
}

}  // namespace

Secret prf(algo::HashAlgorithm prf_alg, std::span<const std::uint8_t> key, std::span<const std::uint8_t> data) {
    return ike::crypto::prf(prf_alg, key, {data});
}

Secret prf_plus(algo::HashAlgorithm prf_alg, std::span<const std::uint8_t> key, std::span<const std::uint8_t> seed,
                std::size_t length) {
    const std::size_t block = algo::info(prf_alg).output_bytes;
    // RFC 7296 2.13: the counter is one octet, so at most 255 blocks.
    if (length > 255 * block)
        throw CryptoError("prf+: output too long (got " + std::to_string(length) + " bytes, need at most " +
                          std::to_string(255 * block) + ")");
    Secret out;
    out.reserve(length);
    Secret t;
    for (unsigned n = 1; out.size() < length; ++n) {
        const std::uint8_t counter[1] = {static_cast<std::uint8_t>(n)};
        t = ike::crypto::prf(prf_alg, key, {t, seed, counter});
        const std::size_t want = std::min(t.size(), length - out.size());
        out.insert(out.end(), t.begin(), t.begin() + static_cast<std::ptrdiff_t>(want));
    }
    return out;
}

IkeKeys derive_ike_keys(const Suite& suite, std::span<const std::uint8_t> g_ir, std::span<const std::uint8_t> ni,
                        std::span<const std::uint8_t> nr, std::span<const std::uint8_t, 8> spi_i,
                        std::span<const std::uint8_t, 8> spi_r) {
    // RFC 7296 2.14: SKEYSEED = prf(Ni | Nr, g^ir).
    const Secret skeyseed = prf(suite.prf, concat({ni, nr}), g_ir);
    return split_ike_keys(suite, skeyseed, ni, nr, spi_i, spi_r);
}

IkeKeys derive_rekeyed_ike_keys(const Suite& new_suite, algo::HashAlgorithm old_prf,
                                std::span<const std::uint8_t> old_sk_d, std::span<const std::uint8_t> g_ir,
                                std::span<const std::uint8_t> ni, std::span<const std::uint8_t> nr,
                                std::span<const std::uint8_t, 8> spi_i, std::span<const std::uint8_t, 8> spi_r) {
    // RFC 7296 2.18: SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr), with the old PRF.
    const Secret skeyseed = prf(old_prf, old_sk_d, concat({g_ir, ni, nr}));
    return split_ike_keys(new_suite, skeyseed, ni, nr, spi_i, spi_r);
}

Secret child_keymat(algo::HashAlgorithm prf_alg, std::span<const std::uint8_t> sk_d,
                    std::span<const std::uint8_t> g_ir, std::span<const std::uint8_t> ni,
                    std::span<const std::uint8_t> nr, std::size_t length) {
    return prf_plus(prf_alg, sk_d, concat({g_ir, ni, nr}), length);
}

std::size_t child_keymat_size(algo::EncryptionAlgorithm encr, algo::AuthenticationAlgorithm integ) {
    return 2 * (algo::info(encr).key_bytes + algo::info(integ).key_bytes);
}

ChildKeys split_child_keymat(algo::EncryptionAlgorithm encr, algo::AuthenticationAlgorithm integ,
                             std::span<const std::uint8_t> keymat) {
    const std::size_t need = child_keymat_size(encr, integ);
    if (keymat.size() != need)
        throw CryptoError("Child SA KEYMAT: wrong length (got " + std::to_string(keymat.size()) + " bytes, need " +
                          std::to_string(need) + ")");
    const Secret stream(keymat.begin(), keymat.end());
    const std::size_t e = algo::info(encr).key_bytes;
    const std::size_t a = algo::info(integ).key_bytes;
    std::size_t at = 0;
    ChildKeys k;
    k.encr_i = take(stream, at, e);
    k.integ_i = take(stream, at, a);
    k.encr_r = take(stream, at, e);
    k.integ_r = take(stream, at, a);
    return k;
}

}  // namespace picsec::ike::v2::crypto
