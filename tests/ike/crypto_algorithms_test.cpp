// The IKE rows of the algorithm table: lookups and consistency with Botan.
#include "picsec/ike/crypto/algorithms.h"

#include <botan/dl_group.h>
#include <botan/hash.h>
#include <botan/mac.h>

#include <catch2/catch.hpp>

#include <string>

using namespace picsec::ike::crypto;

TEST_CASE("every IKE table row is found by its keyword and by its attribute value", "[ike][crypto][algorithms]") {
    for (const auto& row : encryption_algorithms()) {
        CHECK(encryption_from_keyword(row.keyword) == row.id);
        if (row.ike_phase1()) CHECK(ike_encryption_from_attribute(row.ike_attribute, row.key_length_bits) == row.id);
    }
    for (const auto& row : hash_algorithms()) {
        CHECK(hash_from_keyword(row.keyword) == row.id);
        CHECK(hash_from_attribute(row.ike_attribute) == row.id);
        CHECK(&info(row.id) == &row);
    }
    for (const auto& row : auth_methods()) {
        CHECK(auth_method_from_keyword(row.keyword) == row.id);
        CHECK(auth_method_from_attribute(row.ike_attribute) == row.id);
    }
    for (const auto& row : dh_groups()) {
        CHECK(dh_group_from_keyword(row.keyword) == row.id);
        CHECK(dh_group_from_attribute(row.ike_attribute) == row.id);
    }
}

TEST_CASE("the IKE table carries the RFC 2409 Appendix A numbers and JUNOS keywords", "[ike][crypto][algorithms]") {
    CHECK(encryption_from_keyword("3des-cbc") == EncryptionAlgorithm::TripleDesCbc);
    CHECK(info(EncryptionAlgorithm::DesCbc).ike_attribute == 1);
    CHECK(info(EncryptionAlgorithm::TripleDesCbc).ike_attribute == 5);
    CHECK(ike_encryption_from_attribute(7, 192) == EncryptionAlgorithm::Aes192Cbc);
    CHECK_FALSE(ike_encryption_from_attribute(7, 0));  // AES needs a Key Length
    CHECK_FALSE(ike_encryption_from_attribute(5, 128));
    CHECK(hash_from_keyword("sha-256") == HashAlgorithm::Sha256);
    CHECK(hash_from_attribute(4) == HashAlgorithm::Sha256);
    CHECK_FALSE(hash_from_attribute(3));  // Tiger is not offered
    CHECK(auth_method_from_keyword("rsa-signatures") == AuthMethod::RsaSignatures);
    CHECK(auth_method_from_attribute(3) == AuthMethod::RsaSignatures);
    CHECK_FALSE(auth_method_from_attribute(2));  // DSS signatures are not supported
    CHECK(dh_group_from_keyword("group14") == DhGroup::Modp2048);
    CHECK(dh_group_from_attribute(5) == DhGroup::Modp1536);
    CHECK_FALSE(dh_group_from_keyword("group3"));
    CHECK_FALSE(hash_from_keyword("sha2"));
}

TEST_CASE("every IKE hash and DH group row names something Botan can build", "[ike][crypto][algorithms]") {
    for (const auto& row : hash_algorithms()) {
        const auto h = Botan::HashFunction::create_or_throw(std::string(row.botan_hash));
        CHECK(h->output_length() == row.output_bytes);
        CHECK(Botan::MessageAuthenticationCode::create_or_throw(std::string(row.botan_hmac))->output_length() ==
              row.output_bytes);
    }
    for (const auto& row : dh_groups()) {
        INFO(row.keyword);
        if (row.kind != DhKind::Modp) continue;  // crypto_dh_test checks the ECP and Curve25519 rows by their vectors
        CHECK(row.public_bytes == row.secret_bytes);
        CHECK(row.botan_group.empty() != row.prime_hex.empty());
        const Botan::BigInt p = row.botan_group.empty() ? Botan::BigInt("0x" + std::string(row.prime_hex))
                                                        : Botan::DL_Group(std::string(row.botan_group)).get_p();
        CHECK(p.bytes() == row.public_bytes);
    }
}

TEST_CASE("the table carries the IKEv2 transform ids of RFC 7296 3.3.2", "[ike][crypto][algorithms][v2]") {
    using namespace picsec::algo;
    CHECK(info(EncryptionAlgorithm::DesCbc).ikev2_encr_id == 2);
    CHECK(info(EncryptionAlgorithm::TripleDesCbc).ikev2_encr_id == 3);
    CHECK(ikev2_encryption_from_id(12, 256) == EncryptionAlgorithm::Aes256Cbc);
    CHECK(ikev2_encryption_from_id(3, 0) == EncryptionAlgorithm::TripleDesCbc);
    CHECK_FALSE(ikev2_encryption_from_id(12, 0));  // AES needs a Key Length (RFC 7296 3.3.5)
    CHECK_FALSE(ikev2_encryption_from_id(7, 128));  // the IKEv1 AES number is not ENCR_AES_CBC
    CHECK(ikev2_prf_from_id(1) == HashAlgorithm::Md5);
    CHECK(ikev2_prf_from_id(2) == HashAlgorithm::Sha1);
    CHECK(ikev2_prf_from_id(5) == HashAlgorithm::Sha256);
    CHECK_FALSE(ikev2_prf_from_id(4));  // PRF_AES128_XCBC is not offered
    CHECK(ikev2_integ_from_id(1) == AuthenticationAlgorithm::HmacMd5_96);
    CHECK(ikev2_integ_from_id(2) == AuthenticationAlgorithm::HmacSha1_96);
    CHECK(ikev2_integ_from_id(12) == AuthenticationAlgorithm::HmacSha256_128);
    CHECK_FALSE(ikev2_integ_from_id(5));  // the IKEv1/ESP SHA-256 number is not AUTH_HMAC_SHA2_256_128
    CHECK(info(HashAlgorithm::Sha1).ikev2_integ == AuthenticationAlgorithm::HmacSha1_96);
    CHECK(info(HashAlgorithm::Sha256).ikev2_integ == AuthenticationAlgorithm::HmacSha256_128);
    CHECK(dh_group_from_attribute(14) == DhGroup::Modp2048);  // IKEv2 shares the group numbers
}

TEST_CASE("every IKEv2 row is found by its transform id and pairs a PRF with the HMAC of its hash",
          "[ike][crypto][algorithms][v2]") {
    using namespace picsec::algo;
    for (const auto& row : encryption_algorithms())
        CHECK(ikev2_encryption_from_id(row.ikev2_encr_id, row.key_length_bits) == row.id);
    for (const auto& row : authentication_algorithms()) CHECK(ikev2_integ_from_id(row.ikev2_integ_id) == row.id);
    for (const auto& row : hash_algorithms()) {
        CHECK(ikev2_prf_from_id(row.ikev2_prf_id) == row.id);
        CHECK(info(row.ikev2_integ).botan_name == row.botan_hmac);
    }
}
