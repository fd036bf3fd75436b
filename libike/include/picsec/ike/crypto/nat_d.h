// NAT discovery hash (RFC 3947 3.2).
#pragma once

#include "picsec/ike/crypto/algorithms.h"
#include "picsec/ike/crypto/types.h"

namespace picsec::ike::crypto {

/// RFC 3947 3.2: HASH = hash(CKY-I | CKY-R | IP | Port) with the negotiated
/// hash; ip is 4 (IPv4) or 16 (IPv6) octets in network order.
Bytes nat_d_hash(HashAlgorithm hash, ByteView cky_i, ByteView cky_r, ByteView ip, std::uint16_t port);

}  // namespace picsec::ike::crypto
