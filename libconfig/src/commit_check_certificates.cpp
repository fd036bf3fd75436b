// Commit check of certificate authentication: a policy that says
// rsa-signatures needs readable certificate, key and CA files, and the key
// pair must belong to the certificate (RFC 2409 5.1 signs with it).
#include "check_context.h"

#include <botan/data_src.h>
#include <botan/pem.h>
#include <botan/pkcs8.h>
#include <botan/rsa.h>
#include <botan/x509_crl.h>
#include <botan/x509cert.h>

#include <fstream>
#include <iterator>
#include <memory>
#include <optional>

namespace picsec::config {
namespace {

std::optional<std::vector<std::uint8_t>> read(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) return std::nullopt;
    return std::vector<std::uint8_t>(std::istreambuf_iterator<char>(f), {});
}

std::unique_ptr<Botan::Private_Key> parse_key(const std::vector<std::uint8_t>& bytes) {
    Botan::DataSource_Memory src(bytes.data(), bytes.size());
    if (Botan::PEM_Code::matches(src, "RSA PRIVATE KEY")) {
        std::string label;
        const auto der = Botan::PEM_Code::decode(src, label);
        return std::make_unique<Botan::RSA_PrivateKey>(
            Botan::AlgorithmIdentifier("RSA", Botan::AlgorithmIdentifier::USE_NULL_PARAM), der);
    }
    return Botan::PKCS8::load_key(src);
}

bool uses_signatures(const CheckContext& ctx, const IkePolicy& p) {
    for (const auto& ref : p.proposals)
        if (const auto* proposal = ctx.model.find_ike_proposal(ref.name))
            if (proposal->authentication_method.value == algo::AuthMethod::RsaSignatures) return true;
    return false;
}

void check_policy(CheckContext& ctx, const IkePolicy& p) {
    const bool signatures = uses_signatures(ctx, p);
    if (!p.local_certificate.configured) return;  // "has no local-certificate" is reported with the proposals
    std::string cert_file = p.local_certificate.value;
    std::string key_file;
    Origin key_at = p.local_certificate.origin;
    for (const auto& l : ctx.model.certificates.local)
        if (l.name == p.local_certificate.value) {
            if (l.file.configured) cert_file = l.file.value;
            if (l.key_file.configured) key_file = l.key_file.value, key_at = l.key_file.origin;
        }
    if (p.local_key_pair.configured) key_file = p.local_key_pair.value, key_at = p.local_key_pair.origin;

    std::optional<Botan::X509_Certificate> cert;
    if (auto bytes = read(cert_file)) {
        try {
            cert.emplace(*bytes);
        } catch (const std::exception& e) {
            ctx.error(p.local_certificate.origin, "local-certificate " + cert_file +
                                                      " is not an X.509 certificate (PEM or DER): " + e.what());
        }
    } else {
        ctx.error(p.local_certificate.origin, "local-certificate " + cert_file + " cannot be read (missing file?)");
    }
    if (key_file.empty()) {
        if (signatures)
            ctx.error(p.local_certificate.origin, "policy " + p.name +
                                                      " uses rsa-signatures but has no local-key-pair, needs "
                                                      "local-key-pair FILE");
        return;
    }
    std::unique_ptr<Botan::Private_Key> key;
    if (auto bytes = read(key_file)) {
        try {
            key = parse_key(*bytes);
        } catch (const std::exception& e) {
            ctx.error(key_at, "local-key-pair " + key_file + " is not a readable private key (PKCS#8 or PKCS#1, "
                                                             "unencrypted): " + e.what());
        }
    } else {
        ctx.error(key_at, "local-key-pair " + key_file + " cannot be read (missing file?)");
    }
    if (cert && key && cert->subject_public_key_bitstring() != key->public_key_bits())
        ctx.error(key_at, "local-key-pair " + key_file + " does not match local-certificate " + cert_file +
                              ": the certificate's public key is not this key pair's; enroll again with this key "
                              "pair or configure the key the certificate was issued for");
    if (signatures && ctx.model.certificates.authorities.empty())
        ctx.error(p.origin, "policy " + p.name +
                                " uses rsa-signatures but no security certificates certification-authority is "
                                "configured to validate the peer's certificate");
}

void check_authority(CheckContext& ctx, const CertificationAuthority& ca) {
    if (!ca.file.configured) {
        ctx.error(ca.origin, "certification-authority " + ca.name + " has no file, needs file FILE");
        return;
    }
    if (auto bytes = read(ca.file.value)) {
        try {
            const Botan::X509_Certificate cert(*bytes);
            if (!cert.is_CA_cert())
                ctx.warning(ca.file.origin, "certification-authority " + ca.name + ": " + ca.file.value +
                                                " is not a CA certificate (basicConstraints CA:FALSE)");
        } catch (const std::exception& e) {
            ctx.error(ca.file.origin, "certification-authority " + ca.name + ": " + ca.file.value +
                                          " is not an X.509 certificate (PEM or DER): " + e.what());
        }
    } else {
        ctx.error(ca.file.origin, "certification-authority " + ca.name + ": " + ca.file.value +
                                      " cannot be read (missing file?)");
    }
    if (!ca.crl.configured) return;
    if (auto bytes = read(ca.crl.value)) {
        try {
            const Botan::X509_CRL crl(*bytes);
        } catch (const std::exception& e) {
            ctx.error(ca.crl.origin, "certification-authority " + ca.name + ": crl " + ca.crl.value +
                                         " is not an X.509 CRL: " + e.what());
        }
    } else {
        ctx.error(ca.crl.origin, "certification-authority " + ca.name + ": crl " + ca.crl.value +
                                     " cannot be read (missing file?)");
    }
}

}  // namespace

void check_certificates(CheckContext& ctx) {
    for (const auto& ca : ctx.model.certificates.authorities) check_authority(ctx, ca);
    for (const auto& p : ctx.model.ike_policies) check_policy(ctx, p);
}

}  // namespace picsec::config
