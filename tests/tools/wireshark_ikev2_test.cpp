// The ikev2_decryption_table record: Wireshark 4.0's UAT field order and its
// algorithm names (packet-isakmp.c vs_ikev2_encr_algs / vs_ikev2_auth_algs).
#include <catch2/catch.hpp>

#include "wireshark_export.h"

using namespace picsec;
using namespace picsec::tools;

TEST_CASE("an IKEv2 key record is SPIi,SPIr,SK_ei,SK_er,\"ENCR\",SK_ai,SK_ar,\"INTEG\"", "[tools][wireshark][v2]") {
    const IkeV2KeyRecord r{"0011223344556677", "8899aabbccddeeff", "01", "02", "AES-CBC-256 [RFC3602]",
                           "03", "04", "HMAC_SHA2_256_128 [RFC4868]"};
    CHECK(r.to_uat() ==
          "0011223344556677,8899aabbccddeeff,01,02,\"AES-CBC-256 [RFC3602]\",03,04,\"HMAC_SHA2_256_128 [RFC4868]\"");
}

TEST_CASE("IKEv2 algorithms get Wireshark's IKEv2 names, and DES none", "[tools][wireshark][v2]") {
    using E = sadb::EncryptionAlgorithm;
    using A = sadb::AuthenticationAlgorithm;
    CHECK(wireshark_ikev2_name(E::TripleDesCbc) == "3DES [RFC2451]");
    CHECK(wireshark_ikev2_name(E::Aes128Cbc) == "AES-CBC-128 [RFC3602]");
    CHECK(wireshark_ikev2_name(E::Aes192Cbc) == "AES-CBC-192 [RFC3602]");
    CHECK(wireshark_ikev2_name(E::Aes256Cbc) == "AES-CBC-256 [RFC3602]");
    CHECK_FALSE(wireshark_ikev2_name(E::DesCbc).has_value());
    CHECK(wireshark_ikev2_name(A::HmacMd5_96) == "HMAC_MD5_96 [RFC2403]");
    CHECK(wireshark_ikev2_name(A::HmacSha1_96) == "HMAC_SHA1_96 [RFC2404]");
    CHECK(wireshark_ikev2_name(A::HmacSha256_128) == "HMAC_SHA2_256_128 [RFC4868]");
}
