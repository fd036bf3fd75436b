// VID payload: opaque body of 1..65531 bytes.
#include <picsec/ike/codec/payload_vendor_id.h>

#include "blob.h"

namespace picsec::ike::codec {

VendorIdPayload decode_vendor_id(Reader& body) {
    return VendorIdPayload{detail::read_blob(body, "Vendor ID", 1, 65531, NotifyType::PayloadMalformed)};
}

void encode(Writer& w, const VendorIdPayload& p) { w.bytes(p.data); }

std::string describe(const VendorIdPayload& p) { return "VID(" + detail::hex(p.data, 32) + ")"; }

}  // namespace picsec::ike::codec
