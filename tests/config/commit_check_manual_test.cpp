// Commit check of manual SAs: one test per rule, asserting the exact text
// "FILE:LINE:COL: error: PATH: message".
#include <catch2/catch.hpp>

#include "config_test_util.h"

using namespace picsec::config;
using namespace picsec::config::test;

namespace {

// A manual transport SA sa1 with the given protocol and authentication (5 lines).
Lines transport_sa(const std::string& protocol) {
    Lines l;
    l.add(k_sa + "mode transport");
    l.add(k_dir + "protocol " + protocol);
    l.add(k_dir + "spi 300");
    l.add(k_dir + "authentication algorithm hmac-sha1-96");
    l.add(k_dir + "authentication key ascii-text abcdefghijklmnopqrst");
    return l;
}

}  // namespace

TEST_CASE("the clean manual tunnel SA used by these tests passes the commit check", "[config][commit]") {
    CHECK(check(manual_tunnel_sa()) == "");
    CHECK(check(transport_sa("esp")) == "");
    CHECK(check(transport_sa("ah")) == "");
}

TEST_CASE("an authentication key of the wrong length says how many characters were given and needed",
          "[config][commit][key]") {
    auto l = manual_tunnel_sa();
    l.lines[3] = k_dir + "authentication key ascii-text abcdefghijklmnopqrs";
    CHECK(check(l) == l.at(4, "key", k_dir_path + " authentication key",
                           "authentication key for hmac-sha1-96 has 19 characters, needs 20 (ascii-text) or 40 (hexadecimal)"));
}

TEST_CASE("an encryption key of the wrong length in hexadecimal is rejected", "[config][commit][key]") {
    auto l = manual_tunnel_sa();
    l.lines[5] = k_dir + "encryption key hexadecimal 0x0123456789abcdef0123456789abcdef0123456789ab";
    CHECK(check(l) == l.at(6, "key", k_dir_path + " encryption key",
                           "encryption key for 3des-cbc has 44 characters, needs 24 (ascii-text) or 48 (hexadecimal)"));
}

TEST_CASE("key material never appears in a diagnostic", "[config][commit][key]") {
    auto l = manual_tunnel_sa();
    l.lines[3] = k_dir + "authentication key ascii-text SECRETSECRETSECRET";
    auto r = check_string(l.text(), "t.conf");
    REQUIRE_FALSE(r.ok());
    CHECK(format(r.diagnostics).find("SECRET") == std::string::npos);
    CHECK(to_json(r.diagnostics).find("SECRET") == std::string::npos);
}

TEST_CASE("encryption configured with protocol ah is rejected", "[config][commit]") {
    auto l = transport_sa("ah");
    l.add(k_dir + "encryption algorithm des-cbc");
    l.add(k_dir + "encryption key ascii-text abcdefgh");
    CHECK(check(l) == l.at(6, "encryption", k_dir_path + " encryption",
                           "encryption is configured but protocol ah only authenticates; use protocol esp or bundle, "
                           "or remove encryption"));
}

TEST_CASE("a bundle without auxiliary-spi is rejected", "[config][commit]") {
    auto l = transport_sa("bundle");
    l.add(k_dir + "encryption algorithm 3des-cbc");
    l.add(k_dir + "encryption key ascii-text abcdefghijklmnopqrstuvwx");
    CHECK(check(l) == l.at(2, "direction", k_dir_path,
                           "protocol bundle needs auxiliary-spi (the SPI of its ESP SA), none is configured"));
    l.add(k_dir + "auxiliary-spi 301");
    CHECK(check(l) == "");
}

TEST_CASE("an auxiliary-spi outside a bundle is rejected", "[config][commit]") {
    auto l = transport_sa("esp");
    l.add(k_dir + "auxiliary-spi 301");
    CHECK(check(l) == l.at(6, "auxiliary-spi", k_dir_path + " auxiliary-spi",
                           "auxiliary-spi is only used with protocol bundle, but protocol is esp"));
}

TEST_CASE("an SPI outside 256..16639 is rejected", "[config][commit][spi]") {
    auto l = manual_tunnel_sa();
    l.lines[1] = k_dir + "spi 255";
    CHECK(check(l) == l.at(2, "spi", k_dir_path + " spi", "spi 255 is out of range, needs 256..16639"));
    l.lines[1] = k_dir + "spi 16640";
    CHECK(check(l) == l.at(2, "spi", k_dir_path + " spi", "spi 16640 is out of range, needs 256..16639"));
    l.lines[1] = k_dir + "spi 16639";
    CHECK(check(l) == "");
}

TEST_CASE("an auxiliary SPI outside 256..16639 is rejected", "[config][commit][spi]") {
    auto l = transport_sa("bundle");
    l.add(k_dir + "encryption algorithm 3des-cbc");
    l.add(k_dir + "encryption key ascii-text abcdefghijklmnopqrstuvwx");
    l.add(k_dir + "auxiliary-spi 16640");
    CHECK(check(l) == l.at(8, "auxiliary-spi", k_dir_path + " auxiliary-spi",
                           "auxiliary-spi 16640 is out of range, needs 256..16639"));
}

TEST_CASE("two manual SAs with the same SPI and protocol are rejected", "[config][commit][spi]") {
    auto l = transport_sa("esp");
    const std::string sa2 = "set security ipsec security-association sa2 ";
    const std::string dir2 = sa2 + "manual direction inbound ";
    l.add(sa2 + "mode transport");
    l.add(dir2 + "protocol esp");
    l.add(dir2 + "spi 300");
    l.add(dir2 + "authentication algorithm hmac-md5-96");
    l.add(dir2 + "authentication key ascii-text 0123456789abcdef");
    CHECK(check(l) == l.at(8, "spi", "security ipsec security-association sa2 manual direction inbound spi",
                           "spi 300 for esp is already used by security-association sa1 at 3:" +
                               std::to_string(l.column(3, "spi")) +
                               "; two manual SAs need different SPIs for the same protocol"));
    l.lines[6] = dir2 + "protocol ah";  // same SPI, other protocol: fine
    CHECK(check(l) == "");
}

TEST_CASE("a bundle's auxiliary SPI collides with another SA's ESP SPI", "[config][commit][spi]") {
    auto l = transport_sa("esp");
    const std::string sa2 = "set security ipsec security-association sa2 ";
    const std::string dir2 = sa2 + "manual direction bidirectional ";
    l.add(sa2 + "mode transport");
    l.add(dir2 + "protocol bundle");
    l.add(dir2 + "spi 400");
    l.add(dir2 + "auxiliary-spi 300");
    l.add(dir2 + "authentication algorithm hmac-md5-96");
    l.add(dir2 + "authentication key ascii-text 0123456789abcdef");
    l.add(dir2 + "encryption algorithm des-cbc");
    l.add(dir2 + "encryption key ascii-text abcdefgh");
    CHECK(check(l) == l.at(9, "auxiliary-spi",
                           "security ipsec security-association sa2 manual direction bidirectional auxiliary-spi",
                           "auxiliary-spi 300 for esp is already used by security-association sa1 at 3:" +
                               std::to_string(l.column(3, "spi")) +
                               "; two manual SAs need different SPIs for the same protocol"));
}

TEST_CASE("a DES weak key is rejected, parity bits ignored", "[config][commit][des]") {
    auto l = manual_tunnel_sa();
    l.lines[4] = k_dir + "encryption algorithm des-cbc";
    l.lines[5] = k_dir + "encryption key hexadecimal 1e1e1e1e0f0f0f0f";  // 1F1F1F1F0E0E0E0E with parity flipped
    CHECK(check(l) == l.at(6, "key", k_dir_path + " encryption key",
                           "encryption key for des-cbc is a DES weak key (RFC 2409 Appendix A): encrypting twice "
                           "with it gives back the plaintext; choose another key"));
}

TEST_CASE("a DES semi-weak key is rejected", "[config][commit][des]") {
    auto l = manual_tunnel_sa();
    l.lines[4] = k_dir + "encryption algorithm des-cbc";
    l.lines[5] = k_dir + "encryption key hexadecimal E0FEE0FEF1FEF1FE";
    CHECK(check(l) == l.at(6, "key", k_dir_path + " encryption key",
                           "encryption key for des-cbc is a DES semi-weak key (RFC 2409 Appendix A): its pair key "
                           "decrypts what it encrypts; choose another key"));
}

TEST_CASE("a 3DES key whose second and third parts are equal is rejected and the old advice explained",
          "[config][commit][des]") {
    auto l = manual_tunnel_sa();
    l.lines[5] = k_dir + "encryption key hexadecimal 0123456789abcdef23456789abcdef0123456789abcdef01";
    CHECK(check(l) ==
          l.at(6, "key", k_dir_path + " encryption key",
               "encryption key for 3des-cbc has equal second and third 8-byte parts: in encrypt-decrypt-encrypt the "
               "final encryption with the third part undoes the decryption with the second, so the key reduces to "
               "single DES under the first part. Older vendor documentation recommended equal second and third "
               "parts; that advice is wrong, use three different parts"));
}

TEST_CASE("a 3DES key whose first and second parts are equal is rejected", "[config][commit][des]") {
    auto l = manual_tunnel_sa();
    l.lines[5] = k_dir + "encryption key ascii-text abcdefghabcdefghijklmnop";
    CHECK(check(l) == l.at(6, "key", k_dir_path + " encryption key",
                           "encryption key for 3des-cbc has equal first and second 8-byte parts: in "
                           "encrypt-decrypt-encrypt the decryption with the second part undoes the encryption with "
                           "the first, so the key is single DES; use three different parts"));
}

TEST_CASE("AH is rejected on a platform other than M-series", "[config][commit][platform]") {
    auto l = transport_sa("ah");
    l.add("set chassis platform t-series");
    CHECK(check(l) == l.at(2, "protocol", k_dir_path + " protocol",
                           "protocol ah needs AH, which the ES PIC supports on m-series only (platform is t-series); "
                           "use protocol esp"));
    l.lines[5] = "set chassis platform m-series";
    CHECK(check(l) == "");
}

TEST_CASE("tunnel mode with AH is rejected", "[config][commit][mode]") {
    auto l = manual_tunnel_sa();
    l.lines[0] = k_dir + "protocol ah";
    l.lines.erase(l.lines.begin() + 4, l.lines.begin() + 6);  // no encryption
    CHECK(check(l) == l.at(1, "protocol", k_dir_path + " protocol",
                           "tunnel mode carries ESP only, but protocol is ah; use protocol esp or mode transport"));
}

TEST_CASE("a tunnel-mode SA no es- interface names yet is a warning that says where the mode came from",
          "[config][commit][mode]") {
    auto l = manual_tunnel_sa();
    l.lines.resize(6);  // no es- interface names sa1
    const std::string rest =
        " needs an ES PIC, but no es- interface names security-association sa1 yet, so it is not used (interfaces "
        "es-FPC/PIC/0 unit N family inet ipsec-sa sa1, or ms-FPC/PIC/0 for a services PIC); use mode transport for BGP or OSPFv3";
    CHECK(check(l) == l.at(1, "security-association", k_sa_path, "mode tunnel (the default)" + rest, "warning"));
    CHECK(check_string(l.text(), "t.conf").ok());
    l.add(k_sa + "mode tunnel");
    CHECK(check(l) == l.at(7, "mode", k_sa_path + " mode", "mode tunnel" + rest, "warning"));
}

TEST_CASE("a manual SA needs a protocol and an SPI", "[config][commit]") {
    Lines l;
    l.add(k_sa + "mode transport");
    l.add(k_dir + "authentication algorithm hmac-sha1-96");
    l.add(k_dir + "authentication key ascii-text abcdefghijklmnopqrst");
    CHECK(check(l) == l.at(2, "direction", k_dir_path, "protocol is missing, needs protocol ah, esp or bundle"));
    l.add(k_dir + "protocol ah");
    CHECK(check(l) == l.at(2, "direction", k_dir_path, "spi is missing, needs spi 256..16639"));
}

TEST_CASE("bidirectional cannot be combined with a one-way direction", "[config][commit]") {
    auto l = transport_sa("esp");
    const std::string in = k_sa + "manual direction inbound ";
    l.add(in + "protocol esp");
    l.add(in + "spi 301");
    l.add(in + "authentication algorithm hmac-sha1-96");
    l.add(in + "authentication key ascii-text abcdefghijklmnopqrst");
    CHECK(check(l) == l.at(6, "direction", k_sa_path + " manual direction inbound",
                           "direction inbound cannot be combined with direction bidirectional (at 2:" +
                               std::to_string(l.column(2, "direction")) + ")"));
}

TEST_CASE("an algorithm the ES PIC lacks is rejected in a manual SA", "[config][commit][platform]") {
    auto l = manual_tunnel_sa();
    l.lines[4] = k_dir + "encryption algorithm aes-128-cbc";
    l.lines[5] = k_dir + "encryption key ascii-text abcdefghijklmnop";
    CHECK(check(l) == l.at(5, "algorithm", k_dir_path + " encryption algorithm",
                           "encryption algorithm aes-128-cbc is not supported by the ES PIC for manual SAs, needs des-cbc or 3des-cbc"));
}

TEST_CASE("an SA must be manual or dynamic, not neither or both", "[config][commit]") {
    Lines l;
    l.add("set security ipsec security-association sa9 mode transport");
    CHECK(check(l) == l.at(1, "security-association", "security ipsec security-association sa9",
                           "security-association sa9 is neither manual nor dynamic, needs one of them"));
    auto m = transport_sa("esp");
    m.add("set security ipsec proposal p1 protocol esp");
    m.add("set security ipsec policy pol1 proposals p1");
    m.add(k_sa + "dynamic ipsec-policy pol1");
    CHECK(check(m) == m.at(8, "dynamic", k_sa_path + " dynamic",
                           "security-association sa1 is both manual (at 2:" + std::to_string(m.column(2, "manual")) +
                               ") and dynamic, needs one of them"));
}
