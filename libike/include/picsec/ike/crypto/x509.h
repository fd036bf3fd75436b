// X.509 with Botan for RSA-signature authentication (RFC 2409 5.1): the
// SignatureAuthenticator the engine is given, raw PKCS#1 signatures, and the
// parsing helpers tools use after they have read the files.
#pragma once

#include "picsec/ike/crypto/signature.h"

#include <botan/pk_keys.h>
#include <botan/x509_crl.h>
#include <botan/x509cert.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

namespace Botan {
class RandomNumberGenerator;
}

namespace picsec::ike::crypto {

/// `security certificates certification-authority NAME`: a trusted CA and its CRL.
struct TrustedAuthority {
    std::string name;                      ///< the configuration's NAME (for logs)
    Botan::X509_Certificate certificate;
    std::optional<Botan::X509_CRL> crl;    ///< `crl FILE`; revoked certificates are refused
};

/// Everything an X509Authenticator works from, already parsed.
struct X509Settings {
    std::vector<Botan::X509_Certificate> local_chain;  ///< our certificate first, then intermediates to send
    std::shared_ptr<const Botan::Private_Key> key;     ///< `local-key-pair`
    std::vector<TrustedAuthority> authorities;
    std::vector<Botan::X509_Certificate> intermediates; ///< CAs known locally that are not trust anchors
    unsigned path_length = 15;                          ///< `path-length`: CA certificates allowed below the anchor
    /// The time certificates and CRLs are judged at; null = the system clock.
    std::function<std::chrono::system_clock::time_point()> clock;
};

/// Botan-backed SignatureAuthenticator: x509_path_validate against the
/// trusted CAs (chain, validity, CRL, basic constraints), keyUsage, ID match
/// and EMSA3(Raw) signatures.
class X509Authenticator final : public SignatureAuthenticator {
public:
    /// Throws CryptoError when there is no local certificate, no key, or the
    /// key does not belong to the certificate.
    explicit X509Authenticator(X509Settings settings);
    ~X509Authenticator() override;

    std::vector<Bytes> local_chain() const override;
    Bytes local_subject() const override;
    Bytes encode_dn(std::string_view text) const override;
    std::vector<Bytes> authorities() const override;
    Bytes sign(ByteView hash) const override;
    PeerCheck verify_peer(const std::vector<Bytes>& certificates, const PeerIdentity& id, ByteView hash,
                          ByteView signature) const override;
    std::vector<Bytes> authority_key_hashes() const override;
    Bytes sign_v2(ByteView signed_octets, v2::crypto::SignatureScheme scheme) const override;
    PeerCheck verify_peer_v2(const std::vector<Bytes>& certificates, const PeerIdentity& id, std::uint8_t method,
                             ByteView auth_data, ByteView signed_octets) const override;
    std::string describe_dn(ByteView der) const override;

    const X509Settings& settings() const { return m_settings; }

private:
    /// The chain, validity, keyUsage and ID checks shared by both IKE
    /// versions; on success `key` holds the end certificate's public key.
    PeerCheck validate(const std::vector<Bytes>& certificates, const PeerIdentity& id,
                       std::unique_ptr<Botan::Public_Key>& key) const;

    X509Settings m_settings;
    std::unique_ptr<Botan::RandomNumberGenerator> m_rng;  ///< RSA blinding only
};

/// RFC 2409 5.1: PKCS#1 v1.5 type-1 signature of the raw hash (no DigestInfo).
Bytes sign_raw_pkcs1(const Botan::Private_Key& key, ByteView hash, Botan::RandomNumberGenerator& rng);
bool verify_raw_pkcs1(const Botan::Public_Key& key, ByteView hash, ByteView signature);

/// Parses a certificate, CRL or private key from bytes (PEM or DER; the
/// encoding is detected). Throw CryptoError naming what did not parse.
Botan::X509_Certificate parse_certificate(ByteView bytes);
Botan::X509_CRL parse_crl(ByteView bytes);
std::unique_ptr<Botan::Private_Key> parse_private_key(ByteView bytes);
/// Several PEM certificates in one file (a chain); one DER certificate otherwise.
std::vector<Botan::X509_Certificate> parse_certificates(ByteView bytes);

/// True when `key` is the private half of the certificate's public key.
bool key_matches(const Botan::X509_Certificate& cert, const Botan::Private_Key& key);

/// Whether a certificate vouches for an identity: the DN equals the subject,
/// or the address / name / e-mail is among the subjectAltNames.
bool identity_matches(const Botan::X509_Certificate& cert, const PeerIdentity& id);

/// "192.0.2.1", "r1.example.net", "C=US, O=Example, CN=r1". Names and DN
/// values are escaped with codec::printable() (one line, control bytes and the
/// backslash as \xNN), as are the subjects in PeerCheck and describe_dn().
std::string describe(const PeerIdentity& id);

}  // namespace picsec::ike::crypto
