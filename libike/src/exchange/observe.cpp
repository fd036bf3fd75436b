// Internal: serialises the engine's observable state (observe.h) in a fixed
// order, so that two observations compare equal exactly when nothing an
// outside party could influence has changed.
#include "observe.h"

#include "engine_impl.h"

#include "picsec/base/algorithms.h"
#include "picsec/ike/v2/payload.h"

#include <sstream>

namespace picsec::ike::detail {

namespace {

/// FNV-1a over the bytes: the digest needs equality, not the bytes themselves.
std::string fingerprint(std::span<const std::uint8_t> bytes)
{
    std::uint64_t h = 1469598103934665603ULL;
    for (auto b : bytes) {
        h ^= b;
        h *= 1099511628211ULL;
    }
    std::ostringstream o;
    o << bytes.size() << ':' << std::hex << h;
    return o.str();
}

class Lines {
public:
    template <typename T>
    Lines& add(const char* name, const T& value)
    {
        m_out << name << '=' << value << '\n';
        return *this;
    }
    Lines& bytes(const char* name, std::span<const std::uint8_t> b) { return add(name, fingerprint(b)); }
    std::string str() const { return m_out.str(); }

private:
    std::ostringstream m_out;
};

std::string endpoint(const Endpoint& e) { return e.to_string(); }

void retransmitter(Lines& l, const char* prefix, const Retransmitter& r)
{
    const std::string p = prefix;
    l.add((p + ".armed").c_str(), r.armed());
    if (r.armed()) {
        l.add((p + ".retries").c_str(), r.retries());
        l.add((p + ".deadline").c_str(), r.deadline());
        for (std::size_t i = 0; i < r.datagrams().size(); ++i)
            l.bytes((p + ".message" + (i ? "." + std::to_string(i) : std::string())).c_str(), r.datagrams()[i]);
    }
}

void cache(Lines& l, const char* prefix, const ResponseCache& c)
{
    const std::string p = prefix;
    l.bytes((p + ".request").c_str(), c.request());
    l.bytes((p + ".response").c_str(), c.response());
    for (std::size_t i = 1; i < c.responses().size(); ++i)
        l.bytes((p + ".response." + std::to_string(i)).c_str(), c.responses()[i]);
}

std::string iv_of(const IkeSa& sa, std::uint32_t message_id)
{
    if (!sa.ivs)
        return "none";
    try {
        return fingerprint(sa.ivs->peek(message_id));
    } catch (const std::exception&) {
        return "unset";
    }
}

}  // namespace

/// Reads the tasks' material, which only they and this oracle see.
class ObserveTasks {
public:
    static void phase1(Lines& l, const Phase1Task& t)
    {
        l.add("phase1.mode", ike::to_string(t.m_mode)).add("phase1.role", to_string(t.m_role)).add("phase1.next", t.m_next);
        l.bytes("phase1.sa_i_b", t.m_sa_i_b);
        l.add("phase1.dh", t.m_dh ? fingerprint(t.m_dh->public_value()) : std::string("none"));
        l.bytes("phase1.g_xi", t.m_g_xi).bytes("phase1.g_xr", t.m_g_xr).bytes("phase1.ni", t.m_ni).bytes("phase1.nr", t.m_nr);
        l.bytes("phase1.id_i_b", t.m_id_i_b).bytes("phase1.id_r_b", t.m_id_r_b);
        l.add("phase1.choice", t.m_choice ? t.m_choice->proposal.name : std::string("none"));
        l.add("phase1.keys", t.m_keys.has_value()).add("phase1.peer_nat_t", t.m_peer_nat_t);
        l.add("phase1.reply", t.m_reply.has_value());
    }
    static void quick_mode(Lines& l, const std::string& p, const QuickModeTask& t)
    {
        l.add((p + ".role").c_str(), to_string(t.m_role)).add((p + ".sa").c_str(), t.m_sa_name);
        l.add((p + ".policy").c_str(), t.m_policy ? t.m_policy->name : std::string("none"));
        l.bytes((p + ".ni").c_str(), t.m_ni).bytes((p + ".nr").c_str(), t.m_nr);
        l.add((p + ".dh").c_str(), t.m_dh ? fingerprint(t.m_dh->public_value()) : std::string("none"));
        l.bytes((p + ".peer_ke").c_str(), t.m_peer_ke);
        l.add((p + ".spi").c_str(), t.m_our_spi).add((p + ".aux_spi").c_str(), t.m_our_aux_spi);
        l.add((p + ".choice").c_str(), t.m_choice ? t.m_choice->proposal.name : std::string("none"));
    }
};

namespace v2 {

/// Reads the IKEv2 task's material (IkeAuthTask names this class its friend).
class ObserveTasks {
public:
    static void ike_auth(Lines& l, const IkeAuthTask& t)
    {
        l.add("task.role", to_string(t.m_role)).add("task.step", static_cast<int>(t.m_step));
        l.add("task.spi_i", to_hex(t.m_spi_i)).add("task.spi_r", to_hex(t.m_spi_r));
        l.add("task.child", t.m_child ? t.m_child->name : std::string("none"));
        l.add("task.dh", t.m_dh ? fingerprint(t.m_dh->public_value()) : std::string("none"));
        l.add("task.choice", t.m_choice ? t.m_choice->proposal.name : std::string("none"));
        l.add("task.group", t.m_group ? std::string(algo::keyword(*t.m_group)) : std::string("none"));
        l.bytes("task.cookie", t.m_cookie).bytes("task.ni", t.m_ni).bytes("task.nr", t.m_nr);
        l.bytes("task.peer_ke", t.m_peer_ke);
        l.bytes("task.init_request", t.m_init_request).bytes("task.init_response", t.m_init_response);
        l.add("task.keys", t.m_keys.has_value()).add("task.child_spi", t.m_child_spi);
        l.add("task.nat_detected", t.m_nat_detected).add("task.transport", t.m_transport);
        std::size_t held = 0;
        for (const auto& part : t.m_fragments.parts)
            held += part.has_value();
        l.add("task.fragments", std::to_string(t.m_fragments.message_id) + "/" +
                                    std::to_string(t.m_fragments.total) + "/" + std::to_string(held));
    }
    static bool keys(const IkeAuthTask& t) { return t.m_keys.has_value(); }
};

}  // namespace v2

namespace {

std::string describe_sa(const IkeSa& sa)
{
    Lines l;
    l.add("role", to_string(sa.role)).add("mode", ike::to_string(sa.mode)).add("state", to_string(sa.lifecycle.state()));
    l.add("local", endpoint(sa.local)).add("peer", endpoint(sa.peer));
    l.add("cky_i", to_hex(sa.cky_i)).add("cky_r", to_hex(sa.cky_r));
    l.add("policy", sa.policy ? sa.policy->peer.to_string() : std::string("none"));
    l.add("choice", sa.choice ? sa.choice->proposal.name + "/" + std::to_string(sa.choice->lifetime_seconds)
                              : std::string("none"));
    if (sa.phase1)
        ObserveTasks::phase1(l, *sa.phase1);
    else
        l.add("phase1", "none");
    l.add("keys", sa.keys.has_value());
    // RFC 2409 App. B: the phase-1 chain and the chain of every exchange in flight.
    l.add("iv.phase1", iv_of(sa, 0));
    retransmitter(l, "rtx", sa.rtx);
    cache(l, "cache", sa.cache);
    for (const auto& [id, qm] : sa.quick_modes) {
        const std::string p = "qm." + std::to_string(id);
        ObserveTasks::quick_mode(l, p, qm.task);
        l.add((p + ".iv").c_str(), iv_of(sa, id));
        retransmitter(l, (p + ".rtx").c_str(), qm.rtx);
        cache(l, (p + ".cache").c_str(), qm.cache);
        l.add((p + ".installed").c_str(), qm.installed).add((p + ".started").c_str(), qm.started_ms);
    }
    std::ostringstream ids;
    for (auto id : sa.completed_ids)
        ids << std::hex << id << ' ';
    l.add("completed_ids", ids.str());
    std::string pending;
    for (const auto& p : sa.pending)
        pending += p + ' ';
    l.add("pending", pending);
    l.add("peer_nat_t", sa.peer_nat_t).add("peer_dpd", sa.peer_dpd).add("nat_detected", sa.nat_detected);
    l.add("floated", sa.floated).add("peer_has_keys", sa.peer_has_keys);
    l.add("last_heard", sa.last_heard_ms).add("dpd_seq", sa.dpd_seq).add("dpd_outstanding", sa.dpd_outstanding);
    l.add("dpd_next", sa.dpd_next_ms);
    l.add("created", sa.created_ms).add("established", sa.established_ms).add("rekey_at", sa.rekey_at_ms);
    l.add("hard_at", sa.hard_at_ms).add("half_open_deadline", sa.half_open_deadline_ms);
    l.add("peer_id", sa.peer_id).add("peer_subject", sa.peer_subject).add("peer_ca", sa.peer_ca);
    return l.str();
}

/// One IKEv2 SA: everything but drop_note (a dropped datagram may set it).
std::string describe_v2_sa(const v2::IkeSa& sa)
{
    Lines l;
    l.add("role", to_string(sa.role)).add("state", to_string(sa.lifecycle.state()));
    l.add("local", endpoint(sa.local)).add("peer", endpoint(sa.peer));
    l.add("spi_i", to_hex(sa.spi_i)).add("spi_r", to_hex(sa.spi_r));
    l.add("policy", sa.policy ? sa.policy->peer.to_string() : std::string("none"));
    if (sa.task)
        v2::ObserveTasks::ike_auth(l, *sa.task);
    else
        l.add("task", "none");
    if (sa.sa) {
        l.add("keys", "yes").add("keys.role", to_string(sa.sa->keys.role));
        l.add("keys.sk_d", sa.sa->keys.keys.sk_d.size()).add("keys.sk_ei", sa.sa->keys.keys.sk_ei.size());
        l.add("choice", sa.sa->choice.proposal.name).add("sa.spi_r", to_hex(sa.sa->spi_r));
        l.add("sa.peer_id", sa.sa->peer_id).add("sa.nat_detected", sa.sa->nat_detected);
    } else {
        l.add("keys", "none");
    }
    // RFC 7296 2.3: the message-ID window.
    l.add("next_request_id", sa.next_request_id).add("peer_next_id", sa.peer_next_id);
    retransmitter(l, "rtx", sa.rtx);
    l.add("outstanding_id", sa.outstanding_id);
    cache(l, "cache", sa.cache);
    std::ostringstream queued;
    for (const auto& request : sa.queued) {
        queued << '[' << static_cast<int>(request.exchange) << (request.task ? "+task " : " ");
        for (const auto& p : request.payloads)
            queued << fingerprint(ike::v2::make_payload(p).body) << ' ';
        queued << ']';
    }
    l.add("queued", queued.str());
    l.add("child_task", sa.child_task ? static_cast<int>(sa.child_task->kind()) : -1);
    std::size_t held = 0;
    for (const auto& part : sa.fragments.parts)
        held += part.has_value();
    l.add("fragments", std::to_string(sa.fragments.message_id) + "/" + std::to_string(sa.fragments.total) + "/" +
                           std::to_string(held));
    l.add("floated", sa.floated).add("nat_detected", sa.nat_detected);
    std::string pending;
    for (const auto& p : sa.pending)
        pending += p + ' ';
    l.add("pending", pending);
    l.add("created", sa.created_ms).add("established", sa.established_ms).add("hard_at", sa.hard_at_ms);
    l.add("rekey_at", sa.rekey_at_ms);
    l.add("half_open_deadline", sa.half_open_deadline_ms).add("last_heard", sa.last_heard_ms);
    return l.str();
}

std::string describe_index(const std::vector<std::pair<Cookie, std::uint64_t>>& index)
{
    std::string out;
    for (const auto& [cky, serial] : index)
        out += std::to_string(serial) + "/" + to_hex(cky) + ' ';
    return out;
}

std::string describe_ipsec(const IpsecSaRecord& r)
{
    std::ostringstream o;
    o << r.info.name << ' ' << endpoint(r.info.local) << '>' << endpoint(r.info.peer) << " spi " << std::hex
      << r.info.inbound_spi << '/' << r.info.outbound_spi << '/' << r.info.inbound_auxiliary_spi << '/'
      << r.info.outbound_auxiliary_spi << std::dec << " udp " << r.info.udp_encapsulated << " ike " << r.ike_serial
      << " peer_id " << r.peer_id << " installed " << r.installed_ms << " rekey_at " << r.rekey_at_ms << " hard_at "
      << r.hard_at_ms << " rekey_started " << r.rekey_started << " role " << to_string(r.role);
    return o.str();
}

/// The first line where two "name=value" texts differ, as "name: a -> b".
std::string first_line_difference(const std::string& a, const std::string& b)
{
    std::istringstream ia(a), ib(b);
    std::string la, lb;
    while (true) {
        const bool ga = static_cast<bool>(std::getline(ia, la));
        const bool gb = static_cast<bool>(std::getline(ib, lb));
        if (!ga && !gb)
            return {};
        if (!ga)
            la.clear();
        if (!gb)
            lb.clear();
        if (la != lb)
            return la + " -> " + lb;
    }
}

}  // namespace

ObservedState observe(const Engine& engine)
{
    const Engine::Impl& impl = *engine.m_impl;
    ObservedState out;
    for (const auto& [cky, sa] : impl.ike_sas) {
        ObservedSa o;
        o.role = sa->role;
        o.mode = sa->mode;
        o.state = std::string(to_string(sa->lifecycle.state()));
        o.negotiating = sa->lifecycle.state() == LifecycleState::Negotiating;
        o.keys = sa->keys.has_value();
        o.peer = sa->peer;
        o.fields = describe_sa(*sa);
        out.ike_sas.emplace(std::to_string(sa->serial) + "/" + to_hex(cky), std::move(o));
    }
    for (const auto& [spi, sa] : impl.v2_sas) {
        ObservedSa o;
        o.version = IkeVersion::V2;
        o.role = sa->role;
        o.state = std::string(to_string(sa->lifecycle.state()));
        o.negotiating = sa->lifecycle.state() == LifecycleState::Negotiating;
        o.keys = sa->sa.has_value() || (sa->task && v2::ObserveTasks::keys(*sa->task));
        o.awaiting_init_response = sa->task && sa->task->awaiting_init_response();
        o.peer = sa->peer;
        o.fields = describe_v2_sa(*sa);
        out.ike_sas.emplace(std::to_string(sa->serial) + "/" + to_hex(sa->spi_i), std::move(o));
    }
    out.engine["now"] = std::to_string(impl.now);
    out.engine["started"] = impl.started ? "yes" : "no";
    out.engine["half_open"] = describe_index(impl.half_open);
    out.engine["rekeying"] = describe_index(impl.rekeying);
    std::string ipsec;
    for (const auto& r : impl.ipsec_sas)
        ipsec += describe_ipsec(r) + "; ";
    out.engine["ipsec_sas"] = ipsec;
    std::string contacted;
    for (const auto& [peer, sent] : impl.contacted)
        contacted += Ipv4Address::from_uint(peer).to_string() + (sent ? "+ " : "- ");
    out.engine["contacted"] = contacted;
    return out;
}

std::map<std::string, std::string> changed_sas(const ObservedState& before, const ObservedState& after)
{
    std::map<std::string, std::string> out;
    for (const auto& [key, sa] : before.ike_sas) {
        const auto it = after.ike_sas.find(key);
        if (it == after.ike_sas.end())
            out[key] = "removed (was " + sa.state + ")";
        else if (it->second.fields != sa.fields)
            out[key] = first_line_difference(sa.fields, it->second.fields);
    }
    for (const auto& [key, sa] : after.ike_sas)
        if (!before.ike_sas.count(key))
            out[key] = "added (" + sa.state + ", " + std::string(to_string(sa.role)) + ")";
    return out;
}

std::string first_difference(const ObservedState& before, const ObservedState& after)
{
    for (const auto& [key, what] : changed_sas(before, after))
        return "IKE SA " + key + ": " + what;
    for (const auto& [name, value] : before.engine) {
        const auto it = after.engine.find(name);
        const std::string now = it == after.engine.end() ? std::string("(none)") : it->second;
        if (now != value)
            return name + ": " + value + " -> " + now;
    }
    for (const auto& [name, value] : after.engine)
        if (!before.engine.count(name))
            return name + ": (none) -> " + value;
    return {};
}

}  // namespace picsec::ike::detail
