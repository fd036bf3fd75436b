// Nonce payload (RFC 7296 3.9): opaque body of 16..256 bytes.
#include <picsec/ike/v2/payload_nonce.h>

#include "wire.h"

namespace picsec::ike::v2 {

NoncePayload decode_nonce(codec::Reader& r) {
    return NoncePayload{detail::read_data(r, "Nonce Data", min_nonce_size, max_nonce_size)};
}

void encode(codec::Writer& w, const NoncePayload& p) { w.bytes(p.data); }

std::string describe(const NoncePayload& p) { return "Nonce(" + std::to_string(p.data.size()) + " bytes)"; }

}  // namespace picsec::ike::v2
