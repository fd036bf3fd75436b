// Internal: IKE attribute values and keywords of the phase 1 algorithms, for
// building transforms and rendering mismatches without linking the crypto
// layer (which pulls in Botan). The types are the crypto layer's table
// (picsec/ike/crypto/algorithms.h); this mapping goes away once that table
// is in a Botan-free library negotiation can link.
#pragma once

#include "picsec/ike/crypto/algorithms.h"

#include <cstdint>
#include <optional>
#include <string_view>

namespace picsec::ike::negotiation::detail {

/// RFC 2409 App. A Encryption Algorithm (AES-CBC 7 for every key size).
std::uint16_t ike_attribute(crypto::EncryptionAlgorithm a);
std::uint16_t ike_attribute(crypto::HashAlgorithm a);
std::uint16_t ike_attribute(crypto::AuthMethod a);
std::uint16_t ike_attribute(crypto::DhGroup g);

std::string_view keyword(crypto::HashAlgorithm a);
std::string_view keyword(crypto::AuthMethod a);
std::string_view keyword(crypto::DhGroup g);

std::optional<crypto::EncryptionAlgorithm> ike_encryption_from_attribute(std::uint16_t value,
                                                                         std::uint16_t key_length_bits);
std::optional<crypto::HashAlgorithm> hash_from_attribute(std::uint16_t value);
std::optional<crypto::AuthMethod> auth_method_from_attribute(std::uint16_t value);
std::optional<crypto::DhGroup> dh_group_from_attribute(std::uint16_t value);

}  // namespace picsec::ike::negotiation::detail
