// JUNOS-style `show ipsec security-associations` text and JSON.
#include "show_ipsec.h"

#include <cstdio>
#include <string_view>
#include <vector>

#include "json.h"

namespace picsec::tools {

namespace {

/// One printed row: an SA state seen in one direction.
struct Row {
    const sadb::SaState* sa;
    sadb::Direction direction;  ///< Inbound or Outbound
};

struct Group {
    std::string name;
    std::vector<Row> rows;
};

std::vector<Group> group(std::span<const sadb::SaState> sas) {
    std::vector<Group> groups;
    for (const auto& s : sas) {
        Group* g = nullptr;
        for (auto& existing : groups) {
            if (existing.name == s.spec.name) g = &existing;
        }
        if (g == nullptr) {
            groups.push_back(Group{s.spec.name, {}});
            g = &groups.back();
        }
        switch (s.spec.direction) {
            case sadb::Direction::Inbound:
            case sadb::Direction::Outbound: g->rows.push_back(Row{&s, s.spec.direction}); break;
            case sadb::Direction::Bidirectional:
                g->rows.push_back(Row{&s, sadb::Direction::Inbound});
                g->rows.push_back(Row{&s, sadb::Direction::Outbound});
                break;
        }
    }
    return groups;
}

std::string address(std::uint32_t a) {
    if (a == 0) return "none";
    return std::to_string(a >> 24) + "." + std::to_string((a >> 16) & 0xff) + "." + std::to_string((a >> 8) & 0xff) +
           "." + std::to_string(a & 0xff);
}

// RFC 3948 ESP in UDP, with the NAT-OA addresses (RFC 3947 5.2) when known.
std::string udp_encapsulation_text(const sadb::UdpEncapsulation& u) {
    std::string t = "UDP encapsulation: ports " + std::to_string(u.source_port) + " -> " +
                    std::to_string(u.destination_port);
    if (u.peer_original_address) t += ", peer's original address " + address(*u.peer_original_address);
    if (u.local_original_address) t += ", our address as the peer sees it " + address(*u.local_original_address);
    return t;
}

std::string protocol_text(sadb::Protocol p) {
    switch (p) {
        case sadb::Protocol::Ah: return "AH";
        case sadb::Protocol::Esp: return "ESP";
        case sadb::Protocol::Bundle: return "AH+ESP";
    }
    return {};
}

std::string direction_text(sadb::Direction d) { return std::string(sadb::to_string(d)); }

std::string state_text(const sadb::SaState& s) {
    if (s.lifetime.hard_expired) return "Expired";
    if (s.lifetime.soft_expired) return "Soft-expired";
    return "Installed";
}

std::string encryption_text(const sadb::SaSpec& s) {
    return s.encryption ? std::string(sadb::info(*s.encryption).keyword) : "none";
}

std::string authentication_text(const sadb::SaSpec& s) {
    // An AEAD (AES-GCM) authenticates with its own 16-byte ICV (RFC 4106).
    if (!s.authentication && s.encryption && sadb::info(*s.encryption).aead())
        return std::string(sadb::info(*s.encryption).keyword) + " (AEAD)";
    return s.authentication ? std::string(sadb::info(*s.authentication).keyword) : "none";
}

/// Seconds left of a lifetime of `seconds` from `installed_at`, at `now`.
std::uint64_t seconds_left(std::uint64_t installed_at, std::uint64_t seconds, std::uint64_t now) {
    const std::uint64_t end = installed_at + seconds;
    return now >= end ? 0 : end - now;
}

// JUNOS: "Expires in 27844 seconds" counting down, "Expired" once past; a
// volume limit is added in bytes. A dynamic SA without a soft lifetime is
// one this side does not rekey (the initiator does).
std::string lifetime_text(std::uint64_t seconds, std::uint64_t bytes, bool expired, std::uint64_t installed_at,
                          std::uint64_t now, bool dynamic) {
    if (expired) return "Expired";
    if (seconds == 0 && bytes == 0) return dynamic ? "none (the peer rekeys)" : "unlimited";
    std::string t;
    if (seconds != 0) t = "Expires in " + std::to_string(seconds_left(installed_at, seconds, now)) + " seconds";
    if (bytes != 0) t += (t.empty() ? "" : ", ") + std::to_string(bytes) + " bytes";
    return t;
}

/// The leg whose sequence numbers and window belong to the row: the
/// outermost header (AH of a bundle, else the SA's only leg).
const sadb::LegState& leg(const sadb::SaState& s) { return s.primary; }

/// A table cell of `width` characters: the text, then spaces. A text as wide
/// as the cell or wider still gets one space, so columns never run together.
std::string pad(std::string s, std::size_t width) {
    s.append(s.size() < width ? width - s.size() : 1, ' ');
    return s;
}

// Column widths of the standard/brief table. JUNOS prints SPIs in decimal, and
// a 32-bit SPI (RFC 4303 2.1) has up to 10 digits (4294967295), so SPI and
// AUX-SPI are 10 digits plus a separating space.
constexpr std::size_t direction_width = 11;
constexpr std::size_t spi_width = 11;
constexpr std::size_t mode_width = 11;
constexpr std::size_t type_width = 9;

void table(std::string& out, const Group& g) {
    out += "  " + pad("Direction", direction_width) + pad("SPI", spi_width) + pad("AUX-SPI", spi_width) +
           pad("Mode", mode_width) + pad("Type", type_width) + "Protocol\n";
    for (const auto& r : g.rows) {
        const auto& spec = r.sa->spec;
        out += "  " + pad(direction_text(r.direction), direction_width) + pad(std::to_string(spec.spi), spi_width) +
               pad(std::to_string(spec.auxiliary_spi), spi_width) +
               pad(std::string(sadb::to_string(spec.mode)), mode_width) +
               pad(spec.dynamic ? "dynamic" : "manual", type_width) + protocol_text(spec.protocol) + "\n";
    }
}

void detail_row(std::string& out, const Row& r, std::uint64_t now) {
    const auto& s = *r.sa;
    const auto& spec = s.spec;
    const bool inbound = r.direction == sadb::Direction::Inbound;
    out += "    Direction: " + direction_text(r.direction) + ", SPI: " + std::to_string(spec.spi) +
           ", AUX-SPI: " + std::to_string(spec.auxiliary_spi) + "\n";
    out += "    Mode: " + std::string(sadb::to_string(spec.mode)) + ", Type: " + (spec.dynamic ? "dynamic" : "manual") +
           ", State: " + state_text(s) + "\n";
    out += "    Protocol: " + protocol_text(spec.protocol) + ", Authentication: " + authentication_text(spec) +
           ", Encryption: " + encryption_text(spec) + "\n";
    if (spec.udp_encapsulation) out += "    " + udp_encapsulation_text(*spec.udp_encapsulation) + "\n";
    // RFC 4304: 64-bit sequence numbers, the high half carried in the ICV only.
    out += std::string("    Extended sequence numbers: ") + (spec.extended_sequence_numbers ? "Enabled" : "Disabled") +
           "\n";
    out += "    Soft lifetime: " +
           lifetime_text(spec.lifetime.soft_seconds, spec.lifetime.soft_bytes, s.lifetime.soft_expired,
                         s.lifetime.installed_at, now, spec.dynamic) + "\n";
    out += "    Hard lifetime: " +
           lifetime_text(spec.lifetime.hard_seconds, spec.lifetime.hard_bytes, s.lifetime.hard_expired,
                         s.lifetime.installed_at, now, false) + "\n";
    if (inbound) {
        if (spec.replay_window == 0) {
            out += "    Anti-replay service: Disabled\n";
        } else {
            out += "    Anti-replay service: Enabled, Replay window size: " + std::to_string(spec.replay_window) +
                   ", Highest sequence number: " + std::to_string(leg(s).window.highest()) + "\n";
        }
        out += "    Packets: " + std::to_string(s.counters.inbound_packets) +
               ", Bytes: " + std::to_string(s.counters.inbound_bytes) + "\n";
        out += "    Replay drops: " + std::to_string(s.counters.replay_drops) +
               ", Authentication failures: " + std::to_string(s.counters.auth_failures) +
               ", Padding errors: " + std::to_string(s.counters.padding_errors) +
               ", Malformed: " + std::to_string(s.counters.malformed_drops) + "\n";
    } else {
        out += "    Last sequence number sent: " + std::to_string(leg(s).last_sequence_sent) + "\n";
        // RFC 4303 3.3.3 / RFC 4106 3.1: packets refused at 2^32 - 1; the SA needs a rekey.
        if (s.counters.sequence_overflows != 0)
            out += "    Sequence number exhausted: " + std::to_string(s.counters.sequence_overflows) +
                   " packets refused, the SA must be rekeyed\n";
        out += "    Packets: " + std::to_string(s.counters.outbound_packets) +
               ", Bytes: " + std::to_string(s.counters.outbound_bytes) + "\n";
    }
}

}  // namespace

std::string format_ipsec_sas(std::span<const sadb::SaState> sas, ShowLevel level, std::uint64_t now) {
    std::string out;
    if (sas.empty()) return "No IPsec security associations\n";
    bool first = true;
    for (const auto& g : group(sas)) {
        if (!first) out += "\n";
        first = false;
        out += "Security association: " + g.name + "\n";
        switch (level) {
            case ShowLevel::Brief:
            case ShowLevel::Standard: table(out, g); break;
            case ShowLevel::Detail: {
                const auto& spec = g.rows.front().sa->spec;
                out += "  Local gateway: " + address(spec.local_address) +
                       ", Remote gateway: " + address(spec.peer_address) + "\n";
                bool first_row = true;
                for (const auto& r : g.rows) {
                    if (!first_row) out += "\n";
                    first_row = false;
                    detail_row(out, r, now);
                }
                break;
            }
        }
    }
    return out;
}

std::string ipsec_sas_json(std::span<const sadb::SaState> sas, std::uint64_t now) {
    JsonWriter j;
    j.begin_object().key("security-associations").begin_array();
    for (const auto& g : group(sas)) {
        const auto& first = g.rows.front().sa->spec;
        j.begin_object().field("name", g.name);
        j.field("local-gateway", first.local_address == 0 ? std::string() : address(first.local_address));
        j.field("remote-gateway", first.peer_address == 0 ? std::string() : address(first.peer_address));
        j.key("directions").begin_array();
        for (const auto& r : g.rows) {
            const auto& s = *r.sa;
            const auto& spec = s.spec;
            const bool inbound = r.direction == sadb::Direction::Inbound;
            j.begin_object()
                .field("direction", direction_text(r.direction))
                .field("spi", spec.spi)
                .field("aux-spi", spec.auxiliary_spi)
                .field("mode", std::string(sadb::to_string(spec.mode)))
                .field("type", spec.dynamic ? "dynamic" : "manual")
                .field("state", state_text(s))
                .field("protocol", protocol_text(spec.protocol))
                .field("authentication", authentication_text(spec))
                .field("encryption", encryption_text(spec))
                .field("replay-window", spec.replay_window)
                .field("extended-sequence-numbers", spec.extended_sequence_numbers);
            if (const auto& u = spec.udp_encapsulation) {
                j.key("udp-encapsulation")
                    .begin_object()
                    .field("source-port", u->source_port)
                    .field("destination-port", u->destination_port)
                    .field("peer-original-address", u->peer_original_address ? address(*u->peer_original_address) : "")
                    .field("local-original-address", u->local_original_address ? address(*u->local_original_address) : "")
                    .end_object();
            }
            j.key("lifetime")
                .begin_object()
                .field("soft-seconds", spec.lifetime.soft_seconds)
                .field("hard-seconds", spec.lifetime.hard_seconds)
                .field("soft-bytes", spec.lifetime.soft_bytes)
                .field("hard-bytes", spec.lifetime.hard_bytes)
                .field("soft-seconds-left", spec.lifetime.soft_seconds
                                                ? seconds_left(s.lifetime.installed_at, spec.lifetime.soft_seconds, now)
                                                : 0)
                .field("hard-seconds-left", spec.lifetime.hard_seconds
                                                ? seconds_left(s.lifetime.installed_at, spec.lifetime.hard_seconds, now)
                                                : 0)
                .end_object();
            if (inbound) {
                j.field("packets", s.counters.inbound_packets)
                    .field("bytes", s.counters.inbound_bytes)
                    .field("highest-sequence", leg(s).window.highest())
                    .field("replay-drops", s.counters.replay_drops)
                    .field("authentication-failures", s.counters.auth_failures)
                    .field("padding-errors", s.counters.padding_errors)
                    .field("malformed-drops", s.counters.malformed_drops);
            } else {
                j.field("packets", s.counters.outbound_packets)
                    .field("bytes", s.counters.outbound_bytes)
                    .field("last-sequence-sent", leg(s).last_sequence_sent)
                    .field("sequence-overflows", s.counters.sequence_overflows);
            }
            j.end_object();
        }
        j.end_array().end_object();
    }
    j.end_array().end_object();
    return j.str() + "\n";
}

}  // namespace picsec::tools
