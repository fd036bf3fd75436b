// Reading a configuration file's text and turning text into the normalized
// tree: shared by load_file/load_string and show_file/show_string.
// Internal to libconfig.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "tree.h"

namespace picsec::config {

/// The file's text, or nullopt with one error diagnostic at 0:0 (unreadable,
/// a directory, more than 16 MiB).
std::optional<std::string> read_config_file(const std::string& path, Diagnostics& diagnostics);

/// Parses and normalizes `text` (a UTF-8 byte order mark is skipped).
Node load_tree(std::string_view text, const std::string& filename, Diagnostics& diagnostics);

/// Sorts diagnostics by file, line and column, keeping the order of equals.
void sort_by_position(Diagnostics& diagnostics);

}  // namespace picsec::config
