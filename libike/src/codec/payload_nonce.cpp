// Nonce payload: opaque body of 8..256 bytes.
#include <picsec/ike/codec/payload_nonce.h>

#include "blob.h"

namespace picsec::ike::codec {

NoncePayload decode_nonce(Reader& body) {
    return NoncePayload{detail::read_blob(body, "Nonce Data", 8, 256, NotifyType::PayloadMalformed)};
}

void encode(Writer& w, const NoncePayload& p) { w.bytes(p.data); }

std::string describe(const NoncePayload& p) { return "Nonce(" + detail::hex(p.data, 16) + ")"; }

}  // namespace picsec::ike::codec
