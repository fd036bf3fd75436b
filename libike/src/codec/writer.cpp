// Big-endian writer with length back-patching.
#include <picsec/ike/codec/error.h>
#include <picsec/ike/codec/writer.h>

#include <string>

namespace picsec::ike::codec {

void Writer::u8(std::uint8_t v) { m_buf.push_back(v); }

void Writer::u16(std::uint16_t v) {
    m_buf.push_back(static_cast<std::uint8_t>(v >> 8));
    m_buf.push_back(static_cast<std::uint8_t>(v));
}

void Writer::u32(std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) m_buf.push_back(static_cast<std::uint8_t>(v >> shift));
}

void Writer::bytes(std::span<const std::uint8_t> b) { m_buf.insert(m_buf.end(), b.begin(), b.end()); }

std::size_t Writer::begin_length16() {
    const auto pos = m_buf.size();
    u16(0);
    return pos;
}

void Writer::end_length16(std::size_t field_pos, std::size_t start, std::string_view what) {
    const auto len = m_buf.size() - start;
    if (len > 0xffff) {
        throw EncodeError(std::string(what) + " length: too long (got " + std::to_string(len) +
                          " bytes, need at most 65535)");
    }
    m_buf.at(field_pos) = static_cast<std::uint8_t>(len >> 8);
    m_buf.at(field_pos + 1) = static_cast<std::uint8_t>(len);
}

void Writer::patch_u32(std::size_t pos, std::uint32_t v) {
    for (std::size_t i = 0; i < 4; ++i) m_buf.at(pos + i) = static_cast<std::uint8_t>(v >> (24 - 8 * i));
}

}  // namespace picsec::ike::codec
