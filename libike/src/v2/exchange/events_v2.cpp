// IKEv2 message events (see events_v2.h) and the engine's points that emit
// them: one message_sent per message built (not per retransmission), one
// message_received per message that decoded and, when protected, verified
// and decrypted (a fragmented one once, when reassembled).
#include "events_v2.h"

#include "../../exchange/engine_impl.h"

#include "picsec/ike/v2/message.h"
#include "picsec/ike/v2/raw_payload.h"

namespace picsec::ike::detail::v2 {
namespace {

std::string payload_name(const c2::Payload& p, c2::ExchangeType ex, bool response) {
    const char* d = response ? "r" : "i";
    const auto t = c2::payload_type(p);
    switch (t) {
    case c2::PayloadType::Sa:
        if (ex == c2::ExchangeType::IkeSaInit) return std::string("SA") + d + "1";
        if (ex == c2::ExchangeType::IkeAuth) return std::string("SA") + d + "2";
        return "SA";
    case c2::PayloadType::Ke: return std::string("KE") + d;
    case c2::PayloadType::Nonce: return std::string("N") + d;
    case c2::PayloadType::Notify: return "N(" + c2::name(std::get<c2::NotifyPayload>(p).notify()) + ")";
    case c2::PayloadType::None:
    case c2::PayloadType::IdI:
    case c2::PayloadType::IdR:
    case c2::PayloadType::Cert:
    case c2::PayloadType::CertReq:
    case c2::PayloadType::Auth:
    case c2::PayloadType::Delete:
    case c2::PayloadType::VendorId:
    case c2::PayloadType::TsI:
    case c2::PayloadType::TsR:
    case c2::PayloadType::Sk:
    case c2::PayloadType::Cp:
    case c2::PayloadType::Eap:
    case c2::PayloadType::Skf: break;
    }
    return c2::name(t);
}

}  // namespace

std::string message_summary(const c2::Header& h, std::span<const c2::Payload> payloads, bool encrypted) {
    const auto ex = static_cast<c2::ExchangeType>(h.exchange);
    std::string inner;
    for (const auto& p : payloads) {
        if (!inner.empty()) inner += ", ";
        inner += payload_name(p, ex, h.response);
    }
    if (encrypted) return "HDR, SK {" + inner + "}";
    return inner.empty() ? "HDR" : "HDR, " + inner;
}

MessageEvent message_event(const Endpoint& local, const Endpoint& peer, const c2::Header& h, std::size_t length,
                           std::span<const c2::Payload> payloads, bool encrypted) {
    MessageEvent e;
    e.local = local;
    e.peer = peer;
    e.initiator_cookie = h.spi_i;
    e.responder_cookie = h.spi_r;
    e.exchange = c2::name(static_cast<c2::ExchangeType>(h.exchange));
    e.message_id = h.message_id;
    e.encrypted = encrypted;
    e.summary = message_summary(h, payloads, encrypted);
    e.length = length;
    return e;
}

std::optional<std::vector<c2::Payload>> read_plain(const c2::Header& h, std::span<const std::uint8_t> raw) {
    if (raw.size() < c2::header_size) return std::nullopt;
    auto chain = c2::split_chain(h.next, raw.subspan(c2::header_size));
    if (!chain) return std::nullopt;
    std::vector<c2::Payload> out;
    for (const auto& p : chain.value().payloads) {
        auto d = c2::decode_payload(p);
        if (!d) {
            // RFC 7296 2.5: an unknown payload without the critical bit is skipped.
            if (!p.critical && !c2::is_known_payload(p.type)) continue;
            return std::nullopt;
        }
        out.push_back(std::move(d.value()));
    }
    return out;
}

std::optional<MessageEvent> sent_event(const Endpoint& local, const Endpoint& peer,
                                       std::span<const std::uint8_t> bytes, const SaKeys* keys) {
    auto header = c2::decode_header(bytes);
    if (!header) return std::nullopt;
    const auto& h = header.value();
    if (h.next != c2::PayloadType::Sk) {
        auto payloads = read_plain(h, bytes);
        if (!payloads) return std::nullopt;
        return message_event(local, peer, h, bytes.size(), *payloads, false);
    }
    if (!keys) return std::nullopt;
    // Our own message: opened with the keys of our direction.
    SaKeys ours = *keys;
    ours.role = keys->role == Role::Initiator ? Role::Responder : Role::Initiator;
    auto payloads = open(ours, h, bytes);
    if (!payloads) return std::nullopt;
    return message_event(local, peer, h, bytes.size(), payloads.value(), true);
}

std::optional<MessageEvent> sent_event(const Endpoint& local, const Endpoint& peer, const Datagrams& datagrams,
                                       const SaKeys* keys) {
    if (datagrams.empty()) return std::nullopt;
    if (datagrams.size() == 1) return sent_event(local, peer, datagrams.front(), keys);
    if (!keys) return std::nullopt;
    SaKeys ours = *keys;
    ours.role = keys->role == Role::Initiator ? Role::Responder : Role::Initiator;
    Reassembly r;
    std::size_t length = 0;
    std::optional<c2::Header> first;
    std::optional<std::vector<c2::Payload>> payloads;
    for (const auto& d : datagrams) {
        auto h = c2::decode_header(d);
        if (!h) return std::nullopt;
        if (!first) first = h.value();
        length += d.size();
        auto opened = open_fragment(ours, h.value(), d, r);
        if (!opened) return std::nullopt;
        if (opened.value()) payloads = std::move(*opened.value());
    }
    if (!payloads) return std::nullopt;
    return message_event(local, peer, *first, length, *payloads, true);
}

}  // namespace picsec::ike::detail::v2

namespace picsec::ike {

namespace c2 = picsec::ike::v2;
using V2Sa = detail::v2::IkeSa;

namespace {

// The event for a message we built from `payloads`: the header of its first
// datagram, `length` bytes in all.
std::optional<MessageEvent> built_event(Endpoint local, Endpoint peer, std::span<const std::uint8_t> first,
                                        std::size_t length, std::span<const c2::Payload> payloads) {
    auto h = c2::decode_header(first);
    if (!h) return std::nullopt;
    const bool encrypted = h.value().next == c2::PayloadType::Sk || h.value().next == c2::PayloadType::Skf;
    return detail::v2::message_event(local, peer, h.value(), length, payloads, encrypted);
}

}  // namespace

void Engine::Impl::v2_sent_event(Endpoint local, Endpoint peer, std::span<const std::uint8_t> bytes,
                                 std::span<const c2::Payload> payloads) {
    if (!callbacks.wants_message_events()) return;
    if (auto e = built_event(local, peer, bytes, bytes.size(), payloads)) callbacks.message_sent(*e);
}

void Engine::Impl::v2_sent_event(Endpoint local, Endpoint peer, const detail::v2::Datagrams& datagrams,
                                 std::span<const c2::Payload> payloads) {
    if (!callbacks.wants_message_events() || datagrams.empty()) return;
    std::size_t length = 0;
    for (const auto& d : datagrams) length += d.size();
    if (auto e = built_event(local, peer, datagrams.front(), length, payloads)) callbacks.message_sent(*e);
}

void Engine::Impl::v2_sent_built(const V2Sa& sa, Endpoint local, Endpoint peer,
                                 const detail::v2::Datagrams& bytes) {
    if (!callbacks.wants_message_events()) return;
    const detail::v2::SaKeys* keys = sa.task ? sa.task->keys() : nullptr;
    if (!keys && sa.sa) keys = &sa.sa->keys;
    if (auto e = detail::v2::sent_event(local, peer, bytes, keys)) callbacks.message_sent(*e);
}

void Engine::Impl::v2_received_event(Endpoint local, Endpoint peer, const c2::Header& h, std::size_t length,
                                     std::span<const c2::Payload> payloads, bool encrypted) {
    if (!callbacks.wants_message_events()) return;
    callbacks.message_received(detail::v2::message_event(local, peer, h, length, payloads, encrypted));
}

void Engine::Impl::v2_task_received_event(const V2Sa& sa, const c2::Header& h, std::span<const std::uint8_t> raw,
                                          Endpoint from, Endpoint to) {
    if (!callbacks.wants_message_events() || !sa.task) return;
    // RFC 7296 1.2: only IKE_SA_INIT is unprotected; anything else is read
    // only when it is SK{} (or SKF) alone, as the task reads it.
    if (static_cast<c2::ExchangeType>(h.exchange) == c2::ExchangeType::IkeSaInit) {
        if (auto payloads = detail::v2::read_plain(h, raw)) v2_received_event(to, from, h, raw.size(), *payloads, false);
        return;
    }
    // What the task will read, read on a copy of its reassembly: the event
    // only when the ICV verifies and the (whole) inner chain decodes.
    const auto* keys = sa.task->keys();
    if (!keys) return;
    auto fragments = sa.task->fragments();
    auto opened = detail::v2::open_fragment(*keys, h, raw, fragments);
    if (opened && opened.value()) v2_received_event(to, from, h, raw.size(), *opened.value(), true);
}

}  // namespace picsec::ike
