// NAT discovery hash (see nat_d.h).
#include "picsec/ike/crypto/nat_d.h"

#include "picsec/ike/crypto/prf.h"

#include <array>
#include <string>

namespace picsec::ike::crypto {

Bytes nat_d_hash(HashAlgorithm hash_alg, ByteView cky_i, ByteView cky_r, ByteView ip, std::uint16_t port) {
    if (ip.size() != 4 && ip.size() != 16)
        throw CryptoError("NAT-D address: wrong length (got " + std::to_string(ip.size()) + " bytes, need 4 or 16)");
    const std::array<std::uint8_t, 2> p{static_cast<std::uint8_t>(port >> 8), static_cast<std::uint8_t>(port)};
    return hash(hash_alg, {cky_i, cky_r, ip, p});
}

}  // namespace picsec::ike::crypto
