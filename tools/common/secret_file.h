// Writing files that hold secrets (private keys, SA and IKE keys for
// Wireshark) so they are owner-only from the first byte written.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace picsec::tools {

/// Replaces the contents of `path` with `bytes`, readable and writable by the
/// owner only (0600) at every moment a secret byte is in it, whatever the
/// process umask (which is left alone):
///  - a new file is created by open(2) with mode 0600, so it never exists
///    with a wider mode;
///  - an existing file is truncated and, when its mode is wider, fchmod'ed to
///    0600 before anything is written; one owned by another user is refused
///    (its owner could read it whatever the mode).
/// The bytes go through that same descriptor. Returns an error text naming
/// the path, empty on success.
std::string write_secret_file(const std::filesystem::path& path, std::string_view bytes);

}  // namespace picsec::tools
