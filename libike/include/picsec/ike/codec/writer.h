// The one writer for IKEv1 wire formats: appends big-endian fields and patches
// length fields once the enclosed payload is complete.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace picsec::ike::codec {

/// Growable big-endian output buffer.
class Writer {
public:
    void u8(std::uint8_t v);
    void u16(std::uint16_t v);
    void u32(std::uint32_t v);
    void bytes(std::span<const std::uint8_t> b);

    /// Reserve a 16-bit length field; returns its position for end_length16.
    std::size_t begin_length16();
    /// Write into the reserved field the number of bytes from `start` to the
    /// current end. Throws EncodeError naming `what` if that exceeds 65535.
    void end_length16(std::size_t field_pos, std::size_t start, std::string_view what);
    /// Overwrite a previously written 32-bit field.
    void patch_u32(std::size_t pos, std::uint32_t v);

    std::size_t size() const { return m_buf.size(); }
    const std::vector<std::uint8_t>& data() const { return m_buf; }
    std::vector<std::uint8_t> take() { return std::move(m_buf); }

private:
    std::vector<std::uint8_t> m_buf;
};

}  // namespace picsec::ike::codec
