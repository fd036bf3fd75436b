// The Quick Mode task without an engine: two tasks fed each other's
// messages through the codec, their Outcomes asserted (RFC 2409 5.5).
#include "quick_mode_task.h"

#include "exchange_harness.h"

#include "picsec/ike/codec/payload_hash.h"
#include "picsec/ike/codec/payload_nonce.h"
#include "picsec/ike/codec/payload_sa.h"
#include "picsec/ike/codec/raw_payload.h"
#include "picsec/ike/crypto/phase2.h"
#include "picsec/ike/negotiation/sa_payload.h"

#include <botan/chacha_rng.h>
#include <catch2/catch.hpp>
#include <spdlog/sinks/null_sink.h>

using namespace picsec;
using namespace picsec::ike;
using namespace picsec::ike::detail;
using test::addr;

namespace {

IpsecSaPolicy sa_policy(const char* peer, std::optional<crypto::DhGroup> pfs = std::nullopt)
{
    IpsecSaPolicy sp;
    sp.name = "sa1";
    sp.peer = addr(peer);
    sp.local_client = ClientId{addr("0.0.0.0"), 0};
    sp.peer_client = ClientId{addr("0.0.0.0"), 0};
    sp.proposals = {test::ipsec_proposal()};
    sp.pfs_group = pfs;
    return sp;
}

/// One side's view of a phase 1 both sides share: same SKEYID_d/SKEYID_a,
/// mirrored endpoints, its own RNG.
struct Side {
    Side(const char* self, const char* peer, std::uint8_t seed)
        : rng(Botan::secure_vector<std::uint8_t>(32, seed)), local{addr(self), 500}, peer{addr(peer), 500}
    {
    }
    QuickModeContext ctx() { return QuickModeContext{crypto::HashAlgorithm::Sha1, skeyid_d, skeyid_a, local, peer,
                                                     false, rng, *log, "test"}; }

    Botan::ChaCha_RNG rng;
    Endpoint local, peer;
    crypto::SecureBytes skeyid_d = crypto::SecureBytes(20, 0xd0);
    crypto::SecureBytes skeyid_a = crypto::SecureBytes(20, 0xa0);
    std::shared_ptr<spdlog::logger> log =
        std::make_shared<spdlog::logger>("task", std::make_shared<spdlog::sinks::null_sink_mt>());
};

/// The message an Outcome sends, as the peer's task receives it: encoded and
/// split again by the codec (encryption is the engine's, not the task's).
codec::RawMessage wire(const Outcome& out, std::uint32_t message_id)
{
    REQUIRE_FALSE(out.send.empty());
    const auto bytes = codec::encode_chain(out.send);
    codec::RawMessage m;
    m.header.exchange_type = codec::ExchangeType::QuickMode;
    m.header.encryption = true;
    m.header.message_id = message_id;
    m.header.next_payload = out.send.front().type;
    auto chain = codec::split_chain(m.header.next_payload, bytes, false);
    REQUIRE(chain);
    m.payloads = std::move(chain.value());
    return m;
}

constexpr std::uint32_t k_msgid = 0x1234abcd;

/// The exchange was refused after the message verified: it ends, and
/// nothing is installed or sent but the refusal.
void check_refused(const Outcome& out, FailureReason reason, codec::NotifyType notify)
{
    CHECK(out.accepted);
    CHECK(out.finished);
    CHECK_FALSE(out.install);
    CHECK(out.send.empty());
    REQUIRE(out.refusal);
    CHECK(out.refusal->reason == reason);
    CHECK(out.refusal->notify == notify);
}

}  // namespace

TEST_CASE("quick mode tasks without an engine install mirrored SA pairs in three messages", "[ike][v1][quick][task]")
{
    Side a("10.0.0.1", "10.0.0.2", 0xa1), b("10.0.0.2", "10.0.0.1", 0xb2);
    const auto pa = sa_policy("10.0.0.2"), pb = sa_policy("10.0.0.1");
    // HDR*, HASH(1), SA, Ni, IDci, IDcr -->
    auto [init, out1] = QuickModeTask::initiate(a.ctx(), pa, k_msgid);
    CHECK(out1.await_answer);
    CHECK_FALSE(out1.install);
    // <-- HDR*, HASH(2), SA, Nr, IDci, IDcr
    auto responded = QuickModeTask::respond(b.ctx(), std::span(&pb, 1), wire(out1, k_msgid));
    REQUIRE(responded);
    auto& [resp, out2] = *responded;
    REQUIRE(out2.accepted);
    REQUIRE(out2.install);
    CHECK_FALSE(out2.refusal);
    CHECK_FALSE(out2.finished);
    // HDR*, HASH(3) -->
    const auto out3 = init.on_message(a.ctx(), wire(out2, k_msgid));
    REQUIRE(out3.accepted);
    REQUIRE(out3.install);
    CHECK(out3.finished);
    CHECK(out3.send.size() == 1);
    const auto done = resp.on_message(b.ctx(), wire(out3, k_msgid));
    CHECK(done.accepted);
    CHECK(done.finished);
    CHECK_FALSE(done.install);
    CHECK(done.send.empty());

    const auto& ia = *out3.install;
    const auto& rb = *out2.install;
    CHECK(ia.outbound.spi == rb.inbound.spi);
    CHECK(ia.inbound.spi == rb.outbound.spi);
    CHECK(ia.outbound.encryption_key == rb.inbound.encryption_key);
    CHECK(ia.outbound.authentication_key == rb.inbound.authentication_key);
    CHECK(ia.inbound.encryption_key == rb.outbound.encryption_key);
    CHECK(ia.inbound.encryption_key != ia.outbound.encryption_key);
    CHECK(init.choice()->proposal.name == "esp-3des-sha");
}

TEST_CASE("quick mode tasks with PFS exchange KE and derive the same keys", "[ike][v1][quick][task]")
{
    Side a("10.0.0.1", "10.0.0.2", 0xa1), b("10.0.0.2", "10.0.0.1", 0xb2);
    const auto pa = sa_policy("10.0.0.2", crypto::DhGroup::Modp1024);
    const auto pb = sa_policy("10.0.0.1", crypto::DhGroup::Modp1024);
    auto [init, out1] = QuickModeTask::initiate(a.ctx(), pa, k_msgid);
    const auto m1 = wire(out1, k_msgid);
    CHECK(m1.count(codec::PayloadType::KeyExchange) == 1);
    auto responded = QuickModeTask::respond(b.ctx(), std::span(&pb, 1), m1);
    REQUIRE(responded);
    const auto m2 = wire(responded->second, k_msgid);
    CHECK(m2.count(codec::PayloadType::KeyExchange) == 1);
    const auto out3 = init.on_message(a.ctx(), m2);
    REQUIRE(out3.install);
    CHECK(out3.install->outbound.encryption_key == responded->second.install->inbound.encryption_key);
    CHECK(init.choice()->pfs_group == crypto::DhGroup::Modp1024);
}

TEST_CASE("a quick mode responder task drops a first message whose HASH(1) does not verify", "[ike][v1][quick][task]")
{
    Side a("10.0.0.1", "10.0.0.2", 0xa1), b("10.0.0.2", "10.0.0.1", 0xb2);
    const auto pa = sa_policy("10.0.0.2"), pb = sa_policy("10.0.0.1");
    auto [init, out1] = QuickModeTask::initiate(a.ctx(), pa, k_msgid);
    auto m1 = wire(out1, k_msgid);
    SECTION("a payload after HASH(1) changed")
    {
        m1.payloads.at(2).body.at(0) ^= 0x01;  // the nonce
    }
    SECTION("another message ID")
    {
        m1.header.message_id ^= 1;
    }
    SECTION("other phase 1 keys")
    {
        b.skeyid_a[0] ^= 0x80;
    }
    CHECK_FALSE(QuickModeTask::respond(b.ctx(), std::span(&pb, 1), m1));
}

TEST_CASE("a quick mode initiator task drops a forged reply and still takes the real one", "[ike][v1][quick][task]")
{
    Side a("10.0.0.1", "10.0.0.2", 0xa1), b("10.0.0.2", "10.0.0.1", 0xb2);
    const auto pa = sa_policy("10.0.0.2"), pb = sa_policy("10.0.0.1");
    auto [init, out1] = QuickModeTask::initiate(a.ctx(), pa, k_msgid);
    auto responded = QuickModeTask::respond(b.ctx(), std::span(&pb, 1), wire(out1, k_msgid));
    REQUIRE(responded);
    const auto real = wire(responded->second, k_msgid);
    auto forged = real;
    forged.payloads.at(2).body.at(0) ^= 0x01;  // Nr
    const auto dropped = init.on_message(a.ctx(), forged);
    CHECK_FALSE(dropped.accepted);
    CHECK(dropped.send.empty());
    CHECK_FALSE(dropped.install);
    CHECK_FALSE(dropped.refusal);
    CHECK_FALSE(init.choice());
    const auto out3 = init.on_message(a.ctx(), real);
    CHECK(out3.accepted);
    REQUIRE(out3.install);
    CHECK(out3.install->outbound.encryption_key == responded->second.install->inbound.encryption_key);
}

TEST_CASE("a quick mode responder task refuses client IDs no SA covers with INVALID-ID-INFORMATION",
          "[ike][v1][quick][task]")
{
    Side a("10.0.0.1", "10.0.0.2", 0xa1), b("10.0.0.2", "10.0.0.1", 0xb2);
    auto pa = sa_policy("10.0.0.2");
    pa.local_client = ClientId{addr("192.168.1.0"), 24};
    auto pb = sa_policy("10.0.0.1");
    pb.peer_client = ClientId{addr("172.16.0.0"), 16};
    auto [init, out1] = QuickModeTask::initiate(a.ctx(), pa, k_msgid);
    auto responded = QuickModeTask::respond(b.ctx(), std::span(&pb, 1), wire(out1, k_msgid));
    REQUIRE(responded);
    const auto& out = responded->second;
    check_refused(out, FailureReason::NoPolicy, codec::NotifyType::InvalidIdInformation);
    CHECK(out.refusal->detail.find("192.168.1.0/24") != std::string::npos);
}

TEST_CASE("a quick mode initiator task refuses an authentic reply with two proposals as BAD-PROPOSAL-SYNTAX",
          "[ike][v1][quick][task]")
{
    Side a("10.0.0.1", "10.0.0.2", 0xa1), b("10.0.0.2", "10.0.0.1", 0xb2);
    const auto pa = sa_policy("10.0.0.2"), pb = sa_policy("10.0.0.1");
    auto [init, out1] = QuickModeTask::initiate(a.ctx(), pa, k_msgid);
    const auto m1 = wire(out1, k_msgid);
    auto responded = QuickModeTask::respond(b.ctx(), std::span(&pb, 1), m1);
    REQUIRE(responded);
    // The responder's reply with its one proposal doubled, HASH(2) made
    // again with the shared SKEYID_a: authentic, but not a valid answer.
    auto payloads = responded->second.send;
    auto sa = codec::decode_body<codec::SaPayload>(payloads.at(1), codec::decode_sa, "SA");
    REQUIRE(sa);
    auto offer = negotiation::to_phase2_offer(sa.value());
    REQUIRE(offer);
    offer.value().proposals.push_back(offer.value().proposals.front());
    offer.value().proposals.back().number = 2;
    payloads.at(1) = codec::make_payload(negotiation::to_sa_payload(offer.value()));
    auto ni = codec::decode_body<codec::NoncePayload>(*m1.find(codec::PayloadType::Nonce), codec::decode_nonce, "Ni");
    REQUIRE(ni);
    const std::vector<codec::RawPayload> rest(payloads.begin() + 1, payloads.end());
    const auto h2 = crypto::quick_mode_hash2(crypto::HashAlgorithm::Sha1, a.skeyid_a, k_msgid, ni.value().data,
                                             codec::encode_chain(rest));
    payloads.at(0) = codec::make_payload(codec::HashPayload{std::vector<std::uint8_t>(h2.begin(), h2.end())});
    Outcome forged;
    forged.send = payloads;

    check_refused(init.on_message(a.ctx(), wire(forged, k_msgid)), FailureReason::NoProposalChosen,
                  codec::NotifyType::BadProposalSyntax);
}
