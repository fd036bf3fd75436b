// Two engines (initiator 10.0.0.1, responder 10.0.0.2) run an honest IKEv1
// or IKEv2 exchange step by step while an on-path third party without keys replays,
// mutates and forges datagrams. The oracle: a datagram the third party
// injects changes neither engine's observable state (libike's observe.h),
// installs or deletes no SA and sends nothing new. Liveness: once the honest
// messages are all delivered, phase 1 and an IPsec SA pair are up on both.
// Shared by the fuzz_stateful libFuzzer target and its regression test.
//
// Input: one options byte, then actions of 4 bytes (op, a1, a2, a3):
//   options: bit 0 Aggressive Mode, bit 1 the initiator forces NAT-T (floats
//            to 4500), bit 2 PFS (group 1; IKEv2: in CREATE_CHILD_SA, as
//            IKE_AUTH has none), bit 3 DPD (IKEv2: liveness checks) every
//            20 s, bit 4 IKEv2 on both sides (bit 0 then means nothing),
//            bit 5 the services PIC's algorithms instead of the ES PIC's:
//            AES-256-CBC, SHA-256 and ECP-256 (group 19) for IKE, ESP
//            AES-GCM-16-128, PFS with group 19; bit 6 (IKEv2) the responder
//            asks every IKE_SA_INIT for a COOKIE (RFC 7296 2.6) and both
//            sides send protected messages as 200-byte fragments (RFC 7383)
//   op & 7: 0, 1 deliver the oldest honest datagram in flight
//           2 drop it            3 duplicate it (deliver a copy, keep it)
//           4 delay it (move it to position a1)
//           5 advance the clock by (a1 + 1) * 125 ms; op bit 3: deliver
//             everything in flight first. IKEv2 only, op bits 4-5 not 0: an
//             operator command instead, on the initiator (a1 even) or the
//             responder: 1 clear the Child SA (INFORMATIONAL Delete ESP),
//             2 clear the IKE SA (Delete IKE), 3 initiate the Child SA
//           6 inject honest datagram a1 (any sent so far), op bits 3-5 = how:
//             0 as sent, 1 bit flip, 2 truncated, 3 exchange type, 4 flags,
//             5 message ID byte, 6 next payload, 7 responder cookie zeroed
//           7 forge, op bits 3-5 = what (forge() or forge_v2() below),
//             about datagram a1
//   a2 bit 0: to the datagram's receiver (else back to its sender);
//   a2 bits 1-2: ports (0 as sent, 1 4500->4500, 2 to 4500 and 3 to 500 from
//   port 1024 + a3)
#pragma once

#include "observe.h"

#include "picsec/ike/codec/message.h"
#include "picsec/ike/codec/payload_delete.h"
#include "picsec/ike/codec/payload_hash.h"
#include "picsec/ike/codec/payload_notify.h"
#include "picsec/ike/codec/raw_payload.h"
#include "picsec/ike/engine.h"

#include <botan/chacha_rng.h>
#include <spdlog/logger.h>
#include <spdlog/sinks/null_sink.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <map>
#include <memory>
#include <set>
#include <span>
#include <string>
#include <tuple>
#include <vector>

namespace picsec::ike::fuzz::stateful {

using Bytes = std::vector<std::uint8_t>;

inline Ipv4Address address_a() { return Ipv4Address{{10, 0, 0, 1}}; }
inline Ipv4Address address_b() { return Ipv4Address{{10, 0, 0, 2}}; }

struct Options {
    bool aggressive = false;
    bool nat_t = false;
    bool pfs = false;
    bool dpd = false;
    bool v2 = false;  ///< IKEv2 on both sides
    bool modern = false;  ///< AES, SHA-256, ECP-256 and ESP AES-GCM (services PIC)
    bool cookies_fragments = false;  ///< IKEv2: COOKIE on every IKE_SA_INIT, 200-byte fragments
};

constexpr std::size_t k_max_half_open = 8;
constexpr std::size_t k_max_half_open_per_peer = 4;
constexpr std::size_t k_max_ike_sas = 64;

inline EngineConfig config_for(bool initiator, const Options& o)
{
    EngineConfig c;
    const Ipv4Address self = initiator ? address_a() : address_b();
    const Ipv4Address peer = initiator ? address_b() : address_a();
    c.local = Endpoint{self, 500};
    IkePolicy ike;
    ike.peer = peer;
    ike.mode = o.aggressive ? ExchangeMode::Aggressive : ExchangeMode::Main;
    ike.version = o.v2 ? IkeVersion::V2 : IkeVersion::V1;
    negotiation::IkeProposal p1;
    p1.name = "3des-sha1-g1";
    p1.encryption = sadb::EncryptionAlgorithm::TripleDesCbc;
    p1.hash = crypto::HashAlgorithm::Sha1;
    p1.group = crypto::DhGroup::Modp768;
    p1.lifetime_seconds = 300;
    if (o.modern) {
        p1.name = "aes256-sha256-g19";
        p1.encryption = sadb::EncryptionAlgorithm::Aes256Cbc;
        p1.hash = crypto::HashAlgorithm::Sha256;
        p1.group = crypto::DhGroup::Ecp256;
    }
    ike.proposals = {p1};
    const std::string key = "stateful-fuzz-key";
    ike.pre_shared_key.assign(key.begin(), key.end());
    c.ike_policies.push_back(ike);
    IpsecSaPolicy sa;
    sa.name = "tunnel";
    sa.peer = peer;
    sa.local_client = ClientId{Ipv4Address{}, 0};
    sa.peer_client = ClientId{Ipv4Address{}, 0};
    negotiation::IpsecProposal p2;
    p2.name = "esp-3des-sha";
    p2.protocol = sadb::Protocol::Esp;
    p2.encryption = sadb::EncryptionAlgorithm::TripleDesCbc;
    p2.authentication = sadb::AuthenticationAlgorithm::HmacSha1_96;
    p2.lifetime_seconds = 200;
    if (o.modern) {
        p2.name = "esp-aes128-gcm";
        p2.encryption = sadb::EncryptionAlgorithm::Aes128Gcm16;
        p2.authentication.reset();  // RFC 4106 8.4
    }
    sa.proposals = {p2};
    if (o.pfs)
        sa.pfs_group = o.modern ? crypto::DhGroup::Ecp256 : crypto::DhGroup::Modp768;
    sa.initiate_on_start = initiator;
    c.ipsec_policies.push_back(sa);
    c.timers.retransmit_base_ms = 1000;
    c.timers.max_retries = 3;
    c.timers.dpd_interval_ms = o.dpd ? 20000 : 0;
    c.timers.rekey_margin_ms = 60000;
    c.timers.rekey_jitter_ms = 0;
    c.timers.half_open_timeout_ms = 30000;
    c.force_nat_t = initiator && o.nat_t;
    c.max_half_open = k_max_half_open;
    c.max_half_open_per_peer = k_max_half_open_per_peer;
    c.max_ike_sas = k_max_ike_sas;
    if (o.cookies_fragments) {
        c.cookie_threshold = 0;
        c.fragment_size = 200;
    }
    c.logger = [] {
        static auto log = [] {
            auto l = std::make_shared<spdlog::logger>("stateful", std::make_shared<spdlog::sinks::null_sink_st>());
            l->set_level(spdlog::level::off);
            return l;
        }();
        return log;
    }();
    return c;
}

struct Datagram {
    Endpoint from, to;
    Bytes bytes;  ///< the ISAKMP message, with the non-ESP marker when sent to 4500
};

/// Records what one engine does outward.
class Node : public Callbacks {
public:
    std::vector<Datagram> outbox;  ///< sent since the harness last collected
    std::set<Bytes> ever_sent_ike;  ///< every ISAKMP message sent (without the non-ESP marker)
    std::map<std::uint32_t, DynamicSaPair> installed;   ///< by inbound SPI
    unsigned installs = 0;  ///< install_sa and delete_sa calls
    unsigned events = 0;    ///< lifecycle events (phase 1/2 up, IPsec SA deleted)
    unsigned refusals = 0;  ///< a negotiation ended: phase1_failed, phase2_failed, ike_sa_deleted
    std::string summary;   ///< the last message the engine dispatched ("HDR*, HASH, SA, ...")
    std::string unframed;  ///< the first datagram sent from port 4500 without the non-ESP marker

    void send_datagram(const Endpoint& from, const Endpoint& to, std::span<const std::uint8_t> bytes) override
    {
        // RFC 3948 2.2: IKE from the NAT-T port starts with the non-ESP marker.
        if (from.port == 4500 && (bytes.size() < 4 || bytes[0] != 0 || bytes[1] != 0 || bytes[2] != 0 || bytes[3] != 0))
            unframed = "IKE sent from " + from.to_string() + " to " + to.to_string() + " without the non-ESP marker";
        outbox.push_back(Datagram{from, to, {bytes.begin(), bytes.end()}});
    }
    InstallResult install_sa(const DynamicSaPair& pair) override
    {
        ++installs;
        installed.emplace(pair.inbound.spi, pair);
        return InstallResult::installed();
    }
    void delete_sa(const SaPairId& id) override
    {
        ++installs;
        installed.erase(id.inbound_spi);
    }
    void phase1_up(const IkeSaInfo&) override { ++events; }
    void phase1_failed(const Phase1Failure&) override { ++refusals; }
    void phase2_up(const IpsecSaInfo&) override { ++events; }
    void phase2_failed(const Phase2Failure&) override { ++refusals; }
    void ike_sa_deleted(const IkeSaInfo&, DeleteReason) override { ++refusals; }
    void ipsec_sa_deleted(const IpsecSaInfo&, DeleteReason) override { ++events; }
    void message_received(const MessageEvent& e) override { summary = e.exchange + " " + e.summary; }

    static std::string route(const Datagram& d) { return d.from.to_string() + ">" + d.to.to_string(); }
};

/// (origin, IKE SA state, exchange, message step, payloads) reached, with counts.
inline std::map<std::string, std::uint64_t>& coverage()
{
    // Never destroyed: the atexit report below reads it after statics are gone.
    static auto* table = new std::map<std::string, std::uint64_t>;
    return *table;
}

inline bool coverage_enabled()
{
    static const bool on = [] {
        const char* v = std::getenv("PICSEC_STATEFUL_COVERAGE");
        if (v == nullptr || std::string(v) != "1")
            return false;
        std::atexit([] {
            std::fprintf(stderr, "stateful coverage: %zu rows (origin | SA state | exchange | step | payloads)\n",
                         coverage().size());
            for (const auto& [row, n] : coverage())
                std::fprintf(stderr, "%8llu  %s\n", static_cast<unsigned long long>(n), row.c_str());
        });
        return true;
    }();
    return on;
}

inline const char* exchange_name(const Bytes& ike)
{
    if (ike.size() < codec::header_size)
        return "short";
    switch (ike[18]) {
    case 2: return "main";
    case 4: return "aggressive";
    case 5: return "informational";
    case 32: return "quick";
    case 34: return "IKE_SA_INIT";
    case 35: return "IKE_AUTH";
    case 36: return "CREATE_CHILD_SA";
    case 37: return "INFORMATIONAL";
    default: return "other";
    }
}

/// The first 28 bytes (an ISAKMP header) in hex, for a finding's message.
inline std::string hex_head(std::span<const std::uint8_t> b)
{
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < b.size() && i < 28; ++i) {
        out += digits[b[i] >> 4];
        out += digits[b[i] & 15];
    }
    return out + (b.size() > 28 ? "... " : " ") + std::to_string(b.size()) + " bytes";
}

/// PICSEC_STATEFUL_TRACE=1: every delivery and injection on stderr.
inline bool tracing()
{
    static const bool on = std::getenv("PICSEC_STATEFUL_TRACE") != nullptr;
    return on;
}

/// Strips the non-ESP marker a datagram to the NAT-T port carries.
inline std::span<const std::uint8_t> ike_part(const Datagram& d)
{
    // RFC 3948 2.2: on the NAT-T port (either end) IKE follows 4 zero bytes.
    std::span<const std::uint8_t> b = d.bytes;
    if ((d.to.port == 4500 || d.from.port == 4500) && b.size() >= 4 && b[0] == 0 && b[1] == 0 && b[2] == 0 &&
        b[3] == 0)
        b = b.subspan(4);
    return b;
}

class World {
public:
    explicit World(Options o)
        : options(o),
          rng_a(Botan::secure_vector<std::uint8_t>(32, 0xa1)),
          rng_b(Botan::secure_vector<std::uint8_t>(32, 0xb2))
    {
        ea = std::make_unique<Engine>(config_for(true, o), na, rng_a);
        eb = std::make_unique<Engine>(config_for(false, o), nb, rng_b);
        tick();
    }

    World(const World&) = delete;
    World& operator=(const World&) = delete;

    Options options;
    Node na, nb;
    // The engines hold references to the nodes and the RNGs: declared after them.
    Botan::ChaCha_RNG rng_a, rng_b;
    std::unique_ptr<Engine> ea, eb;
    std::vector<Datagram> history;   ///< every honest datagram, in the order sent
    std::vector<bool> delivered;     ///< history[i]'s receiver took it (its state changed or it answered)
    std::vector<std::string> steps;  ///< history[i]'s step in its exchange ("m3")
    std::deque<std::size_t> in_flight;  ///< history indexes, oldest first
    std::uint64_t now = 0;
    /// Liveness is asserted only when the honest messages got through: none
    /// dropped, the clock never advanced with one in flight, and the third
    /// party never changed a negotiating SA with a cleartext phase-1 message
    /// (IKEv1 messages before authentication can be raced by design).
    unsigned drops = 0;
    bool stalled = false;
    bool tainted = false;
    bool commanded = false;  ///< an operator command ran: finish() initiates again
    std::string finding;  ///< the first oracle violation; empty while none
    unsigned injected = 0;

    // --- the honest network ---
    void deliver()
    {
        if (in_flight.empty())
            return;
        const std::size_t i = in_flight.front();
        in_flight.pop_front();
        hand_over(i);
    }
    void drop()
    {
        if (in_flight.empty())
            return;
        in_flight.pop_front();
        ++drops;
    }
    void duplicate()
    {
        if (!in_flight.empty())
            hand_over(in_flight.front());
    }
    void delay(std::size_t to)
    {
        if (in_flight.size() < 2)
            return;
        const std::size_t i = in_flight.front();
        in_flight.pop_front();
        in_flight.insert(in_flight.begin() + static_cast<std::ptrdiff_t>(to % (in_flight.size() + 1)), i);
    }
    /// An operator command on one engine (IKEv2 harness): 1 clear the Child
    /// SA, 2 clear the IKE SA (both tell the peer in INFORMATIONAL), 3
    /// initiate the Child SA. The honest run then goes on from there.
    void command(unsigned what, bool on_initiator)
    {
        Engine& e = on_initiator ? *ea : *eb;
        switch (what) {
        case 1: e.clear_ipsec("tunnel"); break;
        case 2: e.clear_ike(on_initiator ? address_b() : address_a()); break;
        case 3: (void)e.initiate("tunnel"); break;
        default: return;
        }
        commanded = true;
        collect();
    }
    void flush()
    {
        for (int n = 0; n < 64 && !in_flight.empty(); ++n)
            deliver();
    }
    void advance(std::uint64_t ms, bool flush_first)
    {
        if (flush_first)
            flush();
        if (!in_flight.empty())
            stalled = true;
        now += ms;
        tick();
    }

    /// Honest datagram i reaches its receiver first as d, a copy the third
    /// party sent ahead (changed or by another port when `changed`).
    void deliver_early(std::size_t i, const Datagram& d, bool changed)
    {
        if (tracing())
            std::fprintf(stderr, "early #%zu %s -> %s: %s\n", i, d.from.to_string().c_str(),
                         d.to.to_string().c_str(), hex_head(ike_part(d)).c_str());
        const bool to_a = d.to.address == address_a();
        Node& n = to_a ? na : nb;
        n.summary.clear();
        const auto before = detail::observe(to_a ? *ea : *eb);
        (to_a ? ea : eb)->received_datagram(d.bytes, d.from, d.to);
        const bool taken = !n.outbox.empty() ||
                           !detail::first_difference(before, detail::observe(to_a ? *ea : *eb)).empty();
        delivered[i] = delivered[i] || taken;
        tainted = tainted || (changed && taken);
        record("early " + steps[i], before, d, n.summary);
        collect();
    }

    // --- the third party ---
    /// Injects d to the engine at d.to; checks the oracle.
    void inject(const Datagram& d, const std::string& origin)
    {
        ++injected;
        const bool to_a = d.to.address == address_a();
        Engine& e = to_a ? *ea : *eb;
        Node& n = to_a ? na : nb;
        const auto before = detail::observe(e);
        const unsigned installs = n.installs, events = n.events, refusals = n.refusals;
        n.summary.clear();
        e.received_datagram(d.bytes, d.from, d.to);
        const auto after = detail::observe(e);
        if (tracing()) {
            std::fprintf(stderr, "inject %s %s -> %s: %s\n", origin.c_str(), d.from.to_string().c_str(),
                         d.to.to_string().c_str(), hex_head(ike_part(d)).c_str());
            for (const auto& s : n.outbox)
                std::fprintf(stderr, "  answer %s -> %s: %s\n", s.from.to_string().c_str(), s.to.to_string().c_str(),
                             hex_head(s.bytes).c_str());
        }
        record(origin, before, d, n.summary);
        auto sends = std::move(n.outbox);
        n.outbox.clear();
        judge(d, to_a ? "initiator" : "responder", before, after, n.installs != installs, n.events != events,
              n.refusals != refusals, sends, n);
        // What it sent (an answer to a first message) may be resent later.
        for (const auto& s : sends)
            n.ever_sent_ike.emplace(ike_part(s).begin(), ike_part(s).end());
    }

    /// End of input: every honest datagram delivered and the clock run on;
    /// then phase 1 and a matching IPsec SA pair must be up on both sides.
    /// Returns false (finding set) when they are not though they should be.
    bool finish()
    {
        const bool expect = drops == 0 && !stalled && !tainted && finding.empty();
        if (commanded) {
            // After a clear the operator brings the tunnel up again, once a
            // negotiation the clear cut short (a half-open SA cleared on one
            // side alone) has timed out.
            for (int s = 0; s < 60; ++s) {
                flush();
                now += 1000;
                tick();
            }
            flush();
            (void)ea->initiate("tunnel");
            collect();
        }
        for (int s = 0; s < 90; ++s) {
            flush();
            now += 1000;
            tick();
        }
        flush();
        if (!expect || !finding.empty())
            return finding.empty();
        const auto up = [](const Engine& e) {
            for (const auto& s : e.ike_security_associations())
                if (s.state == IkeSaState::Established || s.state == IkeSaState::Rekeying)
                    return true;
            return false;
        };
        if (!up(*ea) || !up(*eb)) {
            finding = "liveness: phase 1 is not established on both sides after every honest message arrived (" +
                      describe() + ")";
            return false;
        }
        for (const auto& [spi, pair] : na.installed) {
            const auto it = nb.installed.find(pair.outbound.spi);
            if (it != nb.installed.end() && it->second.outbound.spi == spi)
                return true;
        }
        finding = "liveness: no matching IPsec SA pair on both sides after every honest message arrived (" +
                  describe() + ")";
        return false;
    }

    /// Both sides in a line: IKE SA states and installed inbound/outbound SPIs.
    std::string describe() const
    {
        std::string out;
        for (const auto& [who, e, n] : {std::tuple{"initiator", ea.get(), &na}, std::tuple{"responder", eb.get(), &nb}}) {
            out += std::string(who) + ": IKE";
            for (const auto& s : e->ike_security_associations())
                out += " " + std::string(to_string(s.state));
            out += ", IPsec";
            for (const auto& [spi, pair] : n->installed)
                out += " " + std::to_string(spi) + "/" + std::to_string(pair.outbound.spi);
            out += "; ";
        }
        return out + "t=" + std::to_string(now / 1000) + " s";
    }

    /// Resource bounds that hold whatever arrived.
    void check_bounds()
    {
        for (const Engine* e : {ea.get(), eb.get()}) {
            const auto sas = e->ike_security_associations();
            std::size_t half_open = 0;
            std::map<std::uint32_t, std::size_t> per_peer;
            for (const auto& s : sas)
                if (s.role == Role::Responder && s.state == IkeSaState::Negotiating) {
                    ++half_open;
                    ++per_peer[s.peer.address.to_uint()];
                }
            if (half_open > k_max_half_open || sas.size() > k_max_ike_sas)
                fail("bounds: " + std::to_string(half_open) + " half-open of " + std::to_string(sas.size()) +
                     " IKE SAs");
            for (const auto& [peer, n] : per_peer)
                if (n > k_max_half_open_per_peer)
                    fail("bounds: " + std::to_string(n) + " half-open IKE SAs from one peer (limit " +
                         std::to_string(k_max_half_open_per_peer) + ")");
        }
        for (const Node* n : {&na, &nb})
            if (!n->unframed.empty())
                fail("framing: " + n->unframed);
        if (ea->ipsec_security_associations().size() != na.installed.size() ||
            eb->ipsec_security_associations().size() != nb.installed.size())
            fail("bounds: the engine's IPsec SA list and the installed SAs differ");
    }

    void fail(std::string what)
    {
        if (finding.empty())
            finding = std::move(what);
    }

private:
    void tick()
    {
        ea->tick(now);
        eb->tick(now);
        collect();
    }

    void collect()
    {
        for (Node* n : {&na, &nb}) {
            for (auto& d : n->outbox) {
                n->ever_sent_ike.emplace(ike_part(d).begin(), ike_part(d).end());
                steps.push_back(step_of(d));
                history.push_back(std::move(d));
                delivered.push_back(false);
                in_flight.push_back(history.size() - 1);
            }
            n->outbox.clear();
        }
    }

    /// "m<k>": the k-th distinct message of its exchange (cookie and message ID).
    std::string step_of(const Datagram& d) const
    {
        const auto key = [](std::span<const std::uint8_t> b) {
            return b.size() >= codec::header_size ? Bytes(b.begin(), b.begin() + 8) : Bytes{};
        };
        const auto id = [](std::span<const std::uint8_t> b) {
            return b.size() >= codec::header_size ? Bytes(b.begin() + 20, b.begin() + 24) : Bytes{};
        };
        const auto me = ike_part(d);
        std::set<Bytes> distinct;
        for (const auto& h : history) {
            const auto other = ike_part(h);
            if (key(other) == key(me) && id(other) == id(me))
                distinct.emplace(other.begin(), other.end());
        }
        const bool again = distinct.count(Bytes(me.begin(), me.end())) != 0;
        return "m" + std::to_string(distinct.size() + (again ? 0 : 1));
    }

    void hand_over(std::size_t i)
    {
        const Datagram d = history[i];
        if (tracing())
            std::fprintf(stderr, "deliver #%zu %s -> %s: %s\n", i, d.from.to_string().c_str(),
                         d.to.to_string().c_str(), hex_head(d.bytes).c_str());
        const bool to_a = d.to.address == address_a();
        Node& n = to_a ? na : nb;
        n.summary.clear();
        const auto before = detail::observe(to_a ? *ea : *eb);
        (to_a ? ea : eb)->received_datagram(d.bytes, d.from, d.to);
        // Delivered means taken: a datagram its receiver dropped (it came to
        // a port the receiver is not on, say) is still fresh when a copy of
        // it arrives later.
        const std::string change = detail::first_difference(before, detail::observe(to_a ? *ea : *eb));
        if (tracing() && !change.empty())
            std::fprintf(stderr, "  taken: %s\n", change.c_str());
        delivered[i] = delivered[i] || !n.outbox.empty() || !change.empty();
        record("honest " + steps[i], before, d, n.summary);
        collect();
    }

    static std::string state_of(const detail::ObservedState& s, std::span<const std::uint8_t> ike)
    {
        if (ike.size() < codec::header_size)
            return "-";
        Cookie cky{};
        std::copy(ike.begin(), ike.begin() + 8, cky.begin());
        const std::string hex = to_hex(cky);
        for (const auto& [key, sa] : s.ike_sas)
            if (key.size() > hex.size() && key.compare(key.size() - hex.size(), hex.size(), hex) == 0)
                return sa.state + "/" + std::string(to_string(sa.role));
        return "no SA";
    }

    void record(const std::string& origin, const detail::ObservedState& before, const Datagram& d,
                const std::string& summary)
    {
        if (!coverage_enabled())
            return;
        const auto ike = ike_part(d);
        const Bytes bytes(ike.begin(), ike.end());
        ++coverage()[origin + " | " + state_of(before, ike) + " | " + exchange_name(bytes) + " | " +
                     (summary.empty() ? "(dropped before dispatch)" : summary)];
    }

    /// A first message (RFC 2408 2.5.3): cleartext Main or Aggressive Mode,
    /// no responder cookie, message ID 0. It may create a half-open SA.
    static bool is_first_message(std::span<const std::uint8_t> ike)
    {
        return ike.size() >= codec::header_size && (ike[18] == 2 || ike[18] == 4) && (ike[19] & 1) == 0 &&
               std::all_of(ike.begin() + 8, ike.begin() + 16, [](auto b) { return b == 0; }) &&
               std::all_of(ike.begin() + 20, ike.begin() + 24, [](auto b) { return b == 0; });
    }
    /// An IKEv2 IKE_SA_INIT request (RFC 7296 1.2): I set, R clear, SPIr
    /// zero, message ID 0. It may create a half-open responder SA.
    static bool is_v2_first_message(std::span<const std::uint8_t> ike)
    {
        return ike.size() >= codec::header_size && (ike[17] >> 4) == 2 && ike[18] == 34 && (ike[19] & 0x28) == 0x08 &&
               std::all_of(ike.begin() + 8, ike.begin() + 16, [](auto b) { return b == 0; }) &&
               std::all_of(ike.begin() + 20, ike.begin() + 24, [](auto b) { return b == 0; });
    }
    /// An IKEv2 IKE_SA_INIT response: unprotected by design (RFC 7296 1.2).
    static bool is_v2_init_response(std::span<const std::uint8_t> ike)
    {
        return ike.size() >= codec::header_size && (ike[17] >> 4) == 2 && ike[18] == 34 && (ike[19] & 0x20) != 0;
    }
    static bool is_cleartext_informational(std::span<const std::uint8_t> ike)
    {
        return ike.size() >= codec::header_size && ike[18] == 5 && (ike[19] & 1) == 0;
    }
    static bool is_cleartext_phase1(std::span<const std::uint8_t> ike)
    {
        return ike.size() >= codec::header_size && (ike[18] == 2 || ike[18] == 4) && (ike[19] & 1) == 0 &&
               std::all_of(ike.begin() + 20, ike.begin() + 24, [](auto b) { return b == 0; });
    }

    /// The oracle for one injected datagram. What it allows:
    /// - a first message may add one half-open responder SA in the mode the
    ///   policy says (and evict the oldest half-open SA when the per-peer
    ///   bound is reached), and the new SA may answer;
    /// - a cleartext phase-1 message may change an SA that is still
    ///   negotiating (IKEv1 authenticates phase 1 only at its end); liveness
    ///   is then no longer asserted;
    /// - a first message the engine refuses may be reported (phase1_failed)
    ///   and answered in the clear about its own cookie;
    /// - an unprotected error notify from the peer's own endpoint may end a
    ///   phase 1 that has no keys yet (the engine's rule: RFC 2408 5.1 sends
    ///   such errors in the clear); liveness is then no longer asserted;
    /// - IKEv2: an IKE_SA_INIT request may add one half-open responder SA
    ///   (the responder refuses new ones at max_half_open) and be answered,
    ///   or be refused with an unprotected notify about its own SPIi;
    /// - IKEv2: an IKE_SA_INIT response may change the initiator SA that is
    ///   waiting for it, and the initiator may answer with a new request:
    ///   the response is unauthenticated by design (RFC 7296 1.2; IKE_AUTH
    ///   then fails or stalls), and N(COOKIE) and N(INVALID_KE_PAYLOAD) ask
    ///   for IKE_SA_INIT again (RFC 7296 2.6, 1.3). Liveness is then no
    ///   longer asserted. An unprotected N(NO_PROPOSAL_CHOSEN) or other
    ///   error is only noted (drop_note) and changes nothing (RFC 7296 2.21.1);
    /// - the engine may resend an ISAKMP message it sent before, byte for
    ///   byte, to an endpoint one of its SAs already had as the peer (a
    ///   reply cache answering a retransmission; the non-ESP marker follows
    ///   the SA's current port).
    /// Anything else is a finding: a changed, added or removed IKE SA, a
    /// changed engine-wide item (IPsec SAs, indexes, clock), an install,
    /// delete or lifecycle event, a new datagram.
    void judge(const Datagram& d, const char* who, const detail::ObservedState& before,
               const detail::ObservedState& after, bool installed, bool evented, bool refused,
               const std::vector<Datagram>& sends, const Node& n)
    {
        const auto ike = ike_part(d);
        const bool first = is_first_message(ike);
        const bool v2_first = is_v2_first_message(ike);
        const bool v2_init_response = is_v2_init_response(ike);
        const ExchangeMode policy_mode = options.aggressive ? ExchangeMode::Aggressive : ExchangeMode::Main;
        std::size_t half_open_before = 0;
        for (const auto& [key, sa] : before.ike_sas)
            half_open_before += sa.role == Role::Responder && sa.negotiating ? 1 : 0;
        std::set<std::string> new_cookies;
        bool notified = false;
        if (first || v2_first) {
            // A refused first message is answered in the clear about its own
            // cookie (RFC 2408 5.1: N(NO-PROPOSAL-CHOSEN) and the like).
            Cookie cky{};
            std::copy(ike.begin(), ike.begin() + 8, cky.begin());
            new_cookies.insert(to_hex(cky));
        }
        const std::string prefix = std::string("injected ") + exchange_name(Bytes(ike.begin(), ike.end())) +
                                   " datagram " + d.from.to_string() + " -> " + d.to.to_string() + " changed the " +
                                   who + ": ";
        for (const auto& [key, what] : detail::changed_sas(before, after)) {
            const auto was = before.ike_sas.find(key);
            const auto is = after.ike_sas.find(key);
            const std::string cky = key.substr(key.find('/') + 1);
            if (was == before.ike_sas.end()) {
                if (first && !options.v2 && is->second.version == IkeVersion::V1 &&
                    is->second.role == Role::Responder && is->second.negotiating && is->second.mode == policy_mode) {
                    new_cookies.insert(cky);
                    continue;
                }
                if (v2_first && options.v2 && is->second.version == IkeVersion::V2 &&
                    is->second.role == Role::Responder && is->second.negotiating) {
                    new_cookies.insert(cky);
                    continue;
                }
            } else if (is == after.ike_sas.end()) {
                if (first && was->second.version == IkeVersion::V1 && was->second.role == Role::Responder &&
                    was->second.negotiating && half_open_before >= k_max_half_open_per_peer)
                    continue;
            } else if (v2_init_response && was->second.version == IkeVersion::V2 &&
                       was->second.role == Role::Initiator && was->second.awaiting_init_response) {
                // RFC 7296 1.2, 1.3, 2.6: the unauthenticated IKE_SA_INIT response.
                tainted = true;
                notified = true;
                new_cookies.insert(cky);
                continue;
            } else if (was->second.version == IkeVersion::V1 && was->second.negotiating &&
                       is_cleartext_phase1(ike)) {
                tainted = true;
                new_cookies.insert(cky);
                continue;
            } else if (was->second.version == IkeVersion::V1 && was->second.negotiating && !was->second.keys &&
                       d.from == was->second.peer &&
                       is_cleartext_informational(ike)) {
                // RFC 2408 5.1: before keys exist the peer's errors come in
                // the clear; from the peer's own endpoint one may end phase 1.
                tainted = true;
                notified = true;
                continue;
            }
            return fail(prefix + "IKE SA " + key + ": " + what);
        }
        for (const auto& [name, value] : before.engine) {
            if (name == "half_open" && (first || v2_first))
                continue;
            const auto it = after.engine.find(name);
            if (it == after.engine.end() || it->second != value)
                return fail(prefix + name + ": " + value + " -> " +
                            (it == after.engine.end() ? std::string("(none)") : it->second));
        }
        if (installed)
            return fail(prefix + "an IPsec SA install or delete");
        if (evented)
            return fail(prefix + "a lifecycle event (phase 1 or 2 up, an IPsec SA deleted)");
        if (refused && !notified && !first && !v2_first)
            return fail(prefix + "a failed negotiation or an IKE SA deleted");
        for (const auto& s : sends) {
            const auto sent = ike_part(s);
            Cookie cky{};
            if (sent.size() >= 8)
                std::copy(sent.begin(), sent.begin() + 8, cky.begin());
            if (new_cookies.count(to_hex(cky)) != 0)
                continue;
            // A resend of an earlier message (its IKE bytes; the framing follows
            // the SA's ports) to where an SA already had its peer.
            const bool known_peer = std::any_of(before.ike_sas.begin(), before.ike_sas.end(),
                                                [&](const auto& e) { return e.second.peer == s.to; });
            if (known_peer && n.ever_sent_ike.count(Bytes(sent.begin(), sent.end())) != 0)
                continue;
            return fail(prefix + "it sent a new " + exchange_name(Bytes(sent.begin(), sent.end())) + " datagram to " +
                        s.to.to_string() + " (" + hex_head(sent) + ") in answer to " + hex_head(ike));
        }
    }
};

// --- what the third party builds ---

inline Bytes with_header(codec::Header h, const std::vector<codec::RawPayload>& payloads)
{
    const auto body = codec::encode_chain(payloads);
    h.next_payload = payloads.empty() ? codec::PayloadType::None : payloads.front().type;
    auto out = codec::encode_header(h, body.size());
    out.insert(out.end(), body.begin(), body.end());
    return out;
}

inline codec::Header header_about(std::span<const std::uint8_t> ike)
{
    codec::Header h;
    if (ike.size() >= 16) {
        std::copy(ike.begin(), ike.begin() + 8, h.initiator_cookie.begin());
        std::copy(ike.begin() + 8, ike.begin() + 16, h.responder_cookie.begin());
    }
    h.exchange_type = codec::ExchangeType::Informational;
    return h;
}

/// An honest first message in the other mode, as anyone can build it: Main
/// Mode's HDR, SA becomes Aggressive Mode's HDR, SA, KE, Ni, IDii (its own
/// g^x and nonce, claiming `claimed`), and Aggressive Mode's becomes HDR, SA.
inline Bytes other_mode(const Bytes& first, const Ipv4Address& claimed, std::uint8_t arg)
{
    auto header = codec::decode_header(first);
    if (!header)
        return {};
    auto chain = codec::split_chain(header.value().next_payload,
                                    std::span<const std::uint8_t>(first).subspan(codec::header_size), false);
    if (!chain)
        return {};
    std::vector<codec::RawPayload> sa, rest;
    for (auto& p : chain.value())
        (p.type == codec::PayloadType::SecurityAssociation ? sa : rest).push_back(p);
    std::erase_if(rest, [](const auto& p) { return p.type != codec::PayloadType::VendorId; });
    codec::Header h = header.value();
    std::vector<codec::RawPayload> out = sa;
    if (h.exchange_type == codec::ExchangeType::IdentityProtection) {
        h.exchange_type = codec::ExchangeType::Aggressive;
        Bytes ke(96), ni(16);
        for (std::size_t i = 0; i < ke.size(); ++i)
            ke[i] = static_cast<std::uint8_t>(i * 37 + arg + 1);
        for (std::size_t i = 0; i < ni.size(); ++i)
            ni[i] = static_cast<std::uint8_t>(i * 11 + arg);
        // RFC 2407 4.6.2: ID_IPV4_ADDR, protocol 0, port 0.
        Bytes id{1, 0, 0, 0};
        id.insert(id.end(), claimed.octets.begin(), claimed.octets.end());
        out.push_back(codec::RawPayload{codec::PayloadType::KeyExchange, ke});
        out.push_back(codec::RawPayload{codec::PayloadType::Nonce, ni});
        out.push_back(codec::RawPayload{codec::PayloadType::Identification, id});
    } else {
        h.exchange_type = codec::ExchangeType::IdentityProtection;
    }
    out.insert(out.end(), rest.begin(), rest.end());
    return with_header(h, out);
}

/// A message the third party builds about honest datagram `about` (kind 0-7),
/// claiming to come from `claimed`.
inline Bytes forge(unsigned kind, std::span<const std::uint8_t> about, std::uint8_t arg, const Node& target,
                   const std::vector<Datagram>& history, const Ipv4Address& claimed)
{
    using codec::NotifyType;
    static constexpr NotifyType notifies[] = {
        NotifyType::NoProposalChosen, NotifyType::InvalidPayloadType, NotifyType::PayloadMalformed,
        NotifyType::InvalidCookie,    NotifyType::AuthenticationFailed, NotifyType::InvalidSpi,
        NotifyType::RUThere,          NotifyType::InitialContact,
    };
    codec::Header h = header_about(about);
    Bytes cookies;
    if (about.size() >= 16)
        cookies.assign(about.begin(), about.begin() + 16);
    switch (kind) {
    case 0: {  // HDR, N(type) in the clear (RFC 2408 4.8)
        codec::NotifyPayload n;
        n.spi = cookies;
        n.notify_type = notifies[arg % std::size(notifies)];
        return with_header(h, {codec::make_payload(n)});
    }
    case 1: {  // HDR, D(ISAKMP) in the clear
        codec::DeletePayload del;
        del.protocol = codec::ProtocolId::Isakmp;
        del.spi_size = 16;
        del.spis = {cookies.size() == 16 ? cookies : Bytes(16, 0)};
        return with_header(h, {codec::make_payload(del)});
    }
    case 2: {  // HDR, D(ESP) in the clear naming an installed SPI
        codec::DeletePayload del;
        std::uint32_t spi = 0x1000u + arg;
        if (!target.installed.empty()) {
            auto it = target.installed.begin();
            std::advance(it, arg % target.installed.size());
            spi = (arg & 0x80) ? it->second.outbound.spi : it->first;
        }
        del.spis = {Bytes{static_cast<std::uint8_t>(spi >> 24), static_cast<std::uint8_t>(spi >> 16),
                          static_cast<std::uint8_t>(spi >> 8), static_cast<std::uint8_t>(spi)}};
        return with_header(h, {codec::make_payload(del)});
    }
    case 3:    // the honest first message in the other mode, same or fresh cookie
    case 6: {  // the honest first message with a fresh cookie (a new half-open SA)
        Bytes m;
        for (const auto& d : history)
            if (ike_part(d).size() >= codec::header_size && ike_part(d)[19] == 0 &&
                std::all_of(ike_part(d).begin() + 8, ike_part(d).begin() + 16, [](auto b) { return b == 0; })) {
                m.assign(ike_part(d).begin(), ike_part(d).end());
                break;
            }
        if (m.empty())
            return m;
        if (kind == 3)
            m = other_mode(m, claimed, arg);
        if (!m.empty() && (kind == 6 || (arg & 1)))
            m[7] = static_cast<std::uint8_t>(m[7] ^ (arg | 1));
        return m;
    }
    case 4:    // garbage flagged as encrypted with known cookies and message ID
    case 7: {  // the same with a message ID of its own
        Bytes m(about.begin(), about.begin() + std::min<std::size_t>(about.size(), codec::header_size));
        if (m.size() < codec::header_size)
            return m;
        m[19] |= 1;
        if (kind == 7)
            m[20 + (arg & 3)] = static_cast<std::uint8_t>(arg);
        const std::size_t size = 8 * (1 + (arg % 16));
        for (std::size_t i = 0; i < size; ++i)
            m.push_back(static_cast<std::uint8_t>(0x5a ^ (i * 7) ^ arg));
        const auto total = static_cast<std::uint32_t>(m.size());
        m[24] = static_cast<std::uint8_t>(total >> 24);
        m[25] = static_cast<std::uint8_t>(total >> 16);
        m[26] = static_cast<std::uint8_t>(total >> 8);
        m[27] = static_cast<std::uint8_t>(total);
        return m;
    }
    case 5: {  // a Quick Mode message in the clear: HDR, HASH with a known message ID
        codec::Header q = header_about(about);
        q.exchange_type = codec::ExchangeType::QuickMode;
        q.message_id = about.size() >= 24 ? (std::uint32_t{about[20]} << 24 | std::uint32_t{about[21]} << 16 |
                                             std::uint32_t{about[22]} << 8 | about[23])
                                          : arg;
        return with_header(q, {codec::make_payload(codec::HashPayload{Bytes(20, arg)})});
    }
    default: return {};
    }
}

/// Honest datagram `ike` changed as mutation `how` (1-7) says.
inline Bytes mutate(Bytes m, unsigned how, std::uint8_t a2, std::uint8_t a3)
{
    if (m.empty())
        return m;
    switch (how) {
    case 1: m[(std::size_t{a3} * 131 + a2) % m.size()] ^= static_cast<std::uint8_t>(1u << ((a2 >> 3) & 7)); break;
    case 2: m.resize(a3 % m.size()); break;
    case 3: if (m.size() > 18) m[18] = a3; break;
    case 4: if (m.size() > 19) m[19] = a3; break;
    case 5: if (m.size() > 23) m[20 + ((a2 >> 3) & 3)] = a3; break;
    case 6: if (m.size() > 16) m[16] = a3; break;
    case 7: if (m.size() > 16) std::fill(m.begin() + 8, m.begin() + 16, 0); break;
    default: break;
    }
    return m;
}

// --- what the third party builds against IKEv2 (RFC 7296) ---

/// An IKEv2 header (RFC 7296 3.1) with `about`'s SPIs, and the length set
/// once the body is appended (finish_v2).
inline Bytes header_v2(std::span<const std::uint8_t> about, std::uint8_t exchange, std::uint8_t flags,
                       std::uint32_t message_id, std::uint8_t next)
{
    Bytes m(28, 0);
    if (about.size() >= 16)
        std::copy(about.begin(), about.begin() + 16, m.begin());
    m[16] = next;
    m[17] = 0x20;
    m[18] = exchange;
    m[19] = flags;
    for (int i = 0; i < 4; ++i)
        m[20 + i] = static_cast<std::uint8_t>(message_id >> (24 - 8 * i));
    return m;
}

inline Bytes finish_v2(Bytes m)
{
    const auto total = static_cast<std::uint32_t>(m.size());
    for (int i = 0; i < 4; ++i)
        m[24 + i] = static_cast<std::uint8_t>(total >> (24 - 8 * i));
    return m;
}

inline std::uint32_t message_id_of(std::span<const std::uint8_t> about)
{
    if (about.size() < 24)
        return 0;
    return std::uint32_t{about[20]} << 24 | std::uint32_t{about[21]} << 16 | std::uint32_t{about[22]} << 8 | about[23];
}

/// The first IKE_SA_INIT request the honest initiator sent (empty if none yet).
inline Bytes first_init_request(const std::vector<Datagram>& history)
{
    for (const auto& d : history) {
        const auto ike = ike_part(d);
        if (ike.size() >= codec::header_size && ike[18] == 34 && (ike[19] & 0x20) == 0)
            return Bytes(ike.begin(), ike.end());
    }
    return {};
}

/// An IKEv2 message the third party builds about honest datagram `about`
/// (kind 0-7). It knows SPIs and message IDs (they travel in the clear),
/// never a key.
inline Bytes forge_v2(unsigned kind, std::span<const std::uint8_t> about, std::uint8_t arg,
                      const std::vector<Datagram>& history)
{
    const std::uint8_t i_flag = about.size() > 19 ? static_cast<std::uint8_t>(about[19] & 0x08) : 0;
    switch (kind) {
    case 0: {  // HDR(IKE_SA_INIT response), N(...) unprotected, to a pending IKE_SA_INIT
        const Bytes request = first_init_request(history);
        if (request.empty())
            return {};
        Bytes spis(request.begin(), request.begin() + 16);
        if (arg & 0x80)
            for (std::size_t i = 8; i < 16; ++i)
                spis[i] = static_cast<std::uint8_t>(arg * (i + 3));
        Bytes m = header_v2(spis, 34, 0x20, 0, 41);
        Bytes data;
        std::uint16_t type = 14;  // NO_PROPOSAL_CHOSEN
        switch (arg % 3) {
        case 0: break;
        case 1:  // INVALID_KE_PAYLOAD naming group 2 (not offered) or 1 (ours)
            type = 17;
            data = {0, static_cast<std::uint8_t>((arg & 8) ? 1 : 2)};
            break;
        case 2:  // COOKIE (RFC 7296 2.6)
            type = 16390;
            data.assign(16, static_cast<std::uint8_t>(arg));
            break;
        }
        const auto len = static_cast<std::uint16_t>(8 + data.size());
        m.insert(m.end(), {0, 0, static_cast<std::uint8_t>(len >> 8), static_cast<std::uint8_t>(len), 0, 0,
                           static_cast<std::uint8_t>(type >> 8), static_cast<std::uint8_t>(type)});
        m.insert(m.end(), data.begin(), data.end());
        return finish_v2(std::move(m));
    }
    case 1:    // the honest IKE_SA_INIT request, same SPIi, a byte of its body changed
    case 2: {  // the honest IKE_SA_INIT request with a fresh SPIi (a new half-open SA)
        Bytes m = first_init_request(history);
        if (m.size() <= codec::header_size)
            return {};
        if (kind == 1)
            m[codec::header_size + arg % (m.size() - codec::header_size)] ^= 0x01;
        else
            m[7] = static_cast<std::uint8_t>(m[7] ^ (arg | 1));
        return m;
    }
    case 3: {  // about, with a wrong SPIr
        Bytes m(about.begin(), about.end());
        if (m.size() < codec::header_size)
            return {};
        for (std::size_t i = 8; i < 16; ++i)
            m[i] = static_cast<std::uint8_t>(m[i] ^ (arg | 1));
        return m;
    }
    case 4:    // INFORMATIONAL, SK{garbage}, about's SPIs and message ID
    case 5:    // the same with a small message ID of its own
    case 6:    // IKE_AUTH, SK{garbage}, message ID 1
    case 7: {  // CREATE_CHILD_SA, SK{garbage}, about's message ID
        if (about.size() < codec::header_size)
            return {};
        const std::uint8_t exchange = kind == 6 ? 35 : kind == 7 ? 36 : 37;
        const std::uint32_t id = kind == 5 ? (arg >> 1) & 7 : kind == 6 ? 1 : message_id_of(about);
        Bytes m = header_v2(about, exchange, static_cast<std::uint8_t>(i_flag | ((arg & 1) ? 0x20 : 0)), id, 46);
        // RFC 7296 3.14: SK = generic header, IV, ciphertext, ICV.
        const std::size_t size = 8 * (2 + (arg % 16));
        const auto len = static_cast<std::uint16_t>(4 + size);
        m.insert(m.end(), {static_cast<std::uint8_t>((arg & 2) ? 42 : 41), 0, static_cast<std::uint8_t>(len >> 8),
                           static_cast<std::uint8_t>(len)});
        for (std::size_t i = 0; i < size; ++i)
            m.push_back(static_cast<std::uint8_t>(0x5a ^ (i * 7) ^ arg));
        return finish_v2(std::move(m));
    }
    default: return {};
    }
}

/// Where the third party sends: the datagram's receiver or its sender, from
/// the other engine's address, on the ports a2 chooses.
inline Datagram aim(const Datagram& honest, Bytes ike, std::uint8_t a2, std::uint8_t a3)
{
    Datagram d;
    const bool forward = (a2 & 1) != 0;
    d.to = forward ? honest.to : honest.from;
    d.from = forward ? honest.from : honest.to;
    switch ((a2 >> 1) & 3) {
    case 0: break;
    case 1: d.to.port = 4500; d.from.port = 4500; break;
    case 2: d.to.port = 4500; d.from.port = static_cast<std::uint16_t>(1024 + a3); break;
    case 3: d.to.port = 500; d.from.port = static_cast<std::uint16_t>(1024 + a3); break;
    }
    if (d.to.port == 4500)
        ike.insert(ike.begin(), 4, 0);  // RFC 3948 2.2: non-ESP marker
    d.bytes = std::move(ike);
    return d;
}

/// Runs one input: the actions, then the end-of-input liveness check.
/// Returns the finding (empty when the oracle and liveness held).
inline std::string run(std::span<const std::uint8_t> in)
{
    Options o;
    if (!in.empty()) {
        o.aggressive = (in[0] & 1) != 0;
        o.nat_t = (in[0] & 2) != 0;
        o.pfs = (in[0] & 4) != 0;
        o.dpd = (in[0] & 8) != 0;
        o.v2 = (in[0] & 16) != 0;
        o.modern = (in[0] & 32) != 0;
        o.cookies_fragments = o.v2 && (in[0] & 64) != 0;
        in = in.subspan(1);
    }
    World w(o);
    for (std::size_t at = 0; at + 4 <= in.size() && at < 4 * 160 && w.finding.empty(); at += 4) {
        const std::uint8_t op = in[at], a1 = in[at + 1], a2 = in[at + 2], a3 = in[at + 3];
        const unsigned how = (op >> 3) & 7;
        switch (op & 7) {
        case 0:
        case 1: w.deliver(); break;
        case 2: w.drop(); break;
        case 3: w.duplicate(); break;
        case 4: w.delay(a1); break;
        case 5:
            if (o.v2 && (op & 0x30) != 0)
                w.command((op >> 4) & 3, (a1 & 1) == 0);
            else
                w.advance((std::uint64_t{a1} + 1) * 125, (op & 8) != 0);
            break;
        case 6:
        case 7: {
            if (w.history.empty())
                break;
            const std::size_t i = a1 % w.history.size();
            const Datagram& honest = w.history[i];
            const auto ike = ike_part(honest);
            Bytes bytes;
            std::string origin;
            if ((op & 7) == 6) {
                bytes = mutate(Bytes(ike.begin(), ike.end()), how, a2, a3);
                origin = how == 0 ? "replay " + w.steps[i] : "mutant " + std::to_string(how);
            } else {
                const Node& target = (((a2 & 1) != 0) == (honest.to.address == address_a())) ? w.na : w.nb;
                const Ipv4Address claimed = (a2 & 1) != 0 ? honest.from.address : honest.to.address;
                bytes = o.v2 ? forge_v2(how, ike, a3, w.history) : forge(how, ike, a3, target, w.history, claimed);
                origin = "forged " + std::to_string(how);
            }
            if (bytes.empty())
                break;
            const Datagram d = aim(honest, std::move(bytes), a2, a3);
            if (tracing())
                std::fprintf(stderr, "third party: %s of #%zu (taken: %s)\n", origin.c_str(), i,
                             w.delivered[i] ? "yes" : "no");
            // A copy of an honest datagram its receiver has not seen yet is
            // that datagram arriving early: the message is authentic and
            // fresh, so no oracle; if it came changed or by another port,
            // the honest run may not complete.
            if ((a2 & 1) != 0 && !w.delivered[i] && (op & 7) == 6) {
                w.deliver_early(i, d, how != 0 || ((a2 >> 1) & 3) != 0);
                break;
            }
            w.inject(d, origin);
            break;
        }
        }
        w.check_bounds();
    }
    w.finish();
    return w.finding;
}

}  // namespace picsec::ike::fuzz::stateful
