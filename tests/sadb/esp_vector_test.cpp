// Published ESP packet vectors: RFC 3602 section 4 cases 5 (transport mode)
// and 7 (tunnel mode), AES-128-CBC without authentication. The SADB must
// produce the RFC's packet byte for byte and take it apart again.
#include <catch2/catch.hpp>

#include "picsec/sadb/esp.h"
#include "picsec/sadb/sa_crypto.h"
#include "picsec/sadb/sadb.h"
#include "sadb_test_support.h"

using namespace picsec::sadb;
using namespace picsec::sadb::test;

namespace {

// RFC 3602 4, Case #5: ping 192.168.123.3 -> 192.168.123.100, SPI 4321, sequence 1.
const auto k_case5_key = "90d382b4 10eeba7a d938c46c ec1a82bf";
const auto k_case5_iv = "e96e8c08 ab465763 fd098d45 dd3ff893";
const auto k_case5_original =
    "45000054 08f20000 4001f9fe c0a87b03 c0a87b64"
    "08000ebd a70a0000 8e9c083d b95b0700 08090a0b 0c0d0e0f 10111213 14151617"
    "18191a1b 1c1d1e1f 20212223 24252627 28292a2b 2c2d2e2f 30313233 34353637";
const auto k_case5_protected =
    "4500007c 08f20000 4032f9a5 c0a87b03 c0a87b64"
    "00004321 00000001"
    "e96e8c08 ab465763 fd098d45 dd3ff893"
    "f663c25d 325c18c6 a9453e19 4e120849 a4870b66 cc6b9965 330013b4 898dc856"
    "a4699e52 3a55db08 0b59ec3a 8e4b7e52 775b07d1 db34ed9c 538ab50c 551b874a"
    "a269add0 47ad2d59 13ac19b7 cfbad4a6";

// RFC 3602 4, Case #7: tunnel mode 192.168.123.3 -> 192.168.123.200, SPI 8765, sequence 2.
const auto k_case7_key = "01234567 89abcdef 01234567 89abcdef";
const auto k_case7_iv = "f4e76524 4f6407ad f13dc138 0f673f37";
const auto k_case7_inner =
    "45000054 09040000 4001f988 c0a87b03 c0a87bc8 08009f76 a90a0100 b49c083d"
    "02a20400 08090a0b 0c0d0e0f 10111213 14151617 18191a1b 1c1d1e1f 20212223"
    "24252627 28292a2b 2c2d2e2f 30313233 34353637";
const auto k_case7_protected =
    "4500008c 09050000 4032f91e c0a87b03 c0a87bc8"
    "00008765 00000002"
    "f4e76524 4f6407ad f13dc138 0f673f37"
    "773b5241 a4c44922 5e4f3ce5 ed611b0c 237ca96c f74a9301 3c1b0ea1 a0cf70f8"
    "e4ecaec7 8ac53aad 7a0f022b 859243c6 47752e94 a859352b 8a4d4d2d ecd136e5"
    "c177f132 ad3fbfb2 201ac990 4c74ee0a 109e0ca1 e4dfe9d5 a100b842 f1c22f0d";

SaSpec aes_spec(std::uint32_t spi, const char* k, Mode mode, Direction direction) {
    SaSpec spec;
    spec.name = "rfc3602";
    spec.spi = spi;
    spec.protocol = Protocol::Esp;
    spec.direction = direction;
    spec.mode = mode;
    spec.encryption = EncryptionAlgorithm::Aes128Cbc;
    spec.encryption_key = key(k);
    spec.replay_window = 0;
    return spec;
}

}  // namespace

TEST_CASE("ESP with the RFC's IV reproduces RFC 3602 case 5 byte for byte", "[sadb][esp][vector]") {
    SaCrypto crypto(EncryptionAlgorithm::Aes128Cbc, key(k_case5_key), std::nullopt, {});
    const auto original = hex(k_case5_original);
    const auto payload = std::span<const std::uint8_t>(original).subspan(20);
    const auto esp = esp::encapsulate(crypto, 0x4321, 1, ipv4::k_protocol_icmp, payload, hex(k_case5_iv));
    const auto want = hex(k_case5_protected);
    CHECK(Botan::hex_encode(esp, false) ==
          Botan::hex_encode(std::vector<std::uint8_t>(want.begin() + 20, want.end()), false));
}

TEST_CASE("transport-mode ESP from the SADB has RFC 3602 case 5's layout and decrypts to the ping",
          "[sadb][esp][vector]") {
    // The SADB draws its own IVs (SaCrypto::next_iv), so only the IV and the
    // ciphertext differ from the RFC's packet.
    Sadb db;
    auto id = db.add(aes_spec(0x4321, k_case5_key, Mode::Transport, Direction::Bidirectional));
    REQUIRE(id);
    FixedRng rng;
    auto out = db.protect(*id, hex(k_case5_original), rng);
    REQUIRE(out);
    const auto want = hex(k_case5_protected);
    REQUIRE(out->size() == want.size());
    CHECK(std::equal(want.begin(), want.begin() + 28, out->begin()));  // IPv4 header, SPI, sequence
    CHECK(!std::equal(want.begin() + 28, want.begin() + 44, out->begin() + 28));
    Sadb peer;
    REQUIRE(peer.add(aes_spec(0x4321, k_case5_key, Mode::Transport, Direction::Inbound)));
    auto back = peer.unprotect(*out);
    REQUIRE(back);
    CHECK(back->packet == hex(k_case5_original));
}

TEST_CASE("transport-mode ESP unprotects RFC 3602 case 5 to the original ping", "[sadb][esp][vector]") {
    Sadb db;
    auto id = db.add(aes_spec(0x4321, k_case5_key, Mode::Transport, Direction::Inbound));
    REQUIRE(id);
    auto in = db.unprotect(hex(k_case5_protected));
    REQUIRE(in);
    CHECK(in->sa == *id);
    CHECK(in->spi == 0x4321);
    CHECK(in->packet == hex(k_case5_original));
    CHECK(db.get(*id)->counters.inbound_packets == 1);
    CHECK(db.get(*id)->counters.inbound_bytes == 84);
}

TEST_CASE("tunnel-mode ESP unprotects RFC 3602 case 7 to the inner packet", "[sadb][esp][vector]") {
    Sadb db;
    auto spec = aes_spec(0x8765, k_case7_key, Mode::Tunnel, Direction::Inbound);
    spec.local_address = addr(192, 168, 123, 200);
    spec.peer_address = addr(192, 168, 123, 3);
    auto id = db.add(std::move(spec));
    REQUIRE(id);
    auto in = db.unprotect(hex(k_case7_protected));
    REQUIRE(in);
    CHECK(in->packet == hex(k_case7_inner));
}

TEST_CASE("ESP with the RFC's IV reproduces the ESP part of RFC 3602 case 7", "[sadb][esp][vector]") {
    SaCrypto crypto(EncryptionAlgorithm::Aes128Cbc, key(k_case7_key), std::nullopt, {});
    const auto esp = esp::encapsulate(crypto, 0x8765, 2, ipv4::k_protocol_ipip, hex(k_case7_inner), hex(k_case7_iv));
    const auto want = hex(k_case7_protected);
    CHECK(Botan::hex_encode(esp, false) ==
          Botan::hex_encode(std::vector<std::uint8_t>(want.begin() + 20, want.end()), false));
}

TEST_CASE("tunnel-mode ESP from the SADB has RFC 3602 case 7's outer header and decrypts to the inner packet",
          "[sadb][esp][vector]") {
    Sadb db;
    auto spec = aes_spec(0x8765, k_case7_key, Mode::Tunnel, Direction::Outbound);
    spec.local_address = addr(192, 168, 123, 3);
    spec.peer_address = addr(192, 168, 123, 200);
    auto id = db.add(std::move(spec));
    REQUIRE(id);
    FixedRng rng;
    REQUIRE(db.protect(*id, hex(k_case7_inner), rng));  // sequence number 1, as the RFC's sender
    auto out = db.protect(*id, hex(k_case7_inner), rng);
    REQUIRE(out);
    const auto want = hex(k_case7_protected);
    REQUIRE(out->size() == want.size());
    // The outer header matches except Identification (the RFC's sender used its
    // own counter, picsec copies the inner one) and so the checksum.
    CHECK(std::equal(want.begin(), want.begin() + 4, out->begin()));
    CHECK(std::equal(want.begin() + 6, want.begin() + 10, out->begin() + 6));
    CHECK(std::equal(want.begin() + 12, want.begin() + 20, out->begin() + 12));
    CHECK(ipv4::checksum(std::span<const std::uint8_t>(*out).first(20)) == 0);
    CHECK(std::equal(want.begin() + 20, want.begin() + 28, out->begin() + 20));  // SPI, sequence
    Sadb peer;
    auto in = aes_spec(0x8765, k_case7_key, Mode::Tunnel, Direction::Inbound);
    in.local_address = addr(192, 168, 123, 200);
    in.peer_address = addr(192, 168, 123, 3);
    REQUIRE(peer.add(std::move(in)));
    auto back = peer.unprotect(*out);
    REQUIRE(back);
    CHECK(back->packet == hex(k_case7_inner));
}
