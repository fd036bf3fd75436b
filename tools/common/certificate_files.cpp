// Certificate, key and CRL files -> parsed Botan objects -> X509Authenticator.
#include "certificate_files.h"

#include <fstream>
#include <iterator>
#include <stdexcept>

namespace picsec::tools {

std::vector<std::uint8_t> read_file(const std::string& path)
{
    std::ifstream f(path, std::ios::binary);
    if (!f)
        throw std::runtime_error(path + ": cannot read");
    return {std::istreambuf_iterator<char>(f), {}};
}

LocalCredentialFiles local_credential_files(const config::Model& model, const config::IkePolicy& policy)
{
    LocalCredentialFiles out;
    out.certificate = policy.local_certificate.value;
    for (const auto& l : model.certificates.local)
        if (l.name == policy.local_certificate.value) {
            if (l.file.configured)
                out.certificate = l.file.value;
            if (l.key_file.configured)
                out.key = l.key_file.value;
        }
    if (policy.local_key_pair.configured)
        out.key = policy.local_key_pair.value;
    return out;
}

std::vector<ike::crypto::TrustedAuthority> load_authorities(const config::Certificates& certs)
{
    std::vector<ike::crypto::TrustedAuthority> out;
    for (const auto& ca : certs.authorities) {
        if (!ca.file.configured)
            continue;
        ike::crypto::TrustedAuthority a{ca.name, {}, std::nullopt};
        try {
            a.certificate = ike::crypto::parse_certificate(read_file(ca.file.value));
            if (ca.crl.configured)
                a.crl = ike::crypto::parse_crl(read_file(ca.crl.value));
        } catch (const ike::crypto::CryptoError& e) {
            throw std::runtime_error("certification-authority " + ca.name + ": " + e.what());
        }
        out.push_back(std::move(a));
    }
    return out;
}

std::shared_ptr<const ike::crypto::SignatureAuthenticator> load_authenticator(const config::Model& model,
                                                                             const config::IkePolicy& policy)
{
    const auto files = local_credential_files(model, policy);
    ike::crypto::X509Settings s;
    try {
        s.local_chain = ike::crypto::parse_certificates(read_file(files.certificate));
    } catch (const ike::crypto::CryptoError& e) {
        throw std::runtime_error(files.certificate + ": " + e.what());
    }
    if (files.key.empty())
        throw std::runtime_error("policy " + policy.name + ": no local-key-pair for " + files.certificate);
    try {
        s.key = ike::crypto::parse_private_key(read_file(files.key));
    } catch (const ike::crypto::CryptoError& e) {
        throw std::runtime_error(files.key + ": " + e.what());
    }
    s.authorities = load_authorities(model.certificates);
    s.path_length = model.certificates.path_length.value;
    try {
        return std::make_shared<ike::crypto::X509Authenticator>(std::move(s));
    } catch (const ike::crypto::CryptoError& e) {
        throw std::runtime_error(files.key + ": " + e.what());
    }
}

namespace {
std::string dn(const std::vector<std::uint8_t>& der)
{
    return ike::crypto::describe(ike::crypto::PeerIdentity{ike::crypto::PeerIdentity::Type::DerAsn1Dn, der});
}
}  // namespace

std::string describe_subject(const Botan::X509_Certificate& cert) { return dn(cert.raw_subject_dn()); }
std::string describe_issuer(const Botan::X509_Certificate& cert) { return dn(cert.raw_issuer_dn()); }

}  // namespace picsec::tools
