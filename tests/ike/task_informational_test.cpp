// The Informational task without an engine: messages built with the shared
// SKEYID_a (or none), read into Outcomes (RFC 2409 5.7, RFC 2408 3.14/3.15,
// RFC 3706).
#include "informational_task.h"

#include "picsec/ike/codec/payload_delete.h"
#include "picsec/ike/codec/payload_hash.h"
#include "picsec/ike/codec/payload_notify.h"
#include "picsec/ike/crypto/phase2.h"

#include <catch2/catch.hpp>
#include <spdlog/sinks/null_sink.h>

using namespace picsec;
using namespace picsec::ike;
using namespace picsec::ike::detail;

namespace {

const crypto::SecureBytes k_skeyid_a(20, 0xa0);
const Cookie k_cky_i{1, 2, 3, 4, 5, 6, 7, 8};
const Cookie k_cky_r{9, 10, 11, 12, 13, 14, 15, 16};
constexpr std::uint32_t k_msgid = 0x0badcafe;

std::shared_ptr<spdlog::logger> null_log()
{
    return std::make_shared<spdlog::logger>("task", std::make_shared<spdlog::sinks::null_sink_mt>());
}

InformationalContext context(spdlog::logger& log, bool negotiating = false)
{
    return InformationalContext{true, crypto::HashAlgorithm::Sha1, k_skeyid_a, k_cky_i, k_cky_r, negotiating, true,
                                "10.0.0.2:500", log, "test"};
}

codec::RawPayload notify(codec::NotifyType type, std::vector<std::uint8_t> spi = {}, std::vector<std::uint8_t> data = {})
{
    codec::NotifyPayload n;
    n.protocol = codec::ProtocolId::Isakmp;
    n.spi = std::move(spi);
    n.notify_type = type;
    n.data = std::move(data);
    return codec::make_payload(n);
}

codec::RawPayload delete_isakmp(const Cookie& i, const Cookie& r)
{
    std::vector<std::uint8_t> spi(i.begin(), i.end());
    spi.insert(spi.end(), r.begin(), r.end());
    return codec::make_payload(codec::DeletePayload{codec::ipsec_doi, codec::ProtocolId::Isakmp, 16, {spi}});
}

/// HDR*, HASH(1), N/D... with HASH(1) = prf(SKEYID_a, M-ID | N/D) under `key`.
codec::RawMessage protected_message(std::vector<codec::RawPayload> body, const crypto::SecureBytes& key = k_skeyid_a)
{
    const auto h = crypto::informational_hash(crypto::HashAlgorithm::Sha1, key, k_msgid, codec::encode_chain(body));
    codec::RawMessage m;
    m.header.exchange_type = codec::ExchangeType::Informational;
    m.header.encryption = true;
    m.header.message_id = k_msgid;
    m.payloads.push_back(codec::make_payload(codec::HashPayload{std::vector<std::uint8_t>(h.begin(), h.end())}));
    for (auto& p : body)
        m.payloads.push_back(std::move(p));
    m.header.next_payload = m.payloads.front().type;
    return m;
}

codec::RawMessage unprotected_message(codec::NotifyType type)
{
    codec::RawMessage m;
    m.header.exchange_type = codec::ExchangeType::Informational;
    m.payloads.push_back(notify(type));
    m.header.next_payload = m.payloads.front().type;
    return m;
}

}  // namespace

TEST_CASE("an informational task answers R-U-THERE with its sequence number", "[ike][v1][informational][task]")
{
    auto log = null_log();
    const std::vector<std::uint8_t> seq{0, 0, 0, 7};
    const auto out = read_informational(context(*log), protected_message({notify(codec::NotifyType::RUThere, {}, seq)}));
    CHECK(out.accepted);
    REQUIRE(out.dpd_requests.size() == 1);
    CHECK(out.dpd_requests.front() == seq);
    CHECK_FALSE(out.delete_ike);
}

TEST_CASE("an informational task drops a message whose HASH(1) was made with other keys",
          "[ike][v1][informational][task]")
{
    auto log = null_log();
    const crypto::SecureBytes other(20, 0x55);
    const auto out = read_informational(context(*log), protected_message({delete_isakmp(k_cky_i, k_cky_r)}, other));
    CHECK_FALSE(out.accepted);
    CHECK_FALSE(out.delete_ike);
}

TEST_CASE("an informational task deletes the IKE SA only for a D(ISAKMP) naming its own cookies",
          "[ike][v1][informational][task]")
{
    auto log = null_log();
    const auto other = read_informational(context(*log), protected_message({delete_isakmp(k_cky_i, Cookie{})}));
    CHECK(other.accepted);
    CHECK_FALSE(other.delete_ike);
    const auto ours = read_informational(context(*log), protected_message({delete_isakmp(k_cky_i, k_cky_r)}));
    CHECK(ours.delete_ike);
}

TEST_CASE("an informational task names the quick mode a protected error notify refuses by its SPI",
          "[ike][v1][informational][task]")
{
    auto log = null_log();
    const auto out = read_informational(
        context(*log), protected_message({notify(codec::NotifyType::NoProposalChosen, {0x12, 0x34, 0x56, 0x78})}));
    CHECK(out.accepted);
    REQUIRE(out.quick_mode_refused.size() == 1);
    CHECK(out.quick_mode_refused.front().spi == 0x12345678);
    CHECK_FALSE(out.phase1_refused);
    SECTION("while phase 1 negotiates the same notify refuses phase 1")
    {
        const auto p1 = read_informational(
            context(*log, true), protected_message({notify(codec::NotifyType::InvalidCertAuthority)}));
        CHECK(p1.phase1_refused == codec::NotifyType::InvalidCertAuthority);
    }
}

TEST_CASE("an unprotected error notify ends phase 1 only before keys exist and from the peer's endpoint",
          "[ike][v1][informational][task]")
{
    auto log = null_log();
    auto ctx = context(*log, true);
    ctx.has_keys = false;
    const auto m = unprotected_message(codec::NotifyType::NoProposalChosen);
    SECTION("from the peer, before keys")
    {
        const auto out = read_informational(ctx, m);
        CHECK(out.accepted);
        CHECK(out.phase1_refused == codec::NotifyType::NoProposalChosen);
    }
    SECTION("from another port")
    {
        ctx.from_peer = false;
        const auto out = read_informational(ctx, m);
        CHECK_FALSE(out.accepted);
        CHECK(out.drop_cause == DropCause::UnprotectedNotify);
        CHECK_FALSE(out.phase1_refused);
    }
    SECTION("once keys exist")
    {
        ctx.has_keys = true;
        const auto out = read_informational(ctx, m);
        CHECK_FALSE(out.accepted);
        CHECK_FALSE(out.phase1_refused);
    }
    SECTION("after phase 1")
    {
        ctx.negotiating = false;
        CHECK_FALSE(read_informational(ctx, m).accepted);
    }
}
