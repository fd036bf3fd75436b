// ES PIC validation rules: SPI range, key lengths, DES weak keys, 3DES parts,
// platform and mode restrictions.
#include <catch2/catch.hpp>

#include <array>
#include <vector>

#include "picsec/pic/validate.h"

using namespace picsec::pic;
using picsec::sadb::AuthenticationAlgorithm;
using picsec::sadb::EncryptionAlgorithm;
using picsec::sadb::Mode;
using picsec::sadb::Protocol;

namespace {
std::vector<std::uint8_t> bytes(std::initializer_list<std::uint8_t> b) { return b; }
std::vector<std::uint8_t> des3(std::array<std::uint8_t, 8> a, std::array<std::uint8_t, 8> b,
                               std::array<std::uint8_t, 8> c) {
    std::vector<std::uint8_t> out(a.begin(), a.end());
    out.insert(out.end(), b.begin(), b.end());
    out.insert(out.end(), c.begin(), c.end());
    return out;
}
constexpr std::array<std::uint8_t, 8> k_a{0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF};
constexpr std::array<std::uint8_t, 8> k_b{0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF, 0x01};
constexpr std::array<std::uint8_t, 8> k_c{0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF, 0x01, 0x23};
}  // namespace

TEST_CASE("SPI and auxiliary SPI must lie in 256..16639", "[pic][validate]") {
    const auto& m = default_model();
    CHECK_FALSE(check_spi(m, 256));
    CHECK_FALSE(check_spi(m, 16639));
    auto low = check_spi(m, 255);
    REQUIRE(low);
    CHECK(low->field == "spi");
    CHECK(low->message == "spi 255 is out of range, needs 256..16639");
    auto high = check_spi(m, 16640, SpiKind::AuxiliarySpi);
    REQUIRE(high);
    CHECK(high->message == "auxiliary-spi 16640 is out of range, needs 256..16639");
}

TEST_CASE("key text length is checked in characters for each encoding", "[pic][validate]") {
    CHECK_FALSE(check_key_text(AuthenticationAlgorithm::HmacSha1_96, KeyEncoding::AsciiText, 20));
    CHECK_FALSE(check_key_text(AuthenticationAlgorithm::HmacSha1_96, KeyEncoding::Hexadecimal, 40));
    auto e = check_key_text(AuthenticationAlgorithm::HmacSha1_96, KeyEncoding::AsciiText, 19);
    REQUIRE(e);
    CHECK(e->message == "authentication key for hmac-sha1-96 has 19 characters, needs 20 (ascii-text) or 40 (hexadecimal)");
    auto md5 = check_key_text(AuthenticationAlgorithm::HmacMd5_96, KeyEncoding::Hexadecimal, 16);
    REQUIRE(md5);
    CHECK(md5->message == "authentication key for hmac-md5-96 has 16 characters, needs 16 (ascii-text) or 32 (hexadecimal)");
    auto des = check_key_text(EncryptionAlgorithm::TripleDesCbc, KeyEncoding::AsciiText, 8);
    REQUIRE(des);
    CHECK(des->message == "encryption key for 3des-cbc has 8 characters, needs 24 (ascii-text) or 48 (hexadecimal)");
}

TEST_CASE("all four DES weak keys are recognised even with parity bits flipped", "[pic][validate][des]") {
    const std::array<std::array<std::uint8_t, 8>, 4> weak{{
        {0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01},
        {0x1F, 0x1F, 0x1F, 0x1F, 0x0E, 0x0E, 0x0E, 0x0E},
        {0xE0, 0xE0, 0xE0, 0xE0, 0xF1, 0xF1, 0xF1, 0xF1},
        {0xFE, 0xFE, 0xFE, 0xFE, 0xFE, 0xFE, 0xFE, 0xFE},
    }};
    for (auto key : weak) {
        CHECK(classify_des_key(key) == DesKeyClass::Weak);
        for (auto& b : key) b ^= 0x01;  // parity bits do not enter the key schedule
        CHECK(classify_des_key(key) == DesKeyClass::Weak);
        auto e = check_key(EncryptionAlgorithm::DesCbc, key);
        REQUIRE(e);
        CHECK(e->message.find("DES weak key (RFC 2409 Appendix A)") != std::string::npos);
    }
    CHECK(classify_des_key(k_a) == DesKeyClass::Normal);
    CHECK_FALSE(check_key(EncryptionAlgorithm::DesCbc, k_a));
}

TEST_CASE("all twelve DES semi-weak keys are recognised", "[pic][validate][des]") {
    const std::array<std::array<std::uint8_t, 8>, 12> semi{{
        {0x01, 0xFE, 0x01, 0xFE, 0x01, 0xFE, 0x01, 0xFE}, {0xFE, 0x01, 0xFE, 0x01, 0xFE, 0x01, 0xFE, 0x01},
        {0x1F, 0xE0, 0x1F, 0xE0, 0x0E, 0xF1, 0x0E, 0xF1}, {0xE0, 0x1F, 0xE0, 0x1F, 0xF1, 0x0E, 0xF1, 0x0E},
        {0x01, 0xE0, 0x01, 0xE0, 0x01, 0xF1, 0x01, 0xF1}, {0xE0, 0x01, 0xE0, 0x01, 0xF1, 0x01, 0xF1, 0x01},
        {0x1F, 0xFE, 0x1F, 0xFE, 0x0E, 0xFE, 0x0E, 0xFE}, {0xFE, 0x1F, 0xFE, 0x1F, 0xFE, 0x0E, 0xFE, 0x0E},
        {0x01, 0x1F, 0x01, 0x1F, 0x01, 0x0E, 0x01, 0x0E}, {0x1F, 0x01, 0x1F, 0x01, 0x0E, 0x01, 0x0E, 0x01},
        {0xE0, 0xFE, 0xE0, 0xFE, 0xF1, 0xFE, 0xF1, 0xFE}, {0xFE, 0xE0, 0xFE, 0xE0, 0xFE, 0xF1, 0xFE, 0xF1},
    }};
    for (const auto& key : semi) {
        CHECK(classify_des_key(key) == DesKeyClass::SemiWeak);
        auto e = check_key(EncryptionAlgorithm::DesCbc, key);
        REQUIRE(e);
        CHECK(e->message.find("semi-weak") != std::string::npos);
    }
}

TEST_CASE("a 3DES key with equal second and third parts is rejected with the reason", "[pic][validate][des]") {
    CHECK_FALSE(check_key(EncryptionAlgorithm::TripleDesCbc, des3(k_a, k_b, k_c)));
    CHECK_FALSE(check_key(EncryptionAlgorithm::TripleDesCbc, des3(k_a, k_b, k_a)));  // two-key 3DES is fine
    auto e23 = check_key(EncryptionAlgorithm::TripleDesCbc, des3(k_a, k_b, k_b));
    REQUIRE(e23);
    CHECK(e23->message.find("equal second and third 8-byte parts") != std::string::npos);
    CHECK(e23->message.find("single DES") != std::string::npos);
    CHECK(e23->message.find("that advice is wrong") != std::string::npos);
    auto e12 = check_key(EncryptionAlgorithm::TripleDesCbc, des3(k_a, k_a, k_c));
    REQUIRE(e12);
    CHECK(e12->message.find("equal first and second 8-byte parts") != std::string::npos);
    auto parity = k_b;
    for (auto& b : parity) b ^= 0x01;
    CHECK(check_key(EncryptionAlgorithm::TripleDesCbc, des3(k_a, k_b, parity)));
}

TEST_CASE("a 3DES key with a weak part is rejected", "[pic][validate][des]") {
    std::array<std::uint8_t, 8> weak{0xFE, 0xFE, 0xFE, 0xFE, 0xFE, 0xFE, 0xFE, 0xFE};
    auto e = check_key(EncryptionAlgorithm::TripleDesCbc, des3(k_a, weak, k_c));
    REQUIRE(e);
    CHECK(e->message.find("second 8-byte part") != std::string::npos);
}

TEST_CASE("key byte lengths follow the algorithm table", "[pic][validate]") {
    auto e = check_key(EncryptionAlgorithm::DesCbc, bytes({1, 2, 3}));
    REQUIRE(e);
    CHECK(e->message == "encryption key for des-cbc has 3 bytes, needs 8");
    CHECK_FALSE(check_key(AuthenticationAlgorithm::HmacMd5_96, std::vector<std::uint8_t>(16, 7)));
    auto a = check_key(AuthenticationAlgorithm::HmacSha1_96, std::vector<std::uint8_t>(16, 7));
    REQUIRE(a);
    CHECK(a->message == "authentication key for hmac-sha1-96 has 16 bytes, needs 20");
}

TEST_CASE("AH is allowed on M-series only", "[pic][validate][platform]") {
    CHECK_FALSE(check_protocol_on_platform(model(Platform::MSeries), Protocol::Ah));
    CHECK_FALSE(check_protocol_on_platform(model(Platform::TSeries), Protocol::Esp));
    auto e = check_protocol_on_platform(model(Platform::TSeries), Protocol::Ah);
    REQUIRE(e);
    CHECK(e->message == "protocol ah needs AH, which the ES PIC supports on m-series only (platform is t-series); use protocol esp");
    CHECK(check_protocol_on_platform(model(Platform::MxSeries), Protocol::Bundle));
}

TEST_CASE("tunnel mode is ESP only", "[pic][validate]") {
    const auto& m = default_model();
    CHECK_FALSE(check_mode_protocol(m, Mode::Tunnel, Protocol::Esp));
    CHECK_FALSE(check_mode_protocol(m, Mode::Transport, Protocol::Ah));
    auto e = check_mode_protocol(m, Mode::Tunnel, Protocol::Bundle);
    REQUIRE(e);
    CHECK(e->message == "tunnel mode carries ESP only, but protocol is bundle; use protocol esp or mode transport");
}

TEST_CASE("AH takes no encryption and only a bundle takes an auxiliary SPI", "[pic][validate]") {
    CHECK(check_encryption_with_protocol(Protocol::Ah, true));
    CHECK_FALSE(check_encryption_with_protocol(Protocol::Esp, true));
    CHECK(check_auxiliary_spi_presence(Protocol::Bundle, false)->message ==
          "protocol bundle needs auxiliary-spi (the SPI of its ESP SA), none is configured");
    CHECK(check_auxiliary_spi_presence(Protocol::Esp, true)->message ==
          "auxiliary-spi is only used with protocol bundle, but protocol is esp");
    CHECK_FALSE(check_auxiliary_spi_presence(Protocol::Bundle, true));
}

TEST_CASE("the PIC refuses algorithms it has no hardware for", "[pic][validate][platform]") {
    const auto& m = default_model();
    CHECK_FALSE(check_manual_algorithm(m, EncryptionAlgorithm::TripleDesCbc));
    auto e = check_manual_algorithm(m, EncryptionAlgorithm::Aes128Cbc);
    REQUIRE(e);
    CHECK(e->message ==
          "encryption algorithm aes-128-cbc is not supported by the ES PIC for manual SAs, needs des-cbc or 3des-cbc");
    CHECK(check_ike_algorithm(m, AuthenticationAlgorithm::HmacSha256_128));
    CHECK_FALSE(check_ike_algorithm(m, AuthenticationAlgorithm::HmacMd5_96));
}

TEST_CASE("replay window is 32 or 64 packets", "[pic][validate]") {
    CHECK_FALSE(check_replay_window(32));
    CHECK_FALSE(check_replay_window(64));
    CHECK(check_replay_window(128)->message == "replay-window-size 128 is not supported, needs 32 or 64");
}

TEST_CASE("the ES PIC refuses the new algorithms by name; the services PIC takes them", "[pic][validate][services]") {
    const auto& es = default_model();
    const auto& ms = model(Platform::MSeries, PicKind::Services);
    auto gcm = check_ike_algorithm(es, EncryptionAlgorithm::Aes256Gcm16);
    REQUIRE(gcm);
    CHECK(gcm->message == "encryption-algorithm aes-256-gcm is not supported by the ES PIC for IKE-negotiated SAs, "
                          "needs des-cbc or 3des-cbc");
    auto sha = check_manual_algorithm(es, AuthenticationAlgorithm::HmacSha512_256);
    REQUIRE(sha);
    CHECK(sha->message == "authentication algorithm hmac-sha-512 is not supported by the ES PIC for manual SAs, "
                          "needs hmac-md5-96 or hmac-sha1-96");
    CHECK_FALSE(check_ike_algorithm(ms, EncryptionAlgorithm::Aes256Gcm16));
    CHECK_FALSE(check_manual_algorithm(ms, AuthenticationAlgorithm::HmacSha384_192));
    auto manual_gcm = check_manual_algorithm(ms, EncryptionAlgorithm::Aes128Gcm16);
    REQUIRE(manual_gcm);
    CHECK(manual_gcm->message ==
          "encryption algorithm aes-128-gcm is not supported by the services PIC for manual SAs, needs des-cbc, "
          "3des-cbc, aes-128-cbc, aes-192-cbc or aes-256-cbc (aes-128-gcm needs keys from IKE: RFC 4106 2 requires "
          "automated key management for AES-GCM)");
    CHECK_FALSE(check_replay_window(ms, 64));
}

TEST_CASE("the services PIC takes replay windows of 32 and 64 to 4096 and extended sequence numbers; the ES PIC "
          "neither",
          "[pic][validate][services][esn]") {
    const auto& es = default_model();
    const auto& ms = model(Platform::MSeries, PicKind::Services);
    for (unsigned w : {32U, 64U, 65U, 128U, 4096U}) CHECK_FALSE(check_replay_window(ms, w));
    for (unsigned w : {0U, 16U, 48U, 4097U}) {
        auto e = check_replay_window(ms, w);
        REQUIRE(e);
        CHECK(e->message == "replay-window-size " + std::to_string(w) + " is not supported, needs 32 or 64 to 4096");
    }
    REQUIRE(check_replay_window(es, 128));
    CHECK(check_replay_window(es, 128)->message == "replay-window-size 128 is not supported, needs 32 or 64");
    CHECK_FALSE(check_extended_sequence_numbers(ms, true));
    CHECK_FALSE(check_extended_sequence_numbers(es, false));
    auto esn = check_extended_sequence_numbers(es, true);
    REQUIRE(esn);
    CHECK(esn->message == "extended-sequence-number is not supported by the ES PIC (32-bit sequence numbers only), "
                          "needs a services PIC (ms-FPC/PIC/0)");
}
