// A model's named objects by name (and IKE policies by peer), so that a
// reference costs the same whatever the number of SAs: the commit check and
// the daemon's planning look up through it. The first of a name wins, as
// with Model::find_*.
#pragma once

#include "picsec/config/model.h"

#include <cstdint>
#include <string>
#include <unordered_map>

namespace picsec::config {

struct ModelIndex {
    explicit ModelIndex(const Model& m);
    std::unordered_map<std::string, const SecurityAssociation*> sas;
    std::unordered_map<std::string, const IpsecPolicy*> ipsec_policies;
    std::unordered_map<std::string, const IpsecProposal*> ipsec_proposals;
    std::unordered_map<std::string, const IkeProposal*> ike_proposals;
    std::unordered_map<std::uint32_t, const IkePolicy*> ike_policies_by_peer;

    /// The entry for `key`, or nullptr.
    template <typename Map, typename Key>
    static auto find(const Map& map, const Key& key) -> typename Map::mapped_type {
        const auto it = map.find(key);
        return it == map.end() ? nullptr : it->second;
    }
};

}  // namespace picsec::config
