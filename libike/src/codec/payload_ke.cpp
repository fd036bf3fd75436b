// KE payload: opaque body of 1..65531 bytes.
#include <picsec/ike/codec/payload_ke.h>

#include "blob.h"

namespace picsec::ike::codec {

KePayload decode_ke(Reader& body) {
    return KePayload{detail::read_blob(body, "Key Exchange Data", 1, 65531, NotifyType::InvalidKeyInformation)};
}

void encode(Writer& w, const KePayload& p) { w.bytes(p.data); }

std::string describe(const KePayload& p) { return "KE(" + detail::hex(p.data, 8) + ")"; }

}  // namespace picsec::ike::codec
