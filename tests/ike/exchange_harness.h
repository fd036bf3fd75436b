// Two in-memory engines wired together with deterministic RNGs and a
// recording SA installer, stepped one datagram at a time.
#pragma once

#include "picsec/ike/engine.h"

#include <botan/chacha_rng.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <deque>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace picsec::ike::test {

struct Datagram {
    Endpoint from, to;
    std::vector<std::uint8_t> bytes;
};

/// Records everything an engine does outward; refuses installs past `limit`
/// (the PIC's admission limit) without keeping anything.
class RecordingNode : public Callbacks {
public:
    std::deque<Datagram> outbox;
    std::map<std::uint32_t, DynamicSaPair> installed;  ///< by inbound SPI
    std::vector<SaPairId> deleted;
    std::vector<IkeSaInfo> p1_up;
    std::vector<Phase1Failure> p1_failed;
    std::vector<IpsecSaInfo> p2_up;
    std::vector<Phase2Failure> p2_failed;
    std::vector<std::pair<IkeSaInfo, DeleteReason>> ike_deleted;
    std::vector<std::pair<IpsecSaInfo, DeleteReason>> ipsec_deleted;
    std::vector<MessageEvent> received;  ///< every message dispatched, as the engine decoded it
    std::vector<MessageEvent> sent_events;  ///< every message built and sent (no retransmissions)
    bool events = true;                     ///< what wants_message_events() answers
    std::size_t limit = 512;
    std::size_t refused = 0;
    std::size_t sent = 0;

    void send_datagram(const Endpoint& from, const Endpoint& to, std::span<const std::uint8_t> bytes) override
    {
        ++sent;
        outbox.push_back(Datagram{from, to, {bytes.begin(), bytes.end()}});
    }
    InstallResult install_sa(const DynamicSaPair& pair) override
    {
        if (installed.size() >= limit) {
            ++refused;
            return InstallResult{InstallResult::Status::AdmissionLimit, "512 SAs on es-1/0/0"};
        }
        installed.emplace(pair.inbound.spi, pair);
        return InstallResult::installed();
    }
    void delete_sa(const SaPairId& id) override
    {
        deleted.push_back(id);
        installed.erase(id.inbound_spi);
    }
    void phase1_up(const IkeSaInfo& i) override { p1_up.push_back(i); }
    void phase1_failed(const Phase1Failure& f) override { p1_failed.push_back(f); }
    void phase2_up(const IpsecSaInfo& i) override { p2_up.push_back(i); }
    void phase2_failed(const Phase2Failure& f) override { p2_failed.push_back(f); }
    void ike_sa_deleted(const IkeSaInfo& i, DeleteReason r) override { ike_deleted.emplace_back(i, r); }
    void ipsec_sa_deleted(const IpsecSaInfo& i, DeleteReason r) override { ipsec_deleted.emplace_back(i, r); }
    void message_received(const MessageEvent& e) override { received.push_back(e); }
    void message_sent(const MessageEvent& e) override { sent_events.push_back(e); }
    bool wants_message_events() const override { return events; }
};

inline Ipv4Address addr(const char* s) { return *Ipv4Address::parse(s); }

inline negotiation::IkeProposal ike_proposal(std::string name = "p1")
{
    negotiation::IkeProposal p;
    p.name = std::move(name);
    p.encryption = sadb::EncryptionAlgorithm::TripleDesCbc;
    p.hash = crypto::HashAlgorithm::Sha1;
    p.group = crypto::DhGroup::Modp1024;
    p.lifetime_seconds = 3600;
    return p;
}

inline negotiation::IpsecProposal ipsec_proposal(std::string name = "esp-3des-sha")
{
    negotiation::IpsecProposal p;
    p.name = std::move(name);
    p.protocol = sadb::Protocol::Esp;
    p.encryption = sadb::EncryptionAlgorithm::TripleDesCbc;
    p.authentication = sadb::AuthenticationAlgorithm::HmacSha1_96;
    p.lifetime_seconds = 28800;
    return p;
}

inline Botan::secure_vector<std::uint8_t> psk(const std::string& s) { return {s.begin(), s.end()}; }

/// A's and B's configuration: tunnel SA "sa1" between 10.0.0.1 and 10.0.0.2.
inline EngineConfig make_config(const char* self, const char* peer, bool initiator)
{
    EngineConfig c;
    c.local = Endpoint{addr(self), 500};
    IkePolicy ip;
    ip.peer = addr(peer);
    ip.proposals = {ike_proposal()};
    ip.pre_shared_key = psk("juniper123");
    c.ike_policies.push_back(ip);
    IpsecSaPolicy sp;
    sp.name = "sa1";
    sp.peer = addr(peer);
    sp.local_client = ClientId{addr("0.0.0.0"), 0};
    sp.peer_client = ClientId{addr("0.0.0.0"), 0};
    sp.proposals = {ipsec_proposal()};
    sp.replay_window = 32;
    sp.initiate_on_start = initiator;
    c.ipsec_policies.push_back(sp);
    c.timers.rekey_jitter_ms = 0;
    return c;
}

/// Two engines, A (10.0.0.1, the initiator) and B (10.0.0.2).
class Pair {
public:
    Pair(EngineConfig a, EngineConfig b)
        : m_log(std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::ostream_sink_mt>(log_text)))
    {
        m_log->set_level(spdlog::level::debug);
        a.logger = m_log;
        b.logger = m_log;
        ea = std::make_unique<Engine>(std::move(a), na, rng_a);
        eb = std::make_unique<Engine>(std::move(b), nb, rng_b);
    }
    Pair() : Pair(make_config("10.0.0.1", "10.0.0.2", true), make_config("10.0.0.2", "10.0.0.1", false)) {}

    /// Delivers the oldest datagram A sent to B; false when there is none.
    bool a_to_b() { return deliver(na, *eb); }
    bool b_to_a() { return deliver(nb, *ea); }
    /// Drops the oldest datagram in an outbox.
    void drop_from_a() { na.outbox.pop_front(); }
    void drop_from_b() { nb.outbox.pop_front(); }
    /// Runs until both outboxes are empty (bounded).
    void settle()
    {
        for (int i = 0; i < 200 && (!na.outbox.empty() || !nb.outbox.empty()); ++i) {
            a_to_b();
            b_to_a();
        }
    }
    void tick(std::uint64_t now)
    {
        ea->tick(now);
        eb->tick(now);
    }

    std::ostringstream log_text;
    RecordingNode na, nb;
    Botan::ChaCha_RNG rng_a{Botan::secure_vector<std::uint8_t>(32, 0xa1)};
    Botan::ChaCha_RNG rng_b{Botan::secure_vector<std::uint8_t>(32, 0xb2)};
    std::unique_ptr<Engine> ea, eb;

private:
    static bool deliver(RecordingNode& from, Engine& to)
    {
        if (from.outbox.empty())
            return false;
        auto d = std::move(from.outbox.front());
        from.outbox.pop_front();
        to.received_datagram(d.bytes, d.from, d.to);
        return true;
    }
    std::shared_ptr<spdlog::logger> m_log;
};

}  // namespace picsec::ike::test
