// Diffie-Hellman over the IKE groups: MODP, ECP and Curve25519 (see dh.h).
#include "picsec/ike/crypto/dh.h"

#include <botan/bigint.h>
#include <botan/curve25519.h>
#include <botan/dh.h>
#include <botan/dl_group.h>
#include <botan/ec_group.h>
#include <botan/ecdh.h>
#include <botan/numthry.h>
#include <botan/pow_mod.h>
#include <botan/pubkey.h>
#include <botan/rng.h>
#include <botan/system_rng.h>

#include <string>

namespace picsec::ike::crypto {
namespace {

Botan::DL_Group make_group(DhGroup group) {
    const auto& row = info(group);
    if (!row.botan_group.empty()) return Botan::DL_Group(std::string(row.botan_group));
    return Botan::DL_Group(Botan::BigInt("0x" + std::string(row.prime_hex)), Botan::BigInt(2));
}

// Building a DL_Group parses the prime and precomputes Montgomery tables for
// g: several times the cost of one exponentiation, and a few kB each. One
// immutable instance per group is shared by every key (Botan's DL_Group is a
// shared_ptr to const data, safe to share).
const Botan::DL_Group& dl_group(DhGroup group) {
    static const Botan::DL_Group modp768 = make_group(DhGroup::Modp768);
    static const Botan::DL_Group modp1024 = make_group(DhGroup::Modp1024);
    static const Botan::DL_Group modp1536 = make_group(DhGroup::Modp1536);
    static const Botan::DL_Group modp2048 = make_group(DhGroup::Modp2048);
    switch (group) {
    case DhGroup::Modp768: return modp768;
    case DhGroup::Modp1024: return modp1024;
    case DhGroup::Modp1536: return modp1536;
    case DhGroup::Modp2048: return modp2048;
    case DhGroup::Ecp256:
    case DhGroup::Ecp384:
    case DhGroup::Curve25519: break;
    }
    throw std::logic_error("DH: not a MODP group");
}

// y^x mod p. The Montgomery parameters and Barrett reducer of p cost a long
// division each time Power_Mod sets its modulus; a per-group prototype with
// the modulus set is copied instead (the copy shares them).
Botan::BigInt power_mod_p(DhGroup group, const Botan::BigInt& base, const Botan::BigInt& exponent) {
    static const Botan::Power_Mod modp768(dl_group(DhGroup::Modp768).get_p());
    static const Botan::Power_Mod modp1024(dl_group(DhGroup::Modp1024).get_p());
    static const Botan::Power_Mod modp1536(dl_group(DhGroup::Modp1536).get_p());
    static const Botan::Power_Mod modp2048(dl_group(DhGroup::Modp2048).get_p());
    const Botan::Power_Mod* proto = nullptr;
    switch (group) {
    case DhGroup::Modp768: proto = &modp768; break;
    case DhGroup::Modp1024: proto = &modp1024; break;
    case DhGroup::Modp1536: proto = &modp1536; break;
    case DhGroup::Modp2048: proto = &modp2048; break;
    case DhGroup::Ecp256:
    case DhGroup::Ecp384:
    case DhGroup::Curve25519: throw std::logic_error("DH: not a MODP group");
    }
    Botan::Power_Mod pm(*proto);
    pm.set_exponent(exponent);
    pm.set_base(base);
    return pm.execute();
}

// Botan insists on an RNG even for a given private value; one that is never
// asked for bytes proves the value is used as is.
class NoRng final : public Botan::RandomNumberGenerator {
public:
    void randomize(uint8_t[], size_t) override { throw std::logic_error("DH: unexpected RNG use"); }
    bool accepts_input() const override { return false; }
    void add_entropy(const uint8_t[], size_t) override {}
    void clear() override {}
    std::string name() const override { return "none"; }
    bool is_seeded() const override { return true; }
};

// One EC_Group per ECP group, built once (it precomputes base point tables).
const Botan::EC_Group& ec_group(DhGroup group) {
    static const Botan::EC_Group ecp256(std::string(info(DhGroup::Ecp256).botan_group));
    static const Botan::EC_Group ecp384(std::string(info(DhGroup::Ecp384).botan_group));
    switch (group) {
    case DhGroup::Ecp256: return ecp256;
    case DhGroup::Ecp384: return ecp384;
    case DhGroup::Modp768:
    case DhGroup::Modp1024:
    case DhGroup::Modp1536:
    case DhGroup::Modp2048:
    case DhGroup::Curve25519: break;
    }
    throw std::logic_error("DH: not an ECP group");
}

std::string where_of(DhGroup group) { return "KE data (" + std::string(info(group).keyword) + ")"; }

// RFC 5903 7: the KE data is x || y, each left-padded to the field size; the
// SEC1 uncompressed form Botan reads is 04 || x || y.
Botan::PointGFp ecp_point(DhGroup group, ByteView peer_public) {
    const auto& curve = ec_group(group);
    const std::size_t half = curve.get_p_bytes();
    const Botan::BigInt x(peer_public.data(), half);
    const Botan::BigInt y(peer_public.data() + half, half);
    // NIST SP 800-56A 5.6.2.3.3: coordinates in [0, p-1], the point on the
    // curve and not the point at infinity.
    if (x >= curve.get_p() || y >= curve.get_p())
        throw CryptoError(where_of(group) + ": coordinate out of range (need x, y < p)");
    Botan::PointGFp point = curve.point(x, y);
    if (point.is_zero() || !point.on_the_curve() || !curve.verify_public_element(point))
        throw CryptoError(where_of(group) + ": not a point of the curve (RFC 5903 7)");
    return point;
}

Bytes ecp_public(const Botan::ECDH_PrivateKey& key) {
    // Drop the SEC1 04 prefix: RFC 5903 7 sends x || y.
    const auto sec1 = key.public_value(Botan::PointGFp::UNCOMPRESSED);
    return Bytes(sec1.begin() + 1, sec1.end());
}

// RFC 7748 6.1 / RFC 8031 2.1: an all-zero X25519 output means the peer sent
// a low-order point; the check takes the same time whatever the bytes.
bool all_zero(const SecureBytes& v) {
    std::uint8_t acc = 0;
    for (auto b : v) acc |= b;
    return acc == 0;
}

}  // namespace

void validate_public_value(DhGroup group, ByteView peer_public) {
    const auto& row = info(group);
    const std::string where = where_of(group);
    if (peer_public.size() != row.public_bytes)
        throw CryptoError(where + ": wrong length (got " + std::to_string(peer_public.size()) + " bytes, need " +
                          std::to_string(row.public_bytes) + ")");
    switch (row.kind) {
    case DhKind::Modp: {
        const Botan::BigInt y(peer_public.data(), peer_public.size());
        const Botan::BigInt& p = dl_group(group).get_p();
        // RFC 2631 2.1.5 / NIST SP 800-56A 5.6.2.3.1: 1 < y < p-1 excludes the
        // values that force a known shared secret.
        if (y <= 1 || y >= p - 1)
            throw CryptoError(where + ": public value out of range (need 1 < y < p-1)");
        return;
    }
    case DhKind::Ecp: ecp_point(group, peer_public); return;
    // RFC 7748 5: every 32-byte string is a u-coordinate; a low-order one
    // shows as an all-zero output, refused by shared_secret.
    case DhKind::Curve25519: return;
    }
}

DhKeyPair::DhKeyPair(DhGroup group, std::unique_ptr<Botan::Private_Key> key, Bytes public_value)
    : m_group(group), m_key(std::move(key)), m_public(std::move(public_value)) {}

DhKeyPair::DhKeyPair(DhKeyPair&&) noexcept = default;
DhKeyPair& DhKeyPair::operator=(DhKeyPair&&) noexcept = default;
DhKeyPair::~DhKeyPair() = default;

DhKeyPair DhKeyPair::make_modp(DhGroup group, std::unique_ptr<Botan::DH_PrivateKey> key) {
    Bytes pub = Botan::unlock(Botan::BigInt::encode_1363(key->get_y(), info(group).public_bytes));
    return DhKeyPair(group, std::move(key), std::move(pub));
}

DhKeyPair DhKeyPair::make_ecp(DhGroup group, std::unique_ptr<Botan::ECDH_PrivateKey> key) {
    Bytes pub = ecp_public(*key);
    return DhKeyPair(group, std::move(key), std::move(pub));
}

DhKeyPair DhKeyPair::make_x25519(DhGroup group, std::unique_ptr<Botan::Curve25519_PrivateKey> key) {
    Bytes pub = key->public_value();
    return DhKeyPair(group, std::move(key), std::move(pub));
}

DhKeyPair DhKeyPair::generate(DhGroup group, Botan::RandomNumberGenerator& rng) {
    switch (info(group).kind) {
    case DhKind::Modp: return make_modp(group, std::make_unique<Botan::DH_PrivateKey>(rng, dl_group(group)));
    case DhKind::Ecp: return make_ecp(group, std::make_unique<Botan::ECDH_PrivateKey>(rng, ec_group(group)));
    case DhKind::Curve25519: return make_x25519(group, std::make_unique<Botan::Curve25519_PrivateKey>(rng));
    }
    throw std::logic_error("DH: unknown group kind");
}

DhKeyPair DhKeyPair::from_private_value(DhGroup group, ByteView x) {
    switch (info(group).kind) {
    case DhKind::Modp: {
        const Botan::BigInt xv(x.data(), x.size());
        if (xv < 2) throw CryptoError("DH private value: must be at least 2");
        NoRng none;
        return make_modp(group, std::make_unique<Botan::DH_PrivateKey>(none, dl_group(group), xv));
    }
    case DhKind::Ecp: {
        const Botan::BigInt d(x.data(), x.size());
        const auto& curve = ec_group(group);
        if (d < 1 || d >= curve.get_order())
            throw CryptoError("ECDH private value: must be in [1, n-1] (RFC 5903 5)");
        // Botan blinds the scalar multiplication with the RNG; the result does not depend on it.
        return make_ecp(group, std::make_unique<Botan::ECDH_PrivateKey>(Botan::system_rng(), curve, d));
    }
    case DhKind::Curve25519: {
        if (x.size() != 32) throw CryptoError("X25519 private value: need 32 bytes (RFC 7748 5)");
        return make_x25519(group, std::make_unique<Botan::Curve25519_PrivateKey>(SecureBytes(x.begin(), x.end())));
    }
    }
    throw std::logic_error("DH: unknown group kind");
}

SecureBytes DhKeyPair::shared_secret(ByteView peer_public) const {
    validate_public_value(m_group, peer_public);
    const auto& row = info(m_group);
    switch (row.kind) {
    case DhKind::Modp: {
        // g^xy = y^x mod p with Botan's Montgomery exponentiation (fixed window,
        // constant-time table lookups). No PK_Key_Agreement: its blinder costs a
        // modular inversion and an extra exponentiation per call, which buys
        // nothing for an ephemeral x used once (RFC 2409 5: fresh g^x per exchange).
        const auto& key = dynamic_cast<const Botan::DH_PrivateKey&>(*m_key);
        const Botan::BigInt y(peer_public.data(), peer_public.size());
        const Botan::BigInt z = power_mod_p(m_group, y, key.get_x());
        // RFC 2409 5: g^xy is used at the full length of the modulus.
        return Botan::BigInt::encode_1363(z, row.secret_bytes);
    }
    case DhKind::Ecp: {
        const auto& key = dynamic_cast<const Botan::ECDH_PrivateKey&>(*m_key);
        const auto& curve = ec_group(m_group);
        Botan::PointGFp peer = ecp_point(m_group, peer_public);
        std::vector<Botan::BigInt> ws;
        const Botan::PointGFp s = curve.blinded_var_point_multiply(peer, key.private_value(), Botan::system_rng(), ws);
        if (s.is_zero()) throw CryptoError(where_of(m_group) + ": the shared point is the point at infinity");
        // RFC 5903 9: the shared secret is the x coordinate alone, at the field size.
        return Botan::BigInt::encode_1363(s.get_affine_x(), row.secret_bytes);
    }
    case DhKind::Curve25519: {
        const auto& key = dynamic_cast<const Botan::Curve25519_PrivateKey&>(*m_key);
        SecureBytes out = key.agree(peer_public.data(), peer_public.size());
        if (all_zero(out))
            throw CryptoError(where_of(m_group) + ": X25519 gave an all-zero shared secret (RFC 8031 2.1)");
        return out;
    }
    }
    throw std::logic_error("DH: unknown group kind");
}

}  // namespace picsec::ike::crypto
