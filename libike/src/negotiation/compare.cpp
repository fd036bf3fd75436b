// Internal: transform comparison and value rendering for mismatch reports.
#include "compare.h"

#include "picsec/ike/crypto/algorithms.h"
#include "picsec/sadb/algorithms.h"

#include <algorithm>

namespace picsec::ike::negotiation::detail {
namespace {

std::string unknown(std::uint16_t v) { return "unknown(" + std::to_string(v) + ")"; }

std::string optional_number(const std::optional<std::uint16_t>& v) {
    return v ? std::to_string(*v) : std::string("none");
}

// Phase 1 Encryption Algorithm with its Key Length: the config keyword when
// the pair is one we know, the cipher family otherwise.
std::string ike_encryption_name(std::uint16_t value, const std::optional<std::uint16_t>& key_length) {
    if (auto e = crypto::ike_encryption_from_attribute(value, key_length.value_or(0)))
        return std::string(sadb::info(*e).keyword);
    for (const auto& row : crypto::encryption_algorithms())
        if (row.ike_attribute == value)
            return row.key_length_bits != 0 ? "aes-cbc" : std::string(sadb::info(row.id).keyword);
    return unknown(value);
}

std::string ike_hash_name(std::uint16_t value) {
    auto h = crypto::hash_from_attribute(value);
    return h ? std::string(crypto::info(*h).keyword) : unknown(value);
}

std::string auth_method_name(std::uint16_t value) {
    auto m = crypto::auth_method_from_attribute(value);
    return m ? std::string(crypto::info(*m).keyword) : unknown(value);
}

std::string group_name(const std::optional<std::uint16_t>& value) {
    if (!value) return "none";
    auto g = crypto::dh_group_from_attribute(*value);
    return g ? std::string(crypto::info(*g).keyword) : unknown(*value);
}

// ESP transform id (RFC 2407 4.4.4) with its Key Length.
std::string esp_name(std::uint8_t id, const std::optional<std::uint16_t>& key_length) {
    if (id == k_esp_null) return "null";
    for (const auto& row : sadb::encryption_algorithms())
        if (row.esp_transform_id == id && row.key_length_bits == key_length.value_or(0))
            return std::string(row.keyword);
    for (const auto& row : sadb::encryption_algorithms())
        if (row.esp_transform_id == id) return row.key_length_bits != 0 ? "aes-cbc" : std::string(row.keyword);
    return unknown(id);
}

// AH transform id (RFC 2407 4.4.3).
std::string ah_name(std::uint8_t id) {
    for (const auto& row : sadb::authentication_algorithms())
        if (row.ah_transform_id == id) return std::string(row.keyword);
    return unknown(id);
}

// Authentication Algorithm attribute (RFC 2407 4.5).
std::string auth_attribute_name(const std::optional<std::uint16_t>& v) {
    if (!v) return "none";
    for (const auto& row : sadb::authentication_algorithms())
        if (row.ipsec_auth_attribute == *v) return std::string(row.keyword);
    return unknown(*v);
}

std::string encapsulation_name(const std::optional<std::uint16_t>& v) {
    if (!v) return "none";
    switch (*v) {
        case encapsulation::Tunnel: return "tunnel";
        case encapsulation::Transport: return "transport";
        case encapsulation::UdpTunnel: return "udp-tunnel";
        case encapsulation::UdpTransport: return "udp-transport";
        default: return unknown(*v);  // a raw wire value, not an enum
    }
}

// An attribute type the peer sent that we never send; such a transform
// cannot match (RFC 2408 4.2: all attributes must be acceptable).
std::optional<Difference> other_attributes(int rank, const std::vector<std::uint16_t>& theirs,
                                           const std::vector<std::uint16_t>& ours) {
    for (auto type : theirs)
        if (std::find(ours.begin(), ours.end(), type) == ours.end())
            return Difference{rank, "attribute " + std::to_string(type), "present", "none"};
    return std::nullopt;
}

}  // namespace

std::optional<Difference> compare_phase1(const Phase1Transform& t, const Phase1Transform& o) {
    if (t.encryption != o.encryption)
        return Difference{0, "encryption-algorithm", ike_encryption_name(t.encryption, t.key_length),
                          ike_encryption_name(o.encryption, o.key_length)};
    if (t.key_length != o.key_length)
        return Difference{1, "key-length", optional_number(t.key_length), optional_number(o.key_length)};
    if (t.hash != o.hash)
        return Difference{2, "authentication-algorithm", ike_hash_name(t.hash), ike_hash_name(o.hash)};
    if (t.auth_method != o.auth_method)
        return Difference{3, "authentication-method", auth_method_name(t.auth_method),
                          auth_method_name(o.auth_method)};
    if (t.group != o.group) return Difference{4, "dh-group", group_name(t.group), group_name(o.group)};
    return other_attributes(5, t.other_attributes, o.other_attributes);
}

std::optional<Difference> compare_ipsec(std::uint8_t protocol, const IpsecTransform& t, const IpsecTransform& o) {
    if (t.transform_id != o.transform_id) {
        if (protocol == protocol_id::Ah)
            return Difference{0, "authentication-algorithm", ah_name(t.transform_id), ah_name(o.transform_id)};
        if (protocol == protocol_id::Esp)
            return Difference{0, "encryption-algorithm", esp_name(t.transform_id, t.key_length),
                              esp_name(o.transform_id, o.key_length)};
        return Difference{0, "transform-id", std::to_string(t.transform_id), std::to_string(o.transform_id)};
    }
    if (t.key_length != o.key_length)
        return Difference{1, "key-length", optional_number(t.key_length), optional_number(o.key_length)};
    if (t.authentication != o.authentication)
        return Difference{2, "authentication-algorithm", auth_attribute_name(t.authentication),
                          auth_attribute_name(o.authentication)};
    if (t.encapsulation != o.encapsulation)
        return Difference{3, "encapsulation-mode", encapsulation_name(t.encapsulation),
                          encapsulation_name(o.encapsulation)};
    if (t.group != o.group) return Difference{4, "pfs-group", group_name(t.group), group_name(o.group)};
    // RFC 4304 2: attribute 11 value 1 asks for ESN; absent means 32-bit numbers.
    if (t.esn != o.esn)
        return Difference{5, "extended-sequence-number", t.esn ? std::to_string(*t.esn) : "none",
                          o.esn ? std::to_string(*o.esn) : "none"};
    return other_attributes(6, t.other_attributes, o.other_attributes);
}

std::string protocol_name(std::uint8_t protocol) {
    switch (protocol) {
        case protocol_id::Isakmp: return "isakmp";
        case protocol_id::Ah: return "ah";
        case protocol_id::Esp: return "esp";
        case protocol_id::Ipcomp: return "ipcomp";
        default: return unknown(protocol);  // a raw wire value, not an enum
    }
}

std::string protocol_set_name(const std::vector<std::uint8_t>& protocols) {
    const auto has = [&](std::uint8_t p) { return std::find(protocols.begin(), protocols.end(), p) != protocols.end(); };
    if (protocols.size() == 2 && has(protocol_id::Ah) && has(protocol_id::Esp)) return "bundle";
    if (protocols.empty()) return "none";
    std::string s;
    for (auto p : protocols) s += (s.empty() ? "" : "+") + protocol_name(p);
    return s;
}

std::optional<std::uint64_t> shorter(std::optional<std::uint64_t> a, std::optional<std::uint64_t> b) {
    if (!a) return b;
    if (!b) return a;
    return std::min(*a, *b);
}

}  // namespace picsec::ike::negotiation::detail
