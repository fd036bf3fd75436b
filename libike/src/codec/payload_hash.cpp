// HASH payload: opaque body of 1..65531 bytes.
#include <picsec/ike/codec/payload_hash.h>

#include "blob.h"

namespace picsec::ike::codec {

HashPayload decode_hash(Reader& body) {
    return HashPayload{detail::read_blob(body, "Hash Data", 1, 65531, NotifyType::InvalidHashInformation)};
}

void encode(Writer& w, const HashPayload& p) { w.bytes(p.data); }

std::string describe(const HashPayload& p) { return "HASH(" + detail::hex(p.data, 32) + ")"; }

}  // namespace picsec::ike::codec
