// The PRF (Botan's HMAC over concatenated inputs), the Appendix B key
// extension and the constant-time compare.
#include "picsec/ike/crypto/phase1.h"
#include "picsec/ike/crypto/prf.h"

#include <botan/hex.h>

#include <catch2/catch.hpp>

#include <string>

using namespace picsec::ike::crypto;

namespace {
Bytes text(const std::string& s) { return Bytes(s.begin(), s.end()); }
std::string hex(ByteView b) { return Botan::hex_encode(b.data(), b.size(), false); }
}  // namespace

TEST_CASE("the PRF is HMAC over the concatenated inputs (RFC 2202 / RFC 4231 test case 2)",
          "[ike][crypto][prf]") {
    const auto key = text("Jefe");
    const auto a = text("what do ya ");
    const auto b = text("want for nothing?");
    CHECK(hex(prf(HashAlgorithm::Md5, key, {a, b})) == "750c783e6ab0b503eaa86e310a5db738");
    CHECK(hex(prf(HashAlgorithm::Sha1, key, {a, b})) == "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
    CHECK(hex(prf(HashAlgorithm::Sha256, key, {a, b})) ==
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST_CASE("the hash is the plain negotiated hash over the concatenated inputs", "[ike][crypto][prf]") {
    CHECK(hex(hash(HashAlgorithm::Sha1, {text("a"), text("bc")})) == "a9993e364706816aba3e25717850c26c9cd0d89d");
    CHECK(hex(hash(HashAlgorithm::Md5, {text("abc")})) == "900150983cd24fb0d6963f7d28e17f72");
    CHECK(hex(message_id_bytes(0x80bc8515)) == "80bc8515");
}

TEST_CASE("Ka is SKEYID_e cut, or K1 | K2 | ... when SKEYID_e is too short", "[ike][crypto][prf]") {
    const Bytes skeyid_e(20, 0x5a);
    const auto cut = encryption_key(HashAlgorithm::Sha1, skeyid_e, 16);
    CHECK(Bytes(cut.begin(), cut.end()) == Bytes(16, 0x5a));
    const Bytes zero{0};
    const auto k1 = prf(HashAlgorithm::Sha1, skeyid_e, {zero});
    const auto k2 = prf(HashAlgorithm::Sha1, skeyid_e, {k1});
    const auto ka = encryption_key(HashAlgorithm::Sha1, skeyid_e, 32);
    Bytes expected(k1.begin(), k1.end());
    expected.insert(expected.end(), k2.begin(), k2.begin() + 12);
    CHECK(Bytes(ka.begin(), ka.end()) == expected);
}

TEST_CASE("constant-time equality compares content and length", "[ike][crypto][prf]") {
    CHECK(constant_time_equal(Bytes{1, 2, 3}, Bytes{1, 2, 3}));
    CHECK_FALSE(constant_time_equal(Bytes{1, 2, 3}, Bytes{1, 2, 4}));
    CHECK_FALSE(constant_time_equal(Bytes{1, 2, 3}, Bytes{1, 2}));
    CHECK(constant_time_equal(Bytes{}, Bytes{}));
}
