// Retransmission of our last request with exponential backoff, and the cache
// of our last response so a retransmitted request is answered, not reprocessed
// (RFC 2408 5, RFC 2409 5: the initiator retransmits; the responder resends
// its last reply when it sees the same message again).
#pragma once

#include "picsec/ike/types.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace picsec::ike::detail {

/// Holds one outstanding request and decides when to resend it. IKEv2 may
/// send a request as several datagrams (RFC 7383 fragments): all are resent.
class Retransmitter {
public:
    enum class Action { Nothing, Resend, GiveUp };
    using Datagram = std::vector<std::uint8_t>;

    /// Arms with a new request sent at now_ms; base_ms doubles after each try.
    void arm(Datagram bytes, std::uint64_t now_ms, std::uint64_t base_ms, unsigned max_retries)
    {
        arm_all(std::vector<Datagram>{std::move(bytes)}, now_ms, base_ms, max_retries);
    }
    /// As arm(), for a request sent as these datagrams (never empty).
    void arm_all(std::vector<Datagram> datagrams, std::uint64_t now_ms, std::uint64_t base_ms, unsigned max_retries);
    void disarm() { m_armed = false; }
    bool armed() const { return m_armed; }

    /// Called on every tick. Resend returns the bytes through message().
    Action on_tick(std::uint64_t now_ms);

    /// The request's (first) datagram.
    const Datagram& message() const { return m_datagrams.front(); }
    /// All its datagrams, in the order they are sent.
    const std::vector<Datagram>& datagrams() const { return m_datagrams; }
    unsigned retries() const { return m_retries; }
    /// When the next resend (or give-up) is due; meaningful while armed().
    std::uint64_t deadline() const { return m_deadline; }

private:
    bool m_armed = false;
    std::vector<Datagram> m_datagrams{Datagram{}};
    std::uint64_t m_deadline = 0;
    std::uint64_t m_interval = 0;
    unsigned m_retries = 0;
    unsigned m_max_retries = 0;
};

/// The last request we answered (its exact bytes) and our answer: when the
/// same bytes arrive again the answer is resent unchanged (RFC 2409 5).
class ResponseCache {
public:
    using Datagram = std::vector<std::uint8_t>;

    void remember(std::span<const std::uint8_t> request, Datagram response)
    {
        remember_all(request, std::vector<Datagram>{std::move(response)});
    }
    /// As remember(), for an answer sent as several datagrams (RFC 7383
    /// fragments). An empty `request` matches nothing: a fragmented request
    /// is recognised by its first fragment instead (RFC 7383 2.6.1).
    void remember_all(std::span<const std::uint8_t> request, std::vector<Datagram> response)
    {
        // A fresh vector, not assign(): the cached request of an established
        // SA keeps exactly its own size, not the largest message seen.
        m_request = std::vector<std::uint8_t>(request.begin(), request.end());
        m_response = std::move(response);
    }
    /// The cached response when `request` repeats the last one answered.
    const Datagram* lookup(std::span<const std::uint8_t> request) const
    {
        const auto* all = lookup_all(request);
        return all ? &all->front() : nullptr;
    }
    /// All datagrams of the cached response when `request` repeats the last one.
    const std::vector<Datagram>* lookup_all(std::span<const std::uint8_t> request) const
    {
        if (!m_request.empty() && !m_response.empty() && std::ranges::equal(request, m_request))
            return &m_response;
        return nullptr;
    }

    /// The request and answer remembered (for state observation).
    const std::vector<std::uint8_t>& request() const { return m_request; }
    const Datagram& response() const
    {
        static const Datagram none;
        return m_response.empty() ? none : m_response.front();
    }
    const std::vector<Datagram>& responses() const { return m_response; }

private:
    std::vector<std::uint8_t> m_request;
    std::vector<Datagram> m_response;
};

}  // namespace picsec::ike::detail
