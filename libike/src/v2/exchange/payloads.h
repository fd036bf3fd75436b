// Helpers the IKEv2 tasks share to read and build payload lists: find a
// payload by type (IDi/IDr and TSi/TSr by side), notifies, random SPIs and
// nonces, and a printable form of an ID.
#pragma once

#include "picsec/ike/v2/payload.h"

#include <botan/rng.h>

#include <cstdint>
#include <string>
#include <vector>

namespace picsec::ike::detail::v2 {

namespace c2 = picsec::ike::v2;
using Payloads = std::vector<c2::Payload>;

template <class P>
const P* find(const Payloads& payloads) {
    for (const auto& p : payloads)
        if (const auto* x = std::get_if<P>(&p)) return x;
    return nullptr;
}
const c2::IdPayload* find_id(const Payloads& payloads, bool initiator);
const c2::TsPayload* find_ts(const Payloads& payloads, bool initiator);
const c2::NotifyPayload* find_notify(const Payloads& payloads, c2::NotifyType type);
/// The first error notify (RFC 7296 3.10.1: types below 16384).
const c2::NotifyPayload* find_error(const Payloads& payloads);

c2::NotifyPayload notify(c2::NotifyType type, std::vector<std::uint8_t> data = {});
std::string notify_name(std::uint16_t type);

std::vector<std::uint8_t> random_bytes(Botan::RandomNumberGenerator& rng, std::size_t n);
/// A Child SA SPI clear of the ES PIC's manual range 256..16639.
std::uint32_t random_child_spi(Botan::RandomNumberGenerator& rng);
std::vector<std::uint8_t> spi_bytes(std::uint32_t spi);
std::uint32_t spi_value(const std::vector<std::uint8_t>& bytes);

/// "10.0.0.1", "vpn.example.net", or the data in hex.
std::string printable_id(const c2::IdPayload& id);

}  // namespace picsec::ike::detail::v2
