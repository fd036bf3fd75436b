// HMAC PRF and plain hash over concatenated inputs (see prf.h).
#include "picsec/ike/crypto/prf.h"

#include <botan/hash.h>
#include <botan/mac.h>
#include <string>

namespace picsec::ike::crypto {

SecureBytes prf(HashAlgorithm hash_alg, ByteView key, std::initializer_list<ByteView> data) {
    auto mac = Botan::MessageAuthenticationCode::create_or_throw(std::string(info(hash_alg).botan_hmac));
    mac->set_key(key.data(), key.size());
    for (const auto part : data) mac->update(part.data(), part.size());
    return mac->final();
}

Bytes hash(HashAlgorithm hash_alg, std::initializer_list<ByteView> data) {
    auto h = Botan::HashFunction::create_or_throw(std::string(info(hash_alg).botan_hash));
    for (const auto part : data) h->update(part.data(), part.size());
    return h->final_stdvec();
}

std::array<std::uint8_t, 4> message_id_bytes(std::uint32_t message_id) {
    return {static_cast<std::uint8_t>(message_id >> 24), static_cast<std::uint8_t>(message_id >> 16),
            static_cast<std::uint8_t>(message_id >> 8), static_cast<std::uint8_t>(message_id)};
}

}  // namespace picsec::ike::crypto
