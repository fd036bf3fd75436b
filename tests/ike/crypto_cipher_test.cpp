// IKE payload encryption: CBC with explicit IV, zero padding, IV chaining.
#include "crypto_sample.h"

#include "picsec/ike/crypto/cipher.h"

#include <catch2/catch.hpp>

using namespace picsec::ike::crypto;
using namespace picsec::ike::crypto::test;

TEST_CASE("re-encrypting strongSwan's decrypted message 5 reproduces the captured ciphertext",
          "[ike][crypto][cbc]") {
    for (const auto& sc : psk_scenarios()) {
        if (sc.aggressive) continue;
        INFO(sc.name);
        const auto t = load_transcript(sc);
        const auto& m5 = t.phase1.at(4);
        const auto r = encrypt_body(sc.cipher, t.keys.ka, t.keys.iv, m5.plaintext);
        CHECK(r.data == m5.body);
        CHECK(r.next_iv == m5.next_iv);
    }
}

TEST_CASE("encryption zero-pads to the block size and returns the last block as next IV", "[ike][crypto][cbc]") {
    for (const auto& row : encryption_algorithms()) {
        const auto& c = picsec::algo::info(row.id);
        INFO(c.keyword);
        if (!c.ike_phase1()) continue;  // IKE encrypts with the CBC ciphers only
        const Bytes key(c.key_bytes, 0x3c), iv(c.block_bytes, 0x01);
        const Bytes plain(c.block_bytes + 3, 0xab);
        const auto enc = encrypt_body(row.id, key, iv, plain);
        REQUIRE(enc.data.size() == 2 * c.block_bytes);
        CHECK(enc.next_iv == Bytes(enc.data.end() - long(c.block_bytes), enc.data.end()));
        const auto dec = decrypt_body(row.id, key, iv, enc.data);
        Bytes padded = plain;
        padded.resize(2 * c.block_bytes, 0);
        CHECK(dec.data == padded);
        CHECK(dec.next_iv == enc.next_iv);
        // An exact multiple gets no extra block.
        CHECK(encrypt_body(row.id, key, iv, Bytes(c.block_bytes, 1)).data.size() == c.block_bytes);
    }
}

TEST_CASE("decryption rejects a body that is not a whole number of blocks", "[ike][crypto][cbc]") {
    const Bytes key(24, 0x3c), iv(8, 0x01);
    CHECK_THROWS_WITH(decrypt_body(EncryptionAlgorithm::TripleDesCbc, key, iv, Bytes(15, 0)),
                      Catch::Contains("not a whole number of 3des-cbc blocks (got 15 bytes"));
    CHECK_THROWS_AS(decrypt_body(EncryptionAlgorithm::TripleDesCbc, key, iv, Bytes{}), CryptoError);
    CHECK_THROWS_WITH(decrypt_body(EncryptionAlgorithm::TripleDesCbc, Bytes(16, 0), iv, Bytes(8, 0)),
                      Catch::Contains("got 16 bytes, need 24"));
    CHECK_THROWS_WITH(encrypt_body(EncryptionAlgorithm::Aes128Cbc, Bytes(16, 0), iv, Bytes(8, 0)),
                      Catch::Contains("IV: wrong length"));
}

TEST_CASE("the IV chain keeps phase 1 and each exchange apart", "[ike][crypto][cbc]") {
    const Bytes iv0(8, 0x10), last1(8, 0x21), qm_last(8, 0x33);
    IvChain chain(HashAlgorithm::Sha1, EncryptionAlgorithm::TripleDesCbc, iv0);
    CHECK(chain.iv(0) == iv0);
    chain.update(0, last1);
    CHECK(chain.iv(0) == last1);
    const auto qm = chain.iv(7);
    CHECK(qm == exchange_iv(HashAlgorithm::Sha1, last1, 7, 8));
    chain.update(7, qm_last);
    CHECK(chain.iv(7) == qm_last);
    CHECK(chain.iv(9) == exchange_iv(HashAlgorithm::Sha1, last1, 9, 8));  // untouched by exchange 7
    CHECK(chain.iv(0) == last1);
    chain.forget(7);
    CHECK(chain.iv(7) == qm);  // a forgotten exchange restarts from phase 1
    CHECK_THROWS_AS(chain.update(3, Bytes(16, 0)), CryptoError);
}
