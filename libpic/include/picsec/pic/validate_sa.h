// Install-time check of one SA against the ES PIC model: the same rules the
// commit check applies to configuration, applied to a sadb::SaSpec.
#pragma once

#include "picsec/pic/error.h"
#include "picsec/pic/platform.h"
#include "picsec/sadb/sa.h"

namespace picsec::pic {

/// Checks what the PIC on `platform` can install: protocol (AH only on
/// M-series), tunnel mode ESP only, algorithms (manual list, or the IKE list
/// when spec.dynamic), key lengths, DES weak/semi-weak keys and degenerate 3DES
/// keys, SPI and auxiliary SPI range for manual SAs (dynamic SPIs are chosen
/// by IKE), the bundle's auxiliary SPI, extended sequence numbers (services
/// PIC only), and the replay window of a dynamic SA (32 or 64; on the services
/// PIC also 64 to 4096). Returns the first violation.
Check check_sa(const sadb::SaSpec& spec, const PlatformModel& platform = default_model());

}  // namespace picsec::pic
