// Backoff schedule of the request retransmitter.
#include "retransmit.h"

namespace picsec::ike::detail {

void Retransmitter::arm_all(std::vector<Datagram> datagrams, std::uint64_t now_ms, std::uint64_t base_ms,
                            unsigned max_retries)
{
    m_armed = true;
    m_datagrams = std::move(datagrams);
    if (m_datagrams.empty()) m_datagrams.emplace_back();
    m_interval = base_ms == 0 ? 1 : base_ms;
    m_deadline = now_ms + m_interval;
    m_retries = 0;
    m_max_retries = max_retries;
}

Retransmitter::Action Retransmitter::on_tick(std::uint64_t now_ms)
{
    if (!m_armed || now_ms < m_deadline)
        return Action::Nothing;
    if (m_retries >= m_max_retries) {
        m_armed = false;
        return Action::GiveUp;
    }
    ++m_retries;
    m_interval *= 2;  // 500, 1000, 2000 ... ms
    m_deadline = now_ms + m_interval;
    return Action::Resend;
}

}  // namespace picsec::ike::detail
