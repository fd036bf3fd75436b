// X509Authenticator: Botan X.509 path validation, ID matching and raw
// PKCS#1 signatures for RSA-signature authentication (RFC 2409 5.1).
#include "picsec/ike/crypto/x509.h"
#include "picsec/ike/v2/crypto/auth.h"

#include <botan/hash.h>

#include "picsec/ike/codec/printable.h"

#include <botan/auto_rng.h>
#include <botan/ber_dec.h>
#include <botan/certstor.h>
#include <botan/der_enc.h>
#include <botan/hex.h>
#include <botan/x509path.h>

#include <set>

namespace picsec::ike::crypto {

namespace {

using Code = Botan::Certificate_Status_Code;

// A DN as one escaped line: certificate subjects and DN identities come from
// the peer before it is authenticated and go to logs and show output.
std::string dn_text(const Botan::X509_DN& dn)
{
    // strongSwan's and JUNOS's form: "C=CH, O=strongSwan, CN=moon".
    static const std::pair<std::string_view, std::string_view> short_names[] = {
        {"X520.Country", "C"},          {"X520.State", "ST"},
        {"X520.Locality", "L"},         {"X520.Organization", "O"},
        {"X520.OrganizationalUnit", "OU"}, {"X520.CommonName", "CN"},
        {"PKCS9.EmailAddress", "E"},    {"X520.SerialNumber", "SN"},
    };
    std::string out;
    for (const auto& [oid, value] : dn.dn_info()) {
        std::string name = oid.to_formatted_string();
        for (const auto& [longer, shorter] : short_names)
            if (name == longer)
                name = shorter;
        if (!out.empty())
            out += ", ";
        out += name + "=" + value.value();
    }
    return codec::printable(out);
}

std::optional<Botan::X509_DN> decode_dn(ByteView der)
{
    try {
        Botan::X509_DN dn;
        Botan::BER_Decoder(der.data(), der.size()).decode(dn).verify_end();
        return dn;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

PeerVerdict verdict_of(Code c)
{
    switch (c) {
    case Code::CERT_HAS_EXPIRED: return PeerVerdict::Expired;
    case Code::CERT_NOT_YET_VALID: return PeerVerdict::NotYetValid;
    case Code::CERT_ISSUER_NOT_FOUND:
    case Code::CANNOT_ESTABLISH_TRUST:
    case Code::CHAIN_LACKS_TRUST_ROOT: return PeerVerdict::UnknownIssuer;
    case Code::CERT_IS_REVOKED: return PeerVerdict::Revoked;
    case Code::CERT_CHAIN_TOO_LONG: return PeerVerdict::PathTooLong;
    default: return PeerVerdict::InvalidChain;
    }
}

std::string_view words(PeerVerdict v)
{
    switch (v) {
    case PeerVerdict::Expired: return "has expired";
    case PeerVerdict::NotYetValid: return "is not yet valid";
    case PeerVerdict::UnknownIssuer: return "has an unknown issuer (no chain to a configured certification-authority)";
    case PeerVerdict::Revoked: return "is revoked";
    case PeerVerdict::PathTooLong: return "has a certification path longer than allowed";
    case PeerVerdict::Accepted:
    case PeerVerdict::NoCertificate:
    case PeerVerdict::BadCertificate:
    case PeerVerdict::KeyUsage:
    case PeerVerdict::InvalidChain:
    case PeerVerdict::IdMismatch:
    case PeerVerdict::BadSignature: break;
    }
    return "failed path validation";
}

}  // namespace

std::string_view to_string(PeerVerdict v)
{
    switch (v) {
    case PeerVerdict::Accepted: return "accepted";
    case PeerVerdict::NoCertificate: return "no certificate";
    case PeerVerdict::BadCertificate: return "bad certificate";
    case PeerVerdict::UnknownIssuer: return "unknown issuer";
    case PeerVerdict::Expired: return "expired";
    case PeerVerdict::NotYetValid: return "not yet valid";
    case PeerVerdict::Revoked: return "revoked";
    case PeerVerdict::PathTooLong: return "path too long";
    case PeerVerdict::KeyUsage: return "key usage";
    case PeerVerdict::InvalidChain: return "invalid chain";
    case PeerVerdict::IdMismatch: return "ID mismatch";
    case PeerVerdict::BadSignature: return "bad signature";
    }
    return "?";
}

X509Authenticator::X509Authenticator(X509Settings settings)
    : m_settings(std::move(settings)), m_rng(std::make_unique<Botan::AutoSeeded_RNG>())
{
    if (m_settings.local_chain.empty())
        throw CryptoError("local certificate: none configured");
    if (!m_settings.key)
        throw CryptoError("local key pair: none configured");
    if (!key_matches(m_settings.local_chain.front(), *m_settings.key))
        throw CryptoError("local key pair: does not match certificate " +
                          dn_text(m_settings.local_chain.front().subject_dn()));
}

X509Authenticator::~X509Authenticator() = default;

std::vector<Bytes> X509Authenticator::local_chain() const
{
    std::vector<Bytes> out;
    for (const auto& c : m_settings.local_chain)
        out.push_back(c.BER_encode());
    return out;
}

Bytes X509Authenticator::local_subject() const
{
    return m_settings.local_chain.front().raw_subject_dn();
}

Bytes X509Authenticator::encode_dn(std::string_view text) const
{
    // "C=US, O=Example, CN=r1" (',' or '/' separated).
    Botan::X509_DN dn;
    std::string part;
    auto flush = [&]() -> bool {
        const auto b = part.find_first_not_of(" \t");
        if (b == std::string::npos)
            return true;
        part = part.substr(b, part.find_last_not_of(" \t") - b + 1);
        const auto eq = part.find('=');
        if (eq == std::string::npos || eq == 0)
            return false;
        std::string key = part.substr(0, eq), value = part.substr(eq + 1);
        while (!key.empty() && key.back() == ' ')
            key.pop_back();
        while (!value.empty() && value.front() == ' ')
            value.erase(value.begin());
        try {
            dn.add_attribute(Botan::X509_DN::deref_info_field(key), value);
        } catch (const std::exception&) {
            return false;
        }
        part.clear();
        return true;
    };
    for (char c : text) {
        if (c == ',' || c == '/') {
            if (!flush())
                return {};
        } else {
            part += c;
        }
    }
    if (!flush() || dn.empty())
        return {};
    return dn.BER_encode();
}

std::vector<Bytes> X509Authenticator::authorities() const
{
    std::vector<Bytes> out;
    for (const auto& a : m_settings.authorities)
        out.push_back(a.certificate.raw_subject_dn());
    return out;
}

Bytes X509Authenticator::sign(ByteView hash) const { return sign_raw_pkcs1(*m_settings.key, hash, *m_rng); }

std::string X509Authenticator::describe_dn(ByteView der) const
{
    if (auto dn = decode_dn(der))
        return dn_text(*dn);
    return Botan::hex_encode(der.data(), der.size(), false);
}

PeerCheck X509Authenticator::verify_peer(const std::vector<Bytes>& certificates, const PeerIdentity& id,
                                         ByteView hash, ByteView signature) const
{
    std::unique_ptr<Botan::Public_Key> key;
    PeerCheck out = validate(certificates, id, key);
    if (!key)
        return out;
    if (!verify_raw_pkcs1(*key, hash, signature)) {
        out.verdict = PeerVerdict::BadSignature;
        out.detail = "SIG does not verify with the public key of certificate " + out.subject;
        return out;
    }
    out.verdict = PeerVerdict::Accepted;
    out.detail = "certificate " + out.subject + " validated to CA " + out.ca;
    return out;
}

std::vector<Bytes> X509Authenticator::authority_key_hashes() const
{
    std::vector<Bytes> out;
    for (const auto& a : m_settings.authorities) {
        auto sha1 = Botan::HashFunction::create_or_throw("SHA-1");
        const auto& spki = a.certificate.subject_public_key_info();
        const auto digest = sha1->process(spki);
        out.emplace_back(digest.begin(), digest.end());
    }
    return out;
}

Bytes X509Authenticator::sign_v2(ByteView signed_octets, v2::crypto::SignatureScheme scheme) const
{
    if (scheme == v2::crypto::SignatureScheme::RsaPkcs1Sha1) return {};  // method 1, not a Digital Signature
    return v2::crypto::rsa_sign(scheme, *m_settings.key, signed_octets, *m_rng);
}

PeerCheck X509Authenticator::verify_peer_v2(const std::vector<Bytes>& certificates, const PeerIdentity& id,
                                            std::uint8_t method, ByteView auth_data, ByteView signed_octets) const
{
    std::unique_ptr<Botan::Public_Key> key;
    PeerCheck out = validate(certificates, id, key);
    if (!key)
        return out;
    if (!v2::crypto::rsa_verify(method, auth_data, *key, signed_octets)) {
        out.verdict = PeerVerdict::BadSignature;
        out.detail = "AUTH (method " + std::to_string(method) + ") does not verify with the public key of certificate " +
                     out.subject;
        return out;
    }
    out.verdict = PeerVerdict::Accepted;
    out.detail = "certificate " + out.subject + " validated to CA " + out.ca;
    return out;
}

PeerCheck X509Authenticator::validate(const std::vector<Bytes>& certificates, const PeerIdentity& id,
                                      std::unique_ptr<Botan::Public_Key>& key) const
{
    PeerCheck out;
    if (certificates.empty()) {
        out.verdict = PeerVerdict::NoCertificate;
        out.detail = "peer sent no X.509 certificate";
        return out;
    }
    std::vector<Botan::X509_Certificate> chain;
    for (const auto& der : certificates) {
        try {
            chain.emplace_back(der);
        } catch (const std::exception& e) {
            out.verdict = PeerVerdict::BadCertificate;
            out.detail = "peer certificate does not parse: " + codec::printable(e.what());
            return out;
        }
    }
    const Botan::X509_Certificate end = chain.front();
    out.subject = dn_text(end.subject_dn());
    for (const auto& c : m_settings.intermediates)
        chain.push_back(c);

    // RFC 5280 6: chain, validity, basic constraints, CRL, via Botan.
    Botan::Certificate_Store_In_Memory store;
    for (const auto& a : m_settings.authorities) {
        store.add_certificate(a.certificate);
        if (a.crl)
            store.add_crl(*a.crl);
    }
    // Intermediates' CRLs are not configured: revocation is checked where a CRL exists.
    const Botan::Path_Validation_Restrictions restrictions(
        false, 80, false, std::set<std::string>{"SHA-1", "SHA-224", "SHA-256", "SHA-384", "SHA-512"});
    const auto when = m_settings.clock ? m_settings.clock() : std::chrono::system_clock::now();
    const auto result = Botan::x509_path_validate(chain, restrictions, {&store}, "", Botan::Usage_Type::UNSPECIFIED,
                                                  when);
    if (!result.successful_validation()) {
        out.verdict = verdict_of(result.result());
        // Name the certificate the worst status belongs to.
        std::string which = out.subject;
        const auto& statuses = result.all_statuses();
        const auto& path = result.cert_path();
        for (std::size_t i = 0; i < statuses.size() && i < path.size(); ++i)
            if (statuses[i].count(result.result())) {
                which = dn_text(path[i]->subject_dn());
                break;
            }
        out.detail = "certificate " + which + " " + std::string(words(out.verdict)) + " (" + result.result_string() + ")";
        return out;
    }
    const auto& path = result.cert_path();
    out.ca = dn_text(result.trust_root().subject_dn());
    for (const auto& a : m_settings.authorities)
        if (a.certificate == result.trust_root() && !a.name.empty())
            out.ca += " (" + a.name + ")";
    // `security certificates path-length`: CA certificates between the end certificate and the anchor.
    if (path.size() >= 2 && path.size() - 2 > m_settings.path_length) {
        out.verdict = PeerVerdict::PathTooLong;
        out.detail = "certificate " + out.subject + " has " + std::to_string(path.size() - 2) +
                     " intermediate CAs, path-length allows " + std::to_string(m_settings.path_length);
        return out;
    }
    const auto usage = end.constraints();
    if (usage != Botan::NO_CONSTRAINTS &&
        !(usage & (Botan::DIGITAL_SIGNATURE | Botan::NON_REPUDIATION))) {
        out.verdict = PeerVerdict::KeyUsage;
        out.detail = "certificate " + out.subject + " has a keyUsage without digitalSignature";
        return out;
    }
    if (!identity_matches(end, id)) {
        out.verdict = PeerVerdict::IdMismatch;
        out.detail = "peer ID " + describe(id) + " is neither the subject nor a subjectAltName of certificate " +
                     out.subject;
        return out;
    }
    try {
        key = end.load_subject_public_key();
    } catch (const std::exception& e) {
        key.reset();
        out.verdict = PeerVerdict::BadCertificate;
        out.detail = "certificate " + out.subject + ": public key does not load: " + codec::printable(e.what());
    }
    return out;
}

bool identity_matches(const Botan::X509_Certificate& cert, const PeerIdentity& id)
{
    const auto alt = cert.subject_alt_name();
    auto among = [&](const std::string& field, const std::string& value, bool nocase) {
        for (const auto& v : alt.get_attribute(field)) {
            if (v.size() != value.size())
                continue;
            bool same = true;
            for (std::size_t i = 0; i < v.size() && same; ++i)
                same = nocase ? std::tolower(static_cast<unsigned char>(v[i])) ==
                                    std::tolower(static_cast<unsigned char>(value[i]))
                              : v[i] == value[i];
            if (same)
                return true;
        }
        return false;
    };
    const std::string text(id.value.begin(), id.value.end());
    switch (id.type) {
    case PeerIdentity::Type::Ipv4:
        return id.value.size() == 4 && among("IP", describe(id), false);
    case PeerIdentity::Type::Fqdn: return among("DNS", text, true);
    case PeerIdentity::Type::UserFqdn: return among("RFC822", text, true);
    case PeerIdentity::Type::DerAsn1Dn: {
        auto dn = decode_dn(id.value);
        return dn && *dn == cert.subject_dn();
    }
    case PeerIdentity::Type::Other: return false;
    }
    return false;
}

std::string describe(const PeerIdentity& id)
{
    switch (id.type) {
    case PeerIdentity::Type::Ipv4:
        if (id.value.size() == 4)
            return std::to_string(id.value[0]) + "." + std::to_string(id.value[1]) + "." + std::to_string(id.value[2]) +
                   "." + std::to_string(id.value[3]);
        break;
    case PeerIdentity::Type::Fqdn:
    case PeerIdentity::Type::UserFqdn:
        return codec::printable(std::string_view(reinterpret_cast<const char*>(id.value.data()), id.value.size()));
    case PeerIdentity::Type::DerAsn1Dn:
        if (auto dn = decode_dn(id.value))
            return dn_text(*dn);
        break;
    case PeerIdentity::Type::Other: break;
    }
    return Botan::hex_encode(id.value.data(), id.value.size(), false);
}

}  // namespace picsec::ike::crypto
