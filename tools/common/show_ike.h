// `show ike security-associations` in JUNOS style, and as JSON, from the
// engine's IKE SA snapshots.
#pragma once

#include "picsec/ike/snapshot.h"

#include <optional>
#include <string>
#include <vector>

namespace picsec::tools {

enum class ShowLevel { Brief, Detail };

/// Renders the IKE SAs (optionally only those with `peer`).
std::string show_ike_security_associations(const std::vector<ike::IkeSaInfo>& sas, ShowLevel level,
                                           const std::optional<std::string>& peer, bool json);

/// Renders negotiated IPsec SAs (dynamic) as `show ipsec security-associations`.
std::string show_dynamic_ipsec_security_associations(const std::vector<ike::IpsecSaInfo>& sas, ShowLevel level,
                                                     const std::optional<std::string>& name, bool json);

}  // namespace picsec::tools
