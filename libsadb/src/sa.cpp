// Consistency checks for an SaSpec; see sa.h.
#include "picsec/sadb/sa.h"

#include <string>

#include "picsec/sadb/replay_window.h"

namespace picsec::sadb {
namespace {

std::string check_key(std::string_view field, std::size_t got, std::size_t need, std::string_view keyword) {
    if (got == need) return {};
    return std::string(field) + ": wrong length for " + std::string(keyword) + " (got " + std::to_string(got) +
           " bytes, need " + std::to_string(need) + ")";
}

}  // namespace

std::string validate(const SaSpec& spec) {
    // RFC 4303 2.1 / RFC 4302 2.4: SPI 0 is reserved for local use and 1..255 by IANA.
    if (spec.spi < 256) return "spi: reserved value (got " + std::to_string(spec.spi) + ", need >= 256)";
    const bool bundle = spec.protocol == Protocol::Bundle;
    if (bundle && spec.auxiliary_spi < 256)
        return "auxiliary-spi: a bundle needs the ESP SPI (got " + std::to_string(spec.auxiliary_spi) +
               ", need >= 256)";
    if (!bundle && spec.auxiliary_spi != 0)
        return "auxiliary-spi: only a bundle has one (got " + std::to_string(spec.auxiliary_spi) + " with protocol " +
               std::string(to_string(spec.protocol)) + ")";

    switch (spec.protocol) {
        case Protocol::Ah:
            if (spec.encryption) return "encryption: AH does not encrypt (protocol ah with an encryption algorithm)";
            if (!spec.authentication) return "authentication: protocol ah needs an authentication algorithm";
            break;
        case Protocol::Esp:
            if (!spec.encryption && !spec.authentication)
                return "esp: needs an encryption or an authentication algorithm (got neither)";
            break;
        case Protocol::Bundle:
            if (!spec.authentication) return "authentication: a bundle's AH needs an authentication algorithm";
            if (!spec.encryption) return "encryption: a bundle's ESP needs an encryption algorithm";
            break;
    }
    if (spec.encryption && info(*spec.encryption).aead()) {
        const auto& row = info(*spec.encryption);
        if (spec.authentication && spec.protocol == Protocol::Esp)
            return "authentication: " + std::string(row.keyword) +
                   " is an AEAD and authenticates by itself (RFC 4106), no authentication algorithm may be added (got " +
                   std::string(info(*spec.authentication).keyword) + ")";
        // RFC 4106 3.1: the IV is the sequence number; one key used by both
        // ends of a bidirectional SA would encrypt two packets under one nonce.
        if (spec.direction == Direction::Bidirectional)
            return "direction: " + std::string(row.keyword) +
                   " needs one key per direction (its nonce comes from the sequence number, RFC 4106 3.1; got "
                   "bidirectional)";
    }
    if (spec.encryption) {
        const auto& row = info(*spec.encryption);
        if (auto e = check_key("encryption key", spec.encryption_key.size(), row.key_bytes, row.keyword); !e.empty())
            return e;
    } else if (!spec.encryption_key.empty()) {
        return "encryption key: given without an encryption algorithm";
    }
    if (spec.authentication) {
        const auto& row = info(*spec.authentication);
        if (auto e = check_key("authentication key", spec.authentication_key.size(), row.key_bytes, row.keyword);
            !e.empty())
            return e;
    } else if (!spec.authentication_key.empty()) {
        return "authentication key: given without an authentication algorithm";
    }

    if (!valid_replay_window(spec.replay_window))
        return "replay-window-size: (got " + std::to_string(spec.replay_window) + ", need 0, 32, or 64 to " +
               std::to_string(ReplayWindow::k_max_size) + ")";
    if (spec.extended_sequence_numbers) {
        if (spec.protocol == Protocol::Bundle)
            return "extended-sequence-numbers: not for a bundle (got protocol bundle, need esp or ah)";
        // RFC 4303 2.2.1: the high bits are only as trustworthy as the ICV
        // that covers them, and A2 infers them from the anti-replay window.
        if (!spec.authentication && !(spec.encryption && info(*spec.encryption).aead()))
            return "extended-sequence-numbers: need an ICV (got ESP without authentication)";
        if (spec.replay_window == 0)
            return "extended-sequence-numbers: need an anti-replay window (got replay-window-size 0, RFC 4303 A2)";
    }
    if (spec.mode == Mode::Tunnel && spec.direction != Direction::Inbound &&
        (spec.local_address == 0 || spec.peer_address == 0))
        return "tunnel: an outbound tunnel-mode SA needs local and peer addresses (got 0)";
    if (spec.udp_encapsulation) {
        if (spec.protocol != Protocol::Esp)
            return "udp-encapsulation: RFC 3948 encapsulates ESP only (got protocol " +
                   std::string(to_string(spec.protocol)) + ")";
        if (spec.udp_encapsulation->source_port == 0 || spec.udp_encapsulation->destination_port == 0)
            return "udp-encapsulation: port 0 (need 1..65535)";
    }
    const auto& l = spec.lifetime;
    if (l.soft_seconds != 0 && l.hard_seconds != 0 && l.soft_seconds > l.hard_seconds)
        return "lifetime: soft seconds after hard (got soft " + std::to_string(l.soft_seconds) + ", hard " +
               std::to_string(l.hard_seconds) + ")";
    if (l.soft_bytes != 0 && l.hard_bytes != 0 && l.soft_bytes > l.hard_bytes)
        return "lifetime: soft bytes after hard (got soft " + std::to_string(l.soft_bytes) + ", hard " +
               std::to_string(l.hard_bytes) + ")";
    return {};
}

}  // namespace picsec::sadb
