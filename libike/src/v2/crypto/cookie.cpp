// IKEv2 responder cookies (see picsec/ike/v2/crypto/cookie.h).
#include "picsec/ike/v2/crypto/cookie.h"

#include <botan/hash.h>
#include <botan/mem_ops.h>

namespace picsec::ike::v2::crypto {

std::vector<std::uint8_t> cookie(std::uint8_t secret_version, std::span<const std::uint8_t> secret,
                                 std::span<const std::uint8_t> ni, std::span<const std::uint8_t> ip,
                                 std::span<const std::uint8_t> spi_i) {
    auto h = Botan::HashFunction::create_or_throw("SHA-256");
    h->update(ni.data(), ni.size());
    h->update(ip.data(), ip.size());
    h->update(spi_i.data(), spi_i.size());
    h->update(secret.data(), secret.size());
    std::vector<std::uint8_t> out{secret_version};
    const auto digest = h->final();
    out.insert(out.end(), digest.begin(), digest.end());
    return out;
}

bool cookie_matches(std::uint8_t secret_version, std::span<const std::uint8_t> secret,
                    std::span<const std::uint8_t> ni, std::span<const std::uint8_t> ip,
                    std::span<const std::uint8_t> spi_i, std::span<const std::uint8_t> received) {
    const auto expected = cookie(secret_version, secret, ni, ip, spi_i);
    return received.size() == expected.size() &&
           Botan::constant_time_compare(received.data(), expected.data(), expected.size());
}

}  // namespace picsec::ike::v2::crypto
