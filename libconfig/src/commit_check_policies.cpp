// Commit check of IKE and IPsec proposals and policies: references between
// them, authentication method vs key material, and what the ES PIC can do.
#include "check_context.h"

namespace picsec::config {
namespace {

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

void check_ipsec_proposal(CheckContext& ctx, const IpsecProposal& p) {
    const auto protocol = p.protocol.value;
    const Origin& protocol_at = p.protocol.configured ? p.protocol.origin : p.origin;
    ctx.report(protocol_at, pic::check_protocol_on_platform(ctx.platform, protocol));
    ctx.report(p.encryption_algorithm.origin,
               pic::check_encryption_with_protocol(protocol, p.encryption_algorithm.configured));
    if (protocol != sadb::Protocol::Ah)
        ctx.report(p.encryption_algorithm.configured ? p.encryption_algorithm.origin : p.origin,
                   pic::check_ike_algorithm(ctx.platform, p.encryption_algorithm.value));
    ctx.report(p.authentication_algorithm.configured ? p.authentication_algorithm.origin : p.origin,
               pic::check_ike_algorithm(ctx.platform, p.authentication_algorithm.value));
}

void check_ipsec_policy(CheckContext& ctx, const IpsecPolicy& p) {
    if (p.proposals.empty())
        ctx.error(p.origin, "policy " + p.name + " has no proposals, needs proposals [ NAME ... ]");
    for (const auto& ref : p.proposals)
        if (!ctx.model.find_ipsec_proposal(ref.name))
            ctx.error(ref.origin, "proposal " + ref.name + " does not exist, needs a security ipsec proposal " + ref.name);
}

}  // namespace

void check_ike_and_ipsec_policies(CheckContext& ctx) {
    for (const auto& p : ctx.model.ike_policies) check_ike_policy(ctx, p);
    for (const auto& p : ctx.model.ipsec_proposals) check_ipsec_proposal(ctx, p);
    for (const auto& p : ctx.model.ipsec_policies) check_ipsec_policy(ctx, p);
}

}  // namespace picsec::config
