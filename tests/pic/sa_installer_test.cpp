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
