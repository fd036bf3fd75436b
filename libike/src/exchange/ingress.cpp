// A datagram's way into the engine: the codec's header checks, the IKE SA
// its cookies name, freshness (reply caches, completed message IDs),
// decryption against a tentative IV, the exchange handler, and the commit.
// Nothing a message would change is applied before its handler accepted it
// as authentic and fresh: a dropped message leaves the SA as it was.
#include "engine_impl.h"

#include "picsec/ike/codec/message.h"
#include "picsec/ike/v2/header.h"

#include <algorithm>

namespace picsec::ike {

using detail::Bytes;
using detail::IkeSa;
using detail::LifecycleState;

bool detail::IkeSa::completed(std::uint32_t message_id) const
{
    return std::binary_search(completed_ids.begin(), completed_ids.end(), message_id);
}

void detail::IkeSa::complete(std::uint32_t message_id)
{
    const auto at = std::lower_bound(completed_ids.begin(), completed_ids.end(), message_id);
    if (at == completed_ids.end() || *at != message_id)
        completed_ids.insert(at, message_id);
}

bool Engine::Impl::first_message_allowed(const Ipv4Address& from, const IkePolicy& policy)
{
    // Only the 0.0.0.0 certificate policy answers strangers; a policy for a
    // named peer is bounded by the half-open limits alone.
    if (policy.peer != Ipv4Address{} || config.max_first_messages_per_second == 0)
        return true;
    const std::uint64_t window = now / 1000;
    if (first_message_window.size() >= 4096)
        std::erase_if(first_message_window, [&](const auto& e) { return e.second.first != window; });
    if (first_message_window.size() >= 4096) {
        log->warn("peer {}: first-message rate table full, ignored", from.to_string());
        return false;
    }
    auto& [start, count] = first_message_window[from.to_uint()];
    if (start != window) {
        start = window;
        count = 0;
    }
    if (++count <= config.max_first_messages_per_second)
        return true;
    if (count == config.max_first_messages_per_second + 1)
        log->warn("peer {}: more than {} first messages this second to the 0.0.0.0 policy, ignoring the rest",
                  from.to_string(), config.max_first_messages_per_second);
    return false;
}

void Engine::Impl::received(std::span<const std::uint8_t> bytes, Endpoint from, Endpoint to)
{
    if (to.port == config.nat_t_port && to.port != config.local.port) {
        // RFC 3948 2.2: a non-ESP marker (4 zero octets) precedes IKE; anything else is ESP, not ours.
        if (bytes.size() < 4 || bytes[0] != 0 || bytes[1] != 0 || bytes[2] != 0 || bytes[3] != 0)
            return;
        bytes = bytes.subspan(4);
    }
    // RFC 7296 3.1: the major version picks the protocol.
    if (ike::v2::major_version(bytes) == 2) {
        v2_received(bytes, from, to);
        return;
    }
    auto header = codec::decode_header(bytes);
    if (!header) {
        log->debug("from {}: {}, dropped", from.to_string(), codec::to_string(header.error()));
        return;
    }
    const codec::Header& h = header.value();
    auto it = ike_sas.find(h.initiator_cookie);
    if (it != ike_sas.end()) {
        received_for(*it->second, h, bytes, from, to);
        return;
    }
    // No state before a valid first message (RFC 2408 2.5.3 / anti-clogging).
    const bool first = h.responder_cookie == Cookie{} && h.message_id == 0 && !h.encryption &&
                       (h.exchange_type == codec::ExchangeType::IdentityProtection ||
                        h.exchange_type == codec::ExchangeType::Aggressive);
    if (!first) {
        log->debug("from {}: {} for no known IKE SA [{}:{}], dropped", from.to_string(),
                   codec::to_string(h.exchange_type), to_hex(h.initiator_cookie), to_hex(h.responder_cookie));
        return;
    }
    auto chain = codec::split_chain(h.next_payload, bytes.subspan(codec::header_size), false);
    if (!chain) {
        log->info("from {}: malformed first message: {}, dropped", from.to_string(), codec::to_string(chain.error()));
        return;
    }
    codec::RawMessage m{h, std::move(chain.value())};
    if (callbacks.wants_message_events())
        callbacks.message_received(detail::message_event(to, from, h, bytes.size(), m.payloads));
    phase1_respond_first(m, bytes, from, to);
}

void Engine::Impl::received_for(IkeSa& sa, const codec::Header& h, std::span<const std::uint8_t> raw, Endpoint from,
                                Endpoint to)
{
    if (sa.peer.address != from.address || sa.lifecycle.state() == LifecycleState::Dead)
        return;
    due.touch(sa.cky_i);  // what the message does may move its timers
    // Duplicate detection: a repeated request gets our cached answer (RFC 2409
    // 5), sent to the peer as we know it, whatever port the copy came from.
    const Bytes* cached = sa.cache.lookup(raw);
    if (auto qm = sa.quick_modes.find(h.message_id); !cached && h.message_id != 0 && qm != sa.quick_modes.end())
        cached = qm->second.cache.lookup(raw);
    if (cached) {
        log->info("{}: retransmitted {} message (M-ID {:08x}), resending our reply", sa.name(),
                  codec::to_string(h.exchange_type), h.message_id);
        send(sa, *cached);
        return;
    }
    if (sa.cky_r != Cookie{} && h.responder_cookie != sa.cky_r) {
        log->debug("{}: responder cookie {} does not match, dropped", sa.name(), to_hex(h.responder_cookie));
        return;
    }
    // RFC 2408 3.1: a message ID names one exchange for the life of the SA.
    if (h.message_id != 0 && sa.completed(h.message_id)) {
        log->info("{}: {} M-ID {:08x} belongs to a completed exchange: replay dropped", sa.name(),
                  codec::to_string(h.exchange_type), h.message_id);
        return;
    }
    auto body = raw.subspan(codec::header_size);
    Bytes plain;
    std::optional<Bytes> next_iv;
    if (h.encryption) {
        if (!sa.keys || !sa.ivs) {
            log->debug("{}: encrypted message before keys exist, dropped", sa.name());
            return;
        }
        try {
            // The chain is read, not written: it moves on only if the message is accepted.
            auto res = crypto::decrypt_body(sa.choice->proposal.encryption, sa.keys->ka, sa.ivs->peek(h.message_id),
                                            body);
            plain = std::move(res.data);
            next_iv = std::move(res.next_iv);
        } catch (const std::exception& e) {
            log->info("{}: cannot decrypt {}: {}, dropped", sa.name(), codec::to_string(h.exchange_type), e.what());
            return;
        }
        body = plain;
    }
    auto chain = codec::split_chain(h.next_payload, body, h.encryption);
    if (!chain) {
        log->info("{}: malformed {}: {}, dropped", sa.name(), codec::to_string(h.exchange_type),
                  codec::to_string(chain.error()));
        // An encrypted phase-1 message that decrypts to no payloads was made
        // with other keys (a pre-shared key mismatch, or a forgery): the
        // exchange waits for a retransmission or its timeout (RFC 2409 5.4).
        if (h.encryption && h.message_id == 0 && sa.lifecycle.state() == LifecycleState::Negotiating)
            sa.last_drop = detail::DropCause::Undecryptable;
        return;
    }
    codec::RawMessage m{h, std::move(chain.value())};
    if (callbacks.wants_message_events())
        callbacks.message_received(detail::message_event(to, from, h, raw.size(), m.payloads));
    inbound = Inbound{&sa, raw, from, h.message_id, std::move(next_iv), h.encryption, std::nullopt, {}};
    // RFC 3947 4: the responder follows the initiator to the NAT-T port and
    // answers this very message from there, once it is accepted.
    if (to.port == config.nat_t_port && !sa.floated && config.nat_t_port != config.local.port)
        inbound.float_peer = from;
    bool accepted = false;
    try {
        switch (h.exchange_type) {
        case codec::ExchangeType::IdentityProtection:
        case codec::ExchangeType::Aggressive: accepted = h.message_id == 0 && phase1_process(sa, m); break;
        case codec::ExchangeType::QuickMode: accepted = sa.established() && quick_mode_process(sa, m); break;
        case codec::ExchangeType::Informational: accepted = informational_process(sa, m); break;
        case codec::ExchangeType::None:
        case codec::ExchangeType::Base:
        case codec::ExchangeType::AuthenticationOnly:
        case codec::ExchangeType::Transaction:
        case codec::ExchangeType::NewGroupMode:
            log->info("{}: unsupported exchange {}, dropped", sa.name(), codec::to_string(h.exchange_type));
            break;
        }
    } catch (...) {
        inbound = Inbound{};
        throw;
    }
    commit(sa, accepted);
}

void Engine::Impl::commit(IkeSa& sa, bool accepted)
{
    Inbound in = std::move(inbound);
    inbound = Inbound{};
    if (accepted && sa.lifecycle.state() != LifecycleState::Dead) {
        if (in.float_peer)
            float_to_nat_t(sa, *in.float_peer);
        // An exchange still in progress keeps its chain; a finished one is
        // remembered by message ID so that a replay of it is dropped.
        const bool finished = in.message_id != 0 && sa.quick_modes.count(in.message_id) == 0;
        if (finished) {
            sa.complete(in.message_id);
            if (sa.ivs)
                sa.ivs->forget(in.message_id);
        } else if (in.next_iv && sa.ivs) {
            sa.ivs->update(in.message_id, *in.next_iv);
        }
        sa.peer_has_keys = sa.peer_has_keys || in.decrypted;
        sa.last_heard_ms = now;
        sa.dpd_outstanding = 0;
        sa.last_drop = detail::DropCause::None;
    }
    for (const auto& bytes : in.sends)
        send(sa, bytes);
}

}  // namespace picsec::ike
