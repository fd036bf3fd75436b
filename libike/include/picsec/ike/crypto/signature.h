// The narrow interface the engine signs and checks peers through for
// authentication with RSA signatures (RFC 2409 5.1). The engine holds no key
// and parses no certificate: it hands bytes to a SignatureAuthenticator and
// reads back a verdict. crypto/x509.h implements it with Botan.
#pragma once

#include "picsec/ike/crypto/types.h"
#include "picsec/ike/v2/crypto/auth.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace picsec::ike::crypto {

/// A phase-1 identity as far as a certificate can vouch for it
/// (RFC 2407 4.6.2.1 ID types IPV4_ADDR, FQDN, USER_FQDN, DER_ASN1_DN).
struct PeerIdentity {
    enum class Type { Ipv4, Fqdn, UserFqdn, DerAsn1Dn, Other };
    Type type = Type::Other;
    Bytes value;  ///< 4 octets, the name's text, or the DN's DER
};

/// Why a peer was or was not accepted. Every refusal has its own value so
/// logs, failures and tests can tell them apart.
enum class PeerVerdict {
    Accepted,
    NoCertificate,      ///< the peer sent no usable X.509 certificate
    BadCertificate,     ///< the certificate does not parse
    UnknownIssuer,      ///< no chain to a configured certification authority
    Expired,            ///< a certificate of the chain is past its notAfter
    NotYetValid,        ///< a certificate of the chain is before its notBefore
    Revoked,            ///< listed in the CA's CRL
    PathTooLong,        ///< more CAs than `path-length` / basicConstraints allow
    KeyUsage,           ///< the end certificate may not sign (keyUsage)
    InvalidChain,       ///< any other path validation failure (see detail)
    IdMismatch,         ///< the ID payload is not the certificate's subject or subjectAltName
    BadSignature,       ///< SIG does not verify with the certificate's key
};
std::string_view to_string(PeerVerdict v);

/// The outcome of checking a peer: the verdict, one line for the log, and
/// on success who the peer is and which CA vouched for it. Certificate text
/// in these strings is already escaped to one printable line.
struct PeerCheck {
    PeerVerdict verdict = PeerVerdict::NoCertificate;
    std::string detail;   ///< "certificate CN=r2 is revoked (CRL of CN=Test CA)"
    std::string subject;  ///< the end certificate's subject DN
    std::string ca;       ///< the trusted CA the chain ends in
    bool ok() const { return verdict == PeerVerdict::Accepted; }
};

/// Signs for us and checks peers (RFC 2409 5.1). One object may serve many
/// policies and engines; calls are synchronous.
class SignatureAuthenticator {
public:
    virtual ~SignatureAuthenticator() = default;

    /// Our certificate first, then any intermediates to send (DER each).
    virtual std::vector<Bytes> local_chain() const = 0;
    /// Our certificate's subject DN, DER (the default ID_DER_ASN1_DN).
    virtual Bytes local_subject() const = 0;
    /// DER of a textual DN ("C=US, O=Example, CN=r1"); empty when it does not parse.
    virtual Bytes encode_dn(std::string_view text) const = 0;
    /// DER subject DNs of the trusted CAs, for CERTREQ (RFC 2408 3.10).
    virtual std::vector<Bytes> authorities() const = 0;
    /// RFC 2409 5.1: SIG = PKCS#1 v1.5 type 1 over the raw HASH, no DigestInfo.
    virtual Bytes sign(ByteView hash) const = 0;
    /// Validates the peer's certificates (end certificate first, any order
    /// after), matches the ID against the end certificate and verifies SIG
    /// over `hash` with its public key.
    virtual PeerCheck verify_peer(const std::vector<Bytes>& certificates, const PeerIdentity& id, ByteView hash,
                                  ByteView signature) const = 0;
    /// IKEv2 (RFC 7296 3.7): SHA-1 hashes of the trusted CAs' SubjectPublicKeyInfo, for CERTREQ.
    virtual std::vector<Bytes> authority_key_hashes() const { return {}; }
    /// IKEv2 AUTH data for RFC 7427 Digital Signature (method 14) over the
    /// signed octets (RFC 7296 2.15), with sha256WithRSAEncryption
    /// (RsaPkcs1Sha256) or RSASSA-PSS (RsaPssSha256: SHA-256, MGF1-SHA-256,
    /// 32 octets of salt); empty when this authenticator cannot sign so.
    virtual Bytes sign_v2(ByteView signed_octets, v2::crypto::SignatureScheme scheme) const
    {
        (void)signed_octets, (void)scheme;
        return {};
    }
    /// IKEv2: as verify_peer (chain, validity, keyUsage, ID), then the AUTH
    /// data of `method` (1 or 14) over the signed octets.
    virtual PeerCheck verify_peer_v2(const std::vector<Bytes>& certificates, const PeerIdentity& id,
                                     std::uint8_t method, ByteView auth_data, ByteView signed_octets) const
    {
        (void)certificates, (void)id, (void)method, (void)auth_data, (void)signed_octets;
        return PeerCheck{PeerVerdict::BadSignature, "IKEv2 signatures are not supported by this authenticator", {}, {}};
    }
    /// Readable, escaped form of a DER DN (for logs); the hex when it does not parse.
    virtual std::string describe_dn(ByteView der) const = 0;
};

}  // namespace picsec::ike::crypto
