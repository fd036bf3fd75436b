// The services PIC's algorithms between two in-memory engines: ESP AES-GCM
// negotiated by IKEv1 Quick Mode and IKEv2 Child SAs (RFC 4106 8.4), and the
// ECP (RFC 5903) and Curve25519 (RFC 8031) groups for the IKE SA and PFS.
#include <catch2/catch.hpp>

#include "exchange_harness.h"
#include "mirrored_pairs.h"

using namespace picsec;
using namespace picsec::ike;
using namespace picsec::ike::test;

namespace {

using crypto::DhGroup;
using sadb::EncryptionAlgorithm;

constexpr DhGroup k_modern_groups[] = {DhGroup::Ecp256, DhGroup::Ecp384, DhGroup::Curve25519};

negotiation::IpsecProposal gcm_proposal(EncryptionAlgorithm cipher) {
    auto q = ipsec_proposal("esp-" + std::string(algo::keyword(cipher)));
    q.encryption = cipher;
    q.authentication.reset();  // RFC 4106 8.4: no Authentication Algorithm with AES-GCM
    return q;
}

// A and B with one IKE proposal (aes-256-cbc, sha-256, `group`) and one ESP
// proposal (`cipher`, no HMAC); `a_initiates` picks the initiator.
std::pair<EngineConfig, EngineConfig> modern_configs(IkeVersion version, DhGroup group, EncryptionAlgorithm cipher,
                                                     bool a_initiates = true) {
    auto a = make_config("10.0.0.1", "10.0.0.2", a_initiates);
    auto b = make_config("10.0.0.2", "10.0.0.1", !a_initiates);
    for (auto* c : {&a, &b}) {
        auto& ike = c->ike_policies[0];
        ike.version = version;
        ike.proposals[0].encryption = EncryptionAlgorithm::Aes256Cbc;
        ike.proposals[0].hash = crypto::HashAlgorithm::Sha256;
        ike.proposals[0].group = group;
        c->ipsec_policies[0].proposals = {gcm_proposal(cipher)};
    }
    return {std::move(a), std::move(b)};
}

// Both sides installed one pair, each the mirror of the other, with the
// cipher's key and salt (RFC 4106 8.1) and no integrity key.
void check_gcm_pair(const RecordingNode& a, const RecordingNode& b, EncryptionAlgorithm cipher) {
    check_mirrored_pairs(a, b);
    const auto& pa = a.installed.begin()->second;
    const auto& pb = b.installed.begin()->second;
    for (const auto* s : {&pa.inbound, &pa.outbound, &pb.inbound, &pb.outbound}) {
        CHECK(s->encryption == cipher);
        CHECK_FALSE(s->authentication.has_value());
        CHECK(s->encryption_key.size() == algo::info(cipher).key_bytes);
        CHECK(s->authentication_key.empty());
    }
}

std::uint8_t exchange_of(const Datagram& d) { return d.bytes.size() > 18 ? d.bytes[18] : 0; }

}  // namespace

TEST_CASE("IKEv1 Main Mode with ECP and Curve25519 groups brings up an ESP AES-GCM pair in either role",
          "[ike][v1][main][quick][gcm][ecp]") {
    for (const DhGroup group : k_modern_groups)
        for (const auto cipher : {EncryptionAlgorithm::Aes128Gcm16, EncryptionAlgorithm::Aes256Gcm16})
            for (const bool a_initiates : {true, false}) {
                INFO(algo::keyword(group) << " " << algo::keyword(cipher) << (a_initiates ? " A" : " B")
                                          << " initiates");
                auto [a, b] = modern_configs(IkeVersion::V1, group, cipher, a_initiates);
                Pair p(std::move(a), std::move(b));
                p.tick(0);
                p.settle();
                REQUIRE(p.na.p1_up.size() == 1);
                REQUIRE(p.nb.p1_up.size() == 1);
                check_gcm_pair(p.na, p.nb, cipher);
            }
}

TEST_CASE("IKEv1 Quick Mode PFS with an ECP or Curve25519 group derives keys both sides share",
          "[ike][v1][quick][pfs][ecp]") {
    for (const DhGroup group : k_modern_groups) {
        INFO(algo::keyword(group));
        auto [a, b] = modern_configs(IkeVersion::V1, DhGroup::Modp2048, EncryptionAlgorithm::Aes128Gcm16);
        a.ipsec_policies[0].pfs_group = group;
        b.ipsec_policies[0].pfs_group = group;
        Pair p(std::move(a), std::move(b));
        p.tick(0);
        p.settle();
        check_gcm_pair(p.na, p.nb, EncryptionAlgorithm::Aes128Gcm16);
        REQUIRE(p.na.p2_up.size() == 1);
        CHECK(p.na.p2_up[0].pfs_group == group);
    }
}

TEST_CASE("IKEv2 with ECP and Curve25519 groups brings up an AES-GCM Child SA in either role",
          "[ike][ikev2][gcm][ecp]") {
    for (const DhGroup group : k_modern_groups)
        for (const auto cipher : {EncryptionAlgorithm::Aes128Gcm16, EncryptionAlgorithm::Aes256Gcm16})
            for (const bool a_initiates : {true, false}) {
                INFO(algo::keyword(group) << " " << algo::keyword(cipher) << (a_initiates ? " A" : " B")
                                          << " initiates");
                auto [a, b] = modern_configs(IkeVersion::V2, group, cipher, a_initiates);
                Pair p(std::move(a), std::move(b));
                p.tick(0);
                p.settle();
                REQUIRE(p.na.p1_up.size() == 1);
                CHECK(p.na.p1_up[0].version == IkeVersion::V2);
                check_gcm_pair(p.na, p.nb, cipher);
            }
}

TEST_CASE("an IKEv2 AES-GCM Child SA is rekeyed with CREATE_CHILD_SA, with and without ECP PFS",
          "[ike][ikev2][gcm][ecp][rekey]") {
    for (const auto pfs : {std::optional<DhGroup>{}, std::optional{DhGroup::Ecp256}, std::optional{DhGroup::Curve25519}}) {
        INFO((pfs ? algo::keyword(*pfs) : "no PFS"));
        auto [a, b] = modern_configs(IkeVersion::V2, DhGroup::Ecp384, EncryptionAlgorithm::Aes256Gcm16);
        for (auto* c : {&a, &b}) {
            // The initiator rekeys 60 s before the 300 s lifetime ends (no jitter).
            c->ipsec_policies[0].proposals[0].lifetime_seconds = 300;
            c->ipsec_policies[0].pfs_group = pfs;
        }
        Pair p(std::move(a), std::move(b));
        p.tick(0);
        p.settle();
        check_gcm_pair(p.na, p.nb, EncryptionAlgorithm::Aes256Gcm16);
        const auto old_spi = p.na.installed.begin()->first;
        const auto old_key = p.na.installed.begin()->second.inbound.encryption_key;
        p.tick(240000);
        REQUIRE(p.na.outbox.size() == 1);
        CHECK(exchange_of(p.na.outbox.front()) == 36);  // CREATE_CHILD_SA
        p.settle();
        check_gcm_pair(p.na, p.nb, EncryptionAlgorithm::Aes256Gcm16);
        CHECK(p.na.installed.begin()->first != old_spi);
        CHECK(p.na.installed.begin()->second.inbound.encryption_key != old_key);
        CHECK(p.na.p2_up.size() == 2);
        CHECK(p.nb.p2_up.size() == 2);
    }
}

TEST_CASE("an IKEv1 Quick Mode AES-GCM SA is rekeyed before it expires", "[ike][v1][quick][gcm][rekey]") {
    auto [a, b] = modern_configs(IkeVersion::V1, DhGroup::Ecp256, EncryptionAlgorithm::Aes128Gcm16);
    for (auto* c : {&a, &b}) c->ipsec_policies[0].proposals[0].lifetime_seconds = 300;
    Pair p(std::move(a), std::move(b));
    p.tick(0);
    p.settle();
    check_gcm_pair(p.na, p.nb, EncryptionAlgorithm::Aes128Gcm16);
    const std::size_t before = p.na.p2_up.size();
    for (std::uint64_t t = 1000; t <= 290000; t += 1000) {
        p.tick(t);
        p.settle();
    }
    CHECK(p.na.p2_up.size() > before);
    CHECK(p.nb.p2_up.size() > before);
    for (const auto* n : {&p.na, &p.nb})
        for (const auto& [spi, pair] : n->installed) {
            CHECK(pair.inbound.encryption_key.size() == 20);
            CHECK(pair.inbound.authentication_key.empty());
        }
}
