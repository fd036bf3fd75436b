// HMAC PRF and plain hash over concatenated inputs (see prf.h).
#include "picsec/ike/crypto/prf.h"

#include <botan/hash.h>
#include <botan/mac.h>
#include <map>
#include <memory>
#include <string>

namespace picsec::ike::crypto {
namespace {

// Botan builds a MAC or hash from its name: parsing and allocations that
// cost more than the HMAC itself on IKE's short inputs (a negotiation makes
// some 20 PRF calls). One object per algorithm and thread is reused; final()
// resets the state and clear() wipes the key after each use.
template <class T>
T& cached(HashAlgorithm alg, std::string_view name) {
    thread_local std::map<HashAlgorithm, std::unique_ptr<T>> objects;
    auto& slot = objects[alg];
    if (!slot) slot = T::create_or_throw(std::string(name));
    return *slot;
}

}  // namespace

SecureBytes prf(HashAlgorithm hash_alg, ByteView key, std::initializer_list<ByteView> data) {
    auto& mac = cached<Botan::MessageAuthenticationCode>(hash_alg, info(hash_alg).botan_hmac);
    mac.set_key(key.data(), key.size());
    for (const auto part : data) mac.update(part.data(), part.size());
    auto out = mac.final();
    mac.clear();
    return out;
}

Bytes hash(HashAlgorithm hash_alg, std::initializer_list<ByteView> data) {
    auto& h = cached<Botan::HashFunction>(hash_alg, info(hash_alg).botan_hash);
    for (const auto part : data) h.update(part.data(), part.size());
    return h.final_stdvec();
}

std::array<std::uint8_t, 4> message_id_bytes(std::uint32_t message_id) {
    return {static_cast<std::uint8_t>(message_id >> 24), static_cast<std::uint8_t>(message_id >> 16),
            static_cast<std::uint8_t>(message_id >> 8), static_cast<std::uint8_t>(message_id)};
}

}  // namespace picsec::ike::crypto
