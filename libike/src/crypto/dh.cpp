// Diffie-Hellman over the IKE MODP groups (see dh.h).
#include "picsec/ike/crypto/dh.h"

#include <botan/bigint.h>
#include <botan/dh.h>
#include <botan/dl_group.h>
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
    }
    throw std::logic_error("DH: unknown group");
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

}  // namespace

void validate_public_value(DhGroup group, ByteView peer_public) {
    const auto& row = info(group);
    const std::string where = "KE data (" + std::string(row.keyword) + ")";
    if (peer_public.size() != row.modulus_bytes)
        throw CryptoError(where + ": wrong length (got " + std::to_string(peer_public.size()) + " bytes, need " +
                          std::to_string(row.modulus_bytes) + ")");
    const Botan::BigInt y(peer_public.data(), peer_public.size());
    const Botan::BigInt& p = dl_group(group).get_p();
    // RFC 2631 2.1.5 / NIST SP 800-56A 5.6.2.3.1: 1 < y < p-1 excludes the
    // values that force a known shared secret.
    if (y <= 1 || y >= p - 1)
        throw CryptoError(where + ": public value out of range (need 1 < y < p-1)");
}

DhKeyPair::DhKeyPair(DhGroup group, std::unique_ptr<Botan::DH_PrivateKey> key)
    : m_group(group), m_key(std::move(key)) {
    m_public = Botan::unlock(Botan::BigInt::encode_1363(m_key->get_y(), info(group).modulus_bytes));
}

DhKeyPair::DhKeyPair(DhKeyPair&&) noexcept = default;
DhKeyPair& DhKeyPair::operator=(DhKeyPair&&) noexcept = default;
DhKeyPair::~DhKeyPair() = default;

DhKeyPair DhKeyPair::generate(DhGroup group, Botan::RandomNumberGenerator& rng) {
    return DhKeyPair(group, std::make_unique<Botan::DH_PrivateKey>(rng, dl_group(group)));
}

DhKeyPair DhKeyPair::from_private_value(DhGroup group, ByteView x) {
    const Botan::BigInt xv(x.data(), x.size());
    if (xv < 2) throw CryptoError("DH private value: must be at least 2");
    NoRng none;
    return DhKeyPair(group, std::make_unique<Botan::DH_PrivateKey>(none, dl_group(group), xv));
}

SecureBytes DhKeyPair::shared_secret(ByteView peer_public) const {
    validate_public_value(m_group, peer_public);
    // g^xy = y^x mod p with Botan's Montgomery exponentiation (fixed window,
    // constant-time table lookups). No PK_Key_Agreement: its blinder costs a
    // modular inversion and an extra exponentiation per call, which buys
    // nothing for an ephemeral x used once (RFC 2409 5: fresh g^x per exchange).
    const Botan::BigInt y(peer_public.data(), peer_public.size());
    const Botan::BigInt z = power_mod_p(m_group, y, m_key->get_x());
    // RFC 2409 5: g^xy is used at the full length of the modulus.
    return Botan::BigInt::encode_1363(z, info(m_group).modulus_bytes);
}

}  // namespace picsec::ike::crypto
