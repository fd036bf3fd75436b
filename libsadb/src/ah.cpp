// AH codec for IPv4 (RFC 4302); see ah.h.
#include "picsec/sadb/ah.h"

#include <algorithm>
#include <array>
#include <string>

#include "text.h"

namespace picsec::sadb::ah {
namespace {

// RFC 4302 3.3.3.1: ICV input = IPv4 header with mutable fields zeroed, the AH
// header with the ICV field zeroed, then everything after AH.
// With ESN (RFC 4302 2.5.1, 3.3.3.1) the high 32 bits of the sequence number
// follow the packet, for the ICV computation only.
void feed_icv_input(SaCrypto& crypto, std::span<const std::uint8_t> packet, std::size_t ip_header_bytes,
                    std::size_t ah_bytes, std::uint32_t sequence_high) {
    std::vector<std::uint8_t> header(packet.begin(), packet.begin() + static_cast<std::ptrdiff_t>(ip_header_bytes));
    ipv4::zero_mutable_fields(header);
    crypto.mac_update(header);
    std::vector<std::uint8_t> ah(packet.begin() + static_cast<std::ptrdiff_t>(ip_header_bytes),
                                 packet.begin() + static_cast<std::ptrdiff_t>(ip_header_bytes + ah_bytes));
    std::fill(ah.begin() + static_cast<std::ptrdiff_t>(k_fixed_bytes), ah.end(), std::uint8_t{0});
    crypto.mac_update(ah);
    crypto.mac_update(packet.subspan(ip_header_bytes + ah_bytes));
    if (crypto.esn()) {
        std::array<std::uint8_t, 4> high{};
        ipv4::store32(high, 0, sequence_high);
        crypto.mac_update(high);
    }
}

}  // namespace

std::size_t header_bytes(const SaCrypto& crypto) { return (k_fixed_bytes + crypto.icv_bytes() + 3) / 4 * 4; }

Expected<Header, Drop> parse(std::span<const std::uint8_t> ah) {
    if (ah.size() < k_fixed_bytes)
        return Drop{DropReason::Malformed,
                    "AH header: truncated (got " + std::to_string(ah.size()) + " bytes, need at least 12)"};
    Header h;
    h.next_header = ah[0];
    h.length_bytes = (static_cast<std::size_t>(ah[1]) + 2) * 4;  // RFC 4302 2.2: 32-bit words minus 2
    h.spi = ipv4::load32(ah, 4);
    h.sequence = ipv4::load32(ah, 8);
    if (h.length_bytes < k_fixed_bytes)
        return Drop{DropReason::Malformed, "AH payload length: too small (got " + std::to_string(ah[1]) +
                                               ", need at least 1)"};
    if (h.length_bytes > ah.size())
        return Drop{DropReason::Malformed, "AH payload length: past the packet (header " +
                                               std::to_string(h.length_bytes) + " bytes, " +
                                               std::to_string(ah.size()) + " bytes left)"};
    return h;
}

Expected<std::vector<std::uint8_t>, Drop> insert(SaCrypto& crypto, std::span<const std::uint8_t> packet,
                                                 const ipv4::Header& ip, std::uint32_t spi,
                                                 std::uint64_t sequence) {
    const std::size_t ah_bytes = header_bytes(crypto);
    if (packet.size() + ah_bytes > ipv4::k_max_packet_bytes)
        return Drop{DropReason::Malformed, "IPv4 total length: too large for AH (got " +
                                               std::to_string(packet.size() + ah_bytes) + " bytes, need <= 65535)"};
    std::vector<std::uint8_t> out;
    out.reserve(packet.size() + ah_bytes);
    out.insert(out.end(), packet.begin(), packet.begin() + static_cast<std::ptrdiff_t>(ip.header_bytes));
    out.resize(ip.header_bytes + ah_bytes, 0);
    out.insert(out.end(), packet.begin() + static_cast<std::ptrdiff_t>(ip.header_bytes), packet.end());

    out[9] = ipv4::k_protocol_ah;
    ipv4::finish_header(out, ip.header_bytes);
    const std::span<std::uint8_t> ah(out.data() + ip.header_bytes, ah_bytes);
    ah[0] = ip.protocol;
    ah[1] = static_cast<std::uint8_t>(ah_bytes / 4 - 2);
    ipv4::store32(ah, 4, spi);
    ipv4::store32(ah, 8, static_cast<std::uint32_t>(sequence));

    feed_icv_input(crypto, out, ip.header_bytes, ah_bytes, static_cast<std::uint32_t>(sequence >> 32));
    crypto.mac_final(ah.subspan(k_fixed_bytes, crypto.icv_bytes()));
    return out;
}

std::optional<Drop> verify(SaCrypto& crypto, std::span<const std::uint8_t> packet, const ipv4::Header& ip,
                           const Header& ah, std::uint32_t sequence_high) {
    const std::size_t expected = header_bytes(crypto);
    if (ah.length_bytes != expected)
        return Drop{DropReason::Malformed, "AH payload length: does not fit the SA's ICV (got " +
                                               std::to_string(ah.length_bytes / 4 - 2) + ", need " +
                                               std::to_string(expected / 4 - 2) + ")"};
    feed_icv_input(crypto, packet, ip.header_bytes, ah.length_bytes, sequence_high);
    if (!crypto.mac_verify(packet.subspan(ip.header_bytes + k_fixed_bytes, crypto.icv_bytes())))
        return Drop{DropReason::BadIcv, "AH ICV: does not verify (SPI " + detail::hex(ah.spi) + ", sequence " +
                                            std::to_string(ah.sequence) + ")"};
    return std::nullopt;
}

std::vector<std::uint8_t> remove(std::span<const std::uint8_t> packet, const ipv4::Header& ip, const Header& ah) {
    std::vector<std::uint8_t> out(packet.begin(), packet.begin() + static_cast<std::ptrdiff_t>(ip.header_bytes));
    out.insert(out.end(), packet.begin() + static_cast<std::ptrdiff_t>(ip.header_bytes + ah.length_bytes),
               packet.end());
    out[9] = ah.next_header;
    ipv4::finish_header(out, ip.header_bytes);
    return out;
}

}  // namespace picsec::sadb::ah
