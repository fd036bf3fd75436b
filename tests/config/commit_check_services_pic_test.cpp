// Commit check with the services PIC (ms- interfaces): its algorithms
// (AES-CBC, AES-GCM, the SHA-2 HMACs, the ECP and Curve25519 groups) pass
// there and are refused on the ES PIC by name; AES-GCM's own rules. Exact text, as the other commit tests.
#include <catch2/catch.hpp>

#include "config_test_util.h"

using namespace picsec::config;
using namespace picsec::config::test;

namespace {

/// manual_tunnel_sa() on ms-0/0/0 with AES-256-CBC and HMAC-SHA-256-128.
Lines manual_services_sa(const std::string& interface = "ms-0/0/0") {
    Lines l;
    l.add(k_dir + "protocol esp");
    l.add(k_dir + "spi 300");
    l.add(k_dir + "authentication algorithm hmac-sha-256-128");
    l.add(k_dir + "authentication key hexadecimal " + std::string(64, 'a'));
    l.add(k_dir + "encryption algorithm aes-256-cbc");
    l.add(k_dir + "encryption key hexadecimal " + std::string(64, 'b'));
    l.add("set interfaces " + interface + " unit 0 tunnel source 10.0.0.1");
    l.add("set interfaces " + interface + " unit 0 tunnel destination 10.0.0.2");
    l.add("set interfaces " + interface + " unit 0 family inet ipsec-sa sa1");
    return l;
}

/// dynamic_tunnel_sa() on ms-1/0/0, its proposal esp1 with the given lines.
Lines dynamic_services_sa(const std::vector<std::string>& proposal, const std::string& interface = "ms-1/0/0") {
    Lines l;
    l.add("set security ike proposal ike1 authentication-method pre-shared-keys");
    l.add("set security ike policy 10.0.0.2 proposals ike1");
    l.add("set security ike policy 10.0.0.2 pre-shared-key ascii-text secret");
    l.add("set security ipsec proposal esp1 protocol esp");
    l.add("set security ipsec policy pol1 proposals esp1");
    l.add("set security ipsec security-association dyn dynamic ipsec-policy pol1");
    l.add("set interfaces " + interface + " unit 0 tunnel source 10.0.0.1");
    l.add("set interfaces " + interface + " unit 0 tunnel destination 10.0.0.2");
    l.add("set interfaces " + interface + " unit 0 family inet ipsec-sa dyn");
    for (const auto& p : proposal) l.add("set security ipsec proposal esp1 " + p);
    return l;
}

}  // namespace

TEST_CASE("a manual AES-256-CBC / HMAC-SHA-256-128 SA on an ms- interface passes", "[config][commit][services]") {
    CHECK(check(manual_services_sa()) == "");
    auto r = check_string(manual_services_sa().text(), "t.conf");
    REQUIRE(r.model.interfaces.size() == 1);
    REQUIRE(r.model.interfaces[0].pic);
    CHECK(r.model.interfaces[0].pic->kind == picsec::pic::PicKind::Services);
}

TEST_CASE("the same SA on an es- interface is refused by name, listing what the ES PIC supports",
          "[config][commit][services]") {
    auto l = manual_services_sa("es-0/0/0");
    CHECK(check(l) ==
          l.at(3, "algorithm", k_dir_path + " authentication algorithm",
               "authentication algorithm hmac-sha-256-128 is not supported by the ES PIC for manual SAs, needs "
               "hmac-md5-96 or hmac-sha1-96") +
              l.at(5, "algorithm", k_dir_path + " encryption algorithm",
                   "encryption algorithm aes-256-cbc is not supported by the ES PIC for manual SAs, needs des-cbc or "
                   "3des-cbc"));
}

TEST_CASE("HMAC-SHA-384 and HMAC-SHA-512 parse and pass on the services PIC with 48- and 64-byte keys",
          "[config][commit][services]") {
    for (auto [keyword, bytes] : {std::pair{"hmac-sha-384", 48}, std::pair{"hmac-sha-512", 64}}) {
        CAPTURE(keyword);
        auto l = manual_services_sa();
        l.lines[2] = k_dir + "authentication algorithm " + keyword;
        l.lines[3] = k_dir + "authentication key hexadecimal " + std::string(2 * static_cast<std::size_t>(bytes), 'c');
        CHECK(check(l) == "");
        l.lines[3] = k_dir + "authentication key hexadecimal " + std::string(64, 'c');
        CHECK(check(l) == l.at(4, "key", k_dir_path + " authentication key",
                               std::string("authentication key for ") + keyword + " has 64 characters, needs " +
                                   std::to_string(bytes) + " (ascii-text) or " + std::to_string(2 * bytes) +
                                   " (hexadecimal)"));
    }
}

TEST_CASE("AES-GCM is refused in a manual SA, even on the services PIC (RFC 4106 2)", "[config][commit][services]") {
    auto l = manual_services_sa();
    l.lines[2] = k_dir + "encryption algorithm aes-128-gcm";
    l.lines[3] = k_dir + "encryption key hexadecimal " + std::string(40, 'd');
    l.lines[4] = k_dir + "spi 301";
    l.lines[5] = k_dir + "spi 301";
    CHECK(check(l) ==
          l.at(3, "algorithm", k_dir_path + " encryption algorithm",
               "encryption algorithm aes-128-gcm is not supported by the services PIC for manual SAs, needs des-cbc, "
               "3des-cbc, aes-128-cbc, aes-192-cbc or aes-256-cbc (aes-128-gcm needs keys from IKE: RFC 4106 2 "
               "requires automated key management for AES-GCM)"));
}

TEST_CASE("IPsec proposals: the services PIC takes AES-CBC with SHA-2, the ES PIC refuses them",
          "[config][commit][services]") {
    const std::vector<std::string> proposal{"encryption-algorithm aes-192-cbc",
                                            "authentication-algorithm hmac-sha-512"};
    CHECK(check(dynamic_services_sa(proposal)) == "");
    auto es = dynamic_services_sa(proposal, "es-1/0/0");
    CHECK(check(es) ==
          es.at(10, "encryption-algorithm", "security ipsec proposal esp1 encryption-algorithm",
                "encryption-algorithm aes-192-cbc is not supported by the ES PIC for IKE-negotiated SAs, needs "
                "des-cbc or 3des-cbc") +
              es.at(11, "authentication-algorithm", "security ipsec proposal esp1 authentication-algorithm",
                    "authentication-algorithm hmac-sha-512 is not supported by the ES PIC for IKE-negotiated SAs, "
                    "needs hmac-md5-96 or hmac-sha1-96"));
}

TEST_CASE("an AES-GCM proposal passes on the services PIC; its HMAC is refused, and the ES PIC refuses it",
          "[config][commit][services][gcm]") {
    CHECK(check(dynamic_services_sa({"encryption-algorithm aes-256-gcm"})) == "");
    CHECK(check(dynamic_services_sa({"encryption-algorithm aes-128-gcm"})) == "");
    auto l = dynamic_services_sa({"encryption-algorithm aes-256-gcm", "authentication-algorithm hmac-sha1-96"});
    CHECK(check(l) == l.at(11, "authentication-algorithm", "security ipsec proposal esp1 authentication-algorithm",
                           "authentication-algorithm hmac-sha1-96 cannot go with encryption-algorithm "
                           "aes-256-gcm: AES-GCM authenticates by itself (RFC 4106); remove "
                           "authentication-algorithm"));
    auto es = dynamic_services_sa({"encryption-algorithm aes-128-gcm"}, "es-1/0/0");
    CHECK(check(es) == es.at(10, "encryption-algorithm", "security ipsec proposal esp1 encryption-algorithm",
                             "encryption-algorithm aes-128-gcm is not supported by the ES PIC for IKE-negotiated "
                             "SAs, needs des-cbc or 3des-cbc"));
}

TEST_CASE("dh-group and PFS group19, group20 and group31 pass on the services PIC and are refused on the ES PIC",
          "[config][commit][services][ecp]") {
    for (const std::string group : {"group19", "group20", "group31"}) {
        INFO(group);
        auto ms = dynamic_services_sa({"encryption-algorithm aes-128-gcm"});
        ms.add("set security ike proposal ike1 dh-group " + group);
        ms.add("set security ipsec policy pol1 perfect-forward-secrecy keys " + group);
        CHECK(check(ms) == "");
        auto es = dynamic_services_sa({"encryption-algorithm 3des-cbc"}, "es-1/0/0");
        es.add("set security ike proposal ike1 dh-group " + group);
        es.add("set security ipsec policy pol1 perfect-forward-secrecy keys " + group);
        CHECK(check(es) ==
              es.at(11, "dh-group", "security ike proposal ike1 dh-group",
                    "dh-group " + group +
                        " is not supported by the ES PIC for IKE, needs group1, group2, group5 or group14") +
                  es.at(12, "keys", "security ipsec policy pol1 perfect-forward-secrecy keys",
                        "perfect-forward-secrecy keys " + group +
                            " is not supported by the ES PIC for IKE, needs group1, group2, group5 or group14"));
    }
}

TEST_CASE("an AES-GCM proposal for the ES PIC hears only what the ES PIC supports", "[config][commit][services]") {
    auto l = dynamic_services_sa({"encryption-algorithm aes-256-gcm"}, "es-1/0/0");
    CHECK(check(l) == l.at(10, "encryption-algorithm", "security ipsec proposal esp1 encryption-algorithm",
                           "encryption-algorithm aes-256-gcm is not supported by the ES PIC for IKE-negotiated SAs, "
                           "needs des-cbc or 3des-cbc"));
}

TEST_CASE("AES-GCM is no IKE SA cipher; SHA-384 and SHA-512 are IKE hashes", "[config][commit][services]") {
    auto l = dynamic_services_sa({"encryption-algorithm aes-128-cbc", "authentication-algorithm hmac-sha-256-128"});
    l.add("set security ike proposal ike1 authentication-algorithm sha-384");
    CHECK(check(l) == "");
    l.lines.back() = "set security ike proposal ike1 authentication-algorithm sha-512";
    CHECK(check(l) == "");
    l.add("set security ike proposal ike1 encryption-algorithm aes-256-gcm");
    CHECK(check(l) == l.at(13, "encryption-algorithm", "security ike proposal ike1 encryption-algorithm",
                           "encryption-algorithm aes-256-gcm is not an IKE SA cipher in picsec: IKEv1 has no AES-GCM "
                           "for phase 1 and picsec's IKEv2 does not encrypt its IKE SA with ENCR_AES_GCM_16 yet; use "
                           "aes-128-cbc, aes-192-cbc or aes-256-cbc"));
}

TEST_CASE("an ms- unit needs a tunnel-mode SA as an es- unit does", "[config][commit][services]") {
    auto l = manual_services_sa();
    l.add("set security ipsec security-association sa1 mode transport");
    CHECK(check(l).find("an ms- interface needs a tunnel-mode SA, security-association sa1 is mode transport") !=
          std::string::npos);
}

TEST_CASE("replay-window-size: the services PIC takes 32 and 64 to 4096, the ES PIC 32 or 64",
          "[config][commit][services][replay]") {
    auto l = dynamic_services_sa({"encryption-algorithm aes-128-cbc", "authentication-algorithm hmac-sha-256-128"});
    l.add("set security ipsec security-association dyn dynamic replay-window-size 4096");
    CHECK(check(l) == "");
    l.lines[11] = "set security ipsec security-association dyn dynamic replay-window-size 4097";
    const std::string path = "security ipsec security-association dyn dynamic replay-window-size";
    CHECK(check(l) ==
          l.at(12, "replay-window-size", path, "replay-window-size 4097 is not supported, needs 32 or 64 to 4096"));
    auto es = dynamic_services_sa({"encryption-algorithm 3des-cbc", "authentication-algorithm hmac-sha1-96"},
                                  "es-1/0/0");
    es.add("set security ipsec security-association dyn dynamic replay-window-size 128");
    CHECK(check(es) == es.at(12, "replay-window-size", path, "replay-window-size 128 is not supported, needs 32 or 64"));
}

TEST_CASE("extended-sequence-number passes on the services PIC and is refused on the ES PIC by name",
          "[config][commit][services][esn]") {
    const std::string esn = "set security ipsec security-association dyn extended-sequence-number";
    auto l = dynamic_services_sa({"encryption-algorithm aes-128-cbc", "authentication-algorithm hmac-sha-256-128"});
    l.add(esn);
    CHECK(check(l) == "");
    auto r = check_string(l.text(), "t.conf");
    REQUIRE(r.model.security_associations.size() == 1);
    CHECK(r.model.security_associations[0].extended_sequence_number.value);
    auto es = dynamic_services_sa({"encryption-algorithm 3des-cbc", "authentication-algorithm hmac-sha1-96"},
                                  "es-1/0/0");
    es.add(esn);
    CHECK(check(es) == es.at(12, "extended-sequence-number",
                             "security ipsec security-association dyn extended-sequence-number",
                             "extended-sequence-number is not supported by the ES PIC (32-bit sequence numbers "
                             "only), needs a services PIC (ms-FPC/PIC/0)"));
}

TEST_CASE("a manual ESN SA needs authentication", "[config][commit][services][esn]") {
    auto l = manual_services_sa();
    l.add("set security ipsec security-association sa1 extended-sequence-number");
    CHECK(check(l) == "");
    l.lines.erase(l.lines.begin() + 2, l.lines.begin() + 4);  // no authentication
    CHECK(check(l) == l.at(8, "extended-sequence-number", "security ipsec security-association sa1 extended-sequence-number",
                           "extended-sequence-number needs authentication { algorithm A; key K; } (the ICV covers "
                           "the sequence number's high half, RFC 4303 2.2.1)"));
}
