// Wireshark key export: the ikev1/ikev2_decryption_table UAT tables for IKE
// and, for ESP, the `esp_sa` UAT table (Wireshark 4.0
// packet-ipsec.c record: protocol, source, destination, SPI, encryption
// algorithm, key, authentication algorithm, key) so Wireshark and tshark
// decrypt and authenticate picsec's ESP packets.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "picsec/sadb/algorithms.h"
#include "picsec/sadb/sa.h"

namespace picsec::tools {

/// Where a spec's packets go: the address the SA's local end uses and the
/// peer's, each either known or a wildcard.
struct EspEndpoints {
    std::uint32_t local = 0;
    bool local_known = false;
    std::uint32_t peer = 0;
    bool peer_known = false;
};

/// One esp_sa record. Addresses are dotted quads or "*" (any).
struct EspSaRecord {
    std::string source;
    std::string destination;
    std::uint32_t spi = 0;
    std::string encryption;      ///< Wireshark's name, e.g. "TripleDES-CBC [RFC2451]"
    std::string encryption_key;  ///< "0x..." or empty for NULL
    std::string authentication;  ///< e.g. "HMAC-SHA-1-96 [RFC2404]"
    std::string authentication_key;

    /// The UAT line: eight quoted, comma-separated fields.
    std::string to_uat() const;
};

/// Wireshark's names for picsec's algorithms (Wireshark 4.0 esp_sa values).
std::string_view wireshark_name(sadb::EncryptionAlgorithm a);
std::string_view wireshark_name(sadb::AuthenticationAlgorithm a);

/// The ESP records for one SA: nothing for AH; for a bundle the ESP part
/// under the auxiliary SPI (encryption only, authentication NULL, since the
/// AH carries the ICV). An Outbound spec gives local -> peer, Inbound
/// peer -> local, Bidirectional one record each way. Unknown addresses are
/// "*"; two identical records are written once.
std::vector<EspSaRecord> esp_sa_records(const sadb::SaSpec& spec, const EspEndpoints& endpoints);

/// The esp_sa file text (a comment line, then one record per line).
std::string esp_sa_file(const std::vector<EspSaRecord>& records);
/// The same around records already rendered as UAT lines (each ending in '\n').
std::string esp_sa_file(std::string_view uat_lines);

/// One ikev1_decryption_table record: an IKE SA's initiator cookie and its
/// phase-1 encryption key Ka, both in hex.
struct IkeV1KeyRecord {
    std::string initiator_cookie;
    std::string encryption_key;

    /// The UAT line: cookie,key (bare hex, as Wireshark writes byte fields).
    std::string to_uat() const;
};

/// Wireshark's names for an IKEv2 SA's ENCR and INTEG transforms (Wireshark
/// 4.0 packet-isakmp.c ikev2_decryption_table values, e.g. "AES-CBC-256
/// [RFC3602]", "HMAC_SHA2_256_128 [RFC4868]"). Wireshark has no IKEv2 DES.
std::optional<std::string_view> wireshark_ikev2_name(sadb::EncryptionAlgorithm a);
std::string_view wireshark_ikev2_name(sadb::AuthenticationAlgorithm a);

/// One ikev2_decryption_table record: an IKE SA's SPIs, its four SK keys
/// (RFC 7296 2.14) in hex, and Wireshark's names of its algorithms.
struct IkeV2KeyRecord {
    std::string spi_i, spi_r;
    std::string sk_ei, sk_er;
    std::string encryption;  ///< e.g. "AES-CBC-256 [RFC3602]"
    std::string sk_ai, sk_ar;
    std::string integrity;   ///< e.g. "HMAC_SHA2_256_128 [RFC4868]"

    /// The UAT line: SPIi,SPIr,SK_ei,SK_er,"ENCR",SK_ai,SK_ar,"INTEG" (byte
    /// fields bare hex, the two algorithm names quoted).
    std::string to_uat() const;
};

/// Writes DIR/esp_sa and DIR/preferences (ESP decryption and authentication
/// checking on) so `WIRESHARK_CONFIG_DIR=DIR tshark ...` decrypts. Creates
/// DIR; files holding keys are written with write_secret_file(), owner-only
/// from the first byte. Returns an error text, empty on success.
std::string write_wireshark_config(const std::filesystem::path& dir, const std::vector<EspSaRecord>& records);

/// As above, and DIR/ikev1_decryption_table for the IKE SAs (owner-only too).
std::string write_wireshark_config(const std::filesystem::path& dir, const std::vector<EspSaRecord>& records,
                                   const std::vector<IkeV1KeyRecord>& ike);

/// As above, with the ESP records already rendered as UAT lines (a running
/// daemon's `export wireshark` answer).
std::string write_wireshark_config_lines(const std::filesystem::path& dir, std::string_view esp_sa_lines,
                                         const std::vector<IkeV1KeyRecord>& ike);

/// As above, and DIR/ikev2_decryption_table from IKEv2 records already
/// rendered as UAT lines (each ending in '\n'), owner-only too.
std::string write_wireshark_config_lines(const std::filesystem::path& dir, std::string_view esp_sa_lines,
                                         const std::vector<IkeV1KeyRecord>& ike, std::string_view ikev2_lines);

}  // namespace picsec::tools
