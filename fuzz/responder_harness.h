// A whole responder Engine driven by a list of datagram records: shared by the
// fuzz_responder and fuzz_ikev2_responder libFuzzer targets and the tests
// that generate their seed corpora.
//
// Input format (one record after another; a short last record takes what is left):
//   control (1 byte): bit 0 = sent to the NAT-T port 4500 (the record then
//                     carries the 4-byte non-ESP marker itself);
//                     bit 1 = from 10.0.0.3 (Aggressive Mode policy; with the
//                     IKEv2 config a second IKEv2 peer), else 10.0.0.1 (Main Mode);
//                     bits 2-7 = seconds the clock advances before it (a tick)
//   length  (2 bytes, big endian)
//   datagram (length bytes) to the responder 10.0.0.2
//
// The responder's RNG is fixed, so a recorded initiator conversation replays
// exactly: the fuzzer starts from inputs that reach Quick Mode and beyond.
#pragma once

#include "picsec/ike/engine.h"

#include <botan/chacha_rng.h>
#include <spdlog/logger.h>
#include <spdlog/sinks/null_sink.h>

#include <cstdint>
#include <cstdlib>
#include <map>
#include <memory>
#include <span>
#include <vector>

namespace picsec::ike::fuzz {

inline Ipv4Address ip(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) { return Ipv4Address{{a, b, c, d}}; }
inline Ipv4Address initiator_address() { return ip(10, 0, 0, 1); }
inline Ipv4Address responder_address() { return ip(10, 0, 0, 2); }
/// A second peer, whose IKE policy says Aggressive Mode (the mode is the policy's).
inline Ipv4Address aggressive_initiator_address() { return ip(10, 0, 0, 3); }
inline const char* fuzz_psk() { return "fuzz-pre-shared-key"; }

/// One datagram of a fuzz input.
struct Record {
    bool nat_t = false;
    bool aggressive_peer = false;      ///< from aggressive_initiator_address()
    std::uint8_t advance_seconds = 0;  ///< 0..63
    std::vector<std::uint8_t> bytes;
};

inline std::vector<Record> split_records(std::span<const std::uint8_t> in)
{
    std::vector<Record> out;
    std::size_t i = 0;
    while (i < in.size() && out.size() < 64) {
        Record r;
        r.nat_t = (in[i] & 1) != 0;
        r.aggressive_peer = (in[i] & 2) != 0;
        r.advance_seconds = static_cast<std::uint8_t>(in[i] >> 2);
        ++i;
        std::size_t len = 0;
        if (i + 2 <= in.size())
            len = (std::size_t{in[i]} << 8) | in[i + 1];
        i = std::min(i + 2, in.size());
        len = std::min(len, in.size() - i);
        r.bytes.assign(in.begin() + static_cast<std::ptrdiff_t>(i), in.begin() + static_cast<std::ptrdiff_t>(i + len));
        i += len;
        out.push_back(std::move(r));
    }
    return out;
}

inline std::vector<std::uint8_t> join_records(const std::vector<Record>& records)
{
    std::vector<std::uint8_t> out;
    for (const auto& r : records) {
        out.push_back(
            static_cast<std::uint8_t>((r.advance_seconds << 2) | (r.aggressive_peer ? 2 : 0) | (r.nat_t ? 1 : 0)));
        out.push_back(static_cast<std::uint8_t>(r.bytes.size() >> 8));
        out.push_back(static_cast<std::uint8_t>(r.bytes.size()));
        out.insert(out.end(), r.bytes.begin(), r.bytes.end());
    }
    return out;
}

inline negotiation::IkeProposal fuzz_ike_proposal(const char* name, sadb::EncryptionAlgorithm enc,
                                                  crypto::HashAlgorithm hash, crypto::DhGroup group,
                                                  std::uint32_t life)
{
    negotiation::IkeProposal p;
    p.name = name;
    p.encryption = enc;
    p.hash = hash;
    p.group = group;
    p.lifetime_seconds = life;
    return p;
}

inline negotiation::IpsecProposal fuzz_ipsec_proposal(const char* name, sadb::Protocol proto,
                                                      std::optional<sadb::EncryptionAlgorithm> enc,
                                                      std::optional<sadb::AuthenticationAlgorithm> auth,
                                                      std::uint32_t life)
{
    negotiation::IpsecProposal p;
    p.name = name;
    p.protocol = proto;
    p.encryption = enc;
    p.authentication = auth;
    p.lifetime_seconds = life;
    return p;
}

/// The responder: a PSK policy for 10.0.0.1 and two respond-only SAs, a
/// route-based tunnel (ESP, bundle or AH) and a transport SA with PFS. Short
/// lifetimes and timers so a few records reach expiry, DPD and half-open timeout.
inline EngineConfig responder_config()
{
    using sadb::AuthenticationAlgorithm;
    using sadb::EncryptionAlgorithm;
    EngineConfig c;
    c.local = Endpoint{responder_address(), 500};
    IkePolicy ike;
    ike.peer = initiator_address();
    ike.proposals = {
        fuzz_ike_proposal("3des-sha1-g1", EncryptionAlgorithm::TripleDesCbc, crypto::HashAlgorithm::Sha1,
                          crypto::DhGroup::Modp768, 600),
        fuzz_ike_proposal("des-md5-g1", EncryptionAlgorithm::DesCbc, crypto::HashAlgorithm::Md5,
                          crypto::DhGroup::Modp768, 180),
    };
    const std::string key = fuzz_psk();
    ike.pre_shared_key.assign(key.begin(), key.end());
    c.ike_policies.push_back(ike);
    ike.peer = aggressive_initiator_address();
    ike.mode = ExchangeMode::Aggressive;
    c.ike_policies.push_back(ike);

    IpsecSaPolicy transport;
    transport.name = "transport-pfs";
    transport.peer = initiator_address();
    transport.mode = sadb::Mode::Transport;
    transport.local_client = ClientId{responder_address(), 32};
    transport.peer_client = ClientId{initiator_address(), 32};
    transport.proposals = {fuzz_ipsec_proposal("ah-md5", sadb::Protocol::Ah, std::nullopt,
                                               AuthenticationAlgorithm::HmacMd5_96, 300)};
    transport.pfs_group = crypto::DhGroup::Modp768;
    transport.initiate_on_start = false;
    c.ipsec_policies.push_back(transport);

    IpsecSaPolicy tunnel;
    tunnel.name = "tunnel";
    tunnel.peer = initiator_address();
    tunnel.local_client = ClientId{ip(0, 0, 0, 0), 0};
    tunnel.peer_client = ClientId{ip(0, 0, 0, 0), 0};
    tunnel.proposals = {
        fuzz_ipsec_proposal("esp-3des-sha", sadb::Protocol::Esp, EncryptionAlgorithm::TripleDesCbc,
                            AuthenticationAlgorithm::HmacSha1_96, 300),
        fuzz_ipsec_proposal("bundle-sha-des", sadb::Protocol::Bundle, EncryptionAlgorithm::DesCbc,
                            AuthenticationAlgorithm::HmacSha1_96, 300),
    };
    tunnel.initiate_on_start = false;
    c.ipsec_policies.push_back(tunnel);
    tunnel.name = "tunnel-aggressive";
    tunnel.peer = aggressive_initiator_address();
    c.ipsec_policies.push_back(tunnel);

    c.timers.retransmit_base_ms = 1000;
    c.timers.max_retries = 3;
    c.timers.dpd_interval_ms = 20000;
    c.timers.half_open_timeout_ms = 30000;
    c.max_half_open = 8;
    c.max_half_open_per_peer = 4;
    return c;
}

/// The IKEv2 responder (RFC 7296): the same peers with IKEv2 policies, two
/// IKE proposals (MODP-768 and MODP-1024, so a KE in the other group gets
/// INVALID_KE_PAYLOAD), and respond-only Child SAs: an ESP tunnel for each
/// peer and an ESP transport SA (USE_TRANSPORT_MODE) for 10.0.0.1.
inline EngineConfig v2_responder_config()
{
    using sadb::AuthenticationAlgorithm;
    using sadb::EncryptionAlgorithm;
    auto c = responder_config();
    for (auto& ike : c.ike_policies) {
        ike.version = IkeVersion::V2;
        ike.mode = ExchangeMode::Main;
        ike.proposals = {
            fuzz_ike_proposal("3des-sha1-g1", EncryptionAlgorithm::TripleDesCbc, crypto::HashAlgorithm::Sha1,
                              crypto::DhGroup::Modp768, 600),
            fuzz_ike_proposal("aes128-sha256-g2", EncryptionAlgorithm::Aes128Cbc, crypto::HashAlgorithm::Sha256,
                              crypto::DhGroup::Modp1024, 180),
            // The services PIC's groups: ECP point and X25519 checks on KE data.
            fuzz_ike_proposal("aes256-sha256-g19", EncryptionAlgorithm::Aes256Cbc, crypto::HashAlgorithm::Sha256,
                              crypto::DhGroup::Ecp256, 180),
            fuzz_ike_proposal("aes256-sha256-g31", EncryptionAlgorithm::Aes256Cbc, crypto::HashAlgorithm::Sha256,
                              crypto::DhGroup::Curve25519, 180),
        };
    }
    for (auto& sa : c.ipsec_policies) {
        sa.pfs_group.reset();
        // RFC 4106 8.4: AES-GCM goes without an integrity algorithm.
        const auto gcm = fuzz_ipsec_proposal("esp-aes128-gcm", sadb::Protocol::Esp, EncryptionAlgorithm::Aes128Gcm16,
                                             std::nullopt, 300);
        sa.proposals = {fuzz_ipsec_proposal("esp-3des-sha", sadb::Protocol::Esp, EncryptionAlgorithm::TripleDesCbc,
                                            AuthenticationAlgorithm::HmacSha1_96, 300),
                        gcm};
    }
    return c;
}

inline std::shared_ptr<spdlog::logger> quiet_logger()
{
    static auto log = [] {
        auto l = std::make_shared<spdlog::logger>("fuzz", std::make_shared<spdlog::sinks::null_sink_st>());
        l->set_level(spdlog::level::off);
        return l;
    }();
    return log;
}

/// The responder engine with callbacks that record what it does and check
/// the engine's bookkeeping against them.
class Responder : public Callbacks {
    // Declared first: the engine below holds references to both.
    Botan::ChaCha_RNG m_rng;
    EngineConfig m_config;

public:
    explicit Responder(EngineConfig config = responder_config())
        : m_rng(Botan::secure_vector<std::uint8_t>(32, 0x5a)), m_config(config)
    {
        config.logger = quiet_logger();
        engine = std::make_unique<Engine>(std::move(config), *this, m_rng);
    }

    /// Advances the clock (a tick), then hands the record's datagram to the engine.
    void feed(const Record& r)
    {
        now_ms += std::uint64_t{r.advance_seconds} * 1000;
        engine->tick(now_ms);
        const Endpoint from{r.aggressive_peer ? aggressive_initiator_address() : initiator_address(),
                            static_cast<std::uint16_t>(r.nat_t ? 4500 : 500)};
        const Endpoint to{responder_address(), static_cast<std::uint16_t>(r.nat_t ? 4500 : 500)};
        engine->received_datagram(r.bytes, from, to);
    }

    /// Invariants that hold whatever the input was; false names a bug.
    bool consistent() const
    {
        if (engine->ipsec_security_associations().size() != installed.size())
            return false;
        std::size_t negotiating = 0;
        for (const auto& s : engine->ike_security_associations())
            negotiating += s.role == Role::Responder && s.state == IkeSaState::Negotiating ? 1 : 0;
        if (negotiating > m_config.max_half_open)
            return false;
        for (const auto& [spi, pair] : installed) {
            if (pair.inbound.protocol != pair.outbound.protocol || pair.inbound.spi == 0 || pair.outbound.spi == 0)
                return false;
            if (pair.inbound.authentication && pair.inbound.authentication_key.empty())
                return false;
        }
        return true;
    }

    void send_datagram(const Endpoint& from, const Endpoint& to, std::span<const std::uint8_t> bytes) override
    {
        sent.push_back(Sent{from, to, {bytes.begin(), bytes.end()}});
    }
    InstallResult install_sa(const DynamicSaPair& pair) override
    {
        if (installed.count(pair.inbound.spi))
            return InstallResult{InstallResult::Status::Rejected, "inbound SPI in use"};
        installed.emplace(pair.inbound.spi, pair);
        return InstallResult::installed();
    }
    void delete_sa(const SaPairId& id) override { installed.erase(id.inbound_spi); }
    void phase1_up(const IkeSaInfo&) override { ++phase1_up_count; }
    void phase2_up(const IpsecSaInfo&) override { ++phase2_up_count; }

    struct Sent {
        Endpoint from, to;
        std::vector<std::uint8_t> bytes;
    };
    std::vector<Sent> sent;
    std::map<std::uint32_t, DynamicSaPair> installed;
    unsigned phase1_up_count = 0;
    unsigned phase2_up_count = 0;
    std::uint64_t now_ms = 0;
    std::unique_ptr<Engine> engine;
};

/// Runs one fuzz input; aborts when the engine's bookkeeping breaks.
inline void run_input(std::span<const std::uint8_t> in, EngineConfig config = responder_config())
{
    Responder r(std::move(config));
    for (const auto& rec : split_records(in)) {
        r.feed(rec);
        if (!r.consistent())
            std::abort();
    }
    r.now_ms += 200000;  // past every lifetime: expiry paths
    r.engine->tick(r.now_ms);
    r.engine->tick(r.now_ms + 400000);
    if (!r.consistent())
        std::abort();
}

}  // namespace picsec::ike::fuzz
