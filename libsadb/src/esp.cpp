// ESP packet codec (RFC 4303 2); see esp.h.
#include "picsec/sadb/esp.h"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <string>

#include "picsec/sadb/ipv4.h"
#include "text.h"

namespace picsec::sadb::esp {
namespace {

std::size_t minimum_bytes(const SaCrypto& crypto) {
    // Header, IV, at least one cipher block (or one 4-byte unit holding the
    // pad length and next header), ICV.
    return k_header_bytes + crypto.iv_bytes() + crypto.block_bytes() + crypto.icv_bytes();
}

// RFC 4106 5: the AAD is SPI || sequence, or SPI || high || low sequence
// with ESN (the high half between the two fields the packet carries).
std::span<const std::uint8_t> gcm_aad(const SaCrypto& crypto, std::span<const std::uint8_t> esp,
                                      std::uint32_t sequence_high, std::array<std::uint8_t, 12>& buffer) {
    if (!crypto.esn()) return esp.first(k_header_bytes);
    std::copy(esp.begin(), esp.begin() + 4, buffer.begin());
    ipv4::store32(buffer, 4, sequence_high);
    std::copy(esp.begin() + 4, esp.begin() + 8, buffer.begin() + 8);
    return buffer;
}

// RFC 4303 2.2.1: with ESN the ICV also covers the high 32 bits, placed
// after the Next Header field for the computation only.
void mac_sequence_high(SaCrypto& crypto, std::uint32_t sequence_high) {
    if (!crypto.esn()) return;
    std::array<std::uint8_t, 4> high{};
    ipv4::store32(high, 0, sequence_high);
    crypto.mac_update(high);
}

}  // namespace

Expected<Header, Drop> peek(std::span<const std::uint8_t> esp) {
    if (esp.size() < k_header_bytes)
        return Drop{DropReason::Malformed,
                    "ESP header: truncated (got " + std::to_string(esp.size()) + " bytes, need at least 8)"};
    return Header{ipv4::load32(esp, 0), ipv4::load32(esp, 4)};
}

std::size_t encapsulated_bytes(const SaCrypto& crypto, std::size_t payload_bytes) {
    const std::size_t block = crypto.block_bytes();
    const std::size_t padded = (payload_bytes + 2 + block - 1) / block * block;  // + Pad Length + Next Header
    return payload_offset(crypto) + padded + crypto.icv_bytes();
}

void seal(SaCrypto& crypto, std::span<std::uint8_t> esp, std::size_t payload_bytes, std::uint32_t spi,
          std::uint64_t sequence, std::uint8_t next_header, std::span<const std::uint8_t> iv,
          Botan::RandomNumberGenerator& rng) {
    const std::size_t body_at = payload_offset(crypto);
    const std::size_t padded = esp.size() - body_at - crypto.icv_bytes();
    const std::size_t pad = padded - payload_bytes - 2;
    ipv4::store32(esp, 0, spi);
    const auto sequence_high = static_cast<std::uint32_t>(sequence >> 32);
    ipv4::store32(esp, 4, static_cast<std::uint32_t>(sequence));
    // RFC 4303 2.4: padding bytes are 1, 2, 3, ... unless the algorithm says otherwise.
    for (std::size_t i = 0; i < pad; ++i) esp[body_at + payload_bytes + i] = static_cast<std::uint8_t>(i + 1);
    esp[body_at + padded - 2] = static_cast<std::uint8_t>(pad);
    esp[body_at + padded - 1] = next_header;

    if (crypto.aead()) {
        // RFC 4106 3.1: the IV is the (full, with ESN) sequence number, so
        // no IV repeats under the SA's key.
        const std::span<std::uint8_t> iv_field = esp.subspan(k_header_bytes, crypto.iv_bytes());
        if (iv.empty())
            SaCrypto::gcm_iv(sequence, iv_field);
        else
            std::copy(iv.begin(), iv.end(), iv_field.begin());
        std::array<std::uint8_t, 12> aad{};
        crypto.aead_encrypt(gcm_aad(crypto, esp, sequence_high, aad), iv_field, esp.subspan(body_at, padded),
                            esp.subspan(body_at + padded, crypto.icv_bytes()));
        return;
    }
    if (crypto.encrypts()) {
        const std::span<std::uint8_t> iv_field = esp.subspan(k_header_bytes, crypto.iv_bytes());
        // RFC 3602 3: the IV MUST be unpredictable (see SaCrypto::next_iv).
        if (iv.empty())
            crypto.next_iv(iv_field, rng);
        else
            std::copy(iv.begin(), iv.end(), iv_field.begin());
        crypto.encrypt(iv_field, esp.subspan(body_at, padded));
    }
    if (crypto.authenticates()) {
        const std::size_t covered = body_at + padded;
        crypto.mac_update(esp.first(covered));
        mac_sequence_high(crypto, sequence_high);
        crypto.mac_final(esp.subspan(covered, crypto.icv_bytes()));
    }
}

namespace {

std::vector<std::uint8_t> build(SaCrypto& crypto, std::uint32_t spi, std::uint64_t sequence,
                                std::uint8_t next_header, std::span<const std::uint8_t> payload,
                                std::span<const std::uint8_t> iv, Botan::RandomNumberGenerator& rng) {
    std::vector<std::uint8_t> out(encapsulated_bytes(crypto, payload.size()), 0);
    std::copy(payload.begin(), payload.end(), out.begin() + static_cast<std::ptrdiff_t>(payload_offset(crypto)));
    seal(crypto, out, payload.size(), spi, sequence, next_header, iv, rng);
    return out;
}

/// An RNG for seal() calls that bring their own IV: never asked for a byte.
class NoRng final : public Botan::RandomNumberGenerator {
public:
    void randomize(std::uint8_t[], std::size_t) override { throw std::logic_error("ESP: no RNG for a fixed IV"); }
    bool accepts_input() const override { return false; }
    void add_entropy(const std::uint8_t[], std::size_t) override {}
    std::string name() const override { return "none"; }
    void clear() override {}
    bool is_seeded() const override { return true; }
};

}  // namespace

std::vector<std::uint8_t> encapsulate(SaCrypto& crypto, std::uint32_t spi, std::uint64_t sequence,
                                      std::uint8_t next_header, std::span<const std::uint8_t> payload,
                                      Botan::RandomNumberGenerator& rng) {
    return build(crypto, spi, sequence, next_header, payload, {}, rng);
}

std::vector<std::uint8_t> encapsulate(SaCrypto& crypto, std::uint32_t spi, std::uint64_t sequence,
                                      std::uint8_t next_header, std::span<const std::uint8_t> payload,
                                      std::span<const std::uint8_t> iv) {
    if (iv.size() != crypto.iv_bytes()) throw std::invalid_argument("ESP IV: wrong length for the SA's cipher");
    NoRng none;
    return build(crypto, spi, sequence, next_header, payload, iv, none);
}

std::optional<Drop> verify(SaCrypto& crypto, std::span<const std::uint8_t> esp, std::uint32_t sequence_high) {
    const std::size_t minimum = minimum_bytes(crypto);
    if (esp.size() < minimum)
        return Drop{DropReason::Malformed, "ESP packet: truncated (got " + std::to_string(esp.size()) +
                                               " bytes, need at least " + std::to_string(minimum) + ")"};
    const std::size_t body = esp.size() - k_header_bytes - crypto.iv_bytes() - crypto.icv_bytes();
    if (body % crypto.block_bytes() != 0)
        return Drop{DropReason::Malformed, "ESP payload: length not a multiple of the " +
                                               std::to_string(crypto.block_bytes()) + "-byte block (got " +
                                               std::to_string(body) + " bytes)"};
    // An AEAD's tag is checked by decapsulate_into() as it decrypts.
    if (crypto.authenticates() && !crypto.aead()) {
        const std::size_t covered = esp.size() - crypto.icv_bytes();
        crypto.mac_update(esp.first(covered));
        mac_sequence_high(crypto, sequence_high);
        if (!crypto.mac_verify(esp.subspan(covered)))
            return Drop{DropReason::BadIcv, "ESP ICV: does not verify (SPI " + detail::hex(ipv4::load32(esp, 0)) +
                                                ", sequence " + std::to_string(ipv4::load32(esp, 4)) + ")"};
    }
    return std::nullopt;
}

Expected<Decapsulated, Drop> decapsulate(SaCrypto& crypto, std::span<const std::uint8_t> esp,
                                         std::uint32_t sequence_high) {
    std::vector<std::uint8_t> payload;
    auto next_header = decapsulate_into(crypto, esp, payload, 0, sequence_high);
    if (!next_header) return next_header.error();
    return Decapsulated{std::move(payload), *next_header};
}

Expected<std::uint8_t, Drop> decapsulate_into(SaCrypto& crypto, std::span<const std::uint8_t> esp,
                                              std::vector<std::uint8_t>& out, std::size_t at,
                                              std::uint32_t sequence_high) {
    const std::size_t minimum = minimum_bytes(crypto);
    if (esp.size() < minimum)
        return Drop{DropReason::Malformed, "ESP packet: truncated (got " + std::to_string(esp.size()) +
                                               " bytes, need at least " + std::to_string(minimum) + ")"};
    const std::size_t body_at = payload_offset(crypto);
    const std::size_t body_bytes = esp.size() - body_at - crypto.icv_bytes();
    if (body_bytes % crypto.block_bytes() != 0)
        return Drop{DropReason::Malformed, "ESP payload: length not a multiple of the " +
                                               std::to_string(crypto.block_bytes()) + "-byte block (got " +
                                               std::to_string(body_bytes) + " bytes)"};
    // Appended rather than resized and overwritten: a reused buffer's bytes
    // are written once, not zeroed first.
    out.resize(at);
    out.insert(out.end(), esp.begin() + static_cast<std::ptrdiff_t>(body_at),
               esp.begin() + static_cast<std::ptrdiff_t>(body_at + body_bytes));
    const std::span<std::uint8_t> body(out.data() + at, body_bytes);
    if (crypto.aead()) {
        // RFC 4106: authenticated decryption with AAD SPI || sequence (with
        // ESN's high half); a forged packet gives nothing back.
        std::array<std::uint8_t, 12> aad{};
        if (!crypto.aead_decrypt(gcm_aad(crypto, esp, sequence_high, aad), esp.subspan(k_header_bytes, crypto.iv_bytes()), body,
                                 esp.last(crypto.icv_bytes()))) {
            out.resize(at);
            return Drop{DropReason::BadIcv, "ESP ICV: does not verify (SPI " + detail::hex(ipv4::load32(esp, 0)) +
                                                ", sequence " + std::to_string(ipv4::load32(esp, 4)) + ")"};
        }
    } else if (crypto.encrypts()) {
        crypto.decrypt(esp.subspan(k_header_bytes, crypto.iv_bytes()), body);
    }

    const std::size_t pad = body[body_bytes - 2];
    const std::uint8_t next_header = body[body_bytes - 1];
    if (pad + 2 > body_bytes)
        return Drop{DropReason::BadPadding, "ESP pad length: past the data (got " + std::to_string(pad) +
                                                ", data has " + std::to_string(body_bytes - 2) + " bytes)"};
    const std::size_t payload_bytes = body_bytes - 2 - pad;
    // RFC 4303 2.4: the receiver inspects the padding; it must be 1, 2, 3, ...
    for (std::size_t i = 0; i < pad; ++i) {
        if (body[payload_bytes + i] != static_cast<std::uint8_t>(i + 1))
            return Drop{DropReason::BadPadding, "ESP padding: byte " + std::to_string(i + 1) + " (got " +
                                                    std::to_string(body[payload_bytes + i]) + ", need " +
                                                    std::to_string(i + 1) + ")"};
    }
    out.resize(at + payload_bytes);
    return next_header;
}

}  // namespace picsec::sadb::esp
