// SIG payload: opaque body of 1..65531 bytes.
#include <picsec/ike/codec/payload_sig.h>

#include "blob.h"

namespace picsec::ike::codec {

SigPayload decode_sig(Reader& body) {
    return SigPayload{detail::read_blob(body, "Signature Data", 1, 65531, NotifyType::InvalidSignature)};
}

void encode(Writer& w, const SigPayload& p) { w.bytes(p.data); }

std::string describe(const SigPayload& p) { return "SIG(" + detail::hex(p.data, 16) + ")"; }

}  // namespace picsec::ike::codec
