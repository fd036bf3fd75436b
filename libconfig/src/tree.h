// The configuration tree after the schema is applied: one node per distinct
// statement, set lines and bracketed blocks merged, values validated.
// Internal to libconfig.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "picsec/config/diagnostic.h"
#include "picsec/config/syntax.h"
#include "schema.h"

namespace picsec::config {

struct Node {
    const schema::Entry* entry = nullptr;
    std::string keyword;                   ///< the word itself for "*" entries
    std::vector<Word> args;                ///< validated, canonical (aliases resolved)
    Location loc;                          ///< of the keyword, first time seen
    std::string path;                      ///< e.g. "security ipsec proposal p1" / "... spi"
    std::vector<Node> children;
    std::optional<Location> block_loc;     ///< first `{ }` that defined it
    /// Children by statement key (keyword, and arguments for a container),
    /// so that merging a statement costs the same in a tree of any size.
    std::unordered_map<std::string, std::size_t> index;
    bool inactive = false;                 ///< `inactive:` / `deactivate`: kept, shown, not used

    /// First child with this keyword (and first argument, when given).
    const Node* child(const std::string& keyword) const;
    /// Every child with this keyword, in order of appearance.
    std::vector<const Node*> all(const std::string& keyword) const;
    /// First argument's text ("" when none).
    const std::string& value() const;
};

/// Applies the schema to the syntax tree; unknown statements, bad values,
/// out-of-range numbers and duplicates are appended to `diagnostics`, and a
/// note for each hierarchy picsec skips. The tree keeps everything: inactive
/// statements and skipped hierarchies (entry == &schema::unmodelled()).
Node normalize(const SyntaxTree& tree, Diagnostics& diagnostics);

/// What the configuration uses: removes inactive statements and skipped
/// hierarchies from `root` (an inactive statement is as if absent, as in
/// JUNOS). The index of a pruned node is left stale: build uses none.
void keep_active_part(Node& root);

/// True for a statement of a skipped hierarchy.
inline bool is_unmodelled(const Node& n) { return n.entry == &schema::unmodelled(); }

}  // namespace picsec::config
