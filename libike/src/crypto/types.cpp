// Constant-time comparison for HASH / ICV checks (see types.h).
#include "picsec/ike/crypto/types.h"

#include <botan/mem_ops.h>

namespace picsec::ike::crypto {

bool constant_time_equal(ByteView a, ByteView b) {
    if (a.size() != b.size()) return false;
    return Botan::constant_time_compare(a.data(), b.data(), a.size());
}

}  // namespace picsec::ike::crypto
