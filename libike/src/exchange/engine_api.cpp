// The engine's public face: Engine's methods over Engine::Impl, and the
// text forms of its public enums.
#include "engine_impl.h"

#include <algorithm>

namespace picsec::ike {

using detail::LifecycleState;

std::string_view to_string(Role r)
{
    switch (r) {
    case Role::Initiator: return "initiator";
    case Role::Responder: return "responder";
    }
    return "?";
}

std::string_view to_string(IkeSaState s)
{
    switch (s) {
    case IkeSaState::Negotiating: return "negotiating";
    case IkeSaState::Established: return "established";
    case IkeSaState::Rekeying: return "rekeying";
    case IkeSaState::Dead: return "dead";
    }
    return "?";
}

std::string_view to_string(InstallResult::Status s)
{
    switch (s) {
    case InstallResult::Status::Installed: return "installed";
    case InstallResult::Status::AdmissionLimit: return "admission limit";
    case InstallResult::Status::Rejected: return "rejected";
    }
    return "?";
}

std::string_view to_string(FailureReason r)
{
    switch (r) {
    case FailureReason::NoProposalChosen: return "no proposal chosen";
    case FailureReason::AuthenticationFailed: return "authentication failed";
    case FailureReason::Timeout: return "timeout";
    case FailureReason::PeerNotify: return "peer notify";
    case FailureReason::AdmissionLimit: return "admission limit";
    case FailureReason::InstallFailed: return "install failed";
    case FailureReason::NoPolicy: return "no policy";
    case FailureReason::Internal: return "internal error";
    }
    return "?";
}

std::string_view to_string(DeleteReason r)
{
    switch (r) {
    case DeleteReason::PeerDelete: return "peer delete";
    case DeleteReason::LocalClear: return "local clear";
    case DeleteReason::HardExpiry: return "hard expiry";
    case DeleteReason::Rekeyed: return "rekeyed";
    case DeleteReason::PeerDead: return "peer dead";
    case DeleteReason::Reconfigured: return "reconfigured";
    }
    return "?";
}

std::string ClientId::to_string() const { return address.to_string() + "/" + std::to_string(prefix_length); }

bool ClientId::contains(const ClientId& other) const {
    if (other.prefix_length < prefix_length || prefix_length > 32) return false;
    const std::uint32_t mask = prefix_length == 0 ? 0 : ~std::uint32_t{0} << (32 - prefix_length);
    return (address.to_uint() & mask) == (other.address.to_uint() & mask);
}

Engine::Engine(EngineConfig config, Callbacks& callbacks, Botan::RandomNumberGenerator& rng)
    : m_impl(std::make_unique<Impl>(std::move(config), callbacks, rng))
{
}

Engine::~Engine() = default;

void Engine::received_datagram(std::span<const std::uint8_t> bytes, Endpoint from, Endpoint to)
{
    try {
        m_impl->received(bytes, from, to);
    } catch (const std::exception& e) {
        // Hostile input never crashes the engine: anything unforeseen drops the datagram.
        m_impl->log->warn("from {}: datagram dropped: {}", from.to_string(), e.what());
    }
}

void Engine::tick(std::uint64_t now_ms)
{
    m_impl->now = std::max(m_impl->now, now_ms);
    m_impl->on_tick();
}

bool Engine::initiate(std::string_view name) { return m_impl->initiate(name); }

void Engine::clear_ike(const Ipv4Address& peer)
{
    for (auto& [c, sa] : m_impl->ike_sas) {
        if (sa->peer.address != peer || sa->lifecycle.state() == LifecycleState::Dead)
            continue;
        if (sa->established())
            m_impl->send_delete_ike(*sa);
        m_impl->kill(*sa, DeleteReason::LocalClear);
    }
    for (auto& [spi, sa] : m_impl->v2_sas)
        if (sa->peer.address == peer)
            m_impl->v2_delete_ike(*sa, DeleteReason::LocalClear, sa->established());
}

void Engine::clear_ipsec(std::string_view name)
{
    auto& sas = m_impl->ipsec_sas;
    for (std::size_t i = sas.size(); i-- > 0;)
        if (name.empty() || sas[i].info.name == name)
            m_impl->remove_ipsec(i, DeleteReason::LocalClear, true);
}

std::vector<IkeSaInfo> Engine::ike_security_associations() const
{
    std::vector<IkeSaInfo> out;
    for (const auto& [c, sa] : m_impl->ike_sas)
        if (sa->lifecycle.state() != LifecycleState::Dead)
            out.push_back(m_impl->info(*sa));
    for (const auto& [spi, sa] : m_impl->v2_sas) {
        if (sa->lifecycle.state() == LifecycleState::Dead)
            continue;
        auto info = m_impl->v2_info(*sa);
        for (const auto& rec : m_impl->ipsec_sas)
            if (rec.ike_serial == sa->serial)
                info.child_sas.push_back({rec.info.name, rec.info.inbound_spi, rec.info.outbound_spi});
        out.push_back(std::move(info));
    }
    return out;
}

std::vector<IpsecSaInfo> Engine::ipsec_security_associations() const
{
    std::vector<IpsecSaInfo> out;
    for (const auto& rec : m_impl->ipsec_sas) {
        auto i = rec.info;
        i.lifetime_remaining_ms = rec.hard_at_ms > m_impl->now ? rec.hard_at_ms - m_impl->now : 0;
        out.push_back(std::move(i));
    }
    return out;
}

std::vector<IkeKeyExport> Engine::export_ike_keys() const
{
    std::vector<IkeKeyExport> out;
    if (!m_impl->config.log_keys)
        return out;
    for (const auto& [c, sa] : m_impl->ike_sas) {
        if (!sa->keys)
            continue;
        IkeKeyExport e;
        e.initiator_cookie = sa->cky_i;
        e.responder_cookie = sa->cky_r;
        e.encryption_key = sa->keys->ka;
        out.push_back(std::move(e));
    }
    // RFC 7296 2.14: SK_ei/SK_ai protect what the original initiator sends,
    // SK_er/SK_ar the responder's messages.
    for (const auto& [spi, sa] : m_impl->v2_sas) {
        if (!sa->sa)
            continue;
        const auto& k = sa->sa->keys;
        IkeKeyExport e;
        e.version = IkeVersion::V2;
        e.initiator_cookie = sa->spi_i;
        e.responder_cookie = sa->spi_r;
        e.sk_ei = k.keys.sk_ei;
        e.sk_er = k.keys.sk_er;
        e.sk_ai = k.keys.sk_ai;
        e.sk_ar = k.keys.sk_ar;
        e.encryption = k.suite.encr;
        e.integrity = k.suite.integ;
        out.push_back(std::move(e));
    }
    return out;
}

}  // namespace picsec::ike
