// A negotiated Child SA as the pair of SA specs the installer takes: its
// KEYMAT (RFC 7296 2.17) split by direction, the SPIs, the mode and the UDP
// encapsulation. Shared by IKE_AUTH and CREATE_CHILD_SA.
#pragma once

#include "outcome.h"

#include "picsec/base/algorithms.h"
#include "picsec/ike/config.h"

#include <cstdint>
#include <span>

namespace picsec::ike::detail::v2 {

struct ChildMaterial {
    algo::HashAlgorithm prf = algo::HashAlgorithm::Sha1;
    std::span<const std::uint8_t> sk_d;
    std::span<const std::uint8_t> g_ir;  ///< the new D-H secret of a CREATE_CHILD_SA with PFS; empty otherwise
    std::span<const std::uint8_t> ni, nr;
    /// Our role in the exchange that created the Child SA: its initiator's
    /// outbound keys come first in KEYMAT.
    Role role = Role::Initiator;
    const IpsecSaPolicy* policy = nullptr;
    std::uint32_t our_spi = 0;
    Endpoint local, peer;
    bool udp_encapsulated = false;  ///< RFC 3948 ESP in UDP (a NAT was detected)
};

/// KEYMAT = prf+(SK_d, [g^ir (new) |] Ni | Nr); our inbound SA takes our SPI
/// and the peer's outbound keys.
NewChild child_sa(const ChildMaterial& m, const ike::v2::negotiation::ChildChoice& c);

}  // namespace picsec::ike::detail::v2
