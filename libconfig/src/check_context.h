// Shared state of the commit-check passes. Internal to libconfig.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "picsec/config/load.h"
#include "picsec/config/model_index.h"
#include "picsec/pic/error.h"

namespace picsec::config {

struct CheckContext {
    const Model& model;
    const pic::PlatformModel& platform;  ///< the PIC whose rules apply (the ES PIC unless a pass says otherwise)
    Diagnostics& out;
    /// The kinds of PIC (es-, ms-) whose interfaces name each SA; shared, not
    /// copied, by the contexts with() makes (one per SA).
    std::shared_ptr<std::map<std::string, std::set<pic::PicKind>>> sa_pic_kinds =
        std::make_shared<std::map<std::string, std::set<pic::PicKind>>>();

    std::shared_ptr<const ModelIndex> index = std::make_shared<const ModelIndex>(model);

    /// The same context with another PIC's rules.
    CheckContext with(const pic::PlatformModel& other) const {
        return CheckContext{model, other, out, sa_pic_kinds, index};
    }
    const SecurityAssociation* find_sa(const std::string& name) const { return find(index->sas, name); }
    const IpsecPolicy* find_ipsec_policy(const std::string& name) const { return find(index->ipsec_policies, name); }
    const IpsecProposal* find_ipsec_proposal(const std::string& name) const {
        return find(index->ipsec_proposals, name);
    }
    const IkePolicy* find_ike_policy(Ipv4Address peer) const { return find(index->ike_policies_by_peer, peer.to_uint()); }
    /// The PIC models an SA is checked against: those of the interfaces that
    /// name it, or the ES PIC when none does.
    std::vector<const pic::PlatformModel*> models_for_sa(const std::string& sa_name) const;

    void error(const Origin& at, std::string message) { out.push_back(make_diagnostic(at.loc, at.path, std::move(message))); }
    void warning(const Origin& at, std::string message) {
        out.push_back(make_diagnostic(at.loc, at.path, std::move(message), Severity::Warning));
    }
    template <typename Map, typename Key>
    static auto find(const Map& map, const Key& key) -> typename Map::mapped_type {
        return ModelIndex::find(map, key);
    }

    /// Reports a libpic rule violation at a statement; true when there was one.
    bool report(const Origin& at, const pic::Check& check) {
        if (!check) return false;
        error(at, check->message);
        return true;
    }
};

inline std::string where(const Origin& o) { return std::to_string(o.loc.line) + ":" + std::to_string(o.loc.column); }

/// security ike / security ipsec proposals and policies.
void check_ike_and_ipsec_policies(CheckContext& ctx);
/// security-association statements and their uses (interfaces, bgp, ospf3).
void check_security_associations(CheckContext& ctx);
void check_sa_references(CheckContext& ctx);
/// security certificates and the certificate / key files IKE policies name.
void check_certificates(CheckContext& ctx);

}  // namespace picsec::config
