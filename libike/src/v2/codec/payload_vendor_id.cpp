// Vendor ID payload (RFC 7296 3.12): opaque body.
#include <picsec/ike/v2/payload_vendor_id.h>

#include "wire.h"

namespace picsec::ike::v2 {

VendorIdPayload decode_vendor_id(codec::Reader& r) { return VendorIdPayload{r.rest_vec()}; }

void encode(codec::Writer& w, const VendorIdPayload& p) { w.bytes(p.data); }

std::string describe(const VendorIdPayload& p) { return "V(" + detail::hex(p.data) + ")"; }

}  // namespace picsec::ike::v2
