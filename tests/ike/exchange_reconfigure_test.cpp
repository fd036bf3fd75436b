// Engine::reconfigure() between two in-memory engines: ten dynamic SAs up,
// then a new configuration changes, removes or adds one policy; only what
// changed is deleted (the peer told) and negotiated again, the rest keeps
// its cookies, SPIs and SADB counters.
#include "exchange_harness.h"

#include "picsec/sadb/ipv4.h"
#include "picsec/sadb/sadb.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <set>

using namespace picsec::ike;
using namespace picsec::ike::test;
namespace sadb = picsec::sadb;

namespace {

constexpr int k_sas = 10;

negotiation::IpsecProposal aes_proposal()
{
    auto p = ipsec_proposal("esp-aes128-sha");
    p.encryption = sadb::EncryptionAlgorithm::Aes128Cbc;
    return p;
}

std::string sa_name(int i) { return "sa" + std::to_string(i); }

/// Ten tunnel SAs between 10.0.0.1 and 10.0.0.2 under one IKE policy, told
/// apart by their client subnets (172.16.i.0/24 behind A, 172.17.i.0/24
/// behind B). B, the responder, also accepts AES for each.
EngineConfig ten_sas(const char* self, const char* peer, bool initiator, IkeVersion version)
{
    EngineConfig c = make_config(self, peer, initiator);
    c.ike_policies[0].version = version;
    const auto tmpl = c.ipsec_policies[0];
    c.ipsec_policies.clear();
    for (int i = 0; i < k_sas; ++i) {
        auto sp = tmpl;
        sp.name = sa_name(i);
        const ClientId a{addr(("172.16." + std::to_string(i) + ".0").c_str()), 24};
        const ClientId b{addr(("172.17." + std::to_string(i) + ".0").c_str()), 24};
        sp.local_client = initiator ? a : b;
        sp.peer_client = initiator ? b : a;
        if (!initiator)
            sp.proposals.push_back(aes_proposal());
        c.ipsec_policies.push_back(sp);
    }
    return c;
}

/// A SADB that holds what an engine has installed: pairs the engine
/// installed are added, pairs it deleted removed; the others (and their
/// counters) stay as they are.
struct MirrorSadb {
    sadb::Sadb db;
    std::map<std::uint32_t, std::pair<sadb::SaId, sadb::SaId>> by_inbound_spi;

    void sync(const RecordingNode& node)
    {
        for (auto it = by_inbound_spi.begin(); it != by_inbound_spi.end();) {
            if (node.installed.count(it->first)) {
                ++it;
                continue;
            }
            db.remove(it->second.first);
            db.remove(it->second.second);
            it = by_inbound_spi.erase(it);
        }
        for (const auto& [spi, pair] : node.installed) {
            if (by_inbound_spi.count(spi))
                continue;
            auto in = db.add(pair.inbound);
            auto out = db.add(pair.outbound);
            REQUIRE(in);
            REQUIRE(out);
            by_inbound_spi.emplace(spi, std::pair{*in, *out});
        }
    }
    std::uint64_t packets(std::uint32_t inbound_spi, bool outbound) const
    {
        const auto& ids = by_inbound_spi.at(inbound_spi);
        return db.get(outbound ? ids.second : ids.first)->counters.packets;
    }
};

/// The inbound SPI of each installed pair, by SA name (one pair each).
std::map<std::string, std::uint32_t> spis(const RecordingNode& n)
{
    std::map<std::string, std::uint32_t> out;
    for (const auto& [spi, pair] : n.installed) {
        REQUIRE(out.count(pair.name) == 0);
        out[pair.name] = spi;
    }
    return out;
}

struct Traffic {
    MirrorSadb a, b;
    /// A sends one packet through each of its outbound SAs to B's SADB.
    void send_all(Pair& p)
    {
        a.sync(p.na);
        b.sync(p.nb);
        for (const auto& [spi, ids] : a.by_inbound_spi) {
            // From 172.16.i.1 to 172.17.i.1, inside SA i's client subnets.
            const int i = std::stoi(a.db.get(ids.second)->spec.name.substr(2));
            auto packet = sadb::ipv4::make_header(0, 1, 0x4000, 64, 1, (172u << 24) | (16u << 16) | (unsigned(i) << 8) | 1,
                                                  (172u << 24) | (17u << 16) | (unsigned(i) << 8) | 1);
            packet.resize(48, 0x5a);
            packet[20] = 8;  // ICMP echo request
            sadb::ipv4::finish_header(packet, 20);
            auto wire = a.db.protect(ids.second, packet, p.rng_a);
            REQUIRE(wire);
            auto back = b.db.unprotect(*wire);
            REQUIRE(back);
        }
    }
};

/// Each IKE SA's cookies (IKEv1) or SPIi and SPIr (IKEv2).
std::vector<std::pair<Cookie, Cookie>> ike_spis(const Engine& e)
{
    std::vector<std::pair<Cookie, Cookie>> out;
    for (const auto& sa : e.ike_security_associations())
        out.emplace_back(sa.initiator_cookie, sa.responder_cookie);
    return out;
}

bool has_line(const ConfigDiff& d, const std::string& line)
{
    const auto l = d.lines();
    return std::find(l.begin(), l.end(), line) != l.end();
}

EngineConfig first_sa_only(EngineConfig c)
{
    c.ipsec_policies.resize(1);
    return c;
}

/// Ten SAs up between A and B, traffic through each. A starts with sa0 and
/// a reconfigure adds the other nine, which come up on the same IKE SA.
struct TenUp {
    explicit TenUp(IkeVersion version)
        : p(first_sa_only(ten_sas("10.0.0.1", "10.0.0.2", true, version)),
            ten_sas("10.0.0.2", "10.0.0.1", false, version)),
          version(version)
    {
        p.tick(0);
        p.settle();
        REQUIRE(p.na.installed.size() == 1);
        const auto added = p.ea->reconfigure(a_config());
        CHECK(has_line(added, "security-association sa9: added, initiating"));
        CHECK(has_line(added, "unchanged: 1 policy, 1 security-association"));
        p.settle();
        REQUIRE(p.na.installed.size() == k_sas);
        REQUIRE(p.nb.installed.size() == k_sas);
        t.send_all(p);
        a_spis = spis(p.na);
        b_spis = spis(p.nb);
        ike = ike_spis(*p.ea);
        REQUIRE(ike.size() == 1);
    }
    EngineConfig a_config() const { return ten_sas("10.0.0.1", "10.0.0.2", true, version); }
    Pair p;
    IkeVersion version;
    Traffic t;
    std::map<std::string, std::uint32_t> a_spis, b_spis;
    std::vector<std::pair<Cookie, Cookie>> ike;
};

/// The SAs other than `except` kept their SPIs at both ends and their SADB
/// counters (one packet each way before, one more after).
void others_undisturbed(TenUp& u, const std::string& except)
{
    const auto a_now = spis(u.p.na);
    const auto b_now = spis(u.p.nb);
    for (int i = 0; i < k_sas; ++i) {
        const auto name = sa_name(i);
        if (name == except)
            continue;
        INFO(name);
        REQUIRE(a_now.count(name));
        CHECK(a_now.at(name) == u.a_spis.at(name));
        CHECK(b_now.at(name) == u.b_spis.at(name));
        CHECK(u.t.a.packets(a_now.at(name), true) == 1);
        CHECK(u.t.b.packets(b_now.at(name), false) == 1);
    }
    CHECK(ike_spis(*u.p.ea) == u.ike);
    u.t.send_all(u.p);
    for (int i = 0; i < k_sas; ++i) {
        const auto name = sa_name(i);
        if (name == except || !a_now.count(name))
            continue;
        INFO(name);
        CHECK(u.t.a.packets(a_now.at(name), true) == 2);
        CHECK(u.t.b.packets(b_now.at(name), false) == 2);
    }
}

IkeVersion version_of(int v) { return v == 1 ? IkeVersion::V1 : IkeVersion::V2; }

}  // namespace

TEST_CASE("ten SAs for one peer started together come up on one IKE SA at both ends", "[ike][v2][v1]")
{
    const auto version = version_of(GENERATE(1, 2));
    INFO("IKEv" << (version == IkeVersion::V1 ? 1 : 2));
    Pair p(ten_sas("10.0.0.1", "10.0.0.2", true, version), ten_sas("10.0.0.2", "10.0.0.1", false, version));
    p.tick(0);
    p.settle();
    CHECK(p.na.installed.size() == k_sas);
    CHECK(p.nb.installed.size() == k_sas);
    CHECK(p.ea->ike_security_associations().size() == 1);
    CHECK(p.eb->ike_security_associations().size() == 1);
}

TEST_CASE("a reconfigure that changes one SA's proposals renegotiates only that SA, the other nine keep SPIs and counters",
          "[ike][reconfigure]")
{
    const int v = GENERATE(1, 2);
    INFO("IKEv" << v);
    TenUp u(version_of(v));
    auto next = u.a_config();
    next.ipsec_policies[3].proposals = {aes_proposal()};
    const auto sa3_a = u.a_spis.at("sa3");
    const auto sa3_b = u.b_spis.at("sa3");

    const auto diff = u.p.ea->reconfigure(next);
    CHECK_FALSE(diff.refused);
    CHECK(has_line(diff, "security-association sa3: changed (proposals), 1 IPsec SA deleted, renegotiating"));
    CHECK(has_line(diff, "unchanged: 1 policy, 9 security-associations"));
    u.p.settle();

    // The peer was told: B deleted its old sa3 pair and both run a new one, with AES.
    CHECK(std::any_of(u.p.nb.deleted.begin(), u.p.nb.deleted.end(),
                      [&](const SaPairId& d) { return d.inbound_spi == sa3_b; }));
    REQUIRE(u.p.na.installed.size() == k_sas);
    REQUIRE(u.p.nb.installed.size() == k_sas);
    const auto a_now = spis(u.p.na);
    CHECK(a_now.at("sa3") != sa3_a);
    CHECK(spis(u.p.nb).at("sa3") != sa3_b);
    CHECK(u.p.na.installed.at(a_now.at("sa3")).outbound.encryption == sadb::EncryptionAlgorithm::Aes128Cbc);
    CHECK(u.p.na.deleted.size() == 1);
    CHECK(u.p.nb.deleted.size() == 1);
    CHECK(u.p.na.ike_deleted.empty());
    others_undisturbed(u, "sa3");
}

TEST_CASE("a replaced configuration is kept only while an exchange that was in flight may read it",
          "[ike][reconfigure]")
{
    const int v = GENERATE(1, 2);
    INFO("IKEv" << v);
    TenUp u(version_of(v));
    // Nothing in flight: each commit frees the configuration it replaces.
    for (int i = 0; i < 20; ++i)
        CHECK(u.p.ea->reconfigure(u.a_config()).configurations_kept == 0);

    // sa3 changes; its new negotiation is in flight when the next commit
    // replaces that configuration, which is kept until the exchange is over.
    auto next = u.a_config();
    next.ipsec_policies[3].proposals = {aes_proposal()};
    CHECK(u.p.ea->reconfigure(next).configurations_kept == 0);
    CHECK(u.p.ea->reconfigure(next).configurations_kept == 1);
    u.p.settle();
    REQUIRE(u.p.na.installed.size() == k_sas);
    CHECK(u.p.na.installed.at(spis(u.p.na).at("sa3")).outbound.encryption == sadb::EncryptionAlgorithm::Aes128Cbc);
    u.p.tick(2000);
    CHECK(u.p.ea->reconfigure(next).configurations_kept == 0);
    others_undisturbed(u, "sa3");
}

TEST_CASE("an IKEv2 CREATE_CHILD_SA in flight for an SA a reconfigure changes leaves one pair, the new configuration's",
          "[ike][reconfigure][v2]")
{
    TenUp u(IkeVersion::V2);
    // sa3 cleared and asked for again: A's INFORMATIONAL Delete, then its
    // CREATE_CHILD_SA under the running configuration, which is in flight
    // when the new one (AES for sa3) comes.
    u.p.ea->clear_ipsec("sa3");
    REQUIRE(u.p.ea->initiate("sa3"));
    REQUIRE(u.p.a_to_b());
    REQUIRE(u.p.b_to_a());
    REQUIRE(u.p.na.outbox.size() == 1);  // HDR, SK {SA, Ni, TSi, TSr} -->
    auto next = u.a_config();
    next.ipsec_policies[3].proposals = {aes_proposal()};
    u.p.ea->reconfigure(next);
    u.p.settle();

    const auto sa3 = [](const RecordingNode& n) {
        std::vector<DynamicSaPair> out;
        for (const auto& [spi, pair] : n.installed)
            if (pair.name == "sa3")
                out.push_back(pair);
        return out;
    };
    REQUIRE(sa3(u.p.na).size() == 1);
    REQUIRE(sa3(u.p.nb).size() == 1);
    CHECK(sa3(u.p.na)[0].outbound.encryption == sadb::EncryptionAlgorithm::Aes128Cbc);
    CHECK(sa3(u.p.na)[0].inbound.spi == sa3(u.p.nb)[0].outbound.spi);
    CHECK(u.p.na.installed.size() == k_sas);
    CHECK(u.p.nb.installed.size() == k_sas);
}

TEST_CASE("a reconfigure that removes an SA deletes its pairs at both ends and leaves the other nine alone",
          "[ike][reconfigure]")
{
    const int v = GENERATE(1, 2);
    INFO("IKEv" << v);
    TenUp u(version_of(v));
    auto next = u.a_config();
    next.ipsec_policies.erase(next.ipsec_policies.begin() + 9);

    const auto diff = u.p.ea->reconfigure(next);
    CHECK(has_line(diff, "security-association sa9: removed, 1 IPsec SA deleted"));
    u.p.settle();
    CHECK(u.p.na.installed.size() == k_sas - 1);
    CHECK(u.p.nb.installed.size() == k_sas - 1);
    CHECK(spis(u.p.na).count("sa9") == 0);
    CHECK(spis(u.p.nb).count("sa9") == 0);
    REQUIRE(u.p.na.ipsec_deleted.size() == 1);
    CHECK(u.p.na.ipsec_deleted[0].second == DeleteReason::Reconfigured);
    REQUIRE(u.p.nb.ipsec_deleted.size() == 1);
    CHECK(u.p.nb.ipsec_deleted[0].second == DeleteReason::PeerDelete);
    others_undisturbed(u, "sa9");
}

TEST_CASE("a reconfigure that changes the IKE policy's proposals deletes its IKE SA and IPsec SAs and negotiates them again",
          "[ike][reconfigure]")
{
    const int v = GENERATE(1, 2);
    INFO("IKEv" << v);
    auto a = make_config("10.0.0.1", "10.0.0.2", true);
    auto b = make_config("10.0.0.2", "10.0.0.1", false);
    a.ike_policies[0].version = b.ike_policies[0].version = version_of(v);
    auto aes = ike_proposal("p-aes");
    aes.encryption = sadb::EncryptionAlgorithm::Aes128Cbc;
    b.ike_policies[0].proposals.push_back(aes);
    Pair p(a, b);
    p.tick(0);
    p.settle();
    REQUIRE(p.na.installed.size() == 1);
    const auto old_ike = p.ea->ike_security_associations();
    const auto old_spi = p.na.installed.begin()->first;

    a.ike_policies[0].proposals = {aes};
    const auto diff = p.ea->reconfigure(a);
    CHECK(has_line(diff, "policy 10.0.0.2: changed (proposals), 1 IKE SA deleted, 1 IPsec SA deleted, renegotiating"));
    CHECK(has_line(diff, "unchanged: 0 policies, 1 security-association"));
    p.settle();

    // B was told about both; a new IKE SA with AES carries a new pair.
    REQUIRE(p.nb.ike_deleted.size() == 1);
    CHECK(p.nb.ike_deleted[0].second == DeleteReason::PeerDelete);
    REQUIRE(p.na.ike_deleted.size() == 1);
    CHECK(p.na.ike_deleted[0].second == DeleteReason::Reconfigured);
    const auto now_ike = p.ea->ike_security_associations();
    REQUIRE(now_ike.size() == 1);
    CHECK(now_ike[0].initiator_cookie != old_ike[0].initiator_cookie);
    REQUIRE(now_ike[0].proposal);
    CHECK(now_ike[0].proposal->encryption == sadb::EncryptionAlgorithm::Aes128Cbc);
    REQUIRE(p.na.installed.size() == 1);
    REQUIRE(p.nb.installed.size() == 1);
    CHECK(p.na.installed.begin()->first != old_spi);
    CHECK(p.ea->ike_security_associations().size() == 1);
    CHECK(p.eb->ike_security_associations().size() == 1);
}

TEST_CASE("a reconfigure that adds an IKE policy and an SA starts them and leaves the running SA alone",
          "[ike][reconfigure]")
{
    Pair p;
    p.tick(0);
    p.settle();
    REQUIRE(p.na.installed.size() == 1);
    const auto spi = p.na.installed.begin()->first;
    auto next = make_config("10.0.0.1", "10.0.0.2", true);
    auto third = next.ike_policies[0];
    third.peer = addr("10.0.0.3");
    next.ike_policies.push_back(third);
    auto sa2 = next.ipsec_policies[0];
    sa2.name = "sa2";
    sa2.peer = third.peer;
    next.ipsec_policies.push_back(sa2);

    const auto diff = p.ea->reconfigure(next);
    CHECK(has_line(diff, "policy 10.0.0.3: added, initiating"));
    CHECK(has_line(diff, "security-association sa2: added, initiating"));
    CHECK(has_line(diff, "unchanged: 1 policy, 1 security-association"));
    // Main Mode message 1 towards the new peer.
    REQUIRE_FALSE(p.na.outbox.empty());
    CHECK(p.na.outbox.back().to.address == addr("10.0.0.3"));
    CHECK(p.na.installed.count(spi) == 1);
    CHECK(p.na.deleted.empty());
}

TEST_CASE("a reconfigure to another local endpoint is refused and changes nothing", "[ike][reconfigure]")
{
    Pair p;
    p.tick(0);
    p.settle();
    REQUIRE(p.na.installed.size() == 1);
    auto next = make_config("10.0.0.9", "10.0.0.2", true);
    next.ipsec_policies.clear();
    const auto diff = p.ea->reconfigure(next);
    REQUIRE(diff.refused);
    CHECK(diff.refused->find("10.0.0.1:500") != std::string::npos);
    CHECK(p.na.outbox.empty());
    CHECK(p.na.deleted.empty());
    CHECK(p.ea->ipsec_security_associations().size() == 1);
    // The running configuration still answers: a second identical reconfigure changes nothing.
    const auto same = p.ea->reconfigure(make_config("10.0.0.1", "10.0.0.2", true));
    CHECK(same.empty());
    CHECK(has_line(same, "unchanged: 1 policy, 1 security-association"));
}

TEST_CASE("the configuration diff compares policies by value", "[ike][reconfigure]")
{
    const auto a = make_config("10.0.0.1", "10.0.0.2", true);
    CHECK(diff_config(a, a).empty());
    auto b = a;
    b.ike_policies[0].pre_shared_key = psk("another");
    b.ike_policies[0].mode = ExchangeMode::Aggressive;
    b.ipsec_policies[0].pfs_group = negotiation::DhGroup::Modp1024;
    b.ipsec_policies[0].initiate_on_start = false;  // not negotiated: no change
    b.timers.dpd_interval_ms = 10000;               // engine-wide: no policy change
    const auto d = diff_config(a, b);
    const auto l = d.lines();
    REQUIRE(l.size() == 3);
    CHECK(l[0] == "policy 10.0.0.2: changed (mode, pre-shared-key)");
    CHECK(l[1] == "security-association sa1: changed (perfect-forward-secrecy)");
    CHECK(l[2] == "unchanged: 0 policies, 0 security-associations");
}
