// Test support for the IKEv2 crypto known-answer tests: the strongSwan
// samples (tests/ike/data/crypto/v2-*.txt, see extract_samples.py) and an
// IKEv2 payload-chain walker written apart from the codec (RFC 7296 3.1, 3.2).
#pragma once

#include "crypto_sample.h"
#include "picsec/ike/v2/crypto/keys.h"

#include <cstdint>
#include <span>
#include <stdexcept>
#include <vector>

namespace picsec::ike::v2::crypto::test {

using picsec::ike::crypto::test::Bytes;
using picsec::ike::crypto::test::hex;
using picsec::ike::crypto::test::Sample;
using picsec::ike::crypto::test::to_hex;

/// RFC 7296 3.2 payload types used here.
enum PayloadType : std::uint8_t {
    KE = 34, IDi = 35, IDr = 36, CERT = 37, AUTH = 39, Ni = 40, N = 41, SK = 46, SKF = 53
};

constexpr std::size_t k_header = 28;  ///< RFC 7296 3.1 IKE header

struct Payload {
    std::uint8_t type;
    Bytes body;  ///< without the 4-octet generic header
};

/// The payloads of a chain that starts with `first` (the header's or the
/// SK payload's Next Payload); stops at an SK/SKF payload, whose body it keeps.
inline std::vector<Payload> walk(std::uint8_t first, std::span<const std::uint8_t> data) {
    std::vector<Payload> out;
    std::size_t off = 0;
    std::uint8_t next = first;
    while (next != 0) {
        if (off + 4 > data.size()) throw std::runtime_error("truncated payload header");
        const std::size_t len = (std::size_t(data[off + 2]) << 8) | data[off + 3];
        if (len < 4 || off + len > data.size()) throw std::runtime_error("bad payload length");
        out.push_back({next, Bytes(data.begin() + off + 4, data.begin() + off + len)});
        const bool encrypted = next == SK || next == SKF;
        next = data[off];
        off += len;
        if (encrypted) break;
    }
    return out;
}

/// The payloads of a whole message in the clear (IKE_SA_INIT).
inline std::vector<Payload> cleartext_payloads(const Bytes& msg) {
    return walk(msg.at(16), std::span<const std::uint8_t>(msg).subspan(k_header));
}

inline const Payload& first_of(const std::vector<Payload>& payloads, std::uint8_t type) {
    for (const auto& p : payloads)
        if (p.type == type) return p;
    throw std::runtime_error("payload not found");
}

inline std::span<const std::uint8_t, 8> spi_i_of(const Bytes& msg) {
    return std::span<const std::uint8_t, 8>(msg.data(), 8);
}
inline std::span<const std::uint8_t, 8> spi_r_of(const Bytes& msg) {
    return std::span<const std::uint8_t, 8>(msg.data() + 8, 8);
}

/// One IKEv2 scenario: IKE_SA_INIT in the clear, its nonces and SPIs, and the
/// keys derived from strongSwan's logged g^ir with our derivation.
struct V2Transcript {
    Sample sample;
    Suite suite;
    Bytes init_i, init_r, ni, nr;
    IkeKeys keys;

    V2Transcript(const char* name, const Suite& s) : sample(name), suite(s) {
        init_i = sample.bytes("msg1");
        init_r = sample.bytes("msg2");
        ni = first_of(cleartext_payloads(init_i), Ni).body;
        nr = first_of(cleartext_payloads(init_r), Ni).body;
        keys = derive_ike_keys(suite, sample.bytes("log.shared_Diffie_Hellman_secret.1"), ni, nr, spi_i_of(init_r),
                               spi_r_of(init_r));
    }
};

}  // namespace picsec::ike::v2::crypto::test
