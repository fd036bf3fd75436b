// `show ipsec security-associations` table layout: every column starts at the
// same offset on every line, whatever the width of the decimal SPIs.
#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "show_ipsec.h"

using namespace picsec;
using namespace picsec::tools;

namespace {

sadb::SaState dynamic_sa(std::string name, sadb::Direction direction, std::uint32_t spi, std::uint32_t aux) {
    sadb::SaState s;
    s.spec.name = std::move(name);
    s.spec.spi = spi;
    s.spec.auxiliary_spi = aux;
    s.spec.protocol = sadb::Protocol::Esp;
    s.spec.direction = direction;
    s.spec.mode = sadb::Mode::Tunnel;
    s.spec.dynamic = true;
    return s;
}

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);) out.push_back(l);
    return out;
}

/// Start offsets of the whitespace-separated fields of a table line.
std::vector<std::size_t> field_starts(const std::string& line) {
    std::vector<std::size_t> starts;
    for (std::size_t i = 0; i < line.size(); ++i) {
        if (line[i] != ' ' && (i == 0 || line[i - 1] == ' ')) starts.push_back(i);
    }
    return starts;
}

/// Checks that the header and every row of the one SA's table have six fields
/// starting at the same offsets, and returns the row fields.
std::vector<std::vector<std::string>> aligned_rows(const std::string& text) {
    const auto ls = lines(text);
    REQUIRE(ls.size() >= 3);
    const auto header = field_starts(ls[1]);
    REQUIRE(header.size() == 6);  // Direction SPI AUX-SPI Mode Type Protocol
    std::vector<std::vector<std::string>> rows;
    for (std::size_t i = 2; i < ls.size(); ++i) {
        INFO("line: '" << ls[i] << "'");
        const auto starts = field_starts(ls[i]);
        CHECK(starts == header);
        std::vector<std::string> fields;
        std::istringstream in(ls[i]);
        for (std::string f; in >> f;) fields.push_back(f);
        rows.push_back(fields);
    }
    return rows;
}

}  // namespace

TEST_CASE("show keeps the AUX-SPI column apart from a 10-digit SPI", "[tools][show]") {
    const std::vector<sadb::SaState> sas{dynamic_sa("dyn", sadb::Direction::Inbound, 4294967295u, 0),
                                         dynamic_sa("dyn", sadb::Direction::Outbound, 4294967295u, 4294967295u)};
    for (const auto level : {ShowLevel::Standard, ShowLevel::Brief}) {
        const auto rows = aligned_rows(format_ipsec_sas(sas, level));
        REQUIRE(rows.size() == 2);
        CHECK(rows[0] == std::vector<std::string>{"inbound", "4294967295", "0", "tunnel", "dynamic", "ESP"});
        CHECK(rows[1] ==
              std::vector<std::string>{"outbound", "4294967295", "4294967295", "tunnel", "dynamic", "ESP"});
    }
}

TEST_CASE("show aligns small and large SPIs in the same columns", "[tools][show]") {
    const std::vector<sadb::SaState> sas{dynamic_sa("mixed", sadb::Direction::Inbound, 256, 0),
                                         dynamic_sa("mixed", sadb::Direction::Outbound, 3407411946u, 1),
                                         dynamic_sa("mixed", sadb::Direction::Bidirectional, 16639, 16638)};
    const auto rows = aligned_rows(format_ipsec_sas(sas, ShowLevel::Standard));
    REQUIRE(rows.size() == 4);  // the bidirectional SA shows an inbound and an outbound row
    CHECK(rows[0][1] == "256");
    CHECK(rows[0][2] == "0");
    CHECK(rows[1][1] == "3407411946");
    CHECK(rows[1][2] == "1");
    CHECK(rows[2][1] == "16639");
    CHECK(rows[3][2] == "16638");
}

TEST_CASE("show detail and --json name the UDP encapsulation and the peer's NAT-OA address", "[tools][show][natt]") {
    auto in = dynamic_sa("sa1", sadb::Direction::Inbound, 300, 0);
    in.spec.mode = sadb::Mode::Transport;
    in.spec.udp_encapsulation = sadb::UdpEncapsulation{4500, 4500, 0xc0a8010a, std::nullopt};  // 192.168.1.10
    auto plain = dynamic_sa("sa2", sadb::Direction::Inbound, 301, 0);
    const std::vector<sadb::SaState> sas{in, plain};

    const auto text = format_ipsec_sas(sas, ShowLevel::Detail);
    CHECK(text.find("    UDP encapsulation: ports 4500 -> 4500, peer's original address 192.168.1.10\n") !=
          std::string::npos);
    CHECK(text.find("our address as the peer sees it") == std::string::npos);
    // Only the encapsulated SA has the line.
    CHECK(text.find("UDP encapsulation") == text.rfind("UDP encapsulation"));

    const auto json = ipsec_sas_json(sas);
    CHECK(json.find("\"udp-encapsulation\":{\"source-port\":4500,\"destination-port\":4500,"
                    "\"peer-original-address\":\"192.168.1.10\",\"local-original-address\":\"\"}") !=
          std::string::npos);
    CHECK(json.find("udp-encapsulation") == json.rfind("udp-encapsulation"));
}

TEST_CASE("show detail names AES-GCM as its own authentication, the SHA-2 HMACs, and an exhausted SA",
          "[tools][show][gcm]") {
    auto gcm = dynamic_sa("gcm", sadb::Direction::Outbound, 400, 0);
    gcm.spec.encryption = sadb::EncryptionAlgorithm::Aes256Gcm16;
    gcm.primary.last_sequence_sent = 0xffffffffU;
    gcm.counters.sequence_overflows = 3;
    auto sha = dynamic_sa("sha", sadb::Direction::Inbound, 401, 0);
    sha.spec.encryption = sadb::EncryptionAlgorithm::Aes128Cbc;
    sha.spec.authentication = sadb::AuthenticationAlgorithm::HmacSha384_192;
    const std::vector<sadb::SaState> sas{gcm, sha};

    const auto text = format_ipsec_sas(sas, ShowLevel::Detail);
    CHECK(text.find("Authentication: aes-256-gcm (AEAD), Encryption: aes-256-gcm\n") != std::string::npos);
    CHECK(text.find("Authentication: hmac-sha-384, Encryption: aes-128-cbc\n") != std::string::npos);
    CHECK(text.find("    Last sequence number sent: 4294967295\n"
                    "    Sequence number exhausted: 3 packets refused, the SA must be rekeyed\n") != std::string::npos);
    const auto json = ipsec_sas_json(sas);
    CHECK(json.find("\"authentication\":\"aes-256-gcm (AEAD)\",\"encryption\":\"aes-256-gcm\"") != std::string::npos);
    CHECK(json.find("\"sequence-overflows\":3") != std::string::npos);
}

TEST_CASE("show detail says whether an SA has extended sequence numbers and its window size",
          "[tools][show][esn]") {
    auto esn = dynamic_sa("esn", sadb::Direction::Inbound, 500, 0);
    esn.spec.extended_sequence_numbers = true;
    esn.spec.replay_window = 4096;
    auto out = dynamic_sa("esn", sadb::Direction::Outbound, 501, 0);
    out.spec.extended_sequence_numbers = true;
    out.primary.last_sequence_sent = 0x100000005ULL;
    auto plain = dynamic_sa("plain", sadb::Direction::Inbound, 502, 0);
    const std::vector<sadb::SaState> sas{esn, out, plain};

    const auto text = format_ipsec_sas(sas, ShowLevel::Detail);
    CHECK(text.find("    Extended sequence numbers: Enabled\n") != std::string::npos);
    CHECK(text.find("    Extended sequence numbers: Disabled\n") != std::string::npos);
    CHECK(text.find("Replay window size: 4096,") != std::string::npos);
    CHECK(text.find("    Last sequence number sent: 4294967301\n") != std::string::npos);
    const auto json = ipsec_sas_json(sas);
    CHECK(json.find("\"replay-window\":4096,\"extended-sequence-numbers\":true") != std::string::npos);
    CHECK(json.find("\"extended-sequence-numbers\":false") != std::string::npos);
}
