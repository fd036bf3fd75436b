// Turns the schema-checked tree into the typed Model. Internal to libconfig.
#pragma once

#include "picsec/config/model.h"
#include "tree.h"

namespace picsec::config {

/// Fills a Model from the normalized tree; key decoding and interface-name
/// problems are appended to `diagnostics`.
Model build_model(const Node& root, Diagnostics& diagnostics);

/// The security associations of the whole tree (not its active part) that
/// are inactive themselves or under an inactive statement.
std::vector<NameRef> inactive_sas(const Node& root);

}  // namespace picsec::config
