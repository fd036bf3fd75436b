// Anti-replay window (RFC 4303 3.4.3 and Appendix A, RFC 4302 3.4.3); see replay_window.h.
#include "picsec/sadb/replay_window.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace picsec::sadb {
namespace {

constexpr unsigned k_word_bits = 64;

}  // namespace

bool valid_replay_window(unsigned size) {
    return size == 0 || size == 32 || (size >= 64 && size <= ReplayWindow::k_max_size);
}

ReplayWindow::ReplayWindow(unsigned size, bool esn) : m_size(size), m_esn(esn) {
    if (!valid_replay_window(size))
        throw std::invalid_argument("replay window size: must be 0, 32 or 64 to " + std::to_string(k_max_size) +
                                    " (got " + std::to_string(size) + ")");
    // RFC 4303 A2: the receiver infers the high-order bits from its window.
    if (esn && size == 0)
        throw std::invalid_argument("replay window: extended sequence numbers need a window (got size 0)");
    if (size > k_word_bits) m_ring.assign((size + k_word_bits - 1) / k_word_bits, 0);
}

ReplayWindow::Verdict ReplayWindow::verdict(std::uint64_t seq) const {
    // RFC 4303 3.3.3: the first packet sent has sequence number 1, so 0 is never valid.
    if (seq == 0) return Verdict::Zero;
    if (seq > m_highest) return Verdict::Ok;
    const std::uint64_t behind = m_highest - seq;
    if (behind >= m_size) return Verdict::TooOld;
    if (m_ring.empty()) return ((m_bitmap >> behind) & 1U) != 0 ? Verdict::Duplicate : Verdict::Ok;
    return wide_bit(seq) ? Verdict::Duplicate : Verdict::Ok;
}

ReplayWindow::Check ReplayWindow::check(std::uint32_t seq) const {
    if (m_size == 0) return {Verdict::Ok, seq};
    if (!m_esn) return {verdict(seq), seq};
    // RFC 4303 A2.1: T = highest, W = window, Tl/Th its low/high halves, and
    // Tl - W + 1 the window's bottom in 32-bit arithmetic.
    const auto tl = static_cast<std::uint32_t>(m_highest);
    const auto th = static_cast<std::uint32_t>(m_highest >> 32);
    const std::uint32_t bottom = tl - m_size + 1;
    std::uint64_t seqh = th;
    if (tl >= m_size - 1) {
        // Case A: the window lies in one 2^32 subspace; a number below its
        // bottom belongs to the next subspace.
        if (seq < bottom) seqh = std::uint64_t{th} + 1;
    } else if (seq >= bottom) {
        // Case B: the window spans two subspaces; a number at or above its
        // (wrapped) bottom belongs to the previous one, which does not exist
        // while Th is 0.
        if (th == 0) return {Verdict::TooOld, seq};
        seqh = th - 1;
    }
    if (seqh > 0xffffffffULL) return {Verdict::TooOld, seq};  // past 2^64 - 1: never sent
    const std::uint64_t full = (seqh << 32) | seq;
    return {verdict(full), full};
}

bool ReplayWindow::wide_bit(std::uint64_t seq) const {
    const std::uint64_t bit = seq % (m_ring.size() * k_word_bits);
    return ((m_ring[bit / k_word_bits] >> (bit % k_word_bits)) & 1U) != 0;
}

void ReplayWindow::commit_wide(std::uint64_t seq) {
    const std::uint64_t ring_bits = m_ring.size() * k_word_bits;
    if (seq > m_highest) {
        // The bits of the numbers passed over still hold those one ring
        // length earlier: clear them, or the whole ring when it turned over.
        if (seq - m_highest >= ring_bits) {
            std::fill(m_ring.begin(), m_ring.end(), 0);
        } else {
            for (std::uint64_t n = m_highest + 1; n < seq; ++n) {
                const std::uint64_t b = n % ring_bits;
                m_ring[b / k_word_bits] &= ~(std::uint64_t{1} << (b % k_word_bits));
            }
        }
        m_highest = seq;
    }
    const std::uint64_t b = seq % ring_bits;
    m_ring[b / k_word_bits] |= std::uint64_t{1} << (b % k_word_bits);
}

void ReplayWindow::commit(std::uint64_t seq) {
    if (m_size == 0) {
        if (seq > m_highest) m_highest = seq;
        return;
    }
    if (verdict(seq) != Verdict::Ok) return;
    if (!m_ring.empty()) {
        commit_wide(seq);
        return;
    }
    if (seq > m_highest) {
        const std::uint64_t shift = seq - m_highest;
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
