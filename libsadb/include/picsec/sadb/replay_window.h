// Anti-replay window of RFC 4303 3.4.3 (and RFC 4302 3.4.3): a bitmap of the
// last `size` sequence numbers, 32 or 64 wide in one word or up to 4096 wide
// in a ring of words, over 32-bit sequence numbers or over 64-bit extended
// sequence numbers (ESN, RFC 4303 2.2.1 and Appendix A; RFC 4304). check()
// is separate from commit() so that a number is recorded only after the ICV
// has verified.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace picsec::sadb {

/// Receiver-side sliding window. Size 0 disables the check (every sequence
/// number is accepted; without ESN only).
///
/// With ESN the packet carries the low 32 bits of the sequence number; check()
/// infers the high 32 bits from the window (RFC 4303 A2.1) and returns the
/// full number, which the ICV must then cover: a packet whose high bits
/// differ from the inferred ones fails its ICV and so never moves the window.
class ReplayWindow {
public:
    enum class Verdict {
        Ok,         ///< new and inside or ahead of the window
        Duplicate,  ///< already received
        TooOld,     ///< left of the window
        Zero,       ///< sequence number 0 is never sent (RFC 4303 3.3.3)
    };

    /// The verdict on a received sequence number and the full 64-bit number
    /// it stands for (the 32-bit number itself without ESN).
    struct Check {
        Verdict verdict = Verdict::Ok;
        std::uint64_t sequence = 0;
    };

    /// The widest window (Juniper's anti-replay-window-size range ends at 4096).
    static constexpr unsigned k_max_size = 4096;

    /// @throws std::invalid_argument unless size is 0, 32, or 64 to
    /// k_max_size, or when esn is asked for with size 0.
    explicit ReplayWindow(unsigned size = 64, bool esn = false);

    /// Would this sequence number be accepted? Does not change the window.
    Check check(std::uint32_t seq) const;

    /// Record a full sequence number (Check::sequence) whose ICV verified.
    /// Must follow a check() that returned Ok; committing a rejected number is
    /// ignored.
    void commit(std::uint64_t seq);

    unsigned size() const { return m_size; }
    bool enabled() const { return m_size != 0; }
    bool esn() const { return m_esn; }
    /// Highest sequence number committed so far (0 before the first).
    std::uint64_t highest() const { return m_highest; }
    /// Bit i set = sequence number highest() - i was received (windows of 32
    /// and 64 only; 0 for wider windows).
    std::uint64_t bitmap() const { return m_bitmap; }

private:
    Verdict verdict(std::uint64_t seq) const;
    bool wide_bit(std::uint64_t seq) const;
    void commit_wide(std::uint64_t seq);

    unsigned m_size;
    bool m_esn;
    std::uint64_t m_highest = 0;
    std::uint64_t m_bitmap = 0;         ///< windows of 32 and 64
    std::vector<std::uint64_t> m_ring;  ///< wider windows: bit (seq mod ring bits) for seq
};

std::string_view to_string(ReplayWindow::Verdict v);

/// A window size the SADB accepts: 0, 32, or 64 to ReplayWindow::k_max_size.
bool valid_replay_window(unsigned size);

}  // namespace picsec::sadb
