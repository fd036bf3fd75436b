// Configuration model -> engine policies (see engine_config.h).
#include "engine_config.h"

#include "certificate_files.h"

#include "picsec/config/model_index.h"

#include <algorithm>
#include <unordered_map>

namespace picsec::tools {
namespace {

// Where a dynamic SA is bound: the es- unit naming it (tunnel), else the BGP
// neighbor naming it (transport).
struct Binding {
    std::optional<ike::Ipv4Address> peer;
    std::optional<ike::Ipv4Address> local;
    std::optional<pic::PicName> pic;
};

// Every dynamic SA's binding, by SA name, read in one pass: the first es-
// unit naming it, else the first BGP neighbor.
std::unordered_map<std::string, Binding> bindings(const config::Model& model) {
    std::unordered_map<std::string, Binding> out;
    for (const auto& itf : model.interfaces)
        for (const auto& unit : itf.units) {
            if (!unit.ipsec_sa) continue;
            Binding b;
            if (unit.tunnel_destination.configured) b.peer = unit.tunnel_destination.value;
            if (unit.tunnel_source.configured) b.local = unit.tunnel_source.value;
            b.pic = itf.pic;
            out.emplace(unit.ipsec_sa->name, b);
        }
    for (const auto& group : model.bgp_groups)
        for (const auto& n : group.neighbors)
            if (n.ipsec_sa) out.emplace(n.ipsec_sa->name, Binding{n.address, std::nullopt, std::nullopt});
    return out;
}

}  // namespace

ike::negotiation::IkeProposal to_engine(const config::IkeProposal& p) {
    ike::negotiation::IkeProposal out;
    out.name = p.name;
    out.encryption = p.encryption_algorithm.value;
    out.hash = p.authentication_algorithm.value;
    out.auth_method = p.authentication_method.value;
    out.group = p.dh_group.value;
    out.lifetime_seconds = p.lifetime_seconds.value;
    return out;
}

ike::negotiation::IpsecProposal to_engine(const config::IpsecProposal& p) {
    ike::negotiation::IpsecProposal out;
    out.name = p.name;
    out.protocol = p.protocol.value;
    if (p.protocol.value != sadb::Protocol::Ah) out.encryption = p.encryption_algorithm.value;
    // RFC 4106 8.4: ESP with AES-GCM carries no authentication algorithm.
    const bool aead_esp = p.protocol.value == sadb::Protocol::Esp && algo::info(p.encryption_algorithm.value).aead();
    if (!aead_esp) out.authentication = p.authentication_algorithm.value;
    out.lifetime_seconds = p.lifetime_seconds.value;
    return out;
}

DaemonPlan plan_daemon(const config::Model& model, std::optional<ike::Ipv4Address> local, std::uint16_t ike_port,
                       std::uint16_t nat_t_port) {
    DaemonPlan plan;
    auto& engine = plan.engine;
    engine.local.port = ike_port;
    engine.nat_t_port = nat_t_port;

    // Indexes, so that planning stays linear in the number of SAs and policies.
    const auto bound = bindings(model);
    const config::ModelIndex index(model);

    for (const auto& sa : model.security_associations) {
        if (!sa.dynamic) continue;
        const auto at = bound.find(sa.name);
        const Binding binding = at == bound.end() ? Binding{} : at->second;
        if (!binding.peer) {
            plan.unbound.push_back(sa.name);
            continue;
        }
        if (!local && binding.local) local = binding.local;
        const auto* policy = index.find(index.ipsec_policies, sa.dynamic->ipsec_policy.value);
        if (!policy) {
            plan.problems.push_back("dynamic SA " + sa.name + ": ipsec-policy " + sa.dynamic->ipsec_policy.value +
                                    " does not exist");
            continue;
        }
        ike::IpsecSaPolicy p;
        p.name = sa.name;
        p.peer = *binding.peer;
        p.mode = sa.mode.value;
        for (const auto& ref : policy->proposals)
            if (const auto* proposal = index.find(index.ipsec_proposals, ref.name)) {
                p.proposals.push_back(to_engine(*proposal));
                p.proposals.back().extended_sequence_numbers = sa.extended_sequence_number.value;
            }
        if (policy->pfs_keys.configured) p.pfs_group = policy->pfs_keys.value;
        p.replay_window = sa.dynamic->replay_window_size.value;
        if (binding.pic) plan.sa_pics[sa.name] = *binding.pic;
        engine.ipsec_policies.push_back(std::move(p));
    }
    if (local) engine.local.address = *local;
    // Client IDs need the local address, known only now.
    for (auto& p : engine.ipsec_policies) {
        if (p.mode == sadb::Mode::Tunnel) {
            p.local_client = {};
            p.peer_client = {};
        } else {
            p.local_client = {engine.local.address, 32};
            p.peer_client = {p.peer, 32};
        }
    }
    for (const auto& policy : model.ike_policies) {
        if (!policy.peer) continue;
        ike::IkePolicy p;
        p.peer = *policy.peer;
        p.version = policy.version.value == 2 ? ike::IkeVersion::V2 : ike::IkeVersion::V1;
        p.mode = policy.mode.value;
        for (const auto& ref : policy.proposals)
            if (const auto* proposal = index.find(index.ike_proposals, ref.name)) p.proposals.push_back(to_engine(*proposal));
        if (policy.pre_shared_key) p.pre_shared_key = policy.pre_shared_key->value.bytes;
        if (policy.identity.configured) p.local_id = policy.identity.value;
        if (policy.rsa_pss.value) p.signature_scheme = ike::v2::crypto::SignatureScheme::RsaPssSha256;
        // RFC 2409 5.1: certificates, key and CAs are read here, never by the engine.
        const bool signatures = std::any_of(p.proposals.begin(), p.proposals.end(), [](const auto& x) {
            return x.auth_method == ike::negotiation::AuthMethod::RsaSignatures;
        });
        if (signatures || policy.local_certificate.configured) {
            try {
                p.authenticator = load_authenticator(model, policy);
            } catch (const std::exception& e) {
                plan.problems.push_back("ike policy " + policy.name + ": " + e.what());
            }
        }
        engine.ike_policies.push_back(std::move(p));
    }
    for (const auto& p : engine.ipsec_policies)
        if (!index.ike_policies_by_peer.count(p.peer.to_uint()))
            plan.problems.push_back("dynamic SA " + p.name + ": no security ike policy " + p.peer.to_string());
    return plan;
}

}  // namespace picsec::tools
