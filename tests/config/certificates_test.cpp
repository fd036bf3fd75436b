// Commit check of certificate authentication: files that are missing or do
// not parse, a key pair that is not the certificate's, rsa-signatures
// without a key pair or CA. The files are made here with Botan.
#include <catch2/catch.hpp>

#include "config_test_util.h"

#include <botan/chacha_rng.h>
#include <botan/pkcs8.h>
#include <botan/rsa.h>
#include <botan/x509self.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

using namespace picsec::config;
using namespace picsec::config::test;

namespace {

struct Files {
    // Each test process has its own directory: CTest runs the cases of this
    // file as parallel processes, which would otherwise rewrite one another's files.
    std::filesystem::path dir =
        std::filesystem::temp_directory_path() / ("picsec-cert-check-" + std::to_string(::getpid()));
    std::string ca, cert, key, other_key, junk;

    Files()
    {
        std::filesystem::create_directories(dir);
        Botan::ChaCha_RNG rng(Botan::secure_vector<std::uint8_t>(32, 0x42));
        Botan::RSA_PrivateKey k1(rng, 1024), k2(rng, 1024);
        Botan::X509_Cert_Options o("r1/US/picsec test");
        o.CA_key();
        ca = write("ca.crt", Botan::X509::create_self_signed_cert(o, k1, "SHA-256", rng).PEM_encode());
        Botan::X509_Cert_Options leaf("r1/US/picsec test");
        cert = write("r1.crt", Botan::X509::create_self_signed_cert(leaf, k1, "SHA-256", rng).PEM_encode());
        key = write("r1.key", Botan::PKCS8::PEM_encode(k1));
        other_key = write("r2.key", Botan::PKCS8::PEM_encode(k2));
        junk = write("junk", "not a key\n");
    }
    ~Files()
    {
        std::error_code ignored;
        std::filesystem::remove_all(dir, ignored);
    }
    std::string write(const std::string& name, const std::string& text)
    {
        std::ofstream((dir / name).string()) << text;
        return (dir / name).string();
    }
};

const Files& files()
{
    static Files f;
    return f;
}

std::string config(const std::string& cert, const std::string& key, const std::string& ca = files().ca)
{
    std::string s = "set security ike proposal rsa authentication-method rsa-signatures\n"
                    "set security ike policy 10.0.0.2 proposals rsa\n"
                    "set security ike policy 10.0.0.2 local-certificate " + cert + "\n";
    if (!key.empty()) s += "set security ike policy 10.0.0.2 local-key-pair " + key + "\n";
    if (!ca.empty()) s += "set security certificates certification-authority lab file " + ca + "\n";
    return s;
}

}  // namespace

TEST_CASE("a policy with a matching certificate, key pair and CA passes the commit check", "[config][commit][cert]")
{
    CHECK(check(config(files().cert, files().key)) == "");
}

TEST_CASE("a key pair that does not belong to the certificate is rejected", "[config][commit][cert]")
{
    const auto out = check(config(files().cert, files().other_key));
    CHECK(out.find("local-key-pair " + files().other_key + " does not match local-certificate " + files().cert) !=
          std::string::npos);
}

TEST_CASE("missing certificate and unreadable key files are rejected", "[config][commit][cert]")
{
    const auto out = check(config(files().cert + ".missing", files().junk));
    CHECK(out.find("local-certificate " + files().cert + ".missing cannot be read (missing file?)") !=
          std::string::npos);
    CHECK(out.find("local-key-pair " + files().junk + " is not a readable private key") != std::string::npos);
}

TEST_CASE("rsa-signatures without a key pair or without a CA is rejected", "[config][commit][cert]")
{
    CHECK(check(config(files().cert, "")).find("uses rsa-signatures but has no local-key-pair") != std::string::npos);
    CHECK(check(config(files().cert, files().key, "")).find("no security certificates certification-authority") !=
          std::string::npos);
    CHECK(check("set security ike proposal rsa authentication-method rsa-signatures\n"
                "set security ike policy 10.0.0.2 proposals rsa\n")
              .find("has no local-certificate") != std::string::npos);
}

TEST_CASE("a certification-authority file that is missing is rejected", "[config][commit][cert]")
{
    CHECK(check(config(files().cert, files().key, files().ca + ".missing"))
              .find("certification-authority lab: " + files().ca + ".missing cannot be read") != std::string::npos);
}
