// Manual SAs from a configuration: loads and commit-checks a file for the
// tools, and turns each `security-association NAME manual direction D` into
// the sadb::SaSpec that libsadb installs, with its peer addresses resolved.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "picsec/config/model.h"
#include "picsec/sadb/sa.h"
#include "picsec/sadb/sadb.h"

namespace picsec::tools {

/// Loads and commit-checks a configuration for a command that needs a valid
/// one. On errors prints every diagnostic ("FILE:LINE:COL: error: PATH:
/// message") to `err` and returns nothing; warnings are printed too but do
/// not stop the command; notes (skipped hierarchies) are left to `picsec check`.
std::optional<config::Model> load_checked_config(const std::string& path, std::ostream& err);

/// One `manual direction` block as an installable spec, and what bound the
/// SA to a peer.
struct ManualSa {
    sadb::SaSpec spec;
    /// "interfaces es-1/2/0 unit 0", "protocols bgp group G neighbor A",
    /// "protocols ospf3 area A interface I", or empty when nothing names the SA.
    std::string binding;
    /// True when local_address / peer_address are known (0 otherwise):
    /// tunnel SAs from the es- unit's tunnel source and destination; transport
    /// SAs know only the peer, from the BGP neighbor's address.
    bool local_known = false;
    bool peer_known = false;
};

/// Every manual direction of every SA, in file order. Manual SAs use the
/// default anti-replay window of 64 packets. Directions whose protocol or
/// SPI is missing (a model that did not pass the commit check) are skipped.
std::vector<ManualSa> manual_sas(const config::Model& model);

/// The manual SAs named `name` (one per direction block); empty when none.
std::vector<ManualSa> manual_sas(const config::Model& model, const std::string& name);

/// Installs specs into a fresh Sadb. On failure returns the SA name and
/// libsadb's reason in `error`.
std::optional<sadb::Sadb> install(const std::vector<ManualSa>& sas, std::string& error);

/// The SA states of an Sadb in id order, for the show formatter.
std::vector<sadb::SaState> states(const sadb::Sadb& db);

}  // namespace picsec::tools
