// The one bounds-checked reader for IKEv1 wire formats. Reads past the end do
// not throw: they record the first error (sticky) and return zero values, so
// payload code reads fields in order and checks ok() once.
#pragma once

#include <picsec/ike/codec/error.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace picsec::ike::codec {

/// Reads big-endian fields from a byte span on behalf of one payload, whose
/// name goes into every error it reports.
class Reader {
public:
    Reader(std::span<const std::uint8_t> data, std::string_view payload);

    std::uint8_t u8(std::string_view field);
    std::uint16_t u16(std::string_view field);
    std::uint32_t u32(std::string_view field);
    /// The next n bytes (empty span on error).
    std::span<const std::uint8_t> bytes(std::size_t n, std::string_view field);
    std::vector<std::uint8_t> vec(std::size_t n, std::string_view field);
    template <std::size_t N>
    std::array<std::uint8_t, N> array(std::string_view field) {
        std::array<std::uint8_t, N> out{};
        auto s = bytes(N, field);
        if (s.size() == N) {
            std::copy(s.begin(), s.end(), out.begin());
        }
        return out;
    }
    /// Everything not read yet; consumes it.
    std::span<const std::uint8_t> rest();
    std::vector<std::uint8_t> rest_vec() { auto r = rest(); return {r.begin(), r.end()}; }

    /// A reader over the next n bytes for a nested structure (advances this one).
    /// On a short read the error is recorded here and an empty reader returned.
    Reader sub(std::size_t n, std::string_view payload, std::string_view field);

    std::size_t remaining() const { return m_data.size() - m_pos; }
    std::size_t offset() const { return m_pos; }
    bool empty() const { return remaining() == 0; }
    std::string_view payload() const { return m_payload; }

    bool ok() const { return !m_failed; }
    const DecodeError& error() const { return m_error; }
    /// Record an error unless one is already recorded (the first error wins).
    void fail(NotifyType notify, std::string_view field, std::string message);
    /// Record "<payload> <field>: <why> (got <got>, need <need>)".
    void fail(NotifyType notify, std::string_view field, std::string_view why, const std::string& got,
              const std::string& need);
    /// Adopt the error of a nested reader.
    void fail(const DecodeError& e);
    /// Trailing bytes are an error: fails with PAYLOAD-MALFORMED unless all read.
    void expect_end();

private:
    bool need(std::size_t n, std::string_view field);

    std::span<const std::uint8_t> m_data;
    std::size_t m_pos = 0;
    std::string m_payload;
    bool m_failed = false;
    DecodeError m_error;
};

}  // namespace picsec::ike::codec
