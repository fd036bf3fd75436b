// Shared helpers for the libsadb tests: a deterministic RNG, hex decoding,
// IPv4 packet construction and SA specs for every algorithm.
#pragma once

#include <botan/hex.h>
#include <botan/rng.h>

#include <cstdint>
#include <string>
#include <vector>

#include "picsec/sadb/ipv4.h"
#include "picsec/sadb/sa.h"

namespace picsec::sadb::test {

/// Returns the queued bytes first, then a counter pattern: deterministic IVs.
class FixedRng final : public Botan::RandomNumberGenerator {
public:
    explicit FixedRng(std::vector<std::uint8_t> bytes = {}) : m_bytes(std::move(bytes)) {}
    void queue(const std::vector<std::uint8_t>& bytes) { m_bytes.insert(m_bytes.end(), bytes.begin(), bytes.end()); }
    void randomize(std::uint8_t output[], std::size_t length) override {
        for (std::size_t i = 0; i < length; ++i)
            output[i] = m_pos < m_bytes.size() ? m_bytes[m_pos++] : static_cast<std::uint8_t>(m_counter++);
    }
    bool accepts_input() const override { return false; }
    void add_entropy(const std::uint8_t[], std::size_t) override {}
    std::string name() const override { return "FixedRng"; }
    void clear() override {}
    bool is_seeded() const override { return true; }

private:
    std::vector<std::uint8_t> m_bytes;
    std::size_t m_pos = 0;
    unsigned m_counter = 0xa0;
};

/// Hex (spaces allowed) to bytes.
inline std::vector<std::uint8_t> hex(std::string text) {
    std::string clean;
    for (char c : text)
        if (c != ' ' && c != '\n') clean.push_back(c);
    return Botan::hex_decode(clean);
}

inline Botan::secure_vector<std::uint8_t> key(std::string text) {
    auto v = hex(std::move(text));
    return Botan::secure_vector<std::uint8_t>(v.begin(), v.end());
}

/// A key of n bytes, distinct per seed (not weak for DES).
inline Botan::secure_vector<std::uint8_t> pattern_key(std::size_t n, std::uint8_t seed) {
    Botan::secure_vector<std::uint8_t> k(n);
    for (std::size_t i = 0; i < n; ++i) k[i] = static_cast<std::uint8_t>(seed + 17 * i + (i >> 3));
    return k;
}

inline constexpr std::uint32_t addr(unsigned a, unsigned b, unsigned c, unsigned d) {
    return (a << 24) | (b << 16) | (c << 8) | d;
}

/// A valid IPv4 packet (checksum set) carrying payload under protocol.
inline std::vector<std::uint8_t> make_packet(std::uint32_t src, std::uint32_t dst, std::uint8_t protocol,
                                             std::vector<std::uint8_t> payload, std::uint16_t id = 0x1234) {
    auto h = ipv4::make_header(0x10, id, 0x4000, 63, protocol, src, dst);
    h.insert(h.end(), payload.begin(), payload.end());
    ipv4::finish_header(h, 20);
    return h;
}

/// An ICMP echo-like payload of n bytes.
inline std::vector<std::uint8_t> icmp_payload(std::size_t n) {
    std::vector<std::uint8_t> p(n);
    for (std::size_t i = 0; i < n; ++i) p[i] = static_cast<std::uint8_t>(i * 7 + 3);
    if (n > 0) p[0] = 8;
    return p;
}

inline constexpr std::uint32_t k_host_a = addr(10, 0, 0, 1);
inline constexpr std::uint32_t k_host_b = addr(10, 0, 0, 2);
inline constexpr std::uint32_t k_gw_a = addr(192, 0, 2, 1);
inline constexpr std::uint32_t k_gw_b = addr(198, 51, 100, 2);

}  // namespace picsec::sadb::test
