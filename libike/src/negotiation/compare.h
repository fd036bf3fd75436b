// Internal: attribute-by-attribute comparison of an offered transform with
// the transform one of our proposals would produce, in matching order.
#pragma once

#include "picsec/ike/negotiation/offer.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace picsec::ike::negotiation::detail {

/// The first differing attribute; `rank` is its position in matching order,
/// so a higher rank means a closer proposal.
struct Difference {
    int rank = 0;
    std::string attribute;
    std::string theirs;
    std::string ours;
};

/// Phase 1: encryption, key length, hash, authentication method, group,
/// unknown attributes. Transform numbers and lifetimes are not compared.
std::optional<Difference> compare_phase1(const Phase1Transform& theirs, const Phase1Transform& ours);

/// Phase 2, for a transform of `protocol`: transform id, key length,
/// authentication attribute, encapsulation mode, PFS group, unknown
/// attributes. Transform numbers and lifetimes are not compared.
std::optional<Difference> compare_ipsec(std::uint8_t protocol, const IpsecTransform& theirs,
                                        const IpsecTransform& ours);

/// "ah", "esp", "ipcomp" or "unknown(N)".
std::string protocol_name(std::uint8_t protocol);

/// A proposal's protocol set as config would name it: "ah", "esp", "bundle"
/// (AH and ESP in either order), otherwise the names joined with "+".
std::string protocol_set_name(const std::vector<std::uint8_t>& protocols);

/// Lifetime "shorter wins" with an absent value meaning no limit.
std::optional<std::uint64_t> shorter(std::optional<std::uint64_t> a, std::optional<std::uint64_t> b);

}  // namespace picsec::ike::negotiation::detail
