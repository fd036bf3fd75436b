// The SA database: spec validation, SPI + protocol uniqueness per direction
// slot, lookups, removal, lifetimes (seconds and bytes, soft and hard).
#include <catch2/catch.hpp>

#include <functional>

#include "picsec/sadb/sadb.h"
#include "sadb_test_support.h"

using namespace picsec::sadb;
using namespace picsec::sadb::test;

namespace {

SaSpec esp_spec(std::string name, std::uint32_t spi, Direction direction = Direction::Bidirectional) {
    SaSpec s;
    s.name = std::move(name);
    s.spi = spi;
    s.protocol = Protocol::Esp;
    s.direction = direction;
    s.mode = Mode::Transport;
    s.encryption = EncryptionAlgorithm::TripleDesCbc;
    s.encryption_key = pattern_key(24, 1);
    s.authentication = AuthenticationAlgorithm::HmacSha1_96;
    s.authentication_key = pattern_key(20, 2);
    return s;
}

SaSpec ah_spec(std::string name, std::uint32_t spi, Direction direction = Direction::Bidirectional) {
    SaSpec s;
    s.name = std::move(name);
    s.spi = spi;
    s.protocol = Protocol::Ah;
    s.direction = direction;
    s.mode = Mode::Transport;
    s.authentication = AuthenticationAlgorithm::HmacMd5_96;
    s.authentication_key = pattern_key(16, 3);
    return s;
}

SaSpec bundle_spec(std::string name, std::uint32_t spi, std::uint32_t aux) {
    SaSpec s = esp_spec(std::move(name), spi);
    s.protocol = Protocol::Bundle;
    s.auxiliary_spi = aux;
    return s;
}

}  // namespace

TEST_CASE("SADB refuses a second SA with the same SPI and protocol", "[sadb][db]") {
    Sadb db;
    REQUIRE(db.add(esp_spec("a", 300)));
    auto again = db.add(esp_spec("b", 300));
    REQUIRE_FALSE(again);
    CHECK(again.error().code == AddError::Code::DuplicateSpi);
    CHECK_THAT(again.error().message, Catch::Contains("SPI 300") && Catch::Contains("'a'"));
    CHECK(db.size() == 1);
}

TEST_CASE("SADB allows the same SPI under a different protocol", "[sadb][db]") {
    Sadb db;
    REQUIRE(db.add(esp_spec("esp", 300)));
    CHECK(db.add(ah_spec("ah", 300)));
    CHECK(db.size() == 2);
}

TEST_CASE("SADB allows one inbound and one outbound SA with the same SPI", "[sadb][db]") {
    Sadb db;
    REQUIRE(db.add(esp_spec("in", 400, Direction::Inbound)));
    REQUIRE(db.add(esp_spec("out", 400, Direction::Outbound)));
    // a bidirectional SA needs both slots
    auto bidi = db.add(esp_spec("both", 400, Direction::Bidirectional));
    REQUIRE_FALSE(bidi);
    CHECK(bidi.error().code == AddError::Code::DuplicateSpi);
}

TEST_CASE("SADB lets a bidirectional SA block both directions", "[sadb][db]") {
    Sadb db;
    REQUIRE(db.add(esp_spec("both", 500)));
    CHECK_FALSE(db.add(esp_spec("in", 500, Direction::Inbound)));
    CHECK_FALSE(db.add(esp_spec("out", 500, Direction::Outbound)));
}

TEST_CASE("SADB reserves both SPIs of a bundle", "[sadb][db]") {
    Sadb db;
    auto id = db.add(bundle_spec("b", 600, 601));
    REQUIRE(id);
    auto esp_clash = db.add(esp_spec("e", 601));
    REQUIRE_FALSE(esp_clash);
    CHECK_THAT(esp_clash.error().message, Catch::Contains("SPI 601 protocol esp"));
    CHECK_FALSE(db.add(ah_spec("a", 600)));
    CHECK(db.add(esp_spec("e2", 600)));  // ESP 600 is free: the bundle's ESP is 601
    CHECK(db.add(ah_spec("a2", 601)));   // AH 601 is free
    CHECK(db.find(600, Protocol::Ah, Direction::Inbound) == *id);
    CHECK(db.find(600, Protocol::Bundle, Direction::Outbound) == *id);
    CHECK(db.find(601, Protocol::Esp, Direction::Inbound) == *id);
}

TEST_CASE("SADB frees the SPI slots when an SA is removed", "[sadb][db]") {
    Sadb db;
    auto id = db.add(bundle_spec("b", 700, 701));
    REQUIRE(id);
    CHECK(db.remove(*id));
    CHECK_FALSE(db.remove(*id));
    CHECK(db.get(*id) == nullptr);
    CHECK(db.add(bundle_spec("b", 700, 701)));
}

TEST_CASE("SADB finds SAs by name, by SPI and direction, and lists them in order", "[sadb][db]") {
    Sadb db;
    auto in = db.add(esp_spec("peer1", 800, Direction::Inbound));
    auto out = db.add(esp_spec("peer1", 801, Direction::Outbound));
    auto other = db.add(ah_spec("peer2", 802));
    REQUIRE((in && out && other));
    CHECK(db.find_by_name("peer1") == std::vector<SaId>{*in, *out});
    CHECK(db.find_outbound("peer1") == *out);
    CHECK(db.find_outbound("peer2") == *other);
    CHECK_FALSE(db.find_outbound("nobody"));
    CHECK(db.find(800, Protocol::Esp, Direction::Inbound) == *in);
    CHECK_FALSE(db.find(800, Protocol::Esp, Direction::Outbound));
    CHECK_FALSE(db.find(800, Protocol::Esp, Direction::Bidirectional));
    CHECK(db.find(802, Protocol::Ah, Direction::Bidirectional) == *other);
    CHECK(db.ids() == std::vector<SaId>{*in, *out, *other});
    // a newer outbound SA (a rekey) is preferred
    auto newer = db.add(esp_spec("peer1", 803, Direction::Outbound));
    REQUIRE(newer);
    CHECK(db.find_outbound("peer1") == *newer);
}

TEST_CASE("SADB rejects inconsistent specs with the field named", "[sadb][db][validate]") {
    struct Case {
        const char* what;
        std::function<void(SaSpec&)> change;
        const char* field;
    };
    const std::vector<Case> cases{
        {"reserved SPI", [](SaSpec& s) { s.spi = 255; }, "spi"},
        {"short 3DES key", [](SaSpec& s) { s.encryption_key.resize(16); }, "encryption key"},
        {"long HMAC key", [](SaSpec& s) { s.authentication_key.resize(21); }, "authentication key"},
        {"AH with encryption", [](SaSpec& s) { s.protocol = Protocol::Ah; }, "encryption"},
        {"bundle without auxiliary SPI", [](SaSpec& s) { s.protocol = Protocol::Bundle; }, "auxiliary-spi"},
        {"auxiliary SPI on plain ESP", [](SaSpec& s) { s.auxiliary_spi = 999; }, "auxiliary-spi"},
        {"window 4097", [](SaSpec& s) { s.replay_window = 4097; }, "replay-window-size"},
        {"tunnel without addresses", [](SaSpec& s) { s.mode = Mode::Tunnel; }, "tunnel"},
        {"NAT-T on AH", [](SaSpec& s) {
             s.protocol = Protocol::Ah;
             s.encryption.reset();
             s.encryption_key.clear();
             s.udp_encapsulation = UdpEncapsulation{};
         }, "udp-encapsulation"},
        {"soft after hard", [](SaSpec& s) { s.lifetime = Lifetime{100, 50, 0, 0}; }, "lifetime"},
        {"ESP with nothing", [](SaSpec& s) {
             s.encryption.reset();
             s.encryption_key.clear();
             s.authentication.reset();
             s.authentication_key.clear();
         }, "esp"},
        {"key without algorithm", [](SaSpec& s) { s.encryption.reset(); }, "encryption key"},
    };
    for (const auto& c : cases) {
        INFO(c.what);
        Sadb db;
        SaSpec spec = esp_spec("bad", 1000);
        c.change(spec);
        auto r = db.add(spec);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == AddError::Code::InvalidSpec);
        CHECK_THAT(r.error().message, Catch::Contains(std::string("'bad': ") + c.field));
    }
}

TEST_CASE("SADB reports soft then hard expiry by seconds and removes the SA", "[sadb][db][lifetime]") {
    Sadb db;
    db.tick(1000);
    SaSpec spec = esp_spec("timed", 900);
    spec.dynamic = true;
    spec.lifetime = Lifetime{60, 100, 0, 0};
    auto id = db.add(spec);
    REQUIRE(id);
    CHECK(db.tick(1059).empty());
    auto soft = db.tick(1060);
    REQUIRE(soft.size() == 1);
    CHECK(soft[0].kind == ExpiryKind::Soft);
    CHECK(soft[0].cause == ExpiryCause::Seconds);
    CHECK(soft[0].id == *id);
    CHECK(soft[0].dynamic);
    CHECK(db.get(*id)->lifetime.soft_expired);
    CHECK(db.tick(1070).empty());  // reported once
    auto hard = db.tick(1100);
    REQUIRE(hard.size() == 1);
    CHECK(hard[0].kind == ExpiryKind::Hard);
    CHECK(hard[0].name == "timed");
    CHECK(db.get(*id) == nullptr);
}

TEST_CASE("SADB expires by bytes: soft asks for rekey, hard refuses packets", "[sadb][db][lifetime]") {
    Sadb db;
    SaSpec spec = esp_spec("bytes", 901, Direction::Outbound);
    spec.lifetime = Lifetime{0, 0, 150, 250};
    auto id = db.add(spec);
    REQUIRE(id);
    FixedRng rng;
    const auto packet = make_packet(k_host_a, k_host_b, ipv4::k_protocol_icmp, icmp_payload(80));  // 100 bytes
    REQUIRE(db.protect(*id, packet, rng));
    CHECK(db.tick(1).empty());
    REQUIRE(db.protect(*id, packet, rng));  // 200 bytes: soft
    auto soft = db.tick(2);
    REQUIRE(soft.size() == 1);
    CHECK(soft[0].kind == ExpiryKind::Soft);
    CHECK(soft[0].cause == ExpiryCause::Bytes);
    REQUIRE(db.protect(*id, packet, rng));  // 300 bytes: hard
    auto refused = db.protect(*id, packet, rng);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().reason == DropReason::Expired);
    CHECK(db.get(*id)->counters.expired_drops == 1);
    auto hard = db.tick(3);
    REQUIRE(hard.size() == 1);
    CHECK(hard[0].kind == ExpiryKind::Hard);
    CHECK(hard[0].cause == ExpiryCause::Bytes);
    CHECK(db.size() == 0);
}

TEST_CASE("SADB reports the expiries of many SAs in id order, skipping removed ones", "[sadb][db][lifetime]") {
    // tick() visits only the SAs that are due; the events still come in SA
    // id order, once each, and a removed SA reports nothing.
    Sadb db;
    db.tick(10);
    std::vector<SaId> ids;
    for (std::uint32_t i = 0; i < 6; ++i) {
        SaSpec spec = esp_spec("sa" + std::to_string(i), 1000 + i);
        // Later SAs expire earlier, so deadline order is not id order.
        spec.lifetime = Lifetime{30 - 2 * i, 60 - 2 * i, 0, 0};
        auto id = db.add(spec);
        REQUIRE(id);
        ids.push_back(*id);
    }
    REQUIRE(db.remove(ids[2]));
    CHECK(db.tick(29).empty());
    auto soft = db.tick(40);  // every soft deadline (20..30 s after install) has passed
    REQUIRE(soft.size() == 5);
    for (std::size_t k = 1; k < soft.size(); ++k) CHECK(soft[k - 1].id < soft[k].id);
    for (const auto& e : soft) {
        CHECK(e.kind == ExpiryKind::Soft);
        CHECK(e.id != ids[2]);
    }
    CHECK(db.tick(65).size() == 3);  // hard at 60, 62 and 64 s: sa5, sa4 and sa3
    CHECK(db.size() == 2);
    auto hard = db.tick(70);
    REQUIRE(hard.size() == 2);
    CHECK(hard[0].id == ids[0]);
    CHECK(hard[1].id == ids[1]);
    CHECK(db.size() == 0);
}

TEST_CASE("SADB still hard-expires by seconds an SA whose soft limit came by bytes", "[sadb][db][lifetime]") {
    Sadb db;
    SaSpec spec = esp_spec("mixed", 902, Direction::Outbound);
    spec.lifetime = Lifetime{50, 100, 150, 0};
    auto id = db.add(spec);
    REQUIRE(id);
    FixedRng rng;
    const auto packet = make_packet(k_host_a, k_host_b, ipv4::k_protocol_icmp, icmp_payload(80));  // 100 bytes
    REQUIRE(db.protect(*id, packet, rng));
    REQUIRE(db.protect(*id, packet, rng));  // 200 bytes: soft by bytes
    auto soft = db.tick(1);
    REQUIRE(soft.size() == 1);
    CHECK(soft[0].cause == ExpiryCause::Bytes);
    CHECK(db.tick(50).empty());  // the soft seconds limit is not reported a second time
    CHECK(db.tick(99).empty());
    auto hard = db.tick(100);
    REQUIRE(hard.size() == 1);
    CHECK(hard[0].kind == ExpiryKind::Hard);
    CHECK(hard[0].cause == ExpiryCause::Seconds);
    CHECK(db.size() == 0);
}

TEST_CASE("SADB refuses to protect with an inbound SA or an unknown one", "[sadb][db]") {
    Sadb db;
    auto id = db.add(esp_spec("in", 902, Direction::Inbound));
    REQUIRE(id);
    FixedRng rng;
    const auto packet = make_packet(k_host_a, k_host_b, ipv4::k_protocol_icmp, icmp_payload(8));
    auto r = db.protect(*id, packet, rng);
    REQUIRE_FALSE(r);
    CHECK(r.error().reason == DropReason::WrongDirection);
    auto unknown = db.protect(SaId{999}, packet, rng);
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().reason == DropReason::UnknownSa);
    auto by_name = db.protect("in", packet, rng);
    REQUIRE_FALSE(by_name);
    CHECK(by_name.error().reason == DropReason::UnknownSa);
}

TEST_CASE("SADB numbers outbound packets from 1 upwards", "[sadb][db]") {
    Sadb db;
    auto id = db.add(esp_spec("seq", 903, Direction::Outbound));
    REQUIRE(id);
    FixedRng rng;
    const auto packet = make_packet(k_host_a, k_host_b, ipv4::k_protocol_icmp, icmp_payload(8));
    for (std::uint32_t want = 1; want <= 3; ++want) {
        auto out = db.protect(*id, packet, rng);
        REQUIRE(out);
        CHECK(ipv4::load32(*out, 24) == want);  // RFC 4303 3.3.3: the first packet is number 1
    }
    CHECK(db.get(*id)->primary.last_sequence_sent == 3);
}
