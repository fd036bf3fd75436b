// IKEv2 AUTH: signed octets, shared-key MIC, RSA signatures (see picsec/ike/v2/crypto/auth.h).
#include "picsec/ike/v2/crypto/auth.h"

#include "picsec/ike/crypto/prf.h"
#include "picsec/ike/crypto/types.h"

#include <botan/asn1_obj.h>
#include <botan/ber_dec.h>
#include <botan/pubkey.h>

#include <array>
#include <exception>
#include <stdexcept>
#include <string_view>

namespace picsec::ike::v2::crypto {
namespace {

using Secret = Botan::secure_vector<std::uint8_t>;

// RFC 7296 2.15: the pad string of the shared-key MIC, 17 ASCII octets, no NUL.
constexpr std::string_view k_key_pad = "Key Pad for IKEv2";

// RFC 7427 Appendix A.3.3: sha256WithRSAEncryption, NULL parameters.
constexpr std::array<std::uint8_t, 15> k_alg_sha256_rsa{0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
                                                        0xf7, 0x0d, 0x01, 0x01, 0x0b, 0x05, 0x00};
// RFC 4055 3.1 RSASSA-PSS-params in DER (defaults omitted, so no trailerField):
// hashAlgorithm [0] sha256, maskGenAlgorithm [1] mgf1 with sha256, saltLength [2] 32.
constexpr std::array<std::uint8_t, 67> k_alg_pss_sha256{
    0x30, 0x41, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a,  // id-RSASSA-PSS
    0x30, 0x34,                                                                    // params
    0xa0, 0x0f, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00,
    0xa1, 0x1c, 0x30, 0x1a, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x08,  // id-mgf1
    0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00,
    0xa2, 0x03, 0x02, 0x01, 0x20};

const Botan::OID k_oid_sha256_rsa{1, 2, 840, 113549, 1, 1, 11};
const Botan::OID k_oid_pss{1, 2, 840, 113549, 1, 1, 10};
const Botan::OID k_oid_mgf1{1, 2, 840, 113549, 1, 1, 8};
const Botan::OID k_oid_sha256{2, 16, 840, 1, 101, 3, 4, 2, 1};

// Botan's EMSA name for each scheme.
std::string emsa(SignatureScheme scheme) {
    switch (scheme) {
    case SignatureScheme::RsaPkcs1Sha1: return "EMSA3(SHA-1)";
    case SignatureScheme::RsaPkcs1Sha256: return "EMSA3(SHA-256)";
    case SignatureScheme::RsaPssSha256: return "PSSR(SHA-256,MGF1,32)";
    }
    throw std::logic_error("signature scheme missing from emsa()");
}

// A hash AlgorithmIdentifier naming SHA-256, parameters NULL or absent (RFC 4055 2.1).
bool is_sha256(const Botan::AlgorithmIdentifier& id) {
    return id.get_oid() == k_oid_sha256 && id.parameters_are_null_or_empty();
}

// RFC 4055 3.1: accepts exactly SHA-256, MGF1 with SHA-256, a 32-octet salt, trailer 1.
bool pss_params_are_ours(const std::vector<std::uint8_t>& params) {
    Botan::AlgorithmIdentifier hash, mgf, mgf_hash;
    std::size_t salt = 0, trailer = 0;
    const auto explicit_tag = Botan::ASN1_Tag(Botan::CONTEXT_SPECIFIC | Botan::CONSTRUCTED);
    Botan::BER_Decoder(params)
        .start_cons(Botan::SEQUENCE)
        .decode_optional(hash, Botan::ASN1_Tag(0), explicit_tag, Botan::AlgorithmIdentifier())
        .decode_optional(mgf, Botan::ASN1_Tag(1), explicit_tag, Botan::AlgorithmIdentifier())
        .decode_optional(salt, Botan::ASN1_Tag(2), explicit_tag, std::size_t(20))
        .decode_optional(trailer, Botan::ASN1_Tag(3), explicit_tag, std::size_t(1))
        .end_cons()
        .verify_end();
    if (!is_sha256(hash) || mgf.get_oid() != k_oid_mgf1 || salt != 32 || trailer != 1) return false;
    Botan::BER_Decoder(mgf.get_parameters()).decode(mgf_hash).verify_end();
    return is_sha256(mgf_hash);
}

// RFC 7427 3: ASN.1 Length | AlgorithmIdentifier | Signature Value.
struct DigitalSignature {
    std::span<const std::uint8_t> algorithm;
    std::span<const std::uint8_t> signature;
};

Expected<DigitalSignature, std::string> split_digital_signature(std::span<const std::uint8_t> auth_data) {
    if (auth_data.empty()) return std::string("AUTH: no ASN.1 length octet (got 0 bytes, need at least 1)");
    const std::size_t length = auth_data[0];
    if (auth_data.size() < 1 + length)
        return std::string("AUTH: AlgorithmIdentifier truncated (got " + std::to_string(auth_data.size() - 1) +
                           " bytes, need " + std::to_string(length) + ")");
    return DigitalSignature{auth_data.subspan(1, length), auth_data.subspan(1 + length)};
}

}  // namespace

std::vector<std::uint8_t> signed_octets(algo::HashAlgorithm prf, std::span<const std::uint8_t> real_message,
                                        std::span<const std::uint8_t> nonce_peer,
                                        std::span<const std::uint8_t> sk_p, std::span<const std::uint8_t> id_body) {
    const Secret maced_id = ike::crypto::prf(prf, sk_p, {id_body});
    std::vector<std::uint8_t> out(real_message.begin(), real_message.end());
    out.insert(out.end(), nonce_peer.begin(), nonce_peer.end());
    out.insert(out.end(), maced_id.begin(), maced_id.end());
    return out;
}

Secret psk_auth(algo::HashAlgorithm prf, std::span<const std::uint8_t> psk,
                std::span<const std::uint8_t> signed_octets) {
    const std::span<const std::uint8_t> pad(reinterpret_cast<const std::uint8_t*>(k_key_pad.data()), k_key_pad.size());
    const Secret key = ike::crypto::prf(prf, psk, {pad});
    return ike::crypto::prf(prf, key, {signed_octets});
}

bool psk_auth_matches(algo::HashAlgorithm prf, std::span<const std::uint8_t> psk,
                      std::span<const std::uint8_t> signed_octets, std::span<const std::uint8_t> received) {
    return ike::crypto::constant_time_equal(psk_auth(prf, psk, signed_octets), received);
}

std::uint8_t auth_method(SignatureScheme scheme) {
    switch (scheme) {
    case SignatureScheme::RsaPkcs1Sha1: return 1;  // RFC 7296 3.8 RSA Digital Signature
    case SignatureScheme::RsaPkcs1Sha256:
    case SignatureScheme::RsaPssSha256: return 14;  // RFC 7427 Digital Signature
    }
    throw std::logic_error("signature scheme missing from auth_method()");
}

std::vector<std::uint8_t> rsa_sign(SignatureScheme scheme, const Botan::Private_Key& key,
                                   std::span<const std::uint8_t> signed_octets, Botan::RandomNumberGenerator& rng) {
    if (key.algo_name() != "RSA")
        throw ike::crypto::CryptoError("AUTH: not an RSA key (got " + key.algo_name() + ", need RSA)");
    Botan::PK_Signer signer(key, rng, emsa(scheme));
    const auto signature = signer.sign_message(signed_octets.data(), signed_octets.size(), rng);
    std::vector<std::uint8_t> out;
    switch (scheme) {
    case SignatureScheme::RsaPkcs1Sha1: return signature;
    case SignatureScheme::RsaPkcs1Sha256: out.assign(k_alg_sha256_rsa.begin(), k_alg_sha256_rsa.end()); break;
    case SignatureScheme::RsaPssSha256: out.assign(k_alg_pss_sha256.begin(), k_alg_pss_sha256.end()); break;
    }
    out.insert(out.begin(), static_cast<std::uint8_t>(out.size()));
    out.insert(out.end(), signature.begin(), signature.end());
    return out;
}

Expected<SignatureScheme, std::string> digital_signature_scheme(std::span<const std::uint8_t> auth_data) {
    const auto split = split_digital_signature(auth_data);
    if (!split) return split.error();
    try {
        Botan::AlgorithmIdentifier alg;
        Botan::BER_Decoder(split->algorithm.data(), split->algorithm.size()).decode(alg).verify_end();
        if (alg.get_oid() == k_oid_sha256_rsa && alg.parameters_are_null_or_empty())
            return SignatureScheme::RsaPkcs1Sha256;
        if (alg.get_oid() == k_oid_pss && pss_params_are_ours(alg.get_parameters()))
            return SignatureScheme::RsaPssSha256;
        return std::string("AUTH: unsupported signature algorithm " + alg.get_oid().to_string() +
                           " (need sha256WithRSAEncryption or RSASSA-PSS with SHA-256, MGF1-SHA-256, salt 32)");
    } catch (const std::exception& e) {
        return std::string("AUTH: AlgorithmIdentifier does not parse (") + e.what() + ")";
    }
}

bool rsa_verify(std::uint8_t method, std::span<const std::uint8_t> auth_data, const Botan::Public_Key& key,
                std::span<const std::uint8_t> signed_octets) {
    // Auth Methods 1 and 14 as supported here are RSA only: an ECDSA or DSA
    // certificate key verifies nothing.
    if (key.algo_name() != "RSA") return false;
    SignatureScheme scheme = SignatureScheme::RsaPkcs1Sha1;
    std::span<const std::uint8_t> signature = auth_data;
    if (method == 14) {
        const auto named = digital_signature_scheme(auth_data);
        if (!named) return false;
        scheme = *named;
        signature = split_digital_signature(auth_data)->signature;
    } else if (method != 1) {
        return false;
    }
    try {
        Botan::PK_Verifier verifier(key, emsa(scheme));
        return verifier.verify_message(signed_octets.data(), signed_octets.size(), signature.data(), signature.size());
    } catch (const std::exception&) {
        return false;  // a key of another type, a malformed signature: not a valid AUTH
    }
}

std::vector<std::uint8_t> signature_hash_algorithms_data() {
    return {static_cast<std::uint8_t>(k_hash_sha2_256 >> 8), static_cast<std::uint8_t>(k_hash_sha2_256 & 0xff)};
}

Expected<std::vector<std::uint16_t>, std::string> parse_signature_hash_algorithms(std::span<const std::uint8_t> data) {
    if (data.size() % 2 != 0)
        return std::string("SIGNATURE_HASH_ALGORITHMS: odd length (got " + std::to_string(data.size()) +
                           " bytes, need a multiple of 2)");
    std::vector<std::uint16_t> ids;
    for (std::size_t i = 0; i < data.size(); i += 2)
        ids.push_back(static_cast<std::uint16_t>((data[i] << 8) | data[i + 1]));
    return ids;
}

}  // namespace picsec::ike::v2::crypto
