// Diffie-Hellman: agreement, fixed-length encoding and peer value checks in
// the MODP, ECP (RFC 5903) and Curve25519 (RFC 8031) groups.
#include "picsec/ike/crypto/dh.h"

#include <botan/bigint.h>
#include <botan/chacha_rng.h>
#include <botan/dl_group.h>
#include <botan/ec_group.h>
#include <botan/hex.h>
#include <botan/numthry.h>

#include <catch2/catch.hpp>

#include <string>

using namespace picsec::ike::crypto;

namespace {

Botan::BigInt prime_of(DhGroup g) {
    const auto& row = info(g);
    return row.botan_group.empty() ? Botan::BigInt("0x" + std::string(row.prime_hex))
                                   : Botan::DL_Group(std::string(row.botan_group)).get_p();
}

Bytes encode(const Botan::BigInt& v, std::size_t len) { return Botan::unlock(Botan::BigInt::encode_1363(v, len)); }

Bytes hex(const std::string& h) { return Botan::hex_decode(h); }

// One RFC 5903 section 8 test: both private values, public values and gir.
struct EcpVector {
    DhGroup group;
    std::string i, gix, giy, r, grx, gry, girx;
};

const EcpVector k_rfc5903[] = {
    // RFC 5903 8.1, 256-bit random ECP group.
    {DhGroup::Ecp256, "C88F01F510D9AC3F70A292DAA2316DE544E9AAB8AFE84049C62A9C57862D1433",
     "DAD0B65394221CF9B051E1FECA5787D098DFE637FC90B9EF945D0C3772581180",
     "5271A0461CDB8252D61F1C456FA3E59AB1F45B33ACCF5F58389E0577B8990BB3",
     "C6EF9C5D78AE012A011164ACB397CE2088685D8F06BF9BE0B283AB46476BEE53",
     "D12DFB5289C8D4F81208B70270398C342296970A0BCCB74C736FC7554494BF63",
     "56FBF3CA366CC23E8157854C13C58D6AAC23F046ADA30F8353E74F33039872AB",
     "D6840F6B42F6EDAFD13116E0E12565202FEF8E9ECE7DCE03812464D04B9442DE"},
    // RFC 5903 8.2, 384-bit random ECP group.
    {DhGroup::Ecp384,
     "099F3C7034D4A2C699884D73A375A67F7624EF7C6B3C0F160647B67414DCE655E35B538041E649EE3FAEF896783AB194",
     "667842D7D180AC2CDE6F74F37551F55755C7645C20EF73E31634FE72B4C55EE6DE3AC808ACB4BDB4C88732AEE95F41AA",
     "9482ED1FC0EEB9CAFC4984625CCFC23F65032149E0E144ADA024181535A0F38EEB9FCFF3C2C947DAE69B4C634573A81C",
     "41CB0779B4BDB85D47846725FBEC3C9430FAB46CC8DC5060855CC9BDA0AA2942E0308312916B8ED2960E4BD55A7448FC",
     "E558DBEF53EECDE3D3FCCFC1AEA08A89A987475D12FD950D83CFA41732BC509D0D1AC43A0336DEF96FDA41D0774A3571",
     "DCFBEC7AACF3196472169E838430367F66EEBE3C6E70C416DD5F0C68759DD1FFF83FA40142209DFF5EAAD96DB9E6386C",
     "11187331C279962D93D604243FD592CB9D0A926F422E47187521287E7156C5C4D603135569B9E9D09CF5D4A270F59746"},
};

}  // namespace

TEST_CASE("two parties agree on g^xy in every group", "[ike][crypto][dh]") {
    Botan::ChaCha_RNG rng(Botan::secure_vector<std::uint8_t>(32, 0x42));
    for (const auto& row : dh_groups()) {
        INFO(row.keyword);
        const auto a = DhKeyPair::generate(row.id, rng);
        const auto b = DhKeyPair::generate(row.id, rng);
        CHECK(a.public_value().size() == row.public_bytes);
        CHECK(a.public_value() != b.public_value());
        const auto s1 = a.shared_secret(b.public_value());
        const auto s2 = b.shared_secret(a.public_value());
        CHECK(s1.size() == row.secret_bytes);
        CHECK(s1 == s2);
    }
}

TEST_CASE("a key pair from a known private value gives the known public value", "[ike][crypto][dh]") {
    // x = 2: g^x = 4, sent left-padded to the modulus length (RFC 2409 5).
    const auto k = DhKeyPair::from_private_value(DhGroup::Modp768, Bytes{2});
    Bytes expected(96, 0);
    expected.back() = 4;
    CHECK(k.public_value() == expected);
    // x = 3 against y = g^2: g^6 = 64.
    const auto k3 = DhKeyPair::from_private_value(DhGroup::Modp768, Bytes{3});
    const auto s = k3.shared_secret(expected);
    Bytes sixty_four(96, 0);
    sixty_four.back() = 64;
    CHECK(Bytes(s.begin(), s.end()) == sixty_four);
    CHECK_THROWS_AS(DhKeyPair::from_private_value(DhGroup::Modp1024, Bytes{1}), CryptoError);
}

TEST_CASE("the ECP groups reproduce the RFC 5903 section 8 test vectors", "[ike][crypto][dh][ecp]") {
    for (const auto& v : k_rfc5903) {
        INFO(keyword(v.group));
        const auto i = DhKeyPair::from_private_value(v.group, hex(v.i));
        const auto r = DhKeyPair::from_private_value(v.group, hex(v.r));
        // RFC 5903 7: the KE data is x || y.
        CHECK(i.public_value() == hex(v.gix + v.giy));
        CHECK(r.public_value() == hex(v.grx + v.gry));
        // RFC 5903 9: the shared secret is the x coordinate of g^ir alone.
        const auto s_i = i.shared_secret(r.public_value());
        const auto s_r = r.shared_secret(i.public_value());
        CHECK(Bytes(s_i.begin(), s_i.end()) == hex(v.girx));
        CHECK(Bytes(s_r.begin(), s_r.end()) == hex(v.girx));
    }
}

TEST_CASE("X25519 reproduces the RFC 7748 section 6.1 Alice and Bob exchange", "[ike][crypto][dh][x25519]") {
    const auto alice =
        DhKeyPair::from_private_value(DhGroup::Curve25519, hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
    const auto bob =
        DhKeyPair::from_private_value(DhGroup::Curve25519, hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"));
    CHECK(alice.public_value() == hex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"));
    CHECK(bob.public_value() == hex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"));
    const Bytes k = hex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
    const auto s_a = alice.shared_secret(bob.public_value());
    const auto s_b = bob.shared_secret(alice.public_value());
    CHECK(Bytes(s_a.begin(), s_a.end()) == k);
    CHECK(Bytes(s_b.begin(), s_b.end()) == k);
}

TEST_CASE("ECP KE data off the curve, with a coordinate of p or more, or the wrong length is refused",
          "[ike][crypto][dh][ecp]") {
    const auto& v = k_rfc5903[0];
    const auto i = DhKeyPair::from_private_value(v.group, hex(v.i));
    Bytes off_curve = hex(v.grx + v.gry);
    off_curve.back() ^= 1;
    CHECK_THROWS_WITH(i.shared_secret(off_curve), Catch::Contains("not a point of the curve"));
    // The point at infinity has no affine form; all zeros is not on the curve either.
    CHECK_THROWS_WITH(i.shared_secret(Bytes(64, 0)), Catch::Contains("not a point of the curve"));
    const Botan::EC_Group curve("secp256r1");
    const Bytes p = encode(curve.get_p(), 32);
    Bytes big = p;
    big.insert(big.end(), p.begin(), p.end());
    CHECK_THROWS_WITH(i.shared_secret(big), Catch::Contains("coordinate out of range"));
    CHECK_THROWS_WITH(validate_public_value(DhGroup::Ecp256, hex(v.grx)), Catch::Contains("got 32 bytes, need 64"));
    CHECK_THROWS_WITH(validate_public_value(DhGroup::Ecp384, hex(v.grx + v.gry)),
                      Catch::Contains("got 64 bytes, need 96"));
    CHECK_NOTHROW(validate_public_value(DhGroup::Ecp256, hex(v.grx + v.gry)));
    CHECK_THROWS_AS(DhKeyPair::from_private_value(DhGroup::Ecp256, Bytes{0}), CryptoError);
}

TEST_CASE("X25519 refuses a low-order peer value whose shared secret is all zero", "[ike][crypto][dh][x25519]") {
    Botan::ChaCha_RNG rng(Botan::secure_vector<std::uint8_t>(32, 9));
    const auto k = DhKeyPair::generate(DhGroup::Curve25519, rng);
    // RFC 7748 6.1 / RFC 8031 2.1: u = 0 and u = 1 are of low order.
    Bytes one(32, 0);
    one.front() = 1;
    for (const auto& bad : {Bytes(32, 0), one}) CHECK_THROWS_WITH(k.shared_secret(bad), Catch::Contains("all-zero"));
    CHECK_THROWS_WITH(validate_public_value(DhGroup::Curve25519, Bytes(31, 9)), Catch::Contains("got 31 bytes, need 32"));
}

TEST_CASE("the First Oakley Group prime is a safe prime", "[ike][crypto][dh]") {
    Botan::ChaCha_RNG rng(Botan::secure_vector<std::uint8_t>(32, 1));
    const auto p = prime_of(DhGroup::Modp768);
    CHECK(p.bits() == 768);
    CHECK(Botan::is_prime(p, rng));
    CHECK(Botan::is_prime((p - 1) / 2, rng));
}

TEST_CASE("peer public values 0, 1, p-1, p and a wrong length are rejected", "[ike][crypto][dh]") {
    Botan::ChaCha_RNG rng(Botan::secure_vector<std::uint8_t>(32, 7));
    const auto k = DhKeyPair::generate(DhGroup::Modp1024, rng);
    const auto p = prime_of(DhGroup::Modp1024);
    for (const auto& bad : {Botan::BigInt(0), Botan::BigInt(1), p - 1, p}) {
        INFO(bad.to_hex_string());
        CHECK_THROWS_WITH(k.shared_secret(encode(bad, 128)), Catch::Contains("out of range"));
    }
    CHECK_NOTHROW(validate_public_value(DhGroup::Modp1024, encode(Botan::BigInt(2), 128)));
    CHECK_NOTHROW(validate_public_value(DhGroup::Modp1024, encode(p - 2, 128)));
    CHECK_THROWS_WITH(validate_public_value(DhGroup::Modp1024, Bytes(127, 5)),
                      Catch::Contains("got 127 bytes, need 128"));
    CHECK_THROWS_AS(k.shared_secret(Bytes(96, 5)), CryptoError);
}
