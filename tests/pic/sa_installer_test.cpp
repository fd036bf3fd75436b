// Dynamic SA installation onto a PIC: admission limit, all-or-nothing pairs,
// removal giving the slot back.
#include <catch2/catch.hpp>

#include "picsec/pic/sa_installer.h"

using namespace picsec;

namespace {

sadb::SaSpec half(std::uint32_t spi, sadb::Direction direction) {
    sadb::SaSpec s;
    s.name = "vpn";
    s.spi = spi;
    s.protocol = sadb::Protocol::Esp;
    s.direction = direction;
    s.mode = sadb::Mode::Tunnel;
    s.encryption = sadb::EncryptionAlgorithm::TripleDesCbc;
    s.encryption_key = Botan::secure_vector<std::uint8_t>(24, 0x11);
    for (std::size_t i = 0; i < 24; ++i) s.encryption_key[i] = static_cast<std::uint8_t>(0x10 + i * 7);
    s.authentication = sadb::AuthenticationAlgorithm::HmacSha1_96;
    s.authentication_key = Botan::secure_vector<std::uint8_t>(20, 0x22);
    s.local_address = 0x0a000001;
    s.peer_address = 0x0a000002;
    s.replay_window = 64;
    return s;
}

}  // namespace

TEST_CASE("the 513th dynamic SA on a PIC is refused and leaves the SADB unchanged", "[pic][installer]") {
    pic::Chassis chassis;
    auto& p = chassis.add_pic(pic::PicName{0, 0, 0});
    sadb::Sadb db;
    pic::SaInstaller installer(p, db);
    for (std::uint32_t i = 0; i < 512; ++i) {
        auto r = installer.install(half(0x1000 + i, sadb::Direction::Inbound),
                                   half(0x9000 + i, sadb::Direction::Outbound));
        REQUIRE_FALSE(r.has_value());
    }
    CHECK(db.size() == 1024);
    auto refused = installer.install(half(0x5000, sadb::Direction::Inbound), half(0x6000, sadb::Direction::Outbound));
    REQUIRE(refused.has_value());
    CHECK(refused->message.find("512") != std::string::npos);
    CHECK(db.size() == 1024);
    CHECK(p.dynamic_sa_count() == 512);

    REQUIRE(installer.remove(0x1000, sadb::Protocol::Esp));
    CHECK(db.size() == 1022);
    CHECK_FALSE(installer.install(half(0x5000, sadb::Direction::Inbound),
                                  half(0x6000, sadb::Direction::Outbound)).has_value());
}

TEST_CASE("a pair whose outbound half collides installs neither half", "[pic][installer]") {
    pic::Chassis chassis;
    auto& p = chassis.add_pic(pic::PicName{1, 0, 0});
    sadb::Sadb db;
    pic::SaInstaller installer(p, db);
    REQUIRE_FALSE(installer.install(half(0x2000, sadb::Direction::Inbound),
                                    half(0x3000, sadb::Direction::Outbound)).has_value());
    auto r = installer.install(half(0x2001, sadb::Direction::Inbound), half(0x3000, sadb::Direction::Outbound));
    REQUIRE(r.has_value());
    CHECK(r->field == "outbound");
    CHECK(db.size() == 2);
    CHECK(p.dynamic_sa_count() == 1);
    CHECK_FALSE(db.find(0x2001, sadb::Protocol::Esp, sadb::Direction::Inbound).has_value());
}

TEST_CASE("an AH dynamic SA is refused on a platform without AH", "[pic][installer]") {
    pic::Chassis chassis(pic::Platform::TSeries);
    auto& p = chassis.add_pic(pic::PicName{0, 1, 0});
    sadb::Sadb db;
    pic::SaInstaller installer(p, db);
    auto in = half(0x2000, sadb::Direction::Inbound);
    auto out = half(0x3000, sadb::Direction::Outbound);
    for (auto* s : {&in, &out}) {
        s->protocol = sadb::Protocol::Ah;
        s->mode = sadb::Mode::Transport;
        s->encryption.reset();
        s->encryption_key.clear();
    }
    auto r = installer.install(in, out);
    REQUIRE(r.has_value());
    CHECK(db.size() == 0);
    CHECK(p.dynamic_sa_count() == 0);
}

TEST_CASE("an AES-GCM pair installs on a services PIC and is refused by the ES PIC", "[pic][installer][services]") {
    auto gcm = [](std::uint32_t spi, sadb::Direction direction) {
        sadb::SaSpec s = half(spi, direction);
        s.encryption = sadb::EncryptionAlgorithm::Aes256Gcm16;
        s.encryption_key = Botan::secure_vector<std::uint8_t>(36, 0x5a);  // 32-byte key + 4-byte salt
        s.authentication.reset();
        s.authentication_key.clear();
        return s;
    };
    pic::Chassis chassis(pic::Platform::MxSeries);
    auto& ms = chassis.add_pic(pic::PicName{2, 0, 0, pic::PicKind::Services});
    auto& es = chassis.add_pic(pic::PicName{2, 0, 0});
    sadb::Sadb db;
    pic::SaInstaller on_ms(ms, db);
    pic::SaInstaller on_es(es, db);
    auto refused = on_es.install(gcm(0x7000, sadb::Direction::Inbound), gcm(0x7001, sadb::Direction::Outbound));
    REQUIRE(refused.has_value());
    CHECK(refused->message == "encryption-algorithm aes-256-gcm is not supported by the ES PIC for IKE-negotiated "
                              "SAs, needs des-cbc or 3des-cbc");
    CHECK(db.size() == 0);
    CHECK_FALSE(on_ms.install(gcm(0x7000, sadb::Direction::Inbound), gcm(0x7001, sadb::Direction::Outbound)));
    CHECK(db.size() == 2);
    CHECK(ms.dynamic_sa_count() == 1);
    CHECK(es.dynamic_sa_count() == 0);

    // HMAC-SHA-384-192 with AES-CBC on the services PIC too; the ES PIC refuses it.
    auto sha = [](std::uint32_t spi, sadb::Direction direction) {
        sadb::SaSpec s = half(spi, direction);
        s.encryption = sadb::EncryptionAlgorithm::Aes128Cbc;
        s.encryption_key = Botan::secure_vector<std::uint8_t>(16, 0x33);
        s.authentication = sadb::AuthenticationAlgorithm::HmacSha384_192;
        s.authentication_key = Botan::secure_vector<std::uint8_t>(48, 0x44);
        return s;
    };
    CHECK_FALSE(on_ms.install(sha(0x7100, sadb::Direction::Inbound), sha(0x7101, sadb::Direction::Outbound)));
    CHECK(on_es.install(sha(0x7200, sadb::Direction::Inbound), sha(0x7201, sadb::Direction::Outbound)).has_value());
}
