// Hostile IKEv2 datagrams against two engines (RFC 7296): bad KE values,
// unauthenticated and replayed messages, answers to nothing, malformed
// payload chains, a flood of IKE_SA_INIT requests and a wrong SPIr. Each one
// is dropped or refused without state, and the honest exchange goes on.
#include <catch2/catch.hpp>

#include "exchange_harness.h"

#include "picsec/ike/crypto/dh.h"
#include "picsec/ike/v2/crypto/sk.h"
#include "picsec/ike/v2/message.h"
#include "picsec/ike/v2/negotiation.h"
#include "picsec/ike/v2/payload.h"
#include "picsec/ike/v2/raw_payload.h"

#include <botan/dl_group.h>

using namespace picsec;
using namespace picsec::ike;
using namespace picsec::ike::test;
namespace c2 = picsec::ike::v2;

namespace {

using Bytes = std::vector<std::uint8_t>;

EngineConfig v2_config(const char* self, const char* peer, bool initiator)
{
    auto c = make_config(self, peer, initiator);
    for (auto& p : c.ike_policies)
        p.version = IkeVersion::V2;
    return c;
}

struct V2Pair : Pair {
    V2Pair() : Pair(v2_config("10.0.0.1", "10.0.0.2", true), v2_config("10.0.0.2", "10.0.0.1", false)) {}
    V2Pair(EngineConfig a, EngineConfig b) : Pair(std::move(a), std::move(b)) {}
};

/// What an outside observer sees of an engine: its SAs and what it installed.
struct Seen {
    std::vector<std::tuple<IkeSaState, Role, Cookie, Cookie, Endpoint>> ike;
    std::vector<std::uint32_t> installed;
    bool operator==(const Seen&) const = default;
};

Seen seen(const Engine& e, const RecordingNode& n)
{
    Seen s;
    for (const auto& i : e.ike_security_associations())
        s.ike.emplace_back(i.state, i.role, i.initiator_cookie, i.responder_cookie, i.peer);
    for (const auto& [spi, pair] : n.installed)
        s.installed.push_back(spi);
    return s;
}

/// The datagram with its payloads rewritten by `edit` (an unprotected message).
template <class Edit>
Bytes rewritten(const Bytes& datagram, Edit edit)
{
    auto m = c2::decode_message(datagram);
    REQUIRE(m);
    auto payloads = c2::decode_payloads(m.value().chain.payloads);
    REQUIRE(payloads);
    auto p = payloads.value();
    edit(p);
    return c2::encode_message(m.value().header, p);
}

template <class Edit>
Bytes with_ke(const Bytes& datagram, Edit edit)
{
    return rewritten(datagram, [&](std::vector<c2::Payload>& p) {
        for (auto& x : p)
            if (auto* ke = std::get_if<c2::KePayload>(&x))
                edit(*ke);
    });
}

/// 0, 1 and p-1 for MODP-1024 (RFC 2409 6.2), each the group's size.
std::vector<Bytes> degenerate_values()
{
    const Botan::DL_Group g("modp/ietf/1024");
    const std::size_t size = g.p_bytes();
    std::vector<Bytes> out;
    for (const auto& v : {Botan::BigInt(0), Botan::BigInt(1), g.get_p() - 1}) {
        const auto enc = Botan::BigInt::encode_1363(v, size);
        out.emplace_back(enc.begin(), enc.end());
    }
    return out;
}

void deliver_to(Engine& e, const Datagram& d, const Bytes& bytes) { e.received_datagram(bytes, d.from, d.to); }

/// The IKEv2 header fields of a datagram (it must decode).
c2::Header header_of(const Bytes& b)
{
    auto h = c2::decode_header(b);
    REQUIRE(h);
    return h.value();
}

/// HDR (SPIs and flags from `about`, exchange and message ID given), SK {garbage}.
Bytes garbage_sk(const Bytes& about, c2::ExchangeType exchange, std::uint32_t message_id, bool response)
{
    auto h = header_of(about);
    h.exchange = static_cast<std::uint8_t>(exchange);
    h.message_id = message_id;
    h.response = response;
    h.next = c2::PayloadType::Sk;
    Bytes body{static_cast<std::uint8_t>(c2::PayloadType::Delete), 0, 0, 4 + 64};
    for (std::uint8_t i = 0; i < 64; ++i)
        body.push_back(static_cast<std::uint8_t>(i * 29 + 3));
    auto out = c2::encode_header(h, body.size());
    out.insert(out.end(), body.begin(), body.end());
    return out;
}

/// Establishes the pair; returns every datagram exchanged, in order.
std::vector<Datagram> establish(V2Pair& p)
{
    std::vector<Datagram> all;
    p.tick(0);
    for (int i = 0; i < 10 && (!p.na.outbox.empty() || !p.nb.outbox.empty()); ++i) {
        if (!p.na.outbox.empty()) {
            all.push_back(p.na.outbox.front());
            p.a_to_b();
        }
        if (!p.nb.outbox.empty()) {
            all.push_back(p.nb.outbox.front());
            p.b_to_a();
        }
    }
    REQUIRE(p.na.installed.size() == 1);
    REQUIRE(p.nb.installed.size() == 1);
    return all;
}

/// The IKE SA's keys as the test's own initiator uses them (3DES, HMAC-SHA1, MODP-1024 as make_config).
struct TestKeys {
    IkeKeyExport k;
    c2::crypto::Suite suite{algo::EncryptionAlgorithm::TripleDesCbc, algo::HashAlgorithm::Sha1,
                            algo::AuthenticationAlgorithm::HmacSha1_96, algo::DhGroup::Modp1024};
};

/// HDR, SK {payloads} as the original initiator sends a request, sealed with SK_ei/SK_ai.
Bytes sealed_request(const TestKeys& t, c2::ExchangeType exchange, std::uint32_t message_id,
                     const std::vector<c2::Payload>& payloads)
{
    c2::Header h;
    h.spi_i = t.k.initiator_cookie;
    h.spi_r = t.k.responder_cookie;
    h.exchange = static_cast<std::uint8_t>(exchange);
    h.initiator = true;
    h.message_id = message_id;
    h.next = c2::PayloadType::Sk;
    const auto inner = c2::encode_inner(payloads);
    const std::size_t body = 4 + c2::crypto::sk_body_size(t.suite, inner.bytes.size());
    Bytes out = c2::encode_header(h, body);
    out.insert(out.end(), {static_cast<std::uint8_t>(inner.first), 0, static_cast<std::uint8_t>(body >> 8),
                           static_cast<std::uint8_t>(body)});
    Botan::ChaCha_RNG rng(Botan::secure_vector<std::uint8_t>(32, 0x5c));
    const auto sealed = c2::crypto::sk_seal(t.suite, {t.k.sk_ei, t.k.sk_ai}, out, inner.bytes, rng);
    out.insert(out.end(), sealed.begin(), sealed.end());
    return out;
}

/// The inner payloads of the responder's protected answer (SK_er/SK_ar).
std::vector<c2::Payload> opened_response(const TestKeys& t, const Bytes& datagram)
{
    const auto h = header_of(datagram);
    CHECK(h.response);
    auto chain = c2::split_chain(h.next, std::span(datagram).subspan(c2::header_size));
    REQUIRE(chain);
    REQUIRE(chain.value().payloads.size() == 1);
    const auto& sk = chain.value().payloads.front();
    auto plain = c2::crypto::sk_open(t.suite, {t.k.sk_er, t.k.sk_ar}, datagram, datagram.size() - sk.body.size());
    REQUIRE(plain);
    auto inner = c2::split_chain(chain.value().inner_first, plain.value());
    REQUIRE(inner);
    auto payloads = c2::decode_payloads(inner.value().payloads);
    REQUIRE(payloads);
    return payloads.value();
}

}  // namespace

TEST_CASE("an IKEv2 CREATE_CHILD_SA whose KEi fails the D-H is answered with an error and changes no state",
          "[ike][ikev2][hostile]")
{
    // RFC 7296 1.3, 2.21: the request verified, so the responder answers it
    // (INVALID_SYNTAX; INVALID_KE_PAYLOAD naming its group when the group
    // differs) and keeps its IKE SA and Child SAs as they were.
    auto a = v2_config("10.0.0.1", "10.0.0.2", true);
    a.log_keys = true;
    V2Pair p(std::move(a), v2_config("10.0.0.2", "10.0.0.1", false));
    const auto all = establish(p);
    const auto exported = p.ea->export_ike_keys();
    REQUIRE(exported.size() == 1);
    const TestKeys keys{exported.front()};
    const Seen before = seen(*p.eb, p.nb);
    const auto values = degenerate_values();
    struct Case {
        const char* what;
        std::uint16_t group;
        Bytes ke;
        c2::NotifyType answer;
    };
    const std::vector<Case> cases{
        {"KEi 0", 2, values[0], c2::NotifyType::InvalidSyntax},
        {"KEi 1", 2, values[1], c2::NotifyType::InvalidSyntax},
        {"KEi p-1", 2, values[2], c2::NotifyType::InvalidSyntax},
        {"KEi of 10 bytes", 2, Bytes(10, 0x42), c2::NotifyType::InvalidSyntax},
        {"KEi of group 14", 14, Bytes(256, 0x42), c2::NotifyType::InvalidKePayload},
    };
    std::uint32_t id = 2;  // the initiator's next request after IKE_AUTH
    const std::vector<negotiation::IkeProposal> ours{ike_proposal()};
    const std::array<std::uint8_t, 8> new_spi{1, 2, 3, 4, 5, 6, 7, 8};
    for (const auto& c : cases) {
        INFO(c.what);
        // An IKE SA rekey (RFC 7296 1.3.2): SA, Ni, KEi.
        const std::vector<c2::Payload> request{c2::negotiation::ike_offer(ours, new_spi),
                                               c2::NoncePayload{Bytes(32, 0x11)}, c2::KePayload{c.group, c.ke}};
        const auto bytes = sealed_request(keys, c2::ExchangeType::CreateChildSa, id, request);
        deliver_to(*p.eb, all[2], bytes);
        REQUIRE(p.nb.outbox.size() == 1);
        const auto answer = p.nb.outbox.front().bytes;
        p.nb.outbox.clear();
        CHECK(header_of(answer).message_id == id);
        const auto payloads = opened_response(keys, answer);
        REQUIRE(payloads.size() == 1);
        const auto* n = std::get_if<c2::NotifyPayload>(&payloads.front());
        REQUIRE(n);
        CHECK(n->notify() == c.answer);
        if (c.answer == c2::NotifyType::InvalidKePayload) CHECK(n->data == Bytes{0, 2});
        CHECK(seen(*p.eb, p.nb) == before);
        CHECK(p.nb.deleted.empty());
        // Its retransmission gets the same answer from the cache.
        deliver_to(*p.eb, all[2], bytes);
        REQUIRE(p.nb.outbox.size() == 1);
        CHECK(p.nb.outbox.front().bytes == answer);
        p.nb.outbox.clear();
        ++id;
    }
    CHECK(seen(*p.eb, p.nb) == before);
    const auto sas = p.eb->ike_security_associations();
    REQUIRE(sas.size() == 1);
    CHECK(sas[0].state == IkeSaState::Established);
}

TEST_CASE("an IKEv2 CREATE_CHILD_SA with PFS whose KEi fails the D-H is answered with INVALID_SYNTAX",
          "[ike][ikev2][hostile]")
{
    // The Child SA path (RFC 7296 1.3.1): SA, Ni, KEi, TSi, TSr for a policy with PFS.
    auto a = v2_config("10.0.0.1", "10.0.0.2", true);
    auto b = v2_config("10.0.0.2", "10.0.0.1", false);
    a.log_keys = true;
    b.ipsec_policies[0].pfs_group = crypto::DhGroup::Modp1024;
    V2Pair p(std::move(a), std::move(b));
    const auto all = establish(p);
    const auto exported = p.ea->export_ike_keys();
    REQUIRE(exported.size() == 1);
    const TestKeys keys{exported.front()};
    const Seen before = seen(*p.eb, p.nb);
    const auto values = degenerate_values();
    c2::TrafficSelector any;
    any.start = addr("0.0.0.0");
    any.end = addr("255.255.255.255");
    const std::vector<negotiation::IpsecProposal> ours{ipsec_proposal()};
    std::uint32_t id = 2;
    for (const auto& ke : {values[0], values[2], Bytes(10, 0x42)}) {
        const std::vector<c2::Payload> request{
            c2::negotiation::child_offer(ours, 0x01020304, crypto::DhGroup::Modp1024), c2::NoncePayload{Bytes(32, 0x22)},
            c2::KePayload{2, ke}, c2::TsPayload{true, {any}}, c2::TsPayload{false, {any}}};
        const auto bytes = sealed_request(keys, c2::ExchangeType::CreateChildSa, id++, request);
        deliver_to(*p.eb, all[2], bytes);
        REQUIRE(p.nb.outbox.size() == 1);
        const auto payloads = opened_response(keys, p.nb.outbox.front().bytes);
        p.nb.outbox.clear();
        REQUIRE(payloads.size() == 1);
        const auto* n = std::get_if<c2::NotifyPayload>(&payloads.front());
        REQUIRE(n);
        CHECK(n->notify() == c2::NotifyType::InvalidSyntax);
        CHECK(seen(*p.eb, p.nb) == before);
    }
    // A KEi of the right group and value gets the Child SA.
    {
        Botan::ChaCha_RNG rng(Botan::secure_vector<std::uint8_t>(32, 0x77));
        const auto dh = crypto::DhKeyPair::generate(crypto::DhGroup::Modp1024, rng);
        const std::vector<c2::Payload> request{
            c2::negotiation::child_offer(ours, 0x01020304, crypto::DhGroup::Modp1024), c2::NoncePayload{Bytes(32, 0x22)},
            c2::KePayload{2, dh.public_value()}, c2::TsPayload{true, {any}}, c2::TsPayload{false, {any}}};
        deliver_to(*p.eb, all[2], sealed_request(keys, c2::ExchangeType::CreateChildSa, id, request));
        REQUIRE(p.nb.outbox.size() == 1);
        CHECK(p.nb.installed.size() == 2);
    }
}

TEST_CASE("an IKEv2 IKE_SA_INIT request whose KE data length does not match its group creates no SA",
          "[ike][ikev2][hostile]")
{
    for (int delta : {-1, 1, -64}) {
        V2Pair p;
        p.tick(0);
        REQUIRE(p.na.outbox.size() == 1);
        const auto first = p.na.outbox.front();
        // HDR, SAi1, KEi (128 bytes of MODP-1024 +- delta), Ni -->
        deliver_to(*p.eb, first, with_ke(first.bytes, [&](c2::KePayload& ke) {
                       ke.data.resize(static_cast<std::size_t>(static_cast<int>(ke.data.size()) + delta), 0x42);
                   }));
        CAPTURE(delta);
        CHECK(p.eb->ike_security_associations().empty());
        CHECK(p.nb.outbox.empty());
        // The honest request still gets through.
        p.settle();
        CHECK(p.nb.installed.size() == 1);
    }
}

TEST_CASE("an IKEv2 KEi of 0, 1 or p-1 is refused by the responder", "[ike][ikev2][hostile]")
{
    for (const auto& value : degenerate_values()) {
        V2Pair p;
        p.tick(0);
        const auto first = p.na.outbox.front();
        deliver_to(*p.eb, first, with_ke(first.bytes, [&](c2::KePayload& ke) { ke.data = value; }));
        CHECK(p.eb->ike_security_associations().empty());
        CHECK(p.nb.outbox.empty());
    }
}

TEST_CASE("an IKEv2 KEr of 0, 1 or p-1 in the IKE_SA_INIT response is ignored by the initiator",
          "[ike][ikev2][hostile]")
{
    for (const auto& value : degenerate_values()) {
        V2Pair p;
        p.tick(0);
        p.a_to_b();
        REQUIRE(p.nb.outbox.size() == 1);
        const auto response = p.nb.outbox.front();
        const Seen before = seen(*p.ea, p.na);
        // <-- HDR, SAr1, KEr (degenerate), Nr
        deliver_to(*p.ea, response, with_ke(response.bytes, [&](c2::KePayload& ke) { ke.data = value; }));
        CHECK(p.na.outbox.empty());  // no IKE_AUTH on a KEr we refuse
        CHECK(seen(*p.ea, p.na) == before);
        // <-- the honest response: IKE_AUTH goes on.
        p.settle();
        CHECK(p.na.installed.size() == 1);
        CHECK(p.nb.installed.size() == 1);
    }
}

TEST_CASE("an unauthenticated IKEv2 INFORMATIONAL with the right SPIs and message ID changes nothing",
          "[ike][ikev2][hostile]")
{
    V2Pair p;
    const auto all = establish(p);
    const Datagram& auth_request = all[2];
    const Seen before_b = seen(*p.eb, p.nb), before_a = seen(*p.ea, p.na);
    // HDR(M-ID 2), SK {garbage} --> the responder, and the same to the initiator as if from the responder.
    deliver_to(*p.eb, auth_request, garbage_sk(auth_request.bytes, c2::ExchangeType::Informational, 2, false));
    deliver_to(*p.ea, all[3], garbage_sk(all[3].bytes, c2::ExchangeType::Informational, 0, false));
    deliver_to(*p.eb, auth_request, garbage_sk(auth_request.bytes, c2::ExchangeType::Informational, 1, true));
    CHECK(p.na.outbox.empty());
    CHECK(p.nb.outbox.empty());
    CHECK(seen(*p.eb, p.nb) == before_b);
    CHECK(seen(*p.ea, p.na) == before_a);
    CHECK(p.nb.deleted.empty());
    // The window did not move: the initiator's real Delete (M-ID 2) is answered.
    p.ea->clear_ipsec("sa1");
    p.settle();
    CHECK(p.na.installed.empty());
    CHECK(p.nb.installed.empty());
}

TEST_CASE("a replayed IKEv2 request with an old message ID changes nothing", "[ike][ikev2][hostile]")
{
    auto a = v2_config("10.0.0.1", "10.0.0.2", true);
    a.timers.dpd_interval_ms = 10000;
    V2Pair p(std::move(a), v2_config("10.0.0.2", "10.0.0.1", false));
    const auto all = establish(p);
    // Two liveness checks: HDR(M-ID 2), SK {} -->  <--  and HDR(M-ID 3), SK {} -->  <--
    std::vector<Datagram> checks;
    for (std::uint64_t t : {11000, 22000}) {
        p.tick(t);
        REQUIRE(p.na.outbox.size() == 1);
        checks.push_back(p.na.outbox.front());
        p.settle();
    }
    CHECK(header_of(checks[0].bytes).message_id == 2);
    CHECK(header_of(checks[1].bytes).message_id == 3);
    const Seen before = seen(*p.eb, p.nb);
    // The IKE_AUTH request (M-ID 1) and the first check (M-ID 2) again: old, not the last one, dropped.
    deliver_to(*p.eb, all[2], all[2].bytes);
    deliver_to(*p.eb, checks[0], checks[0].bytes);
    CHECK(p.nb.outbox.empty());
    CHECK(seen(*p.eb, p.nb) == before);
    // The last request again is answered from the cache, byte for byte.
    deliver_to(*p.eb, checks[1], checks[1].bytes);
    REQUIRE(p.nb.outbox.size() == 1);
    CHECK(seen(*p.eb, p.nb) == before);
}

TEST_CASE("an IKEv2 response to no request of ours is dropped", "[ike][ikev2][hostile]")
{
    V2Pair p;
    const auto all = establish(p);
    const Seen before = seen(*p.ea, p.na);
    // <-- HDR, SAr1, KEr, Nr  and  <-- HDR, SK {IDr, AUTH, SAr2, TSi, TSr}  again, after both were taken.
    deliver_to(*p.ea, all[1], all[1].bytes);
    deliver_to(*p.ea, all[3], all[3].bytes);
    // <-- an INFORMATIONAL response for M-ID 2, which we never sent.
    deliver_to(*p.ea, all[3], garbage_sk(all[3].bytes, c2::ExchangeType::Informational, 2, true));
    CHECK(p.na.outbox.empty());
    CHECK(seen(*p.ea, p.na) == before);
    CHECK(p.na.p1_failed.empty());
}

TEST_CASE("IKEv2 payload chains that loop, overrun or claim huge counts are refused without a crash",
          "[ike][ikev2][hostile]")
{
    V2Pair p;
    p.tick(0);
    const auto first = p.na.outbox.front();
    const auto header = header_of(first.bytes);
    std::vector<Bytes> hostile;
    const auto message = [&](c2::PayloadType next, Bytes body) {
        auto h = header;
        h.next = next;
        auto out = c2::encode_header(h, body.size());
        out.insert(out.end(), body.begin(), body.end());
        hostile.push_back(std::move(out));
    };
    // A payload whose length is 0 (it would point at itself), or shorter than its header.
    message(c2::PayloadType::Nonce, {static_cast<std::uint8_t>(c2::PayloadType::Nonce), 0, 0, 0});
    message(c2::PayloadType::Nonce, {static_cast<std::uint8_t>(c2::PayloadType::Nonce), 0, 0, 2, 1, 2, 3, 4});
    // A length of 65535 in a short message.
    message(c2::PayloadType::Nonce, {0, 0, 0xff, 0xff, 1, 2, 3, 4, 5, 6, 7, 8});
    // 300 empty Vendor ID payloads, each naming the next.
    {
        Bytes body;
        for (int i = 0; i < 300; ++i)
            body.insert(body.end(), {static_cast<std::uint8_t>(i == 299 ? 0 : 43), 0, 0, 4});
        message(c2::PayloadType::VendorId, body);
    }
    // An SA whose proposal claims 255 transforms and a 65535-byte length with none behind it.
    message(c2::PayloadType::Sa, {0, 0, 0, 12, 0, 0, 0xff, 0xff, 1, 1, 0, 255});
    // A header Length larger than the datagram, and one smaller than a header.
    hostile.push_back(first.bytes);
    hostile.back()[27] = static_cast<std::uint8_t>(hostile.back()[27] + 1);
    hostile.push_back(Bytes(first.bytes.begin(), first.bytes.begin() + 20));
    for (const auto& bytes : hostile)
        deliver_to(*p.eb, first, bytes);
    CHECK(p.eb->ike_security_associations().empty());
    CHECK(p.nb.outbox.empty());
    p.settle();
    CHECK(p.nb.installed.size() == 1);
}

TEST_CASE("more IKEv2 IKE_SA_INIT requests than max_half_open keep the responder's table bounded",
          "[ike][ikev2][hostile]")
{
    auto b = v2_config("10.0.0.2", "10.0.0.1", false);
    b.max_half_open = 4;
    V2Pair p(v2_config("10.0.0.1", "10.0.0.2", true), std::move(b));
    p.tick(0);
    const auto first = p.na.outbox.front();
    for (std::uint8_t i = 1; i <= 20; ++i) {
        auto bytes = first.bytes;
        bytes[7] = static_cast<std::uint8_t>(bytes[7] ^ i);  // a fresh SPIi each time
        deliver_to(*p.eb, first, bytes);
        CHECK(p.eb->ike_security_associations().size() <= 4);
    }
    CHECK(p.eb->ike_security_associations().size() == 4);
    CHECK(p.nb.outbox.size() == 4);
    // They time out: the table empties and new requests are answered again.
    p.nb.outbox.clear();
    p.tick(60000);
    CHECK(p.eb->ike_security_associations().empty());
}

TEST_CASE("IKEv2 IKE_SA_INIT requests from one peer stop at max_half_open_per_peer", "[ike][ikev2][hostile]")
{
    auto b = v2_config("10.0.0.2", "10.0.0.1", false);
    b.max_half_open = 8;
    b.max_half_open_per_peer = 2;
    V2Pair p(v2_config("10.0.0.1", "10.0.0.2", true), std::move(b));
    p.tick(0);
    const auto first = p.na.outbox.front();
    for (std::uint8_t i = 1; i <= 6; ++i) {
        auto bytes = first.bytes;
        bytes[7] = static_cast<std::uint8_t>(bytes[7] ^ i);
        deliver_to(*p.eb, first, bytes);
    }
    CHECK(p.eb->ike_security_associations().size() == 2);
    CHECK(p.nb.outbox.size() == 2);
}

TEST_CASE("an IKEv2 IKE_AUTH request under the wrong SPIr is dropped", "[ike][ikev2][hostile]")
{
    V2Pair p;
    p.tick(0);
    p.a_to_b();  // HDR, SAi1, KEi, Ni -->
    p.b_to_a();  // <-- HDR, SAr1, KEr, Nr
    REQUIRE(p.na.outbox.size() == 1);
    const auto auth = p.na.outbox.front();
    const Seen before = seen(*p.eb, p.nb);
    for (std::uint8_t flip : {0x01, 0x80}) {
        auto bytes = auth.bytes;
        bytes[15] = static_cast<std::uint8_t>(bytes[15] ^ flip);
        deliver_to(*p.eb, auth, bytes);
    }
    CHECK(p.nb.outbox.empty());
    CHECK(seen(*p.eb, p.nb) == before);
    // HDR, SK {IDi, AUTH, SAi2, TSi, TSr} --> under the right SPIr
    p.settle();
    CHECK(p.na.installed.size() == 1);
    CHECK(p.nb.installed.size() == 1);
}

TEST_CASE("an IKEv2 IKE_SA_INIT with an unknown critical payload is refused with UNSUPPORTED_CRITICAL_PAYLOAD",
          "[ike][ikev2][hostile]")
{
    // RFC 7296 2.5: skipped without the critical bit; with it, the request
    // fails and the answer names the payload type. No state either way but
    // the SA the acceptable request creates.
    V2Pair p;
    p.tick(0);
    const auto first = p.na.outbox.front();
    const auto with_unknown = [&](bool critical) {
        auto m = c2::decode_message(first.bytes);
        REQUIRE(m);
        auto chain = m.value().chain.payloads;
        chain.insert(chain.begin() + 1, c2::RawPayload{200, critical, {1, 2, 3, 4}});
        auto h = m.value().header;
        const auto body = c2::encode_chain(chain);
        auto out = c2::encode_header(h, body.size());
        out.insert(out.end(), body.begin(), body.end());
        return out;
    };
    deliver_to(*p.eb, first, with_unknown(true));
    CHECK(p.eb->ike_security_associations().empty());
    REQUIRE(p.nb.outbox.size() == 1);
    const auto answer = p.nb.outbox.front().bytes;
    p.nb.outbox.clear();
    const auto h = header_of(answer);
    CHECK(h.response);
    CHECK(h.spi_i == header_of(first.bytes).spi_i);
    CHECK(h.spi_r == c2::IkeSpi{});
    auto m = c2::decode_message(answer);
    REQUIRE(m);
    auto payloads = c2::decode_payloads(m.value().chain.payloads);
    REQUIRE(payloads);
    REQUIRE(payloads.value().size() == 1);
    const auto* n = std::get_if<c2::NotifyPayload>(&payloads.value().front());
    REQUIRE(n);
    CHECK(n->notify() == c2::NotifyType::UnsupportedCriticalPayload);
    CHECK(n->data == Bytes{200});
    CHECK(p.nb.sent_events.back().summary == "HDR, N(UNSUPPORTED_CRITICAL_PAYLOAD)");
    // Without the critical bit the payload is skipped and the request answered as usual.
    deliver_to(*p.eb, first, with_unknown(false));
    CHECK(p.eb->ike_security_associations().size() == 1);
    REQUIRE(p.nb.outbox.size() == 1);
    CHECK(header_of(p.nb.outbox.front().bytes).spi_r != c2::IkeSpi{});
}

TEST_CASE("a fragmented IKEv2 request gives one received event, when reassembled; a forged fragment none",
          "[ike][ikev2][hostile][events]")
{
    auto a = v2_config("10.0.0.1", "10.0.0.2", true);
    a.log_keys = true;
    V2Pair p(std::move(a), v2_config("10.0.0.2", "10.0.0.1", false));
    const auto all = establish(p);
    const TestKeys t{p.ea->export_ike_keys().at(0)};
    // INFORMATIONAL M-ID 2: SK {D(ESP, an SPI B does not know), V} in two SKF fragments (RFC 7383 2.5).
    c2::DeletePayload d;
    d.protocol = c2::ProtocolId::Esp;
    d.spis = {{0x11, 0x11, 0x11, 0x11}};
    const std::vector<c2::Payload> inner{d, c2::VendorIdPayload{Bytes(120, 0x56)}};
    const auto chain = c2::encode_inner(inner);
    const auto fragment = [&](std::uint16_t number, std::span<const std::uint8_t> plaintext) {
        c2::Header h;
        h.spi_i = t.k.initiator_cookie;
        h.spi_r = t.k.responder_cookie;
        h.exchange = static_cast<std::uint8_t>(c2::ExchangeType::Informational);
        h.initiator = true;
        h.message_id = 2;
        h.next = c2::PayloadType::Skf;
        const std::size_t body = 8 + c2::crypto::sk_body_size(t.suite, plaintext.size());
        Bytes out = c2::encode_header(h, body);
        out.insert(out.end(), {static_cast<std::uint8_t>(number == 1 ? chain.first : c2::PayloadType::None), 0,
                               static_cast<std::uint8_t>(body >> 8), static_cast<std::uint8_t>(body), 0,
                               static_cast<std::uint8_t>(number), 0, 2});
        Botan::ChaCha_RNG rng(Botan::secure_vector<std::uint8_t>(32, static_cast<std::uint8_t>(number)));
        const auto sealed = c2::crypto::sk_seal(t.suite, {t.k.sk_ei, t.k.sk_ai}, out, plaintext, rng);
        out.insert(out.end(), sealed.begin(), sealed.end());
        return out;
    };
    const std::span<const std::uint8_t> whole(chain.bytes);
    const auto half = whole.size() / 2;
    const auto first = fragment(1, whole.first(half));
    const auto second = fragment(2, whole.subspan(half));
    const auto events = p.nb.received.size();
    deliver_to(*p.eb, all[2], first);
    CHECK(p.nb.received.size() == events);  // held until the other arrives
    auto forged = second;
    forged.back() ^= 1;
    deliver_to(*p.eb, all[2], forged);
    CHECK(p.nb.received.size() == events);  // ICV fails: no event, nothing kept
    CHECK(p.nb.outbox.empty());
    deliver_to(*p.eb, all[2], second);
    REQUIRE(p.nb.received.size() == events + 1);
    const auto& e = p.nb.received.back();
    CHECK(e.exchange == "INFORMATIONAL");
    CHECK(e.message_id == 2);
    CHECK(e.encrypted);
    CHECK(e.summary == "HDR, SK {D, V}");
    CHECK(e.length == second.size());
    CHECK(p.nb.outbox.size() == 1);  // answered
}
