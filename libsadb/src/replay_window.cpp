// Anti-replay window (RFC 4303 3.4.3, RFC 4302 3.4.3); see replay_window.h.
#include "picsec/sadb/replay_window.h"

#include <stdexcept>
#include <string>

namespace picsec::sadb {

ReplayWindow::ReplayWindow(unsigned size) : m_size(size) {
    if (size != 0 && size != 32 && size != 64)
        throw std::invalid_argument("replay window size: must be 0, 32 or 64 (got " + std::to_string(size) + ")");
}

ReplayWindow::Verdict ReplayWindow::check(std::uint32_t seq) const {
    if (m_size == 0) return Verdict::Ok;
    // RFC 4303 3.3.3: the first packet sent has sequence number 1, so 0 is never valid.
    if (seq == 0) return Verdict::Zero;
    if (seq > m_highest) return Verdict::Ok;
    const std::uint32_t behind = m_highest - seq;
    if (behind >= m_size) return Verdict::TooOld;
    return ((m_bitmap >> behind) & 1U) != 0 ? Verdict::Duplicate : Verdict::Ok;
}

void ReplayWindow::commit(std::uint32_t seq) {
    if (m_size == 0) {
        if (seq > m_highest) m_highest = seq;
        return;
    }
    if (check(seq) != Verdict::Ok) return;
    if (seq > m_highest) {
        const std::uint32_t shift = seq - m_highest;
        m_bitmap = shift >= 64 ? 1U : ((m_bitmap << shift) | 1U);
        m_highest = seq;
    } else {
        m_bitmap |= std::uint64_t{1} << (m_highest - seq);
    }
    if (m_size == 32) m_bitmap &= 0xffffffffULL;
}

std::string_view to_string(ReplayWindow::Verdict v) {
    switch (v) {
        case ReplayWindow::Verdict::Ok: return "ok";
        case ReplayWindow::Verdict::Duplicate: return "duplicate";
        case ReplayWindow::Verdict::TooOld: return "too old";
        case ReplayWindow::Verdict::Zero: return "zero";
    }
    return "?";
}

}  // namespace picsec::sadb
