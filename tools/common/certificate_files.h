// Reads the certificate, key and CRL files the configuration names and turns
// them into the engine's SignatureAuthenticator (the engine itself reads no files).
#pragma once

#include "picsec/config/model.h"
#include "picsec/ike/crypto/x509.h"

#include <memory>
#include <string>
#include <vector>

namespace picsec::tools {

/// The whole file; throws std::runtime_error "FILE: cannot read" when it cannot.
std::vector<std::uint8_t> read_file(const std::string& path);

/// Where an IKE policy's certificate and key come from: `local-certificate`
/// names a `security certificates local NAME` entry or is itself a file;
/// `local-key-pair` is a file (default: the local entry's key-file).
struct LocalCredentialFiles {
    std::string certificate;
    std::string key;
};
LocalCredentialFiles local_credential_files(const config::Model& model, const config::IkePolicy& policy);

/// The trusted CAs (with CRLs) and path length of `security certificates`.
/// Throws std::runtime_error naming the file that failed.
std::vector<ike::crypto::TrustedAuthority> load_authorities(const config::Certificates& certs);

/// An authenticator for one IKE policy; throws std::runtime_error with the
/// file and the reason when a file is missing, does not parse, or the key
/// does not belong to the certificate.
std::shared_ptr<const ike::crypto::SignatureAuthenticator> load_authenticator(const config::Model& model,
                                                                             const config::IkePolicy& policy);

/// Readable DN of a certificate field ("C=US, O=Example, CN=r1"), escaped to
/// one printable line by crypto::describe(); print it as it is.
std::string describe_subject(const Botan::X509_Certificate& cert);
std::string describe_issuer(const Botan::X509_Certificate& cert);

}  // namespace picsec::tools
