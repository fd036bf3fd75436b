// Wireshark esp_sa UAT export for picsec's SAs.
#include "wireshark_export.h"

#include "secret_file.h"

#include <botan/hex.h>

#include <cstdio>
#include <fstream>
#include <system_error>

namespace picsec::tools {

std::string_view wireshark_name(sadb::EncryptionAlgorithm a) {
    switch (a) {
        case sadb::EncryptionAlgorithm::DesCbc: return "DES-CBC [RFC2405]";
        case sadb::EncryptionAlgorithm::TripleDesCbc: return "TripleDES-CBC [RFC2451]";
        // Wireshark derives the AES key size from the key's length.
        case sadb::EncryptionAlgorithm::Aes128Cbc:
        case sadb::EncryptionAlgorithm::Aes192Cbc:
        case sadb::EncryptionAlgorithm::Aes256Cbc: return "AES-CBC [RFC3602]";
        // packet-esp.c: the ICV length names the row, the key (with its
        // 4-byte salt) the AES key size; integrity is then "NULL".
        case sadb::EncryptionAlgorithm::Aes128Gcm16:
        case sadb::EncryptionAlgorithm::Aes256Gcm16: return "AES-GCM with 16 octet ICV [RFC4106]";
    }
    return "NULL";
}

std::string_view wireshark_name(sadb::AuthenticationAlgorithm a) {
    switch (a) {
        case sadb::AuthenticationAlgorithm::HmacMd5_96: return "HMAC-MD5-96 [RFC2403]";
        case sadb::AuthenticationAlgorithm::HmacSha1_96: return "HMAC-SHA-1-96 [RFC2404]";
        case sadb::AuthenticationAlgorithm::HmacSha256_128: return "HMAC-SHA-256-128 [RFC4868]";
        case sadb::AuthenticationAlgorithm::HmacSha384_192: return "HMAC-SHA-384-192 [RFC4868]";
        case sadb::AuthenticationAlgorithm::HmacSha512_256: return "HMAC-SHA-512-256 [RFC4868]";
    }
    return "NULL";
}

std::optional<std::string_view> wireshark_ikev2_name(sadb::EncryptionAlgorithm a) {
    switch (a) {
        case sadb::EncryptionAlgorithm::DesCbc: return std::nullopt;
        case sadb::EncryptionAlgorithm::TripleDesCbc: return "3DES [RFC2451]";
        // IKEv2's table names the AES key size (RFC 7296 3.3.5 Key Length).
        case sadb::EncryptionAlgorithm::Aes128Cbc: return "AES-CBC-128 [RFC3602]";
        case sadb::EncryptionAlgorithm::Aes192Cbc: return "AES-CBC-192 [RFC3602]";
        case sadb::EncryptionAlgorithm::Aes256Cbc: return "AES-CBC-256 [RFC3602]";
        // picsec's IKEv2 does not encrypt its IKE SA with AES-GCM.
        case sadb::EncryptionAlgorithm::Aes128Gcm16:
        case sadb::EncryptionAlgorithm::Aes256Gcm16: return std::nullopt;
    }
    return std::nullopt;
}

std::string_view wireshark_ikev2_name(sadb::AuthenticationAlgorithm a) {
    switch (a) {
        case sadb::AuthenticationAlgorithm::HmacMd5_96: return "HMAC_MD5_96 [RFC2403]";
        case sadb::AuthenticationAlgorithm::HmacSha1_96: return "HMAC_SHA1_96 [RFC2404]";
        case sadb::AuthenticationAlgorithm::HmacSha256_128: return "HMAC_SHA2_256_128 [RFC4868]";
        case sadb::AuthenticationAlgorithm::HmacSha384_192: return "HMAC_SHA2_384_192 [RFC4868]";
        case sadb::AuthenticationAlgorithm::HmacSha512_256: return "HMAC_SHA2_512_256 [RFC4868]";
    }
    return "NONE [RFC4306]";
}

std::string IkeV2KeyRecord::to_uat() const {
    auto q = [](const std::string& s) { return "\"" + s + "\""; };
    return spi_i + "," + spi_r + "," + sk_ei + "," + sk_er + "," + q(encryption) + "," + sk_ai + "," + sk_ar + "," +
           q(integrity);
}

namespace {

std::string address_text(std::uint32_t a, bool known) {
    if (!known) return "*";
    return std::to_string(a >> 24) + "." + std::to_string((a >> 16) & 0xff) + "." + std::to_string((a >> 8) & 0xff) +
           "." + std::to_string(a & 0xff);
}

std::string hex_key(const Botan::secure_vector<std::uint8_t>& key) {
    return "0x" + Botan::hex_encode(key.data(), key.size(), false);
}

}  // namespace

std::string EspSaRecord::to_uat() const {
    char spi_text[16];
    std::snprintf(spi_text, sizeof spi_text, "0x%08x", spi);
    auto q = [](const std::string& s) { return "\"" + s + "\""; };
    return q("IPv4") + "," + q(source) + "," + q(destination) + "," + q(spi_text) + "," + q(encryption) + "," +
           q(encryption_key) + "," + q(authentication) + "," + q(authentication_key);
}

std::vector<EspSaRecord> esp_sa_records(const sadb::SaSpec& spec, const EspEndpoints& ends) {
    EspSaRecord base;
    switch (spec.protocol) {
        case sadb::Protocol::Ah: return {};
        case sadb::Protocol::Esp:
            base.spi = spec.spi;
            if (spec.authentication) {
                base.authentication = std::string(wireshark_name(*spec.authentication));
                base.authentication_key = hex_key(spec.authentication_key);
            }
            break;
        case sadb::Protocol::Bundle:
            // RFC 4301 4.5: AH over ESP; the ESP SA under the auxiliary SPI
            // only encrypts, the AH SA authenticates the whole packet.
            base.spi = spec.auxiliary_spi;
            break;
    }
    if (base.authentication.empty()) base.authentication = "NULL";
    if (spec.encryption) {
        base.encryption = std::string(wireshark_name(*spec.encryption));
        base.encryption_key = hex_key(spec.encryption_key);
    } else {
        base.encryption = "NULL";
    }
    const std::string local = address_text(ends.local, ends.local_known);
    const std::string peer = address_text(ends.peer, ends.peer_known);
    EspSaRecord out = base;
    out.source = local;
    out.destination = peer;
    EspSaRecord in = base;
    in.source = peer;
    in.destination = local;
    switch (spec.direction) {
        case sadb::Direction::Outbound: return {out};
        case sadb::Direction::Inbound: return {in};
        case sadb::Direction::Bidirectional:
            if (local == peer) return {out};
            return {out, in};
    }
    return {};
}

std::string esp_sa_file(const std::vector<EspSaRecord>& records) {
    std::string lines;
    for (const auto& r : records) lines += r.to_uat() + "\n";
    return esp_sa_file(lines);
}

std::string esp_sa_file(std::string_view uat_lines) {
    return "# This file is automatically generated, DO NOT MODIFY.\n"
           "# picsec export wireshark: ESP SAs (protocol, src, dst, SPI, encryption, key, authentication, key)\n" +
           std::string(uat_lines);
}

// Both fields are UAT byte fields, which Wireshark writes as bare hex.
std::string IkeV1KeyRecord::to_uat() const { return initiator_cookie + "," + encryption_key; }

namespace {

// DIR/esp_sa (owner-only: it holds the SA keys), DIR/preferences and, when
// given, DIR/ikev1_decryption_table (owner-only too).
std::string write_config(const std::filesystem::path& dir, std::string_view esp_sa_text,
                         const std::vector<IkeV1KeyRecord>* ike, std::string_view ikev2_lines = {}) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return dir.string() + ": cannot create directory (" + ec.message() + ")";
    if (auto e = write_secret_file(dir / "esp_sa", esp_sa_text); !e.empty()) return e;
    const auto prefs = dir / "preferences";
    {
        std::ofstream p(prefs, std::ios::binary | std::ios::trunc);
        if (!p) return prefs.string() + ": cannot write";
        p << "# picsec export wireshark: decrypt ESP with esp_sa and check its ICVs\n"
             "esp.enable_encryption_decode: TRUE\n"
             "esp.enable_authentication_check: TRUE\n";
        if (!p) return prefs.string() + ": write failed";
    }
    if (!ike) return {};
    std::string text = "# picsec export wireshark: IKEv1 SAs (initiator cookie, encryption key)\n";
    for (const auto& r : *ike) text += r.to_uat() + "\n";
    if (auto e = write_secret_file(dir / "ikev1_decryption_table", text); !e.empty()) return e;
    return write_secret_file(dir / "ikev2_decryption_table",
                             "# picsec export wireshark: IKEv2 SAs (SPIi, SPIr, SK_ei, SK_er, encryption, SK_ai, "
                             "SK_ar, integrity)\n" +
                                 std::string(ikev2_lines));
}

}  // namespace

std::string write_wireshark_config(const std::filesystem::path& dir, const std::vector<EspSaRecord>& records,
                                   const std::vector<IkeV1KeyRecord>& ike) {
    return write_config(dir, esp_sa_file(records), &ike);
}

std::string write_wireshark_config(const std::filesystem::path& dir, const std::vector<EspSaRecord>& records) {
    return write_config(dir, esp_sa_file(records), nullptr);
}

std::string write_wireshark_config_lines(const std::filesystem::path& dir, std::string_view esp_sa_lines,
                                         const std::vector<IkeV1KeyRecord>& ike) {
    return write_config(dir, esp_sa_file(esp_sa_lines), &ike);
}

std::string write_wireshark_config_lines(const std::filesystem::path& dir, std::string_view esp_sa_lines,
                                         const std::vector<IkeV1KeyRecord>& ike, std::string_view ikev2_lines) {
    return write_config(dir, esp_sa_file(esp_sa_lines), &ike, ikev2_lines);
}

}  // namespace picsec::tools
