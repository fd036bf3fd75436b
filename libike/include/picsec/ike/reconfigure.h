// Live reconfiguration: what differs between the engine's configuration and
// a new one, policy by policy, and what Engine::reconfigure() did about it.
#pragma once

#include "picsec/ike/config.h"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace picsec::ike {

/// One IKE policy (named by its peer address) or dynamic SA (by its name)
/// that a new configuration adds, removes or changes.
struct PolicyChange {
    enum class Subject { IkePolicy, IpsecSa };
    enum class Kind { Added, Removed, Changed };
    Subject subject = Subject::IkePolicy;
    Kind kind = Kind::Changed;
    std::string name;  ///< "10.0.0.2" for an IKE policy, the SA name for a dynamic SA
    /// What differs (Changed only), by the configuration's own words:
    /// "proposals", "pre-shared-key", "mode", ...
    std::vector<std::string> fields;
    // Filled by Engine::reconfigure():
    std::size_t ike_sas_deleted = 0;    ///< IKE SAs deleted, the peer told
    std::size_t ipsec_sas_deleted = 0;  ///< IPsec SA pairs deleted, the peer told
    bool renegotiating = false;         ///< the engine initiates it again (initiate_on_start)
};

/// Compares two configurations by value. IKE policies are matched by peer
/// address, dynamic SAs by name; a policy is changed when any field that
/// takes part in negotiation differs (an IKE policy: version, mode,
/// proposals, pre-shared key, local identity, certificate and CAs, peer port,
/// signature scheme; a dynamic SA: peer, mode, client IDs, proposals, PFS
/// group, replay window). Whether a dynamic SA initiates is not negotiated
/// and counts as no change.
struct ConfigDiff {
    std::vector<PolicyChange> changes;
    std::size_t unchanged_ike_policies = 0;
    std::size_t unchanged_ipsec_sas = 0;
    /// Set when the new configuration cannot be taken without a restart
    /// (another local endpoint); then nothing is applied.
    std::optional<std::string> refused;
    /// Replaced configurations the engine still keeps, after this one: an
    /// exchange in flight when they were replaced may read their policies.
    /// Each goes once its exchanges are over.
    std::size_t configurations_kept = 0;

    bool empty() const { return changes.empty(); }
    /// One line per change, then the unchanged count:
    /// "policy 10.0.0.2: changed (proposals), renegotiating",
    /// "security-association sa3: removed, 1 IPsec SA deleted",
    /// "unchanged: 1 policy, 9 security-associations".
    std::vector<std::string> lines() const;
};

/// What differs between the running configuration and `next`; a pure
/// function (Engine::reconfigure() applies it and fills in what it did).
ConfigDiff diff_config(const EngineConfig& running, const EngineConfig& next);

}  // namespace picsec::ike
