// The SA's protocol, direction and mode, and the IPsec rows of the one
// algorithm table (picsec/base/algorithms.h) under libsadb's names.
#pragma once

#include "picsec/base/algorithms.h"

#include <string_view>

namespace picsec::sadb {

/// IPsec security protocol of an SA. `Bundle` is AH over ESP (ESP under the
/// auxiliary SPI), as configured on the ES PIC.
enum class Protocol { Ah, Esp, Bundle };

enum class Direction { Inbound, Outbound, Bidirectional };

enum class Mode { Transport, Tunnel };

/// The ciphers and MACs of an SA are the shared algorithm identities
/// (picsec/base/algorithms.h: keyword, IANA numbers, Botan name, sizes).
using algo::AuthenticationAlgorithm;
using algo::AuthenticationInfo;
using algo::EncryptionAlgorithm;
using algo::EncryptionInfo;
using algo::authentication_algorithms;
using algo::authentication_from_keyword;
using algo::encryption_algorithms;
using algo::encryption_from_keyword;
using algo::info;

std::string_view to_string(Protocol p);
std::string_view to_string(Direction d);
std::string_view to_string(Mode m);

}  // namespace picsec::sadb
