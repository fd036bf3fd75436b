// A test PKI made with Botan inside the tests: CAs, intermediates, router
// certificates and CRLs, all around a fixed time T so no test depends on the
// wall clock (the authenticator is given T as its clock).
#pragma once

#include "picsec/ike/crypto/x509.h"

#include <botan/chacha_rng.h>
#include <botan/pkcs10.h>
#include <botan/rsa.h>
#include <botan/x509_ca.h>
#include <botan/x509self.h>

#include <chrono>
#include <memory>
#include <string>

namespace picsec::ike::test {

using Clock = std::chrono::system_clock;
/// The time every certificate in the tests is judged at: 2030-01-01 00:00 UTC.
inline const Clock::time_point T = Clock::from_time_t(1893456000);
inline constexpr std::chrono::hours k_day{24};

/// One RSA key per call, from a deterministic RNG (1024 bits: fast, and
/// allowed by the authenticator's minimum strength of 80 bits).
inline std::shared_ptr<Botan::RSA_PrivateKey> new_key()
{
    static Botan::ChaCha_RNG rng(Botan::secure_vector<std::uint8_t>(32, 0x5e));
    return std::make_shared<Botan::RSA_PrivateKey>(rng, 1024);
}

inline Botan::RandomNumberGenerator& pki_rng()
{
    static Botan::ChaCha_RNG rng(Botan::secure_vector<std::uint8_t>(32, 0x77));
    return rng;
}

struct Issued {
    std::shared_ptr<Botan::RSA_PrivateKey> key;
    Botan::X509_Certificate cert;
};

/// A certification authority (root or intermediate).
struct TestCa {
    Issued self;
    std::string name;

    /// A self-signed root valid T-1y .. T+1y.
    static TestCa root(const std::string& cn)
    {
        Botan::X509_Cert_Options o;
        o.common_name = cn;
        o.country = "US";
        o.organization = "picsec test";
        o.CA_key(4);
        o.start = Botan::X509_Time(T - 365 * k_day);
        o.end = Botan::X509_Time(T + 365 * k_day);
        auto key = new_key();
        auto cert = Botan::X509::create_self_signed_cert(o, *key, "SHA-256", pki_rng());
        return TestCa{{key, cert}, cn};
    }

    /// Signs a certificate for `cn` with the given SANs and validity.
    Issued issue(const std::string& cn, const std::string& dns = "", const std::string& ip = "",
                 const std::string& email = "", Clock::time_point from = T - 30 * k_day,
                 Clock::time_point to = T + 30 * k_day, bool ca = false) const
    {
        Botan::X509_Cert_Options o;
        o.common_name = cn;
        o.country = "US";
        o.organization = "picsec test";
        o.dns = dns;
        o.ip = ip;
        o.email = email;
        if (ca)
            o.CA_key(2);
        auto key = new_key();
        auto req = Botan::X509::create_cert_req(o, *key, "SHA-256", pki_rng());
        Botan::X509_CA signer(self.cert, *self.key, "SHA-256", pki_rng());
        auto cert = signer.sign_request(req, pki_rng(), Botan::X509_Time(from), Botan::X509_Time(to));
        return {key, cert};
    }

    /// An intermediate CA signed by this one.
    TestCa intermediate(const std::string& cn) const
    {
        auto i = issue(cn, "", "", "", T - 60 * k_day, T + 300 * k_day, true);
        return TestCa{i, cn};
    }

    /// A CRL issued at T-1d listing `revoked`.
    Botan::X509_CRL crl(const std::vector<Botan::X509_Certificate>& revoked = {}) const
    {
        Botan::X509_CA signer(self.cert, *self.key, "SHA-256", pki_rng());
        auto empty = signer.new_crl(pki_rng(), T - k_day, std::chrono::hours(24 * 30));
        std::vector<Botan::CRL_Entry> entries;
        for (const auto& c : revoked)
            entries.emplace_back(c, Botan::CRL_Code::KEY_COMPROMISE);
        return signer.update_crl(empty, entries, pki_rng(), T - k_day, std::chrono::hours(24 * 30));
    }
};

/// An authenticator for a router holding `mine` (plus chain), trusting `cas`.
inline std::shared_ptr<crypto::X509Authenticator> authenticator(const Issued& mine, const std::vector<TestCa>& cas,
                                                                std::vector<Botan::X509_Certificate> send_also = {},
                                                                std::optional<Botan::X509_CRL> crl = std::nullopt)
{
    crypto::X509Settings s;
    s.local_chain.push_back(mine.cert);
    for (auto& c : send_also)
        s.local_chain.push_back(c);
    s.key = mine.key;
    for (const auto& ca : cas)
        s.authorities.push_back(crypto::TrustedAuthority{ca.name, ca.self.cert, crl});
    s.clock = [] { return T; };
    return std::make_shared<crypto::X509Authenticator>(std::move(s));
}

}  // namespace picsec::ike::test
