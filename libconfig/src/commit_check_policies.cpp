// Commit check of IKE and IPsec proposals and policies: references between
// them, authentication method vs key material, and what the PIC each
// proposal's SAs go to (ES PIC or services PIC) can do.
#include <algorithm>

#include "check_context.h"

namespace picsec::config {
namespace {

void add_models(std::vector<const pic::PlatformModel*>& out, const std::vector<const pic::PlatformModel*>& more) {
    for (const pic::PlatformModel* m : more)
        if (std::find(out.begin(), out.end(), m) == out.end()) out.push_back(m);
}

void check_ike_policy(CheckContext& ctx, const IkePolicy& p) {
    if (!p.peer)
        ctx.error(p.origin, "policy name '" + p.name +
                                "' must be the peer's IPv4 address (A.B.C.D): the IKE policy is chosen by the peer's address");
    if (p.proposals.empty())
        ctx.error(p.origin, "policy " + p.name + " has no proposals, needs proposals [ NAME ... ]");
    // RFC 7296 1.2: IKEv2 has one exchange pair (IKE_SA_INIT, IKE_AUTH) where
    // IKEv1 had Main and Aggressive Mode.
    if (p.version.value == 2 && p.mode.configured && p.mode.value == algo::ExchangeMode::Aggressive)
        ctx.error(p.mode.origin, "policy " + p.name +
                                     " says version 2 and mode aggressive, but IKEv2 has no Aggressive Mode; remove "
                                     "mode aggressive or use version 1");
    // RFC 7427 is IKEv2's; IKEv1 signs the raw hash with PKCS#1 v1.5 (RFC 2409 5.1).
    if (p.rsa_pss.value && p.version.value != 2)
        ctx.error(p.rsa_pss.origin, "policy " + p.name +
                                        " says signature-scheme rsa-pss, but IKE version 1 signs with PKCS#1 v1.5 "
                                        "(RFC 2409 5.1); RSA-PSS is IKEv2's (RFC 7427): add version 2 or remove "
                                        "signature-scheme");
    for (const auto& ref : p.proposals) {
        const IkeProposal* proposal = ctx.model.find_ike_proposal(ref.name);
        if (!proposal) {
            ctx.error(ref.origin, "proposal " + ref.name + " does not exist, needs a security ike proposal " + ref.name);
            continue;
        }
        switch (proposal->authentication_method.value) {
            case algo::AuthMethod::PreSharedKeys:
                if (!p.pre_shared_key)
                    ctx.error(ref.origin, "proposal " + ref.name +
                                              " says authentication-method pre-shared-keys, but policy " + p.name +
                                              " has no pre-shared-key");
                break;
            case algo::AuthMethod::RsaSignatures:
                if (p.pre_shared_key)
                    ctx.error(ref.origin, "policy " + p.name + " has a pre-shared-key, but its proposal " + ref.name +
                                              " says authentication-method rsa-signatures; use pre-shared-keys in "
                                              "the proposal or remove the pre-shared-key");
                else if (!p.local_certificate.configured)
                    ctx.error(ref.origin, "proposal " + ref.name +
                                              " says authentication-method rsa-signatures, but policy " + p.name +
                                              " has no local-certificate");
                break;
        }
    }
}

// The PICs a proposal's SAs go to: those of every dynamic SA whose
// ipsec-policy lists it, or the ES PIC when none does.
std::vector<const pic::PlatformModel*> models_for_proposal(const CheckContext& ctx, const IpsecProposal& p) {
    std::vector<const pic::PlatformModel*> out;
    for (const auto& sa : ctx.model.security_associations) {
        if (!sa.dynamic) continue;
        const IpsecPolicy* policy = ctx.find_ipsec_policy(sa.dynamic->ipsec_policy.value);
        if (!policy) continue;
        bool uses = false;
        for (const auto& ref : policy->proposals) uses = uses || ref.name == p.name;
        if (!uses) continue;
        add_models(out, ctx.models_for_sa(sa.name));
    }
    if (out.empty()) out.push_back(&ctx.platform);
    return out;
}

// The PICs whose SAs an IKE proposal's IKE SAs negotiate: those of every SA
// bound to the peer of an IKE policy listing it (es- or ms- units whose
// tunnel destination is the peer, BGP neighbors at that address), or the ES
// PIC when there is none.
std::vector<const pic::PlatformModel*> models_for_ike_proposal(const CheckContext& ctx, const IkeProposal& p) {
    std::vector<const pic::PlatformModel*> out;
    for (const auto& policy : ctx.model.ike_policies) {
        if (!policy.peer) continue;
        const bool lists = std::any_of(policy.proposals.begin(), policy.proposals.end(),
                                       [&](const NameRef& ref) { return ref.name == p.name; });
        if (!lists) continue;
        for (const auto& itf : ctx.model.interfaces)
            for (const auto& unit : itf.units)
                if (unit.ipsec_sa && unit.tunnel_destination.configured && unit.tunnel_destination.value == *policy.peer)
                    add_models(out, ctx.models_for_sa(unit.ipsec_sa->name));
        for (const auto& group : ctx.model.bgp_groups)
            for (const auto& nb : group.neighbors)
                if (nb.ipsec_sa && nb.address == *policy.peer) add_models(out, ctx.models_for_sa(nb.ipsec_sa->name));
    }
    if (out.empty()) out.push_back(&ctx.platform);
    return out;
}

void check_ike_proposal(CheckContext& ctx, const IkeProposal& p) {
    const Origin& group_at = p.dh_group.configured ? p.dh_group.origin : p.origin;
    for (const pic::PlatformModel* m : models_for_ike_proposal(ctx, p))
        ctx.report(group_at, pic::check_ike_dh_group(*m, p.dh_group.value, "dh-group"));
    if (!p.encryption_algorithm.configured || !algo::info(p.encryption_algorithm.value).aead()) return;
    ctx.error(p.encryption_algorithm.origin,
              "encryption-algorithm " + std::string(algo::keyword(p.encryption_algorithm.value)) +
                  " is not an IKE SA cipher in picsec: IKEv1 has no AES-GCM for phase 1 and picsec's IKEv2 does not "
                  "encrypt its IKE SA with ENCR_AES_GCM_16 yet; use aes-128-cbc, aes-192-cbc or aes-256-cbc");
}

void check_ipsec_proposal_on(CheckContext& ctx, const IpsecProposal& p);

void check_ipsec_proposal(CheckContext& ctx, const IpsecProposal& p) {
    const auto protocol = p.protocol.value;
    if (protocol != sadb::Protocol::Ah && p.encryption_algorithm.configured &&
        algo::info(p.encryption_algorithm.value).aead()) {
        const std::string kw(algo::keyword(p.encryption_algorithm.value));
        // RFC 4106 3 / 8.4: AES-GCM brings its own ICV; IKE offers it without
        // an integrity transform.
        if (p.authentication_algorithm.configured && protocol == sadb::Protocol::Esp)
            ctx.error(p.authentication_algorithm.origin,
                      "authentication-algorithm " + std::string(algo::keyword(p.authentication_algorithm.value)) +
                          " cannot go with encryption-algorithm " + kw +
                          ": AES-GCM authenticates by itself (RFC 4106); remove authentication-algorithm");
    }
    for (const pic::PlatformModel* m : models_for_proposal(ctx, p)) {
        CheckContext on_pic = ctx.with(*m);
        check_ipsec_proposal_on(on_pic, p);
    }
}

void check_ipsec_proposal_on(CheckContext& ctx, const IpsecProposal& p) {
    const auto protocol = p.protocol.value;
    const Origin& protocol_at = p.protocol.configured ? p.protocol.origin : p.origin;
    ctx.report(protocol_at, pic::check_protocol_on_platform(ctx.platform, protocol));
    ctx.report(p.encryption_algorithm.origin,
               pic::check_encryption_with_protocol(protocol, p.encryption_algorithm.configured));
    if (protocol != sadb::Protocol::Ah)
        ctx.report(p.encryption_algorithm.configured ? p.encryption_algorithm.origin : p.origin,
                   pic::check_ike_algorithm(ctx.platform, p.encryption_algorithm.value));
    const bool aead = protocol == sadb::Protocol::Esp && algo::info(p.encryption_algorithm.value).aead();
    if (!aead)
        ctx.report(p.authentication_algorithm.configured ? p.authentication_algorithm.origin : p.origin,
                   pic::check_ike_algorithm(ctx.platform, p.authentication_algorithm.value));
}

// The PICs of the dynamic SAs whose ipsec-policy is this one (the ES PIC
// when none is).
std::vector<const pic::PlatformModel*> models_for_ipsec_policy(const CheckContext& ctx, const IpsecPolicy& p) {
    std::vector<const pic::PlatformModel*> out;
    for (const auto& sa : ctx.model.security_associations)
        if (sa.dynamic && sa.dynamic->ipsec_policy.value == p.name) add_models(out, ctx.models_for_sa(sa.name));
    if (out.empty()) out.push_back(&ctx.platform);
    return out;
}

void check_ipsec_policy(CheckContext& ctx, const IpsecPolicy& p) {
    if (p.pfs_keys.configured)
        for (const pic::PlatformModel* m : models_for_ipsec_policy(ctx, p))
            ctx.report(p.pfs_keys.origin, pic::check_ike_dh_group(*m, p.pfs_keys.value, "perfect-forward-secrecy keys"));
    if (p.proposals.empty())
        ctx.error(p.origin, "policy " + p.name + " has no proposals, needs proposals [ NAME ... ]");
    for (const auto& ref : p.proposals)
        if (!ctx.find_ipsec_proposal(ref.name))
            ctx.error(ref.origin, "proposal " + ref.name + " does not exist, needs a security ipsec proposal " + ref.name);
}

}  // namespace

void check_ike_and_ipsec_policies(CheckContext& ctx) {
    for (const auto& p : ctx.model.ike_proposals) check_ike_proposal(ctx, p);
    for (const auto& p : ctx.model.ike_policies) check_ike_policy(ctx, p);
    for (const auto& p : ctx.model.ipsec_proposals) check_ipsec_proposal(ctx, p);
    for (const auto& p : ctx.model.ipsec_policies) check_ipsec_policy(ctx, p);
}

}  // namespace picsec::config
