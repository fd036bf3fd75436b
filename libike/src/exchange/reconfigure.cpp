// Live reconfiguration: the value comparison of two configurations, and
// Engine::reconfigure(), which deletes what a changed or removed policy
// negotiated (telling the peer, as `clear` does), takes the new
// configuration and initiates what changed or was added.
#include "engine_impl.h"

#include "picsec/ike/reconfigure.h"

#include <botan/mem_ops.h>

#include <algorithm>
#include <functional>
#include <set>

namespace picsec::ike {

using detail::LifecycleState;

namespace {

bool same_secret(const Botan::secure_vector<std::uint8_t>& a, const Botan::secure_vector<std::uint8_t>& b)
{
    return a.size() == b.size() && Botan::constant_time_compare(a.data(), b.data(), a.size());
}

// The same certificate chain and the same trusted CAs (a new load of the same
// files builds a new authenticator object).
bool same_authenticator(const crypto::SignatureAuthenticator* a, const crypto::SignatureAuthenticator* b)
{
    if (!a || !b)
        return a == b;
    return a->local_chain() == b->local_chain() && a->authorities() == b->authorities() &&
           a->authority_key_hashes() == b->authority_key_hashes();
}

std::vector<std::string> ike_policy_fields(const IkePolicy& a, const IkePolicy& b)
{
    std::vector<std::string> f;
    if (a.version != b.version) f.emplace_back("version");
    if (a.mode != b.mode) f.emplace_back("mode");
    if (a.proposals != b.proposals) f.emplace_back("proposals");
    if (!same_secret(a.pre_shared_key, b.pre_shared_key)) f.emplace_back("pre-shared-key");
    if (a.local_id != b.local_id) f.emplace_back("local-identity");
    if (!same_authenticator(a.authenticator.get(), b.authenticator.get())) f.emplace_back("certificates");
    if (a.peer_port != b.peer_port) f.emplace_back("peer port");
    if (a.signature_scheme != b.signature_scheme) f.emplace_back("signature scheme");
    return f;
}

std::vector<std::string> ipsec_sa_fields(const IpsecSaPolicy& a, const IpsecSaPolicy& b)
{
    std::vector<std::string> f;
    if (a.peer != b.peer) f.emplace_back("gateway");
    if (a.mode != b.mode) f.emplace_back("mode");
    if (a.local_client != b.local_client || a.peer_client != b.peer_client) f.emplace_back("proxy identities");
    if (a.proposals != b.proposals) f.emplace_back("proposals");
    if (a.pfs_group != b.pfs_group) f.emplace_back("perfect-forward-secrecy");
    if (a.replay_window != b.replay_window) f.emplace_back("replay window");
    return f;
}

// Adds the Added/Removed/Changed entries of `subject` over two lists keyed by key(); returns the unchanged count.
template <typename T, typename Key, typename Fields>
std::size_t diff_list(const std::vector<T>& running, const std::vector<T>& next, PolicyChange::Subject subject,
                      Key key, Fields fields, std::vector<PolicyChange>& out)
{
    std::size_t unchanged = 0;
    const auto find = [&](const std::vector<T>& in, const std::string& k) {
        return std::find_if(in.begin(), in.end(), [&](const T& p) { return key(p) == k; });
    };
    for (const auto& old : running) {
        const auto it = find(next, key(old));
        if (it == next.end()) {
            out.push_back(PolicyChange{subject, PolicyChange::Kind::Removed, key(old), {}});
        } else if (auto f = fields(old, *it); !f.empty()) {
            out.push_back(PolicyChange{subject, PolicyChange::Kind::Changed, key(old), std::move(f)});
        } else {
            ++unchanged;
        }
    }
    for (const auto& now : next)
        if (find(running, key(now)) == running.end())
            out.push_back(PolicyChange{subject, PolicyChange::Kind::Added, key(now), {}});
    return unchanged;
}

std::string plural(std::size_t n, const char* one, const char* many)
{
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

ConfigDiff diff_config(const EngineConfig& running, const EngineConfig& next)
{
    ConfigDiff d;
    if (running.local != next.local || running.nat_t_port != next.nat_t_port)
        d.refused = "local endpoint " + running.local.to_string() + " (NAT-T port " +
                    std::to_string(running.nat_t_port) + ") cannot change while running (got " +
                    next.local.to_string() + ", NAT-T port " + std::to_string(next.nat_t_port) + ")";
    d.unchanged_ike_policies = diff_list(
        running.ike_policies, next.ike_policies, PolicyChange::Subject::IkePolicy,
        [](const IkePolicy& p) { return p.peer.to_string(); }, ike_policy_fields, d.changes);
    d.unchanged_ipsec_sas = diff_list(
        running.ipsec_policies, next.ipsec_policies, PolicyChange::Subject::IpsecSa,
        [](const IpsecSaPolicy& p) { return p.name; }, ipsec_sa_fields, d.changes);
    return d;
}

std::vector<std::string> ConfigDiff::lines() const
{
    std::vector<std::string> out;
    if (refused)
        out.push_back("refused: " + *refused);
    for (const auto& c : changes) {
        std::string l = c.subject == PolicyChange::Subject::IkePolicy ? "policy " : "security-association ";
        l += c.name + ": ";
        switch (c.kind) {
        case PolicyChange::Kind::Added: l += "added"; break;
        case PolicyChange::Kind::Removed: l += "removed"; break;
        case PolicyChange::Kind::Changed: {
            l += "changed (";
            for (std::size_t i = 0; i < c.fields.size(); ++i)
                l += (i ? ", " : "") + c.fields[i];
            l += ")";
            break;
        }
        }
        if (c.ike_sas_deleted)
            l += ", " + plural(c.ike_sas_deleted, "IKE SA", "IKE SAs") + " deleted";
        if (c.ipsec_sas_deleted)
            l += ", " + plural(c.ipsec_sas_deleted, "IPsec SA", "IPsec SAs") + " deleted";
        if (c.renegotiating)
            l += c.kind == PolicyChange::Kind::Added ? ", initiating" : ", renegotiating";
        out.push_back(std::move(l));
    }
    out.push_back("unchanged: " + plural(unchanged_ike_policies, "policy", "policies") + ", " +
                  plural(unchanged_ipsec_sas, "security-association", "security-associations"));
    return out;
}

ConfigDiff Engine::Impl::reconfigure(EngineConfig next)
{
    auto diff = diff_config(config, next);
    if (diff.refused)
        return diff;
    const auto is = [&](const PolicyChange& c, PolicyChange::Subject s) {
        return c.subject == s && c.kind != PolicyChange::Kind::Added;
    };
    // 1. What a changed or removed IKE policy negotiated goes, IPsec SAs first
    //    so their Deletes travel under the IKE SA (RFC 2408 3.15, RFC 7296 1.4.1).
    std::set<std::string> dropped_ipsec;  // names of dynamic SAs deleted or abandoned here
    for (auto& c : diff.changes) {
        if (!is(c, PolicyChange::Subject::IkePolicy))
            continue;
        const IkePolicy* old = ike_policy_exact(*Ipv4Address::parse(c.name));
        std::set<std::uint64_t> serials;
        for (auto& [ck, sa] : ike_sas)
            if (sa->policy == old && sa->lifecycle.state() != LifecycleState::Dead)
                serials.insert(sa->serial);
        for (auto& [spi, sa] : v2_sas)
            if (sa->policy == old && sa->lifecycle.state() != LifecycleState::Dead)
                serials.insert(sa->serial);
        for (std::size_t i = ipsec_sas.size(); i-- > 0;) {
            const auto& rec = ipsec_sas[i];
            if (!serials.count(rec.ike_serial) &&
                (old->peer == Ipv4Address{} || rec.info.peer.address != old->peer))
                continue;
            dropped_ipsec.insert(rec.info.name);
            ++c.ipsec_sas_deleted;
            // IKEv2: the IKE SA's Delete below takes its Child SAs (RFC 7296 1.4.1).
            if (auto* v2 = v2_find(rec.ike_serial); !v2 || !serials.count(v2->serial))
                remove_ipsec(i, DeleteReason::Reconfigured, true);
        }
        for (auto& [ck, sa] : ike_sas) {
            if (!serials.count(sa->serial))
                continue;
            if (sa->established()) {
                send_delete_ike(*sa);
                ++c.ike_sas_deleted;
            }
            kill(*sa, DeleteReason::Reconfigured);
        }
        for (auto& [spi, sa] : v2_sas) {
            if (!serials.count(sa->serial))
                continue;
            if (sa->established())
                ++c.ike_sas_deleted;
            v2_delete_ike(*sa, DeleteReason::Reconfigured, sa->established());
        }
    }
    // 2. A changed or removed dynamic SA: its pairs go, and so do its Quick
    //    Modes in flight (they would install what the old policy offered).
    for (auto& c : diff.changes) {
        if (!is(c, PolicyChange::Subject::IpsecSa))
            continue;
        dropped_ipsec.insert(c.name);
        for (std::size_t i = ipsec_sas.size(); i-- > 0;)
            if (ipsec_sas[i].info.name == c.name) {
                remove_ipsec(i, DeleteReason::Reconfigured, true);
                ++c.ipsec_sas_deleted;
            }
        for (auto& [ck, sa] : ike_sas) {
            std::erase_if(sa->quick_modes, [&](const auto& qm) { return qm.second.task.sa_name() == c.name; });
            std::erase(sa->pending, c.name);
        }
        const auto for_it = [&](const std::unique_ptr<detail::v2::CreateChildTask>& t) {
            return t && t->child_policy() && t->child_policy()->name == c.name;
        };
        for (auto& [spi, sa] : v2_sas) {
            std::erase(sa->pending, c.name);
            std::erase_if(sa->queued, [&](const auto& r) { return for_it(r.task); });
            sa->child_task_obsolete = sa->child_task_obsolete || for_it(sa->child_task);
        }
    }
    // 3. The new configuration. The old one's policies stay where they are
    //    (a moved vector keeps its elements): tasks in flight on SAs that
    //    go on may still read them. SAs of unchanged policies move to the new
    //    policy objects, which compare equal.
    auto retired = std::make_unique<EngineConfig>(std::move(config));
    config = std::move(next);
    if (!config.logger)
        config.logger = retired->logger;
    const auto repoint = [&](const IkePolicy*& p) {
        if (!p)
            return;
        if (const IkePolicy* now = ike_policy_exact(p->peer); now && ike_policy_fields(*p, *now).empty())
            p = now;
    };
    for (auto& [ck, sa] : ike_sas)
        if (sa->lifecycle.state() != LifecycleState::Dead)
            repoint(sa->policy);
    for (auto& [spi, sa] : v2_sas)
        if (sa->lifecycle.state() != LifecycleState::Dead)
            repoint(sa->policy);
    if (auto holders = holders_of(*retired, nullptr); !holders.empty())
        retired_configs.push_back(RetiredConfig{std::move(retired), std::move(holders)});
    release_retired_configs();
    diff.configurations_kept = retired_configs.size();
    // 4. Renegotiate (or start) what initiates: a dynamic SA that changed or
    //    was added, and every SA of a changed or added IKE policy. Before the
    //    first tick, the tick starts everything anyway.
    if (!started)
        return diff;
    std::set<std::string> to_start;
    for (auto& c : diff.changes) {
        if (c.kind == PolicyChange::Kind::Removed)
            continue;
        for (const auto& p : config.ipsec_policies) {
            const bool ours = c.subject == PolicyChange::Subject::IpsecSa
                                  ? p.name == c.name
                                  : p.peer.to_string() == c.name;
            if (ours && p.initiate_on_start) {
                to_start.insert(p.name);
                c.renegotiating = true;
            }
        }
    }
    for (const auto& name : to_start) {
        const bool up = std::any_of(ipsec_sas.begin(), ipsec_sas.end(),
                                    [&](const auto& rec) { return rec.info.name == name; });
        if (!up || dropped_ipsec.count(name))
            initiate(name);
    }
    return diff;
}

std::set<std::uint64_t> Engine::Impl::holders_of(const EngineConfig& retired, const std::set<std::uint64_t>* among) const
{
    const auto points_into = [&](const IkePolicy* p) {
        const auto& v = retired.ike_policies;
        return p && !v.empty() && std::less_equal<const IkePolicy*>()(v.data(), p) &&
               std::less<const IkePolicy*>()(p, v.data() + v.size());
    };
    std::set<std::uint64_t> out;
    const auto visit = [&](std::uint64_t serial, const IkePolicy* policy, bool in_flight) {
        if ((!among || among->count(serial)) && (in_flight || points_into(policy)))
            out.insert(serial);
    };
    for (const auto& [ck, sa] : ike_sas)
        visit(sa->serial, sa->policy, sa->phase1 || !sa->quick_modes.empty());
    for (const auto& [spi, sa] : v2_sas)
        visit(sa->serial, sa->policy, sa->task || sa->child_task || !sa->queued.empty());
    return out;
}

void Engine::Impl::release_retired_configs()
{
    next_release_ms = now + 1000;
    std::erase_if(retired_configs, [&](RetiredConfig& r) {
        r.holders = holders_of(*r.config, &r.holders);
        return r.holders.empty();
    });
}

const IkePolicy* Engine::Impl::ike_policy_exact(const Ipv4Address& peer) const
{
    for (const auto& p : config.ike_policies)
        if (p.peer == peer)
            return &p;
    return nullptr;
}

ConfigDiff Engine::reconfigure(EngineConfig config)
{
    auto diff = m_impl->reconfigure(std::move(config));
    for (const auto& line : diff.lines())
        m_impl->log->info("reconfigure: {}", line);
    return diff;
}

}  // namespace picsec::ike
