// The IKEv2 Encrypted payload (RFC 7296 3.14) and its fragments (RFC 7383):
// strongSwan's IKE_AUTH messages opened with our keys, round trips, and
// every tampering and truncation refused.
#include "crypto2_sample.h"
#include "picsec/ike/v2/crypto/sk.h"

#include <botan/auto_rng.h>
#include <botan/cipher_mode.h>
#include <botan/mac.h>

#include <catch2/catch.hpp>

using namespace picsec;
using namespace picsec::ike::v2::crypto;
using namespace picsec::ike::v2::crypto::test;

namespace {

const Suite k_psk_suite{algo::EncryptionAlgorithm::Aes256Cbc, algo::HashAlgorithm::Sha256,
                        algo::AuthenticationAlgorithm::HmacSha256_128, algo::DhGroup::Modp2048};

SkKeys initiator(const IkeKeys& k) { return {k.sk_ei, k.sk_ai}; }
SkKeys responder(const IkeKeys& k) { return {k.sk_er, k.sk_ar}; }

// An IKE header and SK generic header for a body of `body_size` bytes, with
// both lengths final (RFC 7296 3.1, 3.2).
Bytes sk_prefix(std::uint8_t first_inner, std::size_t body_size) {
    Bytes p = hex("0102030405060708a1a2a3a4a5a6a7a8" "2e202308" "00000001");
    const std::size_t total = k_header + 4 + body_size;
    for (int shift : {24, 16, 8, 0}) p.push_back(static_cast<std::uint8_t>(total >> shift));
    p.push_back(first_inner);
    p.push_back(0);
    p.push_back(static_cast<std::uint8_t>((4 + body_size) >> 8));
    p.push_back(static_cast<std::uint8_t>(4 + body_size));
    return p;
}

Bytes random_bytes(Botan::RandomNumberGenerator& rng, std::size_t n) {
    Bytes b(n);
    rng.randomize(b.data(), b.size());
    return b;
}

}  // namespace

TEST_CASE("sk_open decrypts strongSwan's IKE_AUTH request and response to their IDi and IDr payloads",
          "[ike][v2][crypto][sk][kat]") {
    const V2Transcript t("v2-psk-modp2048", k_psk_suite);
    const Bytes request = t.sample.bytes("msg3");
    const Bytes response = t.sample.bytes("msg4");
    REQUIRE(request.at(16) == SK);

    const auto req = sk_open(t.suite, initiator(t.keys), request, k_header + 4);
    REQUIRE(req.ok());
    const auto req_payloads = walk(request.at(k_header), *req);  // the SK payload's Next Payload
    REQUIRE(req_payloads.at(0).type == IDi);
    CHECK(to_hex(req_payloads.at(0).body) == t.sample.text("log.IDx'.1"));  // ID_IPV4_ADDR 10.99.0.1
    CHECK(first_of(req_payloads, AUTH).body.size() == 4 + 32);

    const auto resp = sk_open(t.suite, responder(t.keys), response, k_header + 4);
    REQUIRE(resp.ok());
    const auto resp_payloads = walk(response.at(k_header), *resp);
    REQUIRE(resp_payloads.at(0).type == IDr);
    CHECK(to_hex(resp_payloads.at(0).body) == t.sample.text("log.IDx'.2"));  // 10.99.0.2

    // The other direction's keys do not open it.
    const auto wrong = sk_open(t.suite, responder(t.keys), request, k_header + 4);
    REQUIRE_FALSE(wrong.ok());
    CHECK(wrong.error() == "SK: ICV mismatch");
}

TEST_CASE("sk_open opens strongSwan's encrypted fragments (SKF) one by one", "[ike][v2][crypto][sk][kat]") {
    const Suite suite{algo::EncryptionAlgorithm::Aes128Cbc, algo::HashAlgorithm::Sha256,
                      algo::AuthenticationAlgorithm::HmacSha256_128, algo::DhGroup::Modp2048};
    const V2Transcript t("v2-cert-rsa", suite);
    Bytes request;
    for (const char* key : {"msg3", "msg4"}) {
        const Bytes fragment = t.sample.bytes(key);
        REQUIRE(fragment.at(16) == SKF);
        // RFC 7383 2.5: the SKF body follows Fragment Number and Total Fragments.
        const auto part = sk_open(suite, initiator(t.keys), fragment, k_header + 8);
        REQUIRE(part.ok());
        request.insert(request.end(), part->begin(), part->end());
    }
    const auto payloads = walk(IDi, request);
    CHECK(to_hex(payloads.at(0).body) == t.sample.text("log.IDx'.1"));  // ID_FQDN a.lab
    CHECK(payloads.at(1).type == CERT);
}

TEST_CASE("sk_seal then sk_open returns the inner payloads for every cipher and integrity algorithm",
          "[ike][v2][crypto][sk]") {
    Botan::AutoSeeded_RNG rng;
    for (const auto encr : {algo::EncryptionAlgorithm::TripleDesCbc, algo::EncryptionAlgorithm::Aes128Cbc,
                            algo::EncryptionAlgorithm::Aes256Cbc})
        for (const auto integ :
             {algo::AuthenticationAlgorithm::HmacSha1_96, algo::AuthenticationAlgorithm::HmacSha256_128})
            for (const std::size_t size : {0u, 1u, 15u, 16u, 17u, 100u}) {
                const Suite suite{encr, algo::HashAlgorithm::Sha256, integ, algo::DhGroup::Modp2048};
                const Bytes sk_e = random_bytes(rng, algo::info(encr).key_bytes);
                const Bytes sk_a = random_bytes(rng, algo::info(integ).key_bytes);
                const Bytes plaintext = random_bytes(rng, size);
                const std::size_t body_size = sk_body_size(suite, size);
                const std::size_t block = algo::info(encr).block_bytes;
                CHECK((body_size - block - algo::info(integ).icv_bytes) % block == 0);
                const Bytes prefix = sk_prefix(IDi, body_size);
                const auto body = sk_seal(suite, {sk_e, sk_a}, prefix, plaintext, rng);
                REQUIRE(body.size() == body_size);
                Bytes message = prefix;
                message.insert(message.end(), body.begin(), body.end());
                const auto opened = sk_open(suite, {sk_e, sk_a}, message, prefix.size());
                REQUIRE(opened.ok());
                CHECK(Bytes(opened->begin(), opened->end()) == plaintext);
            }
}

TEST_CASE("sk_open refuses a message with any bit flipped in the header, IV, ciphertext or ICV",
          "[ike][v2][crypto][sk]") {
    Botan::AutoSeeded_RNG rng;
    const Suite suite{algo::EncryptionAlgorithm::Aes128Cbc, algo::HashAlgorithm::Sha1,
                      algo::AuthenticationAlgorithm::HmacSha1_96, algo::DhGroup::Modp1024};
    const Bytes sk_e = random_bytes(rng, 16), sk_a = random_bytes(rng, 20);
    const Bytes plaintext = random_bytes(rng, 40);
    const Bytes prefix = sk_prefix(IDi, sk_body_size(suite, plaintext.size()));
    const auto body = sk_seal(suite, {sk_e, sk_a}, prefix, plaintext, rng);
    Bytes message = prefix;
    message.insert(message.end(), body.begin(), body.end());
    for (std::size_t i = 0; i < message.size(); ++i)
        for (const std::uint8_t bit : {0x01, 0x80}) {
            Bytes tampered = message;
            tampered[i] ^= bit;
            const auto r = sk_open(suite, {sk_e, sk_a}, tampered, prefix.size());
            REQUIRE_FALSE(r.ok());
            CHECK(r.error() == "SK: ICV mismatch");
        }
}

TEST_CASE("sk_open refuses every truncation of a message with a message, never reading past it",
          "[ike][v2][crypto][sk]") {
    Botan::AutoSeeded_RNG rng;
    const Suite suite{algo::EncryptionAlgorithm::TripleDesCbc, algo::HashAlgorithm::Sha256,
                      algo::AuthenticationAlgorithm::HmacSha256_128, algo::DhGroup::Modp2048};
    const Bytes sk_e = random_bytes(rng, 24), sk_a = random_bytes(rng, 32);
    const Bytes prefix = sk_prefix(IDi, sk_body_size(suite, 30));
    const auto body = sk_seal(suite, {sk_e, sk_a}, prefix, random_bytes(rng, 30), rng);
    Bytes message = prefix;
    message.insert(message.end(), body.begin(), body.end());
    for (std::size_t len = 0; len < message.size(); ++len) {
        const std::span<const std::uint8_t> cut(message.data(), len);
        const auto r = sk_open(suite, {sk_e, sk_a}, cut, prefix.size());
        REQUIRE_FALSE(r.ok());
        CHECK_FALSE(r.error().empty());
    }
    CHECK(sk_open(suite, {sk_e, sk_a}, std::span<const std::uint8_t>(message.data(), 20), prefix.size()).error() ==
          "SK: body starts beyond the message (got offset 32, need at most 20)");
    CHECK(sk_open(suite, {sk_e, sk_a}, std::span<const std::uint8_t>(message.data(), 40), prefix.size()).error() ==
          "SK: body too short (got 8 bytes, need at least 32)");
    CHECK(sk_open(suite, {sk_e, sk_a}, std::span<const std::uint8_t>(message.data(), message.size() - 1),
                  prefix.size())
              .error() == "SK: ciphertext not a whole number of blocks (got 31 bytes, need a multiple of 8)");
}

TEST_CASE("sk_open refuses an authentic body whose pad length exceeds the plaintext", "[ike][v2][crypto][sk]") {
    // Built by hand: one AES block ending in Pad Length 16, which with its
    // own octet needs 17 bytes; the ICV is right, so only the padding is wrong.
    const Suite suite{algo::EncryptionAlgorithm::Aes128Cbc, algo::HashAlgorithm::Sha256,
                      algo::AuthenticationAlgorithm::HmacSha256_128, algo::DhGroup::Modp2048};
    const Bytes sk_e(16, 0x42), sk_a(32, 0x24), iv(16, 0x99);
    Botan::secure_vector<std::uint8_t> block(16, 0);
    block.back() = 16;
    const auto enc = Botan::Cipher_Mode::create_or_throw("AES-128/CBC/NoPadding", Botan::ENCRYPTION);
    enc->set_key(sk_e);
    enc->start(iv);
    enc->finish(block);
    Bytes message = sk_prefix(IDi, 16 + 16 + 16);
    message.insert(message.end(), iv.begin(), iv.end());
    message.insert(message.end(), block.begin(), block.end());
    const auto mac = Botan::MessageAuthenticationCode::create_or_throw("HMAC(SHA-256)");
    mac->set_key(sk_a);
    mac->update(message);
    const auto icv = mac->final_stdvec();
    message.insert(message.end(), icv.begin(), icv.begin() + 16);
    const auto r = sk_open(suite, {sk_e, sk_a}, message, k_header + 4);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error() == "SK: pad length 16 exceeds the plaintext (got 16 bytes, need at least 17)");
}
