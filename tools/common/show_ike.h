// `show ike security-associations` in JUNOS style, and as JSON, from the
// engine's IKE SA snapshots.
#pragma once

#include "picsec/ike/snapshot.h"
#include "show_ipsec.h"

#include <optional>
#include <string>
#include <vector>

namespace picsec::tools {

/// Renders the IKE SAs (optionally only those with `peer`); Standard is
/// the brief table, as on JUNOS.
std::string show_ike_security_associations(const std::vector<ike::IkeSaInfo>& sas, ShowLevel level,
                                           const std::optional<std::string>& peer, bool json);

}  // namespace picsec::tools
