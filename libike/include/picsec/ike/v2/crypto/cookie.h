// IKEv2 responder cookies (RFC 7296 2.6): a stateless answer to
// IKE_SA_INIT under load, which the initiator must echo before the responder
// spends a D-H computation or keeps any state.
#pragma once

#include <botan/secmem.h>

#include <cstdint>
#include <span>
#include <vector>

namespace picsec::ike::v2::crypto {

/// Cookie = <VersionIDofSecret> | SHA-256(Ni | IPi | SPIi | <secret>).
std::vector<std::uint8_t> cookie(std::uint8_t secret_version, std::span<const std::uint8_t> secret,
                                 std::span<const std::uint8_t> ni, std::span<const std::uint8_t> ip,
                                 std::span<const std::uint8_t> spi_i);
/// True when `received` is the cookie for these values (compared in constant time).
bool cookie_matches(std::uint8_t secret_version, std::span<const std::uint8_t> secret,
                    std::span<const std::uint8_t> ni, std::span<const std::uint8_t> ip,
                    std::span<const std::uint8_t> spi_i, std::span<const std::uint8_t> received);

}  // namespace picsec::ike::v2::crypto
