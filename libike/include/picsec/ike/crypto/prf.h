// The negotiated hash and its HMAC, the IKEv1 PRF (RFC 2409 4: "the HMAC
// version of the negotiated hash algorithm is used as the PRF").
#pragma once

#include "picsec/ike/crypto/algorithms.h"
#include "picsec/ike/crypto/types.h"

#include <array>
#include <initializer_list>

namespace picsec::ike::crypto {

/// prf(key, data[0] | data[1] | ...) = HMAC-<hash>(key, concatenation).
SecureBytes prf(HashAlgorithm hash, ByteView key, std::initializer_list<ByteView> data);

/// hash(data[0] | data[1] | ...) with the negotiated hash (IVs, NAT-D).
Bytes hash(HashAlgorithm hash, std::initializer_list<ByteView> data);

/// A message ID as the 4 big-endian octets the hashes are computed over.
std::array<std::uint8_t, 4> message_id_bytes(std::uint32_t message_id);

}  // namespace picsec::ike::crypto
