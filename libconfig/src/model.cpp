// Model helpers: look-ups by name and by peer address.
#include "picsec/config/model.h"

namespace picsec::config {
namespace {

template <typename T>
const T* find_named(const std::vector<T>& list, const std::string& name) {
    for (const auto& item : list)
        if (item.name == name) return &item;
    return nullptr;
}

}  // namespace

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
