// Model helpers: names of enums, IPv4 addresses and look-ups by name.
#include "picsec/config/model.h"

#include "tree.h"

namespace picsec::config {
namespace {

template <typename T>
const T* find_named(const std::vector<T>& list, const std::string& name) {
    for (const auto& item : list)
        if (item.name == name) return &item;
    return nullptr;
}

}  // namespace

std::string Ipv4Address::to_string() const {
    return std::to_string(value >> 24) + "." + std::to_string((value >> 16) & 0xFF) + "." +
           std::to_string((value >> 8) & 0xFF) + "." + std::to_string(value & 0xFF);
}

std::optional<Ipv4Address> parse_ipv4_address(const std::string& text) {
    if (auto v = parse_ipv4(text)) return Ipv4Address{*v};
    return std::nullopt;
}

std::string_view to_string(IkeAuthenticationMethod m) {
    switch (m) {
        case IkeAuthenticationMethod::PreSharedKeys: return "pre-shared-keys";
        case IkeAuthenticationMethod::RsaSignatures: return "rsa-signatures";
    }
    return "?";
}

std::string_view to_string(IkeHash h) {
    switch (h) {
        case IkeHash::Md5: return "md5";
        case IkeHash::Sha1: return "sha1";
        case IkeHash::Sha256: return "sha-256";
    }
    return "?";
}

std::string_view to_string(DhGroup g) {
    switch (g) {
        case DhGroup::Group1: return "group1";
        case DhGroup::Group2: return "group2";
        case DhGroup::Group5: return "group5";
        case DhGroup::Group14: return "group14";
    }
    return "?";
}

std::string_view to_string(IkeMode m) {
    switch (m) {
        case IkeMode::Main: return "main";
        case IkeMode::Aggressive: return "aggressive";
    }
    return "?";
}

const IkeProposal* Model::find_ike_proposal(const std::string& name) const { return find_named(ike_proposals, name); }
const IkePolicy* Model::find_ike_policy(const std::string& name) const { return find_named(ike_policies, name); }
const IkePolicy* Model::find_ike_policy(Ipv4Address peer) const {
    for (const auto& p : ike_policies)
        if (p.peer && *p.peer == peer) return &p;
    return nullptr;
}
const IpsecProposal* Model::find_ipsec_proposal(const std::string& name) const {
    return find_named(ipsec_proposals, name);
}
const IpsecPolicy* Model::find_ipsec_policy(const std::string& name) const { return find_named(ipsec_policies, name); }
const SecurityAssociation* Model::find_sa(const std::string& name) const {
    return find_named(security_associations, name);
}

}  // namespace picsec::config
