// A minimal router daemon embedding picsec: a "router" engine installs its
// IPsec SAs into an ES PIC model and SADB, and a "peer" engine stands for the
// far end. Datagrams travel through in-process queues and the clock is
// simulated, so it runs without sockets or root. PSK Main Mode + Quick Mode
// between 10.0.0.1 and 10.0.0.2 with the ES PIC's algorithms (3DES, SHA-1);
// exit 0 once the SA is up, 1 if it is not up within 30 simulated seconds.
#include "picsec/ike/engine.h"
#include "picsec/pic/pic.h"
#include "picsec/pic/sa_installer.h"
#include "picsec/sadb/sadb.h"

#include <botan/auto_rng.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <deque>
#include <string>
#include <vector>

using namespace picsec;

namespace {

struct Datagram {
    ike::Endpoint from, to;
    std::vector<std::uint8_t> bytes;
};

// The engine's whole outside world. A real daemon sends on a UDP socket here;
// this one queues the datagram for the other engine.
class Host : public ike::Callbacks {
public:
    std::vector<ike::IpsecSaInfo> established;  ///< from phase2_up()

    explicit Host(std::deque<Datagram>& wire, pic::SaInstaller* installer = nullptr)
        : m_wire(wire), m_installer(installer) {}

    void send_datagram(const ike::Endpoint& from, const ike::Endpoint& to,
                       std::span<const std::uint8_t> bytes) override {
        m_wire.push_back({from, to, {bytes.begin(), bytes.end()}});
    }
    // Both halves or neither: the PIC checks its limits before the SADB takes them.
    ike::InstallResult install_sa(const ike::DynamicSaPair& pair) override {
        if (!m_installer) return ike::InstallResult::installed();
        if (auto refused = m_installer->install(pair.inbound, pair.outbound))
            return {ike::InstallResult::Status::Rejected, refused->message};
        return ike::InstallResult::installed();
    }
    void delete_sa(const ike::SaPairId& id) override {
        if (m_installer) m_installer->remove(id.inbound_spi, id.protocol);
    }
    void phase2_up(const ike::IpsecSaInfo& sa) override { established.push_back(sa); }
    void phase1_failed(const ike::Phase1Failure& f) override {
        std::printf("phase 1 with %s failed: %s\n", f.peer.to_string().c_str(), f.detail.c_str());
    }
    void phase2_failed(const ike::Phase2Failure& f) override {
        std::printf("phase 2 %s failed: %s\n", f.name.c_str(), f.detail.c_str());
    }

private:
    std::deque<Datagram>& m_wire;
    pic::SaInstaller* m_installer;
};

// `security ike policy PEER` with a pre-shared key and one dynamic SA to PEER.
ike::EngineConfig config(const char* name, const char* self, const char* peer, bool initiate) {
    ike::EngineConfig c;
    c.local = ike::Endpoint{*ike::Ipv4Address::parse(self), 500};
    c.logger = spdlog::default_logger()->clone(name);  // log lines say which engine
    ike::IkePolicy p1;
    p1.peer = *ike::Ipv4Address::parse(peer);
    p1.proposals = {ike::negotiation::IkeProposal{.name = "ike-3des-sha1-group2",
                                                  .encryption = sadb::EncryptionAlgorithm::TripleDesCbc,
                                                  .hash = ike::negotiation::HashAlgorithm::Sha1,
                                                  .group = ike::negotiation::DhGroup::Modp1024}};
    const std::string psk = "example-secret";
    p1.pre_shared_key.assign(psk.begin(), psk.end());
    c.ike_policies.push_back(p1);
    ike::IpsecSaPolicy sa;
    sa.name = "sa-to-peer";
    sa.peer = p1.peer;
    sa.proposals = {ike::negotiation::IpsecProposal{.name = "esp-3des-sha1",
                                                    .encryption = sadb::EncryptionAlgorithm::TripleDesCbc,
                                                    .authentication = sadb::AuthenticationAlgorithm::HmacSha1_96}};
    sa.pfs_group = ike::negotiation::DhGroup::Modp1024;
    sa.initiate_on_start = initiate;  // the router initiates on its first tick()
    c.ipsec_policies.push_back(sa);
    return c;
}

}  // namespace

int main() {
    pic::Chassis chassis;  // one ES PIC in slot 0/0/0 and the SADB it programs
    sadb::Sadb sadb;
    pic::SaInstaller installer(chassis.add_pic(pic::PicName{0, 0, 0}), sadb);

    std::deque<Datagram> wire;
    Host router_host(wire, &installer), peer_host(wire);
    Botan::AutoSeeded_RNG rng;
    ike::Engine router(config("router", "10.0.0.1", "10.0.0.2", true), router_host, rng);
    ike::Engine peer(config("peer", "10.0.0.2", "10.0.0.1", false), peer_host, rng);

    // The event loop: tick every 100 ms, then deliver what is on the wire.
    const ike::Ipv4Address router_address = *ike::Ipv4Address::parse("10.0.0.1");
    std::size_t datagrams = 0;
    for (std::uint64_t now_ms = 0; now_ms <= 30'000; now_ms += 100) {
        router.tick(now_ms);
        peer.tick(now_ms);
        sadb.tick(now_ms / 1000);
        while (!wire.empty()) {
            const Datagram d = std::move(wire.front());
            wire.pop_front();
            ++datagrams;
            (d.to.address == router_address ? router : peer).received_datagram(d.bytes, d.from, d.to);
        }
        if (router_host.established.empty()) continue;
        const ike::IpsecSaInfo& sa = router_host.established.front();
        std::printf("IPsec SA %s up after %zu datagrams, %llu ms: %s <-> %s, %s %s, SPI in 0x%08x out 0x%08x\n",
                    sa.name.c_str(), datagrams, static_cast<unsigned long long>(now_ms), sa.local.to_string().c_str(),
                    sa.peer.to_string().c_str(), std::string(sadb::to_string(sa.protocol)).c_str(),
                    std::string(sadb::to_string(sa.mode)).c_str(), sa.inbound_spi, sa.outbound_spi);
        std::printf("SADB holds %zu SAs\n", sadb.size());
        return 0;
    }
    std::printf("no IPsec SA within 30 s\n");
    return 1;
}
