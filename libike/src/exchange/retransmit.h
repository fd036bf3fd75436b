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

/// Holds one outstanding request and decides when to resend it.
class Retransmitter {
public:
    enum class Action { Nothing, Resend, GiveUp };

    /// Arms with a new request sent at now_ms; base_ms doubles after each try.
    void arm(std::vector<std::uint8_t> bytes, std::uint64_t now_ms, std::uint64_t base_ms, unsigned max_retries);
    void disarm() { m_armed = false; }
    bool armed() const { return m_armed; }

    /// Called on every tick. Resend returns the bytes through message().
    Action on_tick(std::uint64_t now_ms);

    const std::vector<std::uint8_t>& message() const { return m_bytes; }
    unsigned retries() const { return m_retries; }
    /// When the next resend (or give-up) is due; meaningful while armed().
    std::uint64_t deadline() const { return m_deadline; }

private:
    bool m_armed = false;
    std::vector<std::uint8_t> m_bytes;
    std::uint64_t m_deadline = 0;
    std::uint64_t m_interval = 0;
    unsigned m_retries = 0;
    unsigned m_max_retries = 0;
};

/// The last request we answered (its exact bytes) and our answer: when the
/// same bytes arrive again the answer is resent unchanged (RFC 2409 5).
class ResponseCache {
public:
    void remember(std::span<const std::uint8_t> request, std::vector<std::uint8_t> response)
    {
        // A fresh vector, not assign(): the cached request of an established
        // SA keeps exactly its own size, not the largest message seen.
        m_request = std::vector<std::uint8_t>(request.begin(), request.end());
        m_response = std::move(response);
    }
    /// The cached response when `request` repeats the last one answered.
    const std::vector<std::uint8_t>* lookup(std::span<const std::uint8_t> request) const
    {
        if (!m_request.empty() && std::ranges::equal(request, m_request))
            return &m_response;
        return nullptr;
    }

    /// The request and answer remembered (for state observation).
    const std::vector<std::uint8_t>& request() const { return m_request; }
    const std::vector<std::uint8_t>& response() const { return m_response; }

private:
    std::vector<std::uint8_t> m_request;
    std::vector<std::uint8_t> m_response;
};

}  // namespace picsec::ike::detail
