// Install-time validation of SaSpec against the ES PIC model.
#include <catch2/catch.hpp>

#include "picsec/pic/pic.h"
#include "picsec/pic/validate_sa.h"

using namespace picsec;
using pic::check_sa;

namespace {

sadb::SaSpec manual_esp() {
    sadb::SaSpec s;
    s.name = "sa1";
    s.spi = 300;
    s.protocol = sadb::Protocol::Esp;
    s.mode = sadb::Mode::Tunnel;
    s.encryption = sadb::EncryptionAlgorithm::TripleDesCbc;
    const std::string k = "abcdefghijklmnopqrstuvwx";
    s.encryption_key.assign(k.begin(), k.end());
    s.authentication = sadb::AuthenticationAlgorithm::HmacSha1_96;
    s.authentication_key.assign(20, 0x42);
    return s;
}

}  // namespace

TEST_CASE("a well-formed manual ESP tunnel SA is installable", "[pic][validate][sa]") {
    CHECK_FALSE(check_sa(manual_esp()));
}

TEST_CASE("a manual SA's SPI must be in the PIC range, a dynamic SA's need not", "[pic][validate][sa]") {
    auto s = manual_esp();
    s.spi = 0x12345678;
    REQUIRE(check_sa(s));
    CHECK(check_sa(s)->message == "spi 305419896 is out of range, needs 256..16639");
    s.dynamic = true;
    CHECK_FALSE(check_sa(s));
    s.replay_window = 128;
    CHECK(check_sa(s)->field == "replay-window-size");
}

TEST_CASE("installing a 3DES SA with a degenerate key is refused", "[pic][validate][sa]") {
    auto s = manual_esp();
    const std::string k = "abcdefghijklmnopijklmnop";  // parts 2 and 3 equal
    s.encryption_key.assign(k.begin(), k.end());
    REQUIRE(check_sa(s));
    CHECK(check_sa(s)->message.find("single DES") != std::string::npos);
}

TEST_CASE("installing an AH tunnel or an AH SA on T-series is refused", "[pic][validate][sa]") {
    auto s = manual_esp();
    s.protocol = sadb::Protocol::Ah;
    s.encryption.reset();
    CHECK(check_sa(s)->field == "mode");
    s.mode = sadb::Mode::Transport;
    CHECK_FALSE(check_sa(s));
    CHECK(check_sa(s, pic::model(pic::Platform::TSeries))->field == "protocol");
}

TEST_CASE("installing a bundle needs its auxiliary SPI", "[pic][validate][sa]") {
    auto s = manual_esp();
    s.protocol = sadb::Protocol::Bundle;
    s.mode = sadb::Mode::Transport;
    CHECK(check_sa(s)->field == "auxiliary-spi");
    s.auxiliary_spi = 301;
    CHECK_FALSE(check_sa(s));
}

TEST_CASE("installing a key of the wrong size is refused", "[pic][validate][sa]") {
    auto s = manual_esp();
    s.authentication_key.resize(16);
    CHECK(check_sa(s)->message == "authentication key for hmac-sha1-96 has 16 bytes, needs 20");
}

TEST_CASE("a PIC checks SAs against its own platform", "[pic][validate][sa]") {
    pic::Pic t(pic::PicName{0, 0, 0}, pic::model(pic::Platform::TSeries));
    auto s = manual_esp();
    CHECK_FALSE(t.check_sa(s));
    s.protocol = sadb::Protocol::Ah;
    s.mode = sadb::Mode::Transport;
    s.encryption.reset();
    REQUIRE(t.check_sa(s));
    CHECK(t.check_sa(s)->field == "protocol");
}
