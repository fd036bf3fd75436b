// Turns the schema-checked tree into the typed Model. Internal to libconfig.
#pragma once

#include "picsec/config/model.h"
#include "tree.h"

namespace picsec::config {

/// Fills a Model from the normalized tree; key decoding and interface-name
/// problems are appended to `diagnostics`.
Model build_model(const Node& root, Diagnostics& diagnostics);

}  // namespace picsec::config
