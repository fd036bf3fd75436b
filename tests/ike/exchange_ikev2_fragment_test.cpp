// IKEv2 fragments sent by picsec (RFC 7383) between two engines: a
// certificate IKE_AUTH longer than the fragment size goes out as SKF
// fragments the peer reassembles, retransmissions resend every fragment, the
// responder answers a repeated fragmented request only on its fragment 1
// (RFC 7383 2.6.1), and a peer that did not announce support gets none.
#include "cert_test_pki.h"
#include "exchange_harness.h"

#include "picsec/ike/v2/header.h"
#include "picsec/ike/v2/message.h"
#include "picsec/ike/v2/payload.h"
#include "picsec/ike/v2/raw_payload.h"

#include <catch2/catch.hpp>

#include <map>

using namespace picsec::ike;
using namespace picsec::ike::test;
namespace c2 = picsec::ike::v2;

namespace {

constexpr std::size_t k_fragment_size = 576;
// RFC 7383 2.5.1: IPv4 header, UDP header and the non-ESP marker around each IKE message.
constexpr std::size_t k_around = 20 + 8 + 4;

struct V2Routers {
    TestCa ca = TestCa::root("picsec fragment Root");
    Issued r1 = ca.issue("r1", "r1.example.net", "10.0.0.1");
    Issued r2 = ca.issue("r2", "r2.example.net", "10.0.0.2");
};

V2Routers& routers()
{
    static V2Routers r;
    return r;
}

EngineConfig v2_cert(const char* self, const char* peer, bool initiator, const Issued& mine,
                     std::size_t fragment_size = k_fragment_size)
{
    auto c = make_config(self, peer, initiator);
    auto& ip = c.ike_policies.front();
    ip.pre_shared_key.clear();
    ip.version = IkeVersion::V2;
    ip.proposals.front().auth_method = crypto::AuthMethod::RsaSignatures;
    ip.authenticator = authenticator(mine, {routers().ca});
    c.fragment_size = fragment_size;
    return c;
}

std::unique_ptr<Pair> pair(std::size_t fragment_size = k_fragment_size)
{
    auto& r = routers();
    return std::make_unique<Pair>(v2_cert("10.0.0.1", "10.0.0.2", true, r.r1, fragment_size),
                                  v2_cert("10.0.0.2", "10.0.0.1", false, r.r2, fragment_size));
}

struct Skf {
    c2::Header header;
    c2::SkfPayload payload;
};

// The SKF payload of a datagram, or nullopt when it is no fragment.
std::optional<Skf> skf(const std::vector<std::uint8_t>& bytes)
{
    auto h = c2::decode_header(bytes);
    if (!h || h.value().next != c2::PayloadType::Skf) return std::nullopt;
    auto chain = c2::split_chain(h.value().next, std::span(bytes).subspan(c2::header_size));
    if (!chain || chain.value().payloads.size() != 1) return std::nullopt;
    auto d = c2::decode_payload(chain.value().payloads.front());
    if (!d) return std::nullopt;
    return Skf{h.value(), std::get<c2::SkfPayload>(d.value())};
}

std::vector<std::vector<std::uint8_t>> take(std::deque<Datagram>& outbox)
{
    std::vector<std::vector<std::uint8_t>> out;
    for (auto& d : outbox) out.push_back(d.bytes);
    return out;
}

// Checks one message's datagrams are its fragments 1..N in order, each
// within the fragment size, the first naming the first inner payload.
void check_fragments(const std::vector<std::vector<std::uint8_t>>& datagrams, bool response, c2::PayloadType first)
{
    const auto total = datagrams.size();
    for (std::size_t i = 0; i < total; ++i) {
        INFO("fragment " << i + 1 << " of " << total);
        const auto f = skf(datagrams[i]);
        REQUIRE(f);
        CHECK(f->payload.fragment_number == i + 1);
        CHECK(f->payload.total_fragments == total);
        CHECK(f->payload.first_inner == (i == 0 ? first : c2::PayloadType::None));
        CHECK(static_cast<c2::ExchangeType>(f->header.exchange) == c2::ExchangeType::IkeAuth);
        CHECK(f->header.message_id == 1);
        CHECK(f->header.response == response);
        CHECK(datagrams[i].size() + k_around <= k_fragment_size);
    }
}

void deliver_all(Pair& p, bool from_a)
{
    while (from_a ? p.a_to_b() : p.b_to_a()) {
    }
}

}  // namespace

TEST_CASE("a certificate IKE_AUTH longer than the fragment size goes out as SKF fragments the peer reassembles",
          "[ike][ikev2][fragment][cert]")
{
    auto p = pair();
    p->tick(0);
    REQUIRE(p->a_to_b());  // IKE_SA_INIT request, both announce IKEV2_FRAGMENTATION_SUPPORTED
    REQUIRE(p->b_to_a());
    const auto request = take(p->na.outbox);
    REQUIRE(request.size() >= 2);
    check_fragments(request, false, c2::PayloadType::IdI);
    deliver_all(*p, true);
    const auto response = take(p->nb.outbox);
    REQUIRE(response.size() >= 2);  // B's IKE_AUTH carries B's certificate as well
    check_fragments(response, true, c2::PayloadType::IdR);
    deliver_all(*p, false);
    REQUIRE(p->na.installed.size() == 1);
    REQUIRE(p->nb.installed.size() == 1);
    CHECK(p->ea->ike_security_associations().at(0).peer_certificate_subject == "CN=r2, C=US, O=picsec test");
    CHECK(p->eb->ike_security_associations().at(0).peer_certificate_subject == "CN=r1, C=US, O=picsec test");
    // One sent event per message, whatever the number of fragments: the
    // inner payloads in RFC notation and the length of all fragments.
    std::size_t request_bytes = 0;
    for (const auto& d : request) request_bytes += d.size();
    REQUIRE(p->na.sent_events.size() == 2);
    CHECK(p->na.sent_events[1].exchange == "IKE_AUTH");
    CHECK(p->na.sent_events[1].summary.rfind("HDR, SK {IDi, CERT", 0) == 0);
    CHECK(p->na.sent_events[1].length == request_bytes);
}

TEST_CASE("the default fragment size of 1280 leaves a certificate IKE_AUTH of this size whole",
          "[ike][ikev2][fragment][cert]")
{
    CHECK(EngineConfig{}.fragment_size == 1280);
    auto p = pair(1280);
    p->tick(0);
    p->a_to_b();
    p->b_to_a();
    REQUIRE(p->na.outbox.size() == 1);
    CHECK_FALSE(skf(p->na.outbox.front().bytes));
    CHECK(p->na.outbox.front().bytes.size() + k_around <= 1280);
    p->settle();
    CHECK(p->na.installed.size() == 1);
}

TEST_CASE("lost IKE_AUTH fragments are all resent, and the responder answers a repeat only on its fragment 1",
          "[ike][ikev2][fragment][cert][retransmit]")
{
    auto p = pair();
    p->tick(0);
    p->a_to_b();
    p->b_to_a();
    const auto request = take(p->na.outbox);
    REQUIRE(request.size() >= 2);
    p->na.outbox.clear();  // every fragment lost
    p->tick(600);          // the first retransmission (500 ms)
    CHECK(take(p->na.outbox) == request);  // the same fragments, IVs and ICVs
    deliver_all(*p, true);
    const auto response = take(p->nb.outbox);
    REQUIRE(response.size() >= 2);
    p->nb.outbox.clear();  // the response lost
    p->tick(1700);         // the second retransmission (1000 ms later)
    REQUIRE(take(p->na.outbox) == request);
    // Fragments 2..N of an answered request are ignored (RFC 7383 2.6.1) ...
    auto first = p->na.outbox.front();
    p->na.outbox.pop_front();
    deliver_all(*p, true);
    CHECK(p->nb.outbox.empty());
    // ... and fragment 1 has the whole cached response resent.
    p->na.outbox.push_back(first);
    p->a_to_b();
    CHECK(take(p->nb.outbox) == response);
    deliver_all(*p, false);
    CHECK(p->na.installed.size() == 1);
    CHECK(p->nb.installed.size() == 1);
    CHECK(p->log_text.str().find("retransmitted IKE_AUTH request in fragments") != std::string::npos);
}

TEST_CASE("a forged fragment 1 of an answered request gets no response", "[ike][ikev2][fragment][hostile]")
{
    auto p = pair();
    p->tick(0);
    p->a_to_b();
    p->b_to_a();
    const auto request = take(p->na.outbox);
    deliver_all(*p, true);
    deliver_all(*p, false);
    REQUIRE(p->na.installed.size() == 1);
    const auto sent = p->nb.sent;
    auto forged = request.front();
    forged[forged.size() - 3] ^= 0x01;  // in the ICV
    p->eb->received_datagram(forged, Endpoint{addr("10.0.0.1"), 500}, Endpoint{addr("10.0.0.2"), 500});
    CHECK(p->nb.sent == sent);
    p->eb->received_datagram(request.front(), Endpoint{addr("10.0.0.1"), 500}, Endpoint{addr("10.0.0.2"), 500});
    CHECK(p->nb.sent > sent);
}

TEST_CASE("a peer that did not announce IKEV2_FRAGMENTATION_SUPPORTED gets the IKE_AUTH whole",
          "[ike][ikev2][fragment][cert]")
{
    auto p = pair();
    p->tick(0);
    p->a_to_b();
    // Take IKEV2_FRAGMENTATION_SUPPORTED out of B's IKE_SA_INIT response on its way to A.
    auto& d = p->nb.outbox.front().bytes;
    const auto h = c2::decode_header(d).value();
    auto chain = c2::split_chain(h.next, std::span(d).subspan(c2::header_size));
    REQUIRE(chain);
    std::vector<c2::Payload> kept;
    for (const auto& raw : chain.value().payloads) {
        auto payload = c2::decode_payload(raw).value();
        const auto* n = std::get_if<c2::NotifyPayload>(&payload);
        if (n && n->notify() == c2::NotifyType::Ikev2FragmentationSupported) continue;
        kept.push_back(std::move(payload));
    }
    REQUIRE(kept.size() + 1 == chain.value().payloads.size());
    d = c2::encode_message(h, kept);
    p->b_to_a();
    REQUIRE(p->na.outbox.size() == 1);  // one datagram, over the size fragments would keep to
    CHECK_FALSE(skf(p->na.outbox.front().bytes));
    CHECK(p->na.outbox.front().bytes.size() + k_around > k_fragment_size);
}

TEST_CASE("fragment size 0 sends no fragments but still announces support", "[ike][ikev2][fragment][cert]")
{
    auto& r = routers();
    Pair p(v2_cert("10.0.0.1", "10.0.0.2", true, r.r1, 0), v2_cert("10.0.0.2", "10.0.0.1", false, r.r2));
    p.tick(0);
    p.a_to_b();
    p.b_to_a();
    REQUIRE(p.na.outbox.size() == 1);  // A sends whole
    deliver_all(p, true);
    CHECK(p.nb.outbox.size() >= 2);  // B, at 576, still fragments toward A, which announced support
    deliver_all(p, false);
    CHECK(p.na.installed.size() == 1);
}

TEST_CASE("a CREATE_CHILD_SA longer than the fragment size goes out in fragments too (RFC 7383 2.5)",
          "[ike][ikev2][fragment][cert]")
{
    auto& r = routers();
    auto a = v2_cert("10.0.0.1", "10.0.0.2", true, r.r1);
    auto b = v2_cert("10.0.0.2", "10.0.0.1", false, r.r2);
    for (auto* c : {&a, &b}) {
        // Twelve proposals and a D-H public value make the request over 544 bytes.
        auto& sa1 = c->ipsec_policies.front();
        sa1.pfs_group = crypto::DhGroup::Modp1024;
        sa1.proposals.assign(12, ipsec_proposal());
        auto sa2 = sa1;
        sa2.name = "sa2";
        sa2.initiate_on_start = false;
        c->ipsec_policies.push_back(sa2);
    }
    Pair p(std::move(a), std::move(b));
    p.tick(0);
    p.settle();
    REQUIRE(p.na.installed.size() == 1);
    REQUIRE(p.ea->initiate("sa2"));  // on the IKE SA that is up: CREATE_CHILD_SA
    std::map<std::pair<c2::ExchangeType, bool>, std::size_t> fragments;  // (exchange, response) -> SKF datagrams
    auto count = [&](RecordingNode& n) {
        for (const auto& d : n.outbox) {
            if (const auto f = skf(d.bytes)) {
                ++fragments[{static_cast<c2::ExchangeType>(f->header.exchange), f->header.response}];
                CHECK(d.bytes.size() + k_around <= k_fragment_size);
            }
        }
    };
    for (int i = 0; i < 100 && (!p.na.outbox.empty() || !p.nb.outbox.empty()); ++i) {
        count(p.na);
        deliver_all(p, true);
        count(p.nb);
        deliver_all(p, false);
    }
    REQUIRE(p.na.installed.size() == 2);
    REQUIRE(p.nb.installed.size() == 2);
    CHECK(fragments[{c2::ExchangeType::CreateChildSa, false}] >= 2);
    CHECK(fragments[{c2::ExchangeType::CreateChildSa, true}] == 0);  // the answer names one proposal: whole
    CHECK(p.ea->ike_security_associations().size() == 1);
}
