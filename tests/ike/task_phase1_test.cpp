// The phase-1 task without an engine: an initiator task and a responder task
// fed each other's messages through the codec, their Outcomes asserted
// (RFC 2409 5: Main Mode and Aggressive Mode with pre-shared keys).
#include "phase1_task.h"

#include "exchange_harness.h"

#include "picsec/ike/codec/raw_payload.h"

#include <botan/chacha_rng.h>
#include <catch2/catch.hpp>
#include <spdlog/sinks/null_sink.h>

using namespace picsec;
using namespace picsec::ike;
using namespace picsec::ike::detail;
using test::addr;

namespace {

IkePolicy ike_policy(const char* peer, const char* key, ExchangeMode mode)
{
    IkePolicy p;
    p.peer = addr(peer);
    p.mode = mode;
    p.proposals = {test::ike_proposal()};
    p.pre_shared_key = test::psk(key);
    return p;
}

/// One side of the exchange: its policy, cookies and RNG, and the cookies
/// the engine would have applied from earlier Outcomes.
struct Side {
    Side(const char* self, const char* peer, const char* key, ExchangeMode mode, std::uint8_t seed)
        : policy(ike_policy(peer, key, mode)), rng(Botan::secure_vector<std::uint8_t>(32, seed)),
          local{addr(self), 500}, peer_end{addr(peer), 500}
    {
    }
    Phase1Context ctx()
    {
        return Phase1Context{policy, local, peer_end, cky_i, cky_r, false, false, false, rng, *log, "test"};
    }

    IkePolicy policy;
    Botan::ChaCha_RNG rng;
    Endpoint local, peer_end;
    Cookie cky_i{}, cky_r{};
    std::shared_ptr<spdlog::logger> log =
        std::make_shared<spdlog::logger>("task", std::make_shared<spdlog::sinks::null_sink_mt>());
};

/// The message an Outcome sends, as the peer's task receives it: encoded and
/// split again by the codec (encryption is the engine's, not the task's).
codec::RawMessage wire(const Phase1Outcome& out, ExchangeMode mode, const Side& from)
{
    REQUIRE(out.accepted);
    REQUIRE_FALSE(out.send.empty());
    const auto bytes = codec::encode_chain(out.send);
    codec::RawMessage m;
    m.header.initiator_cookie = from.cky_i;
    m.header.responder_cookie = from.cky_r;
    m.header.exchange_type =
        mode == ExchangeMode::Aggressive ? codec::ExchangeType::Aggressive : codec::ExchangeType::IdentityProtection;
    m.header.encryption = out.encrypt;
    m.header.next_payload = out.send.front().type;
    auto chain = codec::split_chain(m.header.next_payload, bytes, false);
    REQUIRE(chain);
    m.payloads = std::move(chain.value());
    return m;
}

/// Initiator A (10.0.0.1) and responder B (10.0.0.2) with their cookies.
struct Exchange {
    explicit Exchange(ExchangeMode mode, const char* key_b = "juniper123")
        : mode(mode), a("10.0.0.1", "10.0.0.2", "juniper123", mode, 0xa1), b("10.0.0.2", "10.0.0.1", key_b, mode, 0xb2)
    {
        a.cky_i = b.cky_i = Cookie{1, 2, 3, 4, 5, 6, 7, 8};
        b.cky_r = Cookie{9, 10, 11, 12, 13, 14, 15, 16};
    }
    ExchangeMode mode;
    Side a, b;
};

void same_keys(const crypto::Phase1Keys& x, const crypto::Phase1Keys& y)
{
    CHECK(x.skeyid_d == y.skeyid_d);
    CHECK(x.skeyid_a == y.skeyid_a);
    CHECK(x.ka == y.ka);
    CHECK(x.iv == y.iv);
}

}  // namespace

TEST_CASE("main mode tasks without an engine agree on keys and authenticate each other in six messages",
          "[ike][v1][phase1][task]")
{
    Exchange x(ExchangeMode::Main);
    // HDR, SA -->
    auto [init, out1] = Phase1Task::initiate(x.a.ctx(), ExchangeMode::Main);
    CHECK(out1.await_answer);
    auto start = Phase1Task::respond(x.b.ctx(), wire(out1, x.mode, x.a));
    REQUIRE(start.task);
    REQUIRE(start.outcome.choice);
    auto& resp = *start.task;
    // <-- HDR, SA
    const auto out2 = resp.answer_first(x.b.ctx());
    CHECK_FALSE(out2.await_answer);
    // HDR, KE, Ni -->
    const auto out3 = init.on_message(x.a.ctx(), wire(out2, x.mode, x.b));
    REQUIRE(out3.responder_cookie);
    CHECK(*out3.responder_cookie == x.b.cky_r);
    REQUIRE(out3.choice);
    x.a.cky_r = *out3.responder_cookie;  // what the engine applies
    CHECK(init.next_message() == 4);
    // <-- HDR, KE, Nr
    const auto out4 = resp.on_message(x.b.ctx(), wire(out3, x.mode, x.a));
    REQUIRE(out4.keys);
    CHECK_FALSE(out4.encrypt);
    // HDR*, IDii, HASH_I -->
    const auto out5 = init.on_message(x.a.ctx(), wire(out4, x.mode, x.b));
    REQUIRE(out5.keys);
    same_keys(*out4.keys, *out5.keys);
    CHECK(out5.encrypt);
    CHECK_FALSE(out5.done);
    // <-- HDR*, IDir, HASH_R
    const auto out6 = resp.on_message(x.b.ctx(), wire(out5, x.mode, x.a));
    CHECK_FALSE(out6.failure);
    CHECK(out6.done);
    REQUIRE(out6.peer);
    CHECK(out6.peer->id == "10.0.0.1");
    const auto last = init.on_message(x.a.ctx(), wire(out6, x.mode, x.b));
    CHECK(last.done);
    REQUIRE(last.peer);
    CHECK(last.peer->id == "10.0.0.2");
    CHECK(last.send.empty());
}

TEST_CASE("a main mode responder task with another pre-shared key fails HASH_I with INVALID-HASH-INFORMATION",
          "[ike][v1][phase1][task]")
{
    Exchange x(ExchangeMode::Main, "not-the-key");
    auto [init, out1] = Phase1Task::initiate(x.a.ctx(), ExchangeMode::Main);
    auto start = Phase1Task::respond(x.b.ctx(), wire(out1, x.mode, x.a));
    REQUIRE(start.task);
    auto& resp = *start.task;
    const auto out3 = init.on_message(x.a.ctx(), wire(resp.answer_first(x.b.ctx()), x.mode, x.b));
    x.a.cky_r = *out3.responder_cookie;
    const auto out4 = resp.on_message(x.b.ctx(), wire(out3, x.mode, x.a));
    const auto out5 = init.on_message(x.a.ctx(), wire(out4, x.mode, x.b));
    CHECK(out4.keys->ka != out5.keys->ka);
    const auto out6 = resp.on_message(x.b.ctx(), wire(out5, x.mode, x.a));
    CHECK(out6.accepted);
    CHECK_FALSE(out6.done);
    CHECK_FALSE(out6.peer);
    CHECK(out6.send.empty());
    REQUIRE(out6.failure);
    CHECK(out6.failure->reason == FailureReason::AuthenticationFailed);
    CHECK(out6.failure->notify == codec::NotifyType::InvalidHashInformation);
}

TEST_CASE("a main mode task drops a message without a nonce and still takes the real one", "[ike][v1][phase1][task]")
{
    Exchange x(ExchangeMode::Main);
    auto [init, out1] = Phase1Task::initiate(x.a.ctx(), ExchangeMode::Main);
    auto start = Phase1Task::respond(x.b.ctx(), wire(out1, x.mode, x.a));
    auto& resp = *start.task;
    const auto out3 = init.on_message(x.a.ctx(), wire(resp.answer_first(x.b.ctx()), x.mode, x.b));
    x.a.cky_r = *out3.responder_cookie;
    auto m3 = wire(out3, x.mode, x.a);
    auto broken = m3;
    broken.payloads.erase(broken.payloads.begin() + 1);  // Ni
    const auto dropped = resp.on_message(x.b.ctx(), broken);
    CHECK_FALSE(dropped.accepted);
    CHECK_FALSE(dropped.keys);
    CHECK(dropped.send.empty());
    CHECK(resp.next_message() == 3);
    const auto out4 = resp.on_message(x.b.ctx(), m3);
    CHECK(out4.accepted);
    CHECK(out4.keys);
    CHECK(resp.next_message() == 5);
}

TEST_CASE("a phase 1 responder task refuses an offer it has no proposal for and keeps no task",
          "[ike][v1][phase1][task]")
{
    Exchange x(ExchangeMode::Main);
    x.b.policy.proposals.front().hash = crypto::HashAlgorithm::Md5;
    auto [init, out1] = Phase1Task::initiate(x.a.ctx(), ExchangeMode::Main);
    auto start = Phase1Task::respond(x.b.ctx(), wire(out1, x.mode, x.a));
    CHECK_FALSE(start.task);
    CHECK(start.outcome.accepted);
    REQUIRE(start.outcome.failure);
    CHECK(start.outcome.failure->notify == codec::NotifyType::NoProposalChosen);
    INFO(start.outcome.failure->detail);
    CHECK(start.outcome.failure->detail.find("authentication-algorithm theirs sha1 ours md5") != std::string::npos);
}

TEST_CASE("aggressive mode tasks without an engine complete in three messages", "[ike][v1][phase1][task]")
{
    Exchange x(ExchangeMode::Aggressive);
    // HDR, SA, KE, Ni, IDii -->
    auto [init, out1] = Phase1Task::initiate(x.a.ctx(), ExchangeMode::Aggressive);
    auto start = Phase1Task::respond(x.b.ctx(), wire(out1, x.mode, x.a));
    REQUIRE(start.task);
    auto& resp = *start.task;
    // <-- HDR, SA, KE, Nr, IDir, HASH_R
    const auto out2 = resp.answer_first(x.b.ctx());
    REQUIRE(out2.keys);
    // HDR*, HASH_I -->
    const auto out3 = init.on_message(x.a.ctx(), wire(out2, x.mode, x.b));
    REQUIRE(out3.keys);
    same_keys(*out2.keys, *out3.keys);
    CHECK(out3.done);
    CHECK(out3.encrypt);
    CHECK_FALSE(out3.await_answer);  // answered again from the reply cache, never by itself
    REQUIRE(out3.peer);
    x.a.cky_r = *out3.responder_cookie;
    const auto last = resp.on_message(x.b.ctx(), wire(out3, x.mode, x.a));
    CHECK(last.done);
    REQUIRE(last.peer);
    CHECK(last.peer->id == "10.0.0.1");
}
