// Manual SAs from the configuration model: specs, bindings and addresses, the
// esp_sa records exported for Wireshark and the show output built over them.
#include <catch2/catch.hpp>

#include "json.h"
#include "manual_sas.h"
#include "picsec/config/load.h"
#include "show_ipsec.h"
#include "wireshark_export.h"

using namespace picsec;
using namespace picsec::tools;

namespace {

config::Model lab() {
    auto r = config::check_file(std::string(PICSEC_TEST_DATA) + "/lab.conf");
    REQUIRE(r.ok());
    return std::move(r.model);
}

const ManualSa& find(const std::vector<ManualSa>& sas, const std::string& name, sadb::Direction d) {
    for (const auto& s : sas) {
        if (s.spec.name == name && s.spec.direction == d) return s;
    }
    FAIL("no SA " << name);
    throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("a tunnel SA takes its endpoints from the es- unit that names it", "[tools][manual-sa]") {
    const auto sas = manual_sas(lab());
    const auto& t = find(sas, "sa-3des-tunnel", sadb::Direction::Bidirectional);
    CHECK(t.spec.mode == sadb::Mode::Tunnel);
    CHECK(t.spec.local_address == 0x0a000001);
    CHECK(t.spec.peer_address == 0x0a000002);
    CHECK(t.binding == "interfaces es-0/0/0 unit 0");
    CHECK(t.spec.encryption == sadb::EncryptionAlgorithm::TripleDesCbc);
    CHECK(t.spec.encryption_key.size() == 24);
    CHECK(t.spec.spi == 2000);
    CHECK(t.spec.replay_window == 64);
}

TEST_CASE("a transport SA knows only its BGP neighbor as the peer", "[tools][manual-sa]") {
    const auto sas = manual_sas(lab());
    const auto& b = find(sas, "sa-bundle", sadb::Direction::Bidirectional);
    CHECK(b.spec.protocol == sadb::Protocol::Bundle);
    CHECK(b.spec.auxiliary_spi == 3001);
    CHECK(b.peer_known);
    CHECK_FALSE(b.local_known);
    CHECK(b.spec.peer_address == 0xc0a81403);
    CHECK(b.binding == "protocols bgp group lab neighbor 192.168.20.3");
}

TEST_CASE("separate inbound and outbound blocks give two specs of one SA", "[tools][manual-sa]") {
    const auto sas = manual_sas(lab(), "sa-split");
    REQUIRE(sas.size() == 2);
    CHECK(sas[0].spec.direction == sadb::Direction::Inbound);
    CHECK(sas[0].spec.spi == 4000);
    CHECK(sas[1].spec.direction == sadb::Direction::Outbound);
    CHECK(sas[1].spec.spi == 4001);
    std::string error;
    auto db = install(sas, error);
    REQUIRE(db);
    CHECK(db->size() == 2);
}

TEST_CASE("esp_sa gets one record per direction with Wireshark's algorithm names", "[tools][wireshark]") {
    const auto sas = manual_sas(lab());
    const auto& t = find(sas, "sa-des-tunnel", sadb::Direction::Bidirectional);
    const auto records = esp_sa_records(t.spec, {t.spec.local_address, true, t.spec.peer_address, true});
    REQUIRE(records.size() == 2);
    CHECK(records[0].to_uat() ==
          R"("IPv4","10.0.1.1","10.0.1.2","0x000007d1","DES-CBC [RFC2405]","0x133457799bbcdff1",)"
          R"("HMAC-MD5-96 [RFC2403]","0x00112233445566778899aabbccddeeff")");
    CHECK(records[1].source == "10.0.1.2");
    CHECK(records[1].destination == "10.0.1.1");
}

TEST_CASE("a bundle exports its ESP under the auxiliary SPI without authentication", "[tools][wireshark]") {
    const auto b = find(manual_sas(lab()), "sa-bundle", sadb::Direction::Bidirectional);
    const auto records = esp_sa_records(b.spec, {0, false, b.spec.peer_address, true});
    REQUIRE(records.size() == 2);
    CHECK(records[0].spi == 3001);
    CHECK(records[0].source == "*");
    CHECK(records[0].destination == "192.168.20.3");
    CHECK(records[0].encryption == "TripleDES-CBC [RFC2451]");
    CHECK(records[0].authentication == "NULL");
    CHECK(records[0].authentication_key.empty());
}

TEST_CASE("AH alone has no esp_sa record, and wildcard ends are written once", "[tools][wireshark]") {
    sadb::SaSpec ah;
    ah.protocol = sadb::Protocol::Ah;
    ah.spi = 300;
    ah.authentication = sadb::AuthenticationAlgorithm::HmacSha1_96;
    CHECK(esp_sa_records(ah, {}).empty());
    sadb::SaSpec esp;
    esp.spi = 301;
    esp.encryption = sadb::EncryptionAlgorithm::Aes128Cbc;
    esp.encryption_key.assign(16, 1);
    const auto r = esp_sa_records(esp, {});
    REQUIRE(r.size() == 1);
    CHECK(r[0].encryption == "AES-CBC [RFC3602]");
    CHECK(r[0].authentication == "NULL");
}

TEST_CASE("show prints a bidirectional SA as an inbound and an outbound row", "[tools][show]") {
    std::string error;
    auto db = install(manual_sas(lab(), "sa-bundle"), error);
    REQUIRE(db);
    const auto list = states(*db);
    CHECK(format_ipsec_sas(list, ShowLevel::Brief) ==
          "Security association: sa-bundle\n"
          "  Direction  SPI        AUX-SPI    Mode       Type     Protocol\n"
          "  inbound    3000       3001       transport  manual   AH+ESP\n"
          "  outbound   3000       3001       transport  manual   AH+ESP\n");
    const std::string detail = format_ipsec_sas(list, ShowLevel::Detail);
    CHECK_THAT(detail, Catch::Contains("  Local gateway: none, Remote gateway: 192.168.20.3\n"));
    CHECK_THAT(detail, Catch::Contains("    Direction: inbound, SPI: 3000, AUX-SPI: 3001\n"
                                       "    Mode: transport, Type: manual, State: Installed\n"
                                       "    Protocol: AH+ESP, Authentication: hmac-sha1-96, Encryption: 3des-cbc\n"));
    CHECK_THAT(detail, Catch::Contains("Anti-replay service: Enabled, Replay window size: 64"));
}

TEST_CASE("show counts protected packets and never prints keys", "[tools][show]") {
    std::string error;
    auto db = install(manual_sas(lab(), "sa-3des-transport"), error);
    REQUIRE(db);
    const auto id = db->find_outbound("sa-3des-transport");
    REQUIRE(id);
    std::vector<std::uint8_t> ip = {0x45, 0, 0, 24, 0, 1, 0, 0, 64, 17, 0x66, 0xd2, 10, 0, 0, 1, 10, 0, 0, 2, 1, 2, 3, 4};
    struct FixedRng : Botan::RandomNumberGenerator {
        std::string name() const override { return "fixed"; }
        void clear() override {}
        bool is_seeded() const override { return true; }
        bool accepts_input() const override { return false; }
        void add_entropy(const std::uint8_t*, std::size_t) override {}
        void randomize(std::uint8_t* out, std::size_t n) override { std::fill(out, out + n, 0x5a); }
    } rng;
    REQUIRE(db->protect(*id, ip, rng));
    REQUIRE(db->protect(*id, ip, rng));
    const auto list = states(*db);
    const std::string detail = format_ipsec_sas(list, ShowLevel::Detail);
    CHECK_THAT(detail, Catch::Contains("    Last sequence number sent: 2\n    Packets: 2, Bytes: 48\n"));
    const std::string json = ipsec_sas_json(list);
    CHECK_THAT(json, Catch::Contains(R"("direction":"outbound","spi":1000)"));
    CHECK_THAT(json, Catch::Contains(R"("packets":2,"bytes":48,"last-sequence-sent":2)"));
    for (const auto& text : {detail, json}) {
        CHECK_THAT(text, !Catch::Contains("0123456789abcdef") && !Catch::Contains("1112131415161718"));
    }
}

TEST_CASE("JSON strings are escaped per RFC 8259", "[tools][json]") {
    CHECK(json_quote("a\"b\\c\n\x01") == R"("a\"b\\c\n\u0001")");
    JsonWriter j;
    j.begin_object().field("n", 3u).field("b", true).key("l").begin_array().value("x").null().end_array().end_object();
    CHECK(j.str() == R"({"n":3,"b":true,"l":["x",null]})");
}
