// ESP packet codec (RFC 4303 2); see esp.h.
#include "picsec/sadb/esp.h"

#include <algorithm>
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

}  // namespace

Expected<Header, Drop> peek(std::span<const std::uint8_t> esp) {
    if (esp.size() < k_header_bytes)
        return Drop{DropReason::Malformed,
                    "ESP header: truncated (got " + std::to_string(esp.size()) + " bytes, need at least 8)"};
    return Header{ipv4::load32(esp, 0), ipv4::load32(esp, 4)};
}

std::vector<std::uint8_t> encapsulate(SaCrypto& crypto, std::uint32_t spi, std::uint32_t sequence,
                                      std::uint8_t next_header, std::span<const std::uint8_t> payload,
                                      Botan::RandomNumberGenerator& rng) {
    const std::size_t block = crypto.block_bytes();
    const std::size_t unpadded = payload.size() + 2;  // + Pad Length + Next Header
    const std::size_t padded = (unpadded + block - 1) / block * block;
    const std::size_t pad = padded - unpadded;
    const std::size_t iv_at = k_header_bytes;
    const std::size_t body_at = iv_at + crypto.iv_bytes();

    std::vector<std::uint8_t> out(body_at + padded + crypto.icv_bytes(), 0);
    ipv4::store32(out, 0, spi);
    ipv4::store32(out, 4, sequence);
    std::copy(payload.begin(), payload.end(), out.begin() + static_cast<std::ptrdiff_t>(body_at));
    // RFC 4303 2.4: padding bytes are 1, 2, 3, ... unless the algorithm says otherwise.
    for (std::size_t i = 0; i < pad; ++i) out[body_at + payload.size() + i] = static_cast<std::uint8_t>(i + 1);
    out[body_at + padded - 2] = static_cast<std::uint8_t>(pad);
    out[body_at + padded - 1] = next_header;

    if (crypto.encrypts()) {
        const std::span<std::uint8_t> iv(out.data() + iv_at, crypto.iv_bytes());
        rng.randomize(iv.data(), iv.size());  // RFC 3602 3: the IV MUST be unpredictable
        crypto.encrypt(iv, std::span<std::uint8_t>(out.data() + body_at, padded));
    }
    if (crypto.authenticates()) {
        const std::size_t covered = body_at + padded;
        crypto.mac_update(std::span<const std::uint8_t>(out.data(), covered));
        crypto.mac_final(std::span<std::uint8_t>(out.data() + covered, crypto.icv_bytes()));
    }
    return out;
}

std::optional<Drop> verify(SaCrypto& crypto, std::span<const std::uint8_t> esp) {
    const std::size_t minimum = minimum_bytes(crypto);
    if (esp.size() < minimum)
        return Drop{DropReason::Malformed, "ESP packet: truncated (got " + std::to_string(esp.size()) +
                                               " bytes, need at least " + std::to_string(minimum) + ")"};
    const std::size_t body = esp.size() - k_header_bytes - crypto.iv_bytes() - crypto.icv_bytes();
    if (body % crypto.block_bytes() != 0)
        return Drop{DropReason::Malformed, "ESP payload: length not a multiple of the " +
                                               std::to_string(crypto.block_bytes()) + "-byte block (got " +
                                               std::to_string(body) + " bytes)"};
    if (crypto.authenticates()) {
        const std::size_t covered = esp.size() - crypto.icv_bytes();
        crypto.mac_update(esp.first(covered));
        if (!crypto.mac_verify(esp.subspan(covered)))
            return Drop{DropReason::BadIcv, "ESP ICV: does not verify (SPI " + detail::hex(ipv4::load32(esp, 0)) +
                                                ", sequence " + std::to_string(ipv4::load32(esp, 4)) + ")"};
    }
    return std::nullopt;
}

Expected<Decapsulated, Drop> decapsulate(SaCrypto& crypto, std::span<const std::uint8_t> esp) {
    const std::size_t minimum = minimum_bytes(crypto);
    if (esp.size() < minimum)
        return Drop{DropReason::Malformed, "ESP packet: truncated (got " + std::to_string(esp.size()) +
                                               " bytes, need at least " + std::to_string(minimum) + ")"};
    const std::size_t body_at = k_header_bytes + crypto.iv_bytes();
    const std::size_t body_bytes = esp.size() - body_at - crypto.icv_bytes();
    if (body_bytes % crypto.block_bytes() != 0)
        return Drop{DropReason::Malformed, "ESP payload: length not a multiple of the " +
                                               std::to_string(crypto.block_bytes()) + "-byte block (got " +
                                               std::to_string(body_bytes) + " bytes)"};
    std::vector<std::uint8_t> body(esp.begin() + static_cast<std::ptrdiff_t>(body_at),
                                   esp.begin() + static_cast<std::ptrdiff_t>(body_at + body_bytes));
    if (crypto.encrypts()) crypto.decrypt(esp.subspan(k_header_bytes, crypto.iv_bytes()), body);

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
    body.resize(payload_bytes);
    return Decapsulated{std::move(body), next_header};
}

}  // namespace picsec::sadb::esp
