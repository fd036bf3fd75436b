// Diffie-Hellman: agreement, fixed-length encoding and peer value checks.
#include "picsec/ike/crypto/dh.h"

#include <botan/bigint.h>
#include <botan/chacha_rng.h>
#include <botan/dl_group.h>
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

}  // namespace

TEST_CASE("two parties agree on g^xy in every group", "[ike][crypto][dh]") {
    Botan::ChaCha_RNG rng(Botan::secure_vector<std::uint8_t>(32, 0x42));
    for (const auto& row : dh_groups()) {
        INFO(row.keyword);
        const auto a = DhKeyPair::generate(row.id, rng);
        const auto b = DhKeyPair::generate(row.id, rng);
        CHECK(a.public_value().size() == row.modulus_bytes);
        CHECK(a.public_value() != b.public_value());
        const auto s1 = a.shared_secret(b.public_value());
        const auto s2 = b.shared_secret(a.public_value());
        CHECK(s1.size() == row.modulus_bytes);
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
