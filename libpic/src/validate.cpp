// PIC validation rules (see validate.h). Messages say what was found and
// what is needed, and never contain key material.
#include "picsec/pic/validate.h"

#include <string>

namespace picsec::pic {
namespace {

using sadb::AuthenticationAlgorithm;
using sadb::EncryptionAlgorithm;
using sadb::Mode;
using sadb::Protocol;

std::string key_text_message(std::string_view use, std::string_view keyword, std::size_t key_bytes,
                             std::size_t characters) {
    return std::string(use) + " key for " + std::string(keyword) + " has " + std::to_string(characters) +
           " characters, needs " + std::to_string(key_bytes) + " (ascii-text) or " + std::to_string(2 * key_bytes) +
           " (hexadecimal)";
}

template <typename List>
std::string keyword_list(const List& list) {
    std::string out;
    for (std::size_t i = 0; i < list.size(); ++i) {
        if (i > 0) out += (i + 1 == list.size()) ? " or " : ", ";
        out += std::string(algo::info(list[i]).keyword);
    }
    return out;
}

// Equality of two 8-byte DES parts, parity bits ignored (they do not enter
// the DES key schedule).
bool same_des_key(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) {
    for (std::size_t i = 0; i < 8; ++i)
        if ((a[i] & 0xFE) != (b[i] & 0xFE)) return false;
    return true;
}

Check check_des_part(std::string_view keyword, std::string_view part, std::span<const std::uint8_t> bytes) {
    std::span<const std::uint8_t, 8> key(bytes.data(), 8);
    switch (classify_des_key(key)) {
        case DesKeyClass::Normal: return std::nullopt;
        case DesKeyClass::Weak:
            return Error{"encryption key",
                         "encryption key for " + std::string(keyword) + std::string(part) +
                             " is a DES weak key (RFC 2409 Appendix A): encrypting twice with it gives back the "
                             "plaintext; choose another key"};
        case DesKeyClass::SemiWeak:
            return Error{"encryption key",
                         "encryption key for " + std::string(keyword) + std::string(part) +
                             " is a DES semi-weak key (RFC 2409 Appendix A): its pair key decrypts what it "
                             "encrypts; choose another key"};
    }
    return std::nullopt;
}

// AES-GCM is refused in manual SAs everywhere (RFC 4106 2); say why where a
// PIC has it for IKE-negotiated SAs.
std::string manual_gcm_note(EncryptionAlgorithm a, const PlatformModel& platform) {
    if (!sadb::info(a).aead() || !supports_ike(platform, a)) return "";
    return " (" + std::string(sadb::info(a).keyword) +
           " needs keys from IKE: RFC 4106 2 requires automated key management for AES-GCM)";
}

}  // namespace

std::string_view to_string(KeyEncoding e) {
    switch (e) {
        case KeyEncoding::AsciiText: return "ascii-text";
        case KeyEncoding::Hexadecimal: return "hexadecimal";
    }
    return "?";
}

Check check_spi(const PlatformModel& platform, std::uint64_t spi, SpiKind kind) {
    if (spi >= platform.spi_min && spi <= platform.spi_max) return std::nullopt;
    const std::string field = kind == SpiKind::Spi ? "spi" : "auxiliary-spi";
    return Error{field, field + " " + std::to_string(spi) + " is out of range, needs " +
                            std::to_string(platform.spi_min) + ".." + std::to_string(platform.spi_max)};
}

Check check_key_text(AuthenticationAlgorithm a, KeyEncoding encoding, std::size_t characters) {
    const auto& row = sadb::info(a);
    const std::size_t needed = encoding == KeyEncoding::AsciiText ? row.key_bytes : 2 * row.key_bytes;
    if (characters == needed) return std::nullopt;
    return Error{"authentication key", key_text_message("authentication", row.keyword, row.key_bytes, characters)};
}

Check check_key_text(EncryptionAlgorithm a, KeyEncoding encoding, std::size_t characters) {
    const auto& row = sadb::info(a);
    const std::size_t needed = encoding == KeyEncoding::AsciiText ? row.key_bytes : 2 * row.key_bytes;
    if (characters == needed) return std::nullopt;
    return Error{"encryption key", key_text_message("encryption", row.keyword, row.key_bytes, characters)};
}

Check check_key(EncryptionAlgorithm a, std::span<const std::uint8_t> key) {
    const auto& row = sadb::info(a);
    const std::string kw(row.keyword);
    if (key.size() != row.key_bytes)
        return Error{"encryption key", "encryption key for " + kw + " has " + std::to_string(key.size()) +
                                           " bytes, needs " + std::to_string(row.key_bytes)};
    switch (a) {
        case EncryptionAlgorithm::DesCbc: return check_des_part(kw, "", key);
        case EncryptionAlgorithm::TripleDesCbc: {
            auto k1 = key.subspan(0, 8), k2 = key.subspan(8, 8), k3 = key.subspan(16, 8);
            // EDE (RFC 2451 2.3): C = E_K3(D_K2(E_K1(P))). With K1 = K2 the
            // first two steps cancel, with K2 = K3 the last two do.
            if (same_des_key(k1, k2))
                return Error{"encryption key",
                             "encryption key for 3des-cbc has equal first and second 8-byte parts: in "
                             "encrypt-decrypt-encrypt the decryption with the second part undoes the encryption "
                             "with the first, so the key is single DES; use three different parts"};
            if (same_des_key(k2, k3))
                return Error{"encryption key",
                             "encryption key for 3des-cbc has equal second and third 8-byte parts: in "
                             "encrypt-decrypt-encrypt the final encryption with the third part undoes the "
                             "decryption with the second, so the key reduces to single DES under the first part. "
                             "Older vendor documentation recommended equal second and third parts; that advice is "
                             "wrong, use three different parts"};
            // RFC 2451 2.5: none of the three DES keys may be weak or semi-weak.
            if (auto e = check_des_part(kw, " (first 8-byte part)", k1)) return e;
            if (auto e = check_des_part(kw, " (second 8-byte part)", k2)) return e;
            return check_des_part(kw, " (third 8-byte part)", k3);
        }
        case EncryptionAlgorithm::Aes128Cbc:
        case EncryptionAlgorithm::Aes192Cbc:
        case EncryptionAlgorithm::Aes256Cbc:
        case EncryptionAlgorithm::Aes128Gcm16:
        case EncryptionAlgorithm::Aes256Gcm16: return std::nullopt;
    }
    return std::nullopt;
}

Check check_key(AuthenticationAlgorithm a, std::span<const std::uint8_t> key) {
    const auto& row = sadb::info(a);
    if (key.size() == row.key_bytes) return std::nullopt;
    return Error{"authentication key", "authentication key for " + std::string(row.keyword) + " has " +
                                           std::to_string(key.size()) + " bytes, needs " +
                                           std::to_string(row.key_bytes)};
}

Check check_protocol_on_platform(const PlatformModel& platform, Protocol protocol) {
    switch (protocol) {
        case Protocol::Esp: return std::nullopt;
        case Protocol::Ah:
        case Protocol::Bundle:
            if (platform.ah_supported) return std::nullopt;
            return Error{"protocol", "protocol " + std::string(sadb::to_string(protocol)) +
                                         " needs AH, which the ES PIC supports on m-series only (platform is " +
                                         std::string(platform.keyword) + "); use protocol esp"};
    }
    return std::nullopt;
}

Check check_mode_protocol(const PlatformModel& platform, Mode mode, Protocol protocol) {
    if (mode != Mode::Tunnel || !platform.tunnel_esp_only) return std::nullopt;
    switch (protocol) {
        case Protocol::Esp: return std::nullopt;
        case Protocol::Ah:
        case Protocol::Bundle:
            return Error{"mode", "tunnel mode carries ESP only, but protocol is " +
                                     std::string(sadb::to_string(protocol)) +
                                     "; use protocol esp or mode transport"};
    }
    return std::nullopt;
}

Check check_encryption_with_protocol(Protocol protocol, bool encryption_configured) {
    if (protocol != Protocol::Ah || !encryption_configured) return std::nullopt;
    return Error{"encryption",
                 "encryption is configured but protocol ah only authenticates; use protocol esp or bundle, or "
                 "remove encryption"};
}

Check check_auxiliary_spi_presence(Protocol protocol, bool auxiliary_spi_configured) {
    switch (protocol) {
        case Protocol::Bundle:
            if (auxiliary_spi_configured) return std::nullopt;
            return Error{"auxiliary-spi", "protocol bundle needs auxiliary-spi (the SPI of its ESP SA), none is configured"};
        case Protocol::Ah:
        case Protocol::Esp:
            if (!auxiliary_spi_configured) return std::nullopt;
            return Error{"auxiliary-spi", "auxiliary-spi is only used with protocol bundle, but protocol is " +
                                              std::string(sadb::to_string(protocol))};
    }
    return std::nullopt;
}

Check check_manual_algorithm(const PlatformModel& platform, EncryptionAlgorithm a) {
    if (supports_manual(platform, a)) return std::nullopt;
    return Error{"encryption algorithm", "encryption algorithm " + std::string(sadb::info(a).keyword) +
                                             " is not supported by " + std::string(platform.pic_label) +
                                             " for manual SAs, needs " + keyword_list(platform.manual_encryption) +
                                             manual_gcm_note(a, platform)};
}

Check check_manual_algorithm(const PlatformModel& platform, AuthenticationAlgorithm a) {
    if (supports_manual(platform, a)) return std::nullopt;
    return Error{"authentication algorithm", "authentication algorithm " + std::string(sadb::info(a).keyword) +
                                                 " is not supported by " + std::string(platform.pic_label) +
                                                 " for manual SAs, needs " +
                                                 keyword_list(platform.manual_authentication)};
}

Check check_ike_algorithm(const PlatformModel& platform, EncryptionAlgorithm a) {
    if (supports_ike(platform, a)) return std::nullopt;
    return Error{"encryption-algorithm", "encryption-algorithm " + std::string(sadb::info(a).keyword) +
                                             " is not supported by " + std::string(platform.pic_label) +
                                             " for IKE-negotiated SAs, needs " + keyword_list(platform.ike_encryption)};
}

Check check_ike_algorithm(const PlatformModel& platform, AuthenticationAlgorithm a) {
    if (supports_ike(platform, a)) return std::nullopt;
    return Error{"authentication-algorithm", "authentication-algorithm " + std::string(sadb::info(a).keyword) +
                                                 " is not supported by " + std::string(platform.pic_label) +
                                                 " for IKE-negotiated SAs, needs " +
                                                 keyword_list(platform.ike_authentication)};
}

Check check_ike_dh_group(const PlatformModel& platform, algo::DhGroup g, std::string_view statement) {
    if (supports_ike(platform, g)) return std::nullopt;
    return Error{std::string(statement), std::string(statement) + " " + std::string(algo::info(g).keyword) +
                                             " is not supported by " + std::string(platform.pic_label) +
                                             " for IKE, needs " + keyword_list(platform.dh_groups)};
}

Check check_replay_window(std::uint64_t packets) { return check_replay_window(default_model(), packets); }

Check check_replay_window(const PlatformModel& platform, std::uint64_t packets) {
    if (supports_replay_window(platform, packets)) return std::nullopt;
    std::string sizes;
    for (std::size_t i = 0; i < platform.replay_windows.size(); ++i) {
        if (i > 0) sizes += (i + 1 == platform.replay_windows.size()) ? " or " : ", ";
        sizes += std::to_string(platform.replay_windows[i]);
    }
    if (platform.replay_window_max != 0)
        sizes += (sizes.empty() ? "" : " or ") + std::string("64 to ") + std::to_string(platform.replay_window_max);
    return Error{"replay-window-size",
                 "replay-window-size " + std::to_string(packets) + " is not supported, needs " + sizes};
}

Check check_extended_sequence_numbers(const PlatformModel& platform, bool esn) {
    if (!esn || platform.extended_sequence_numbers) return std::nullopt;
    return Error{"extended-sequence-number", "extended-sequence-number is not supported by " +
                                                 std::string(platform.pic_label) +
                                                 " (32-bit sequence numbers only), needs a services PIC (ms-FPC/PIC/0)"};
}

Check check_dynamic_sa_count(std::string_view pic_name, std::size_t count, std::size_t limit) {
    if (count <= limit) return std::nullopt;
    return Error{"dynamic", std::string(pic_name) + " has " + std::to_string(count) +
                                " dynamic SAs, more than the " + std::to_string(limit) + " its PIC supports"};
}

}  // namespace picsec::pic
