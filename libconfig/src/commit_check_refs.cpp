// Commit check of where SAs are used: es- and ms- interface units (tunnel
// mode, the ES PIC or the services PIC, dynamic SA count per PIC), BGP neighbors and OSPFv3 interfaces
// (transport mode), and the IKE policy each dynamic SA's peer needs.
// Also the commit_check() entry point.
#include <algorithm>
#include <map>
#include <set>

#include "check_context.h"

namespace picsec::config {
namespace {

std::string_view mode_name(sadb::Mode m) { return sadb::to_string(m); }

// The named SA, or an error at the reference ("the vendor's software does not
// check this; picsec does").
const SecurityAssociation* resolve(CheckContext& ctx, const NameRef& ref) {
    const SecurityAssociation* sa = ctx.find_sa(ref.name);
    if (sa) return sa;
    // JUNOS: an inactive statement is as if absent, so naming one is an error.
    for (const auto& inactive : ctx.model.inactive_sas)
        if (inactive.name == ref.name) {
            ctx.error(ref.origin, "ipsec-sa " + ref.name + " names an inactive security-association (at " +
                                      where(inactive.origin) + "), which is as if absent; activate it or name another SA");
            return nullptr;
        }
    ctx.error(ref.origin, "ipsec-sa " + ref.name + " does not exist, needs a security ipsec security-association " +
                              ref.name);
    return nullptr;
}

// A dynamic SA is negotiated with the IKE policy named by its peer's address.
// With IKEv2 it may not ask for an AH+ESP bundle.
void require_ike_policy(CheckContext& ctx, const NameRef& ref, const SecurityAssociation& sa, Ipv4Address peer) {
    if (!sa.dynamic) return;
    const IkePolicy* ike = ctx.find_ike_policy(peer);
    if (!ike) {
        ctx.error(ref.origin, "dynamic security-association " + sa.name + " with peer " + peer.to_string() +
                                  " needs an IKE policy for that peer, but security ike policy " + peer.to_string() +
                                  " does not exist");
        return;
    }
    if (ike->version.value != 2) return;
    const IpsecPolicy* policy = ctx.find_ipsec_policy(sa.dynamic->ipsec_policy.value);
    if (!policy) return;
    for (const auto& p : policy->proposals)
        if (const IpsecProposal* proposal = ctx.find_ipsec_proposal(p.name);
            proposal && proposal->protocol.value == sadb::Protocol::Bundle)
            ctx.error(ref.origin, "dynamic security-association " + sa.name + " uses proposal " + p.name +
                                      " with protocol bundle, but IKE policy " + ike->name +
                                      " says version 2: IKEv2 negotiates no AH+ESP bundles (RFC 7296 3.3); use "
                                      "protocol esp or ah, or version 1");
}

void check_interfaces(CheckContext& ctx, std::set<std::string>& bound_to_pic) {
    std::map<pic::PicName, std::size_t> dynamic_per_pic;
    for (const auto& itf : ctx.model.interfaces)
        for (const auto& unit : itf.units) {
            if (!unit.ipsec_sa) continue;
            const NameRef& ref = *unit.ipsec_sa;
            const auto kind = pic::pic_kind_of(itf.name);
            if (!kind) {
                ctx.error(ref.origin, "ipsec-sa needs an ES PIC interface (es-FPC/PIC/0) or a services PIC interface "
                                      "(ms-FPC/PIC/0), " + itf.name + " is neither");
                continue;
            }
            const pic::PlatformModel& pic_model = pic::model(ctx.platform.id, *kind);
            const SecurityAssociation* sa = resolve(ctx, ref);
            if (!sa) continue;
            if (itf.pic) bound_to_pic.insert(sa->name);
            if (sa->mode.value != sadb::Mode::Tunnel)
                ctx.error(ref.origin, "an " + std::string(pic_model.interface_prefix) +
                                          " interface needs a tunnel-mode SA, security-association " + sa->name +
                                          " is mode " + std::string(mode_name(sa->mode.value)));
            if (!unit.tunnel_source.configured)
                ctx.error(ref.origin, "unit " + std::to_string(unit.number) + " of " + itf.name +
                                          " names an SA but has no tunnel source (our address)");
            if (!unit.tunnel_destination.configured)
                ctx.error(ref.origin, "unit " + std::to_string(unit.number) + " of " + itf.name +
                                          " names an SA but has no tunnel destination (the peer's address)");
            else
                require_ike_policy(ctx, ref, *sa, unit.tunnel_destination.value);
            if (sa->dynamic && itf.pic) {
                const pic::PicName slot{itf.pic->fpc, itf.pic->pic, 0, itf.pic->kind};
                const std::size_t count = ++dynamic_per_pic[slot];
                // The vendor recommends at most 512 per ES PIC; warn once, at the first SA over the limit.
                if (count == pic_model.dynamic_sa_limit + 1)
                    if (auto e = pic::check_dynamic_sa_count(pic::to_string(slot), count, pic_model.dynamic_sa_limit))
                        ctx.warning(ref.origin, e->message + " (more will be refused at run time)");
            }
        }
}

void check_bgp(CheckContext& ctx) {
    for (const auto& group : ctx.model.bgp_groups)
        for (const auto& nb : group.neighbors) {
            if (!nb.ipsec_sa) continue;
            const SecurityAssociation* sa = resolve(ctx, *nb.ipsec_sa);
            if (!sa) continue;
            if (sa->mode.value == sadb::Mode::Tunnel)
                ctx.error(nb.ipsec_sa->origin, "BGP needs a transport-mode SA, security-association " + sa->name +
                                                   " is mode tunnel");
            require_ike_policy(ctx, *nb.ipsec_sa, *sa, nb.address);
        }
}

void check_ospf3(CheckContext& ctx) {
    for (const auto& area : ctx.model.ospf3_areas)
        for (const auto& itf : area.interfaces) {
            if (!itf.ipsec_sa) continue;
            const SecurityAssociation* sa = resolve(ctx, *itf.ipsec_sa);
            if (!sa) continue;
            if (sa->dynamic)
                ctx.error(itf.ipsec_sa->origin, "OSPFv3 needs a manual SA, security-association " + sa->name +
                                                    " is dynamic");
            if (sa->mode.value == sadb::Mode::Tunnel)
                ctx.error(itf.ipsec_sa->origin, "OSPFv3 needs a transport-mode SA, security-association " + sa->name +
                                                    " is mode tunnel");
        }
}

}  // namespace

void check_sa_references(CheckContext& ctx) {
    std::set<std::string> bound_to_pic;
    check_interfaces(ctx, bound_to_pic);
    check_bgp(ctx);
    check_ospf3(ctx);
    // Tunnel mode is done by a PIC: an SA no es- or ms- interface names is not
    // used yet. JUNOS commits it (it is bound later), so this is a warning.
    for (const auto& sa : ctx.model.security_associations) {
        if (sa.mode.value != sadb::Mode::Tunnel || bound_to_pic.count(sa.name)) continue;
        const Origin& at = sa.mode.configured ? sa.mode.origin : sa.origin;
        ctx.warning(at, std::string(sa.mode.configured ? "mode tunnel" : "mode tunnel (the default)") +
                            " needs an ES PIC, but no es- interface names security-association " + sa.name +
                            " yet, so it is not used (interfaces es-FPC/PIC/0 unit N family inet ipsec-sa " + sa.name +
                            ", or ms-FPC/PIC/0 for a services PIC); use mode transport for BGP or OSPFv3");
    }
}

std::vector<const pic::PlatformModel*> CheckContext::models_for_sa(const std::string& sa_name) const {
    std::vector<const pic::PlatformModel*> out;
    if (auto it = sa_pic_kinds->find(sa_name); it != sa_pic_kinds->end())
        for (pic::PicKind k : it->second) out.push_back(&pic::model(platform.id, k));
    if (out.empty()) out.push_back(&pic::model(platform.id));
    return out;
}

ModelIndex::ModelIndex(const Model& m) {
    for (const auto& sa : m.security_associations) sas.emplace(sa.name, &sa);
    for (const auto& p : m.ipsec_policies) ipsec_policies.emplace(p.name, &p);
    for (const auto& p : m.ipsec_proposals) ipsec_proposals.emplace(p.name, &p);
    for (const auto& p : m.ike_proposals) ike_proposals.emplace(p.name, &p);
    for (const auto& p : m.ike_policies)
        if (p.peer) ike_policies_by_peer.emplace(p.peer->to_uint(), &p);
}

Diagnostics commit_check(const Model& model) {
    Diagnostics out;
    CheckContext ctx{model, model.platform_model(), out};
    for (const auto& itf : model.interfaces)
        if (const auto kind = pic::pic_kind_of(itf.name))
            for (const auto& unit : itf.units)
                if (unit.ipsec_sa) (*ctx.sa_pic_kinds)[unit.ipsec_sa->name].insert(*kind);
    check_ike_and_ipsec_policies(ctx);
    check_security_associations(ctx);
    check_sa_references(ctx);
    check_certificates(ctx);
    std::stable_sort(out.begin(), out.end(), [](const Diagnostic& a, const Diagnostic& b) {
        if (a.line != b.line) return a.line < b.line;
        return a.column < b.column;
    });
    return out;
}

}  // namespace picsec::config
