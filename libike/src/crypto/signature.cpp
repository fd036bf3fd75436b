// Raw PKCS#1 v1.5 signatures for IKEv1 (RFC 2409 5.1) and the parsing of
// certificates, CRLs and keys from bytes.
#include "picsec/ike/crypto/x509.h"

#include <botan/data_src.h>
#include <botan/pem.h>
#include <botan/pk_algs.h>
#include <botan/pkcs8.h>
#include <botan/pubkey.h>
#include <botan/rsa.h>

namespace picsec::ike::crypto {

// RFC 2409 5.1 signs HASH_I / HASH_R directly: PKCS#1 v1.5 type-1 padding
// with no DigestInfo, which is Botan's EMSA3(Raw) (strongSwan: "EMSA_PKCS1_v15
// without OID").
Bytes sign_raw_pkcs1(const Botan::Private_Key& key, ByteView hash, Botan::RandomNumberGenerator& rng)
{
    if (key.algo_name() != "RSA")
        throw CryptoError("local key pair: not an RSA key (got " + key.algo_name() + ")");
    Botan::PK_Signer signer(key, rng, "EMSA3(Raw)");
    return signer.sign_message(hash.data(), hash.size(), rng);
}

bool verify_raw_pkcs1(const Botan::Public_Key& key, ByteView hash, ByteView signature)
{
    if (key.algo_name() != "RSA" || signature.empty())
        return false;
    try {
        Botan::PK_Verifier verifier(key, "EMSA3(Raw)");
        return verifier.verify_message(hash.data(), hash.size(), signature.data(), signature.size());
    } catch (const std::exception&) {
        return false;
    }
}

Botan::X509_Certificate parse_certificate(ByteView bytes)
{
    try {
        return Botan::X509_Certificate(bytes.data(), bytes.size());
    } catch (const std::exception& e) {
        throw CryptoError(std::string("certificate: does not parse (") + e.what() + ")");
    }
}

std::vector<Botan::X509_Certificate> parse_certificates(ByteView bytes)
{
    std::vector<Botan::X509_Certificate> out;
    try {
        Botan::DataSource_Memory src(bytes.data(), bytes.size());
        if (!Botan::PEM_Code::matches(src))
            return {parse_certificate(bytes)};
        while (!src.end_of_data()) {
            std::string label;
            auto der = Botan::PEM_Code::decode(src, label);
            if (label == "CERTIFICATE" || label == "X509 CERTIFICATE")
                out.emplace_back(der.data(), der.size());
            // Skip whitespace between blocks.
            std::uint8_t b = 0;
            while (src.peek_byte(b) == 1 && (b == '\n' || b == '\r' || b == ' ' || b == '\t'))
                src.discard_next(1);
        }
    } catch (const CryptoError&) {
        throw;
    } catch (const std::exception& e) {
        throw CryptoError(std::string("certificate: does not parse (") + e.what() + ")");
    }
    if (out.empty())
        throw CryptoError("certificate: no CERTIFICATE block found");
    return out;
}

Botan::X509_CRL parse_crl(ByteView bytes)
{
    try {
        return Botan::X509_CRL(std::vector<std::uint8_t>(bytes.begin(), bytes.end()));
    } catch (const std::exception& e) {
        throw CryptoError(std::string("CRL: does not parse (") + e.what() + ")");
    }
}

std::unique_ptr<Botan::Private_Key> parse_private_key(ByteView bytes)
{
    try {
        Botan::DataSource_Memory src(bytes.data(), bytes.size());
        if (Botan::PEM_Code::matches(src, "RSA PRIVATE KEY")) {
            // OpenSSL's / strongSwan's traditional PKCS#1 RSAPrivateKey (RFC 8017 A.1.2).
            std::string label;
            const auto der = Botan::PEM_Code::decode(src, label);
            return std::make_unique<Botan::RSA_PrivateKey>(
                Botan::AlgorithmIdentifier("RSA", Botan::AlgorithmIdentifier::USE_NULL_PARAM), der);
        }
        return Botan::PKCS8::load_key(src);
    } catch (const std::exception& e) {
        throw CryptoError(std::string("key pair: does not parse (") + e.what() + ")");
    }
}

bool key_matches(const Botan::X509_Certificate& cert, const Botan::Private_Key& key)
{
    try {
        return cert.subject_public_key_bitstring() == key.public_key_bits();
    } catch (const std::exception&) {
        return false;
    }
}

}  // namespace picsec::ike::crypto
