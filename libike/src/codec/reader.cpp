// Bounds-checked big-endian reader with a sticky first error.
#include <picsec/ike/codec/reader.h>

namespace picsec::ike::codec {

Reader::Reader(std::span<const std::uint8_t> data, std::string_view payload) : m_data(data), m_payload(payload) {}

bool Reader::need(std::size_t n, std::string_view field) {
    if (m_failed) return false;
    if (remaining() < n) {
        fail(NotifyType::PayloadMalformed, field, "truncated", std::to_string(remaining()) + " bytes",
             std::to_string(n));
        return false;
    }
    return true;
}

std::uint8_t Reader::u8(std::string_view field) {
    if (!need(1, field)) return 0;
    return m_data[m_pos++];
}

std::uint16_t Reader::u16(std::string_view field) {
    if (!need(2, field)) return 0;
    const auto v = static_cast<std::uint16_t>((m_data[m_pos] << 8) | m_data[m_pos + 1]);
    m_pos += 2;
    return v;
}

std::uint32_t Reader::u32(std::string_view field) {
    if (!need(4, field)) return 0;
    std::uint32_t v = 0;
    for (std::size_t i = 0; i < 4; ++i) v = (v << 8) | m_data[m_pos + i];
    m_pos += 4;
    return v;
}

std::span<const std::uint8_t> Reader::bytes(std::size_t n, std::string_view field) {
    if (!need(n, field)) return {};
    auto s = m_data.subspan(m_pos, n);
    m_pos += n;
    return s;
}

std::vector<std::uint8_t> Reader::vec(std::size_t n, std::string_view field) {
    auto s = bytes(n, field);
    return {s.begin(), s.end()};
}

std::span<const std::uint8_t> Reader::rest() {
    if (m_failed) return {};
    auto s = m_data.subspan(m_pos);
    m_pos = m_data.size();
    return s;
}

Reader Reader::sub(std::size_t n, std::string_view payload, std::string_view field) {
    return Reader(bytes(n, field), payload);
}

void Reader::fail(NotifyType notify, std::string_view field, std::string message) {
    if (m_failed) return;
    m_failed = true;
    m_error = DecodeError{notify, m_payload, std::string(field), std::move(message)};
}

void Reader::fail(NotifyType notify, std::string_view field, std::string_view why, const std::string& got,
                  const std::string& need) {
    if (m_failed) return;
    fail(notify, field,
         m_payload + " " + std::string(field) + ": " + std::string(why) + " (got " + got + ", need " + need + ")");
}

void Reader::fail(const DecodeError& e) {
    if (m_failed) return;
    m_failed = true;
    m_error = e;
}

void Reader::expect_end() {
    if (!m_failed && remaining() != 0) {
        fail(NotifyType::PayloadMalformed, "length", "trailing bytes", std::to_string(remaining()) + " extra bytes",
             "0");
    }
}

std::string to_string(const DecodeError& e) { return to_string(e.notify) + ": " + e.message; }

}  // namespace picsec::ike::codec
