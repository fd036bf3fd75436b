// Independent check of the services PIC's new ESP algorithms: packets that
// the SADB protects with AES-GCM-16 (RFC 4106) and with AES-CBC and
// HMAC-SHA-256-128 / -384-192 / -512-256 (RFC 4868) are decrypted and
// authenticated by tshark, using the esp_sa table that `picsec export
// wireshark` writes for those SAs (esp_sa_records + write_wireshark_config,
// the exporter's own functions). AES-GCM SAs come only from IKE (RFC 4106 2),
// which does not negotiate them yet, so the SAs are installed directly.
#include <catch2/catch.hpp>

#include <botan/hex.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "pcap.h"
#include "picsec/sadb/ipv4.h"
#include "picsec/sadb/sadb.h"
#include "wireshark_export.h"

using namespace picsec;
using namespace picsec::tools;

namespace {

constexpr std::uint32_t k_a = 0xc0a80a01;      // 192.168.10.1, our tunnel end
constexpr std::uint32_t k_b = 0xc0a80a02;      // 192.168.10.2, the peer's
constexpr std::uint32_t k_host1 = 0x0a000101;  // 10.0.1.1
constexpr std::uint32_t k_host2 = 0x0a000201;  // 10.0.2.1

class CounterRng final : public Botan::RandomNumberGenerator {
public:
    void randomize(std::uint8_t out[], std::size_t n) override {
        for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::uint8_t>(m_next++ * 29 + 7);
    }
    bool accepts_input() const override { return false; }
    void add_entropy(const std::uint8_t[], std::size_t) override {}
    std::string name() const override { return "counter"; }
    void clear() override {}
    bool is_seeded() const override { return true; }

private:
    unsigned m_next = 0;
};

Botan::secure_vector<std::uint8_t> key_bytes(std::size_t n, std::uint8_t seed) {
    Botan::secure_vector<std::uint8_t> k(n);
    for (std::size_t i = 0; i < n; ++i) k[i] = static_cast<std::uint8_t>(seed + 13 * i);
    return k;
}

std::vector<std::uint8_t> udp_packet(std::size_t payload, std::uint16_t id) {
    auto p = sadb::ipv4::make_header(0, id, 0, 64, sadb::ipv4::k_protocol_udp, k_host1, k_host2);
    const std::size_t length = 8 + payload;
    const std::uint8_t udp[8] = {0x13, 0x88, 0x13, 0x89, static_cast<std::uint8_t>(length >> 8),
                                 static_cast<std::uint8_t>(length), 0, 0};
    p.insert(p.end(), udp, udp + 8);
    for (std::size_t i = 0; i < payload; ++i) p.push_back(static_cast<std::uint8_t>('a' + i % 26));
    sadb::ipv4::finish_header(p, 20);
    return p;
}

std::string run(const std::string& command) {
    std::array<char, 4096> buffer{};
    std::string out;
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
    if (!pipe) return out;
    while (fgets(buffer.data(), buffer.size(), pipe.get())) out += buffer.data();
    return out;
}

std::vector<std::string> split(const std::string& text, char by) {
    std::vector<std::string> out;
    std::stringstream in(text);
    std::string item;
    while (std::getline(in, item, by)) out.push_back(item);
    return out;
}

struct Case {
    const char* name;
    sadb::EncryptionAlgorithm encryption;
    std::optional<sadb::AuthenticationAlgorithm> authentication;
    const char* wireshark_encryption;
    const char* wireshark_authentication;
};

}  // namespace

TEST_CASE("tshark decrypts and authenticates the SADB's AES-GCM and AES-CBC/SHA-2 ESP with the exported table",
          "[tools][wireshark][tshark][gcm]") {
    if (std::system("command -v tshark >/dev/null 2>&1") != 0) {
        WARN("tshark not installed: skipped");
        return;
    }
    const Case cases[] = {
        {"aes-128-gcm", sadb::EncryptionAlgorithm::Aes128Gcm16, std::nullopt, "AES-GCM with 16 octet ICV [RFC4106]",
         "NULL"},
        {"aes-256-gcm", sadb::EncryptionAlgorithm::Aes256Gcm16, std::nullopt, "AES-GCM with 16 octet ICV [RFC4106]",
         "NULL"},
        {"aes-128-cbc/hmac-sha-256-128", sadb::EncryptionAlgorithm::Aes128Cbc,
         sadb::AuthenticationAlgorithm::HmacSha256_128, "AES-CBC [RFC3602]", "HMAC-SHA-256-128 [RFC4868]"},
        {"aes-256-cbc/hmac-sha-384", sadb::EncryptionAlgorithm::Aes256Cbc,
         sadb::AuthenticationAlgorithm::HmacSha384_192, "AES-CBC [RFC3602]", "HMAC-SHA-384-192 [RFC4868]"},
        {"aes-192-cbc/hmac-sha-512", sadb::EncryptionAlgorithm::Aes192Cbc,
         sadb::AuthenticationAlgorithm::HmacSha512_256, "AES-CBC [RFC3602]", "HMAC-SHA-512-256 [RFC4868]"},
    };
    const auto work = std::filesystem::temp_directory_path() / ("picsec-tshark-gcm-" + std::to_string(getpid()));
    std::filesystem::remove_all(work);
    std::filesystem::create_directories(work);
    std::uint32_t spi = 0x5000;
    for (const auto& c : cases) {
        CAPTURE(c.name);
        for (const auto mode : {sadb::Mode::Tunnel, sadb::Mode::Transport}) {
            CAPTURE(sadb::to_string(mode));
            sadb::SaSpec spec;
            spec.name = c.name;
            spec.spi = ++spi;
            spec.protocol = sadb::Protocol::Esp;
            spec.direction = sadb::Direction::Outbound;
            spec.mode = mode;
            spec.encryption = c.encryption;
            spec.encryption_key = key_bytes(sadb::info(c.encryption).key_bytes, 0x21);
            spec.authentication = c.authentication;
            if (c.authentication) spec.authentication_key = key_bytes(sadb::info(*c.authentication).key_bytes, 0x63);
            spec.local_address = k_a;
            spec.peer_address = k_b;

            // The table's addresses are the outer header's: the tunnel's ends,
            // or in transport mode the hosts' own.
            const bool tunnel = mode == sadb::Mode::Tunnel;
            const auto records = esp_sa_records(
                spec, tunnel ? EspEndpoints{k_a, true, k_b, true} : EspEndpoints{k_host1, true, k_host2, true});
            REQUIRE(records.size() == 1);
            CHECK(records[0].encryption == c.wireshark_encryption);
            CHECK(records[0].authentication == c.wireshark_authentication);
            const auto dir = work / ("ws-" + std::to_string(spec.spi));
            REQUIRE(write_wireshark_config(dir, records).empty());

            sadb::Sadb db;
            auto id = db.add(spec);
            REQUIRE(id);
            CounterRng rng;
            PcapFile capture;
            capture.link_type = k_link_raw;
            std::vector<std::vector<std::uint8_t>> originals;
            for (std::uint16_t i = 0; i < 5; ++i) {
                originals.push_back(udp_packet(10 + 37 * i, static_cast<std::uint16_t>(0x300 + i)));
                auto wire = db.protect(*id, originals.back(), rng);
                REQUIRE(wire);
                PcapPacket p;
                p.ts_sec = 1000 + i;
                p.ip = *wire;
                capture.packets.push_back(p);
            }
            const auto file = work / ("esp-" + std::to_string(spec.spi) + ".pcap");
            REQUIRE(write_pcap(file, capture).empty());

            const std::string out =
                run("WIRESHARK_CONFIG_DIR='" + dir.string() + "' tshark -n -r '" + file.string() +
                    "' -T fields -E separator=, -e esp.spi -e esp.icv_good -e esp.protocol -e esp.contained_data "
                    "2>/dev/null");
            const auto lines = split(out, '\n');
            REQUIRE(lines.size() == 5);
            for (std::size_t i = 0; i < lines.size(); ++i) {
                CAPTURE(i, lines[i]);
                const auto fields = split(lines[i], ',');
                REQUIRE(fields.size() == 4);
                char spi_text[16];
                std::snprintf(spi_text, sizeof spi_text, "0x%08x", spec.spi);
                CHECK(fields[0] == spi_text);
                CHECK(fields[1] == "1");  // tshark verified the ICV (the GCM tag, or the HMAC)
                CHECK(fields[2] == (tunnel ? "0x04" : "0x11"));
                // The decrypted data: the inner packet (tunnel) or the UDP datagram (transport).
                const auto& o = originals[i];
                const std::vector<std::uint8_t> want(o.begin() + (tunnel ? 0 : 20), o.end());
                CHECK(fields[3] == Botan::hex_encode(want, false));
            }

            // The check can fail: one flipped ciphertext bit makes tshark report the ICV wrong.
            capture.packets[2].ip[40] ^= 0x01;
            REQUIRE(write_pcap(file, capture).empty());
            const std::string bad = run("WIRESHARK_CONFIG_DIR='" + dir.string() + "' tshark -n -r '" +
                                        file.string() + "' -T fields -e esp.icv_good 2>/dev/null");
            CHECK(bad == "1\n1\n0\n1\n1\n");
        }
    }
    std::filesystem::remove_all(work);
}
