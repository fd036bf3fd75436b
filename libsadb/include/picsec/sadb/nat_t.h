// RFC 3948 3.1.2 transport-mode decapsulation behind a NAT: the inner TCP/UDP
// checksum was computed over the sender's original addresses (NAT-OA, RFC
// 3947 5.2), not the ones the packet arrives with; fix it (RFC 1624).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "picsec/sadb/sa.h"

namespace picsec::sadb::nat_t {

/// What fix_transport_checksum() did to the inner TCP/UDP checksum.
enum class ChecksumFix {
    None,      ///< not TCP/UDP, too short, UDP without checksum, or no address changed
    Adjusted,  ///< updated incrementally for the address change
    Zeroed,    ///< UDP whose original addresses are unknown: checksum set to 0 (RFC 768)
    Untouched, ///< TCP whose original addresses are unknown: left as it came
};
std::string_view to_string(ChecksumFix f);

/// RFC 1624 eqn. 3: the checksum field after one 32-bit word it covers
/// changed from `old_word` to `new_word`: HC' = ~(~HC + ~m + m').
std::uint16_t adjust_checksum(std::uint16_t checksum, std::uint32_t old_word, std::uint32_t new_word);

/// Fixes the TCP or UDP checksum of a transport-mode IPv4 packet after ESP
/// removal, whose header carries the addresses the packet arrived with.
/// The sender's pseudo-header used `peer_original_address` as source and
/// `local_original_address` as destination (each defaulting to the arrived
/// address when unknown). With neither known, a UDP checksum is zeroed
/// (RFC 3948 3.1.2 allows it for IPv4) and a TCP checksum is left alone (it
/// cannot be recomputed without the original address; the end host's TCP
/// drops the segment if a NAT changed an address).
ChecksumFix fix_transport_checksum(std::span<std::uint8_t> packet, std::size_t header_bytes,
                                   const UdpEncapsulation& encapsulation);

}  // namespace picsec::sadb::nat_t
