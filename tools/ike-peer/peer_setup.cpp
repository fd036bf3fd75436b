// Parsing of ike-peer's proposal, endpoint and PSK options (see peer_setup.h).
#include "peer_setup.h"

#include "cli_args.h"

#include "picsec/ike/crypto/algorithms.h"

#include <sstream>

namespace picsec::tools::peer {
namespace {

std::vector<std::string> split(const std::string& text, char sep) {
    std::vector<std::string> out;
    std::string cur;
    std::istringstream in(text);
    while (std::getline(in, cur, sep))
        if (!cur.empty()) out.push_back(cur);
    return out;
}

bool parse_lifetime(const std::string& w, std::uint32_t& out) {
    try {
        std::size_t used = 0;
        const auto v = std::stoul(w, &used);
        if (used != w.size() || v == 0 || v > 86400 * 7) return false;
        out = static_cast<std::uint32_t>(v);
        return true;
    } catch (const std::exception&) {
        return false;
    }
}

}  // namespace

std::optional<std::vector<ike::negotiation::IkeProposal>> parse_ike_proposals(const std::string& text,
                                                                              std::string& error) {
    std::vector<ike::negotiation::IkeProposal> out;
    for (const auto& item : split(text, ',')) {
        const auto w = split(item, '/');
        if (w.size() < 3 || w.size() > 4) {
            error = "IKE proposal '" + item + "': want ENCRYPTION/HASH/GROUP[/LIFETIME]";
            return std::nullopt;
        }
        ike::negotiation::IkeProposal p;
        p.name = "p" + std::to_string(out.size() + 1);
        const auto enc = ike::crypto::encryption_from_keyword(w[0]);
        const auto hash = ike::crypto::hash_from_keyword(w[1]);
        const auto group = ike::crypto::dh_group_from_keyword(w[2]);
        if (!enc) return error = "unknown IKE encryption-algorithm '" + w[0] + "'", std::nullopt;
        if (!hash) return error = "unknown IKE authentication-algorithm '" + w[1] + "'", std::nullopt;
        if (!group) return error = "unknown dh-group '" + w[2] + "'", std::nullopt;
        p.encryption = *enc;
        p.hash = *hash;
        p.group = *group;
        p.auth_method = ike::negotiation::AuthMethod::PreSharedKeys;
        if (w.size() == 4 && !parse_lifetime(w[3], p.lifetime_seconds))
            return error = "bad IKE lifetime '" + w[3] + "'", std::nullopt;
        out.push_back(p);
    }
    if (out.empty()) return error = "no IKE proposal given", std::nullopt;
    return out;
}

std::optional<std::vector<ike::negotiation::IpsecProposal>> parse_ipsec_proposals(const std::string& text,
                                                                                  std::string& error) {
    std::vector<ike::negotiation::IpsecProposal> out;
    for (auto item : split(text, ',')) {
        ike::negotiation::IpsecProposal p;
        p.name = "q" + std::to_string(out.size() + 1);
        p.protocol = sadb::Protocol::Esp;
        if (auto colon = item.find(':'); colon != std::string::npos) {
            const auto proto = item.substr(0, colon);
            item = item.substr(colon + 1);
            if (proto == "esp") p.protocol = sadb::Protocol::Esp;
            else if (proto == "ah") p.protocol = sadb::Protocol::Ah;
            else if (proto == "bundle") p.protocol = sadb::Protocol::Bundle;
            else return error = "unknown IPsec protocol '" + proto + "' (esp, ah or bundle)", std::nullopt;
        }
        auto w = split(item, '/');
        if (!w.empty() && !parse_lifetime(w.back(), p.lifetime_seconds)) {
        } else if (!w.empty()) {
            w.pop_back();
        }
        for (const auto& word : w) {
            if (auto e = sadb::encryption_from_keyword(word); e && p.protocol != sadb::Protocol::Ah && !p.encryption)
                p.encryption = *e;
            else if (auto a = sadb::authentication_from_keyword(word); a && !p.authentication)
                p.authentication = *a;
            else
                return error = "IPsec proposal '" + item + "': unexpected '" + word + "'", std::nullopt;
        }
        if (p.protocol != sadb::Protocol::Esp && !p.authentication)
            return error = "IPsec proposal '" + item + "': AH needs an authentication algorithm", std::nullopt;
        out.push_back(p);
    }
    if (out.empty()) return error = "no IPsec proposal given", std::nullopt;
    return out;
}

std::optional<ike::Endpoint> parse_endpoint(const std::string& text, std::uint16_t default_port) {
    ike::Endpoint e{{}, default_port};
    auto addr = text;
    if (auto colon = text.find(':'); colon != std::string::npos) {
        addr = text.substr(0, colon);
        const auto port = parse_number(std::string_view(text).substr(colon + 1), 0, 65535);
        if (!port) return std::nullopt;
        e.port = static_cast<std::uint16_t>(*port);
    }
    auto a = ike::Ipv4Address::parse(addr);
    if (!a) return std::nullopt;
    e.address = *a;
    return e;
}

std::optional<std::string> identity_for_sa(const std::string& base, std::size_t n, std::string& error) {
    const auto number = std::to_string(n);
    std::string id;
    if (auto a = ike::Ipv4Address::parse(base)) {
        const std::uint64_t v = std::uint64_t{a->to_uint()} + n;
        if (v > 0xffffffffu)
            return error = "--identity-per-sa: address " + base + " plus " + number + " is past 255.255.255.255",
                   std::nullopt;
        id = ike::Ipv4Address::from_uint(static_cast<std::uint32_t>(v)).to_string();
    } else if (auto at = base.find('@'); at != std::string::npos) {
        id = base.substr(0, at) + "-" + number + base.substr(at);
    } else if (base.find('=') != std::string::npos) {
        return error = "--identity-per-sa: '" + base + "' looks like a DN; give an FQDN, user@fqdn or address",
               std::nullopt;
    } else {
        id = "load-" + number + "." + base;
    }
    // RFC 1035 2.3.4: a name is at most 255 octets.
    if (id.size() > 255) return error = "--identity-per-sa: identity '" + id + "' is longer than 255 bytes", std::nullopt;
    return id;
}

std::string describe(const ike::negotiation::IkeProposal& p) {
    return std::string(sadb::info(p.encryption).keyword) + "/" + std::string(ike::crypto::info(p.hash).keyword) + "/" +
           std::string(ike::crypto::info(p.group).keyword) + "/" + std::string(ike::crypto::info(p.auth_method).keyword) +
           " lifetime " + std::to_string(p.lifetime_seconds) + " s";
}

std::string describe(const ike::negotiation::IpsecProposal& p) {
    std::string s(sadb::to_string(p.protocol));
    std::string algs;
    if (p.encryption) algs += sadb::info(*p.encryption).keyword;
    if (p.authentication) {
        if (!algs.empty()) algs += "/";
        algs += sadb::info(*p.authentication).keyword;
    }
    if (algs.empty()) algs = "null";
    return s + " " + algs + " lifetime " + std::to_string(p.lifetime_seconds) + " s";
}

}  // namespace picsec::tools::peer
