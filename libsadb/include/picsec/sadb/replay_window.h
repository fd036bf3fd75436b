// Anti-replay window of RFC 4303 3.4.3 (and RFC 4302 3.4.3): a bitmap of the
// last 32 or 64 sequence numbers. check() is separate from commit() so that a
// number is recorded only after the ICV has verified.
#pragma once

#include <cstdint>
#include <string_view>

namespace picsec::sadb {

/// Receiver-side sliding window over 32-bit sequence numbers (no ESN).
/// Size 0 disables the check (every sequence number is accepted).
class ReplayWindow {
public:
    enum class Verdict {
        Ok,         ///< new and inside or ahead of the window
        Duplicate,  ///< already received
        TooOld,     ///< left of the window
        Zero,       ///< sequence number 0 is never sent (RFC 4303 3.3.3)
    };

    /// @throws std::invalid_argument unless size is 0, 32 or 64.
    explicit ReplayWindow(unsigned size = 64);

    /// Would this sequence number be accepted? Does not change the window.
    Verdict check(std::uint32_t seq) const;

    /// Record a sequence number whose ICV verified. Must follow a check()
    /// that returned Ok; committing a rejected number is ignored.
    void commit(std::uint32_t seq);

    unsigned size() const { return m_size; }
    bool enabled() const { return m_size != 0; }
    /// Highest sequence number committed so far (0 before the first).
    std::uint32_t highest() const { return m_highest; }
    /// Bit i set = sequence number highest() - i was received.
    std::uint64_t bitmap() const { return m_bitmap; }

private:
    unsigned m_size;
    std::uint32_t m_highest = 0;
    std::uint64_t m_bitmap = 0;
};

std::string_view to_string(ReplayWindow::Verdict v);

}  // namespace picsec::sadb
