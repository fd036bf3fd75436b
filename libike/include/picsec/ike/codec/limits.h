// Resource bounds of the decoder, so hostile input cannot make it allocate
// or loop without bound. Exceeding one answers PAYLOAD-MALFORMED.
#pragma once

#include <cstddef>

namespace picsec::ike::codec {

inline constexpr std::size_t max_payloads_per_message = 64;
inline constexpr std::size_t max_proposals_per_sa = 64;
inline constexpr std::size_t max_transforms_per_proposal = 64;
inline constexpr std::size_t max_attributes_per_transform = 64;

}  // namespace picsec::ike::codec
