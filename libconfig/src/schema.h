// The statement schema of the picsec configuration language as a table:
// which statements exist where, how many values each takes and of what kind.
// Internal to libconfig; docs/configuration.md documents the same tree.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace picsec::config::schema {

enum class ValueKind {
    Name,        ///< an identifier (proposal, policy, SA names)
    Text,        ///< free text or a file name
    Secret,      ///< key material: never echoed in messages or paths
    Uint,        ///< decimal number in [min, max]
    Ipv4,        ///< dotted quad
    Ipv4Prefix,  ///< dotted quad / length
    AreaId,      ///< OSPF area: dotted quad or number
    Choice,      ///< one of `choices` (or an alias)
};

struct ValueSpec {
    ValueKind kind;
    std::string placeholder;                  ///< e.g. "SECONDS", shown in messages
    std::vector<std::string> choices = {};
    std::uint64_t min = 0;
    std::uint64_t max = 0;
    std::vector<std::pair<std::string, std::string>> aliases = {};  ///< accepted word -> canonical
};

enum class EntryKind {
    Container,  ///< keyword [args] { children }  (also `keyword [args];`)
    Leaf,       ///< keyword args ;
    List,       ///< keyword [ v ... ] ;  (set lines append)
};

struct Entry {
    std::string keyword;  ///< "*" matches any word (interface names)
    EntryKind kind;
    std::vector<ValueSpec> args = {};
    std::vector<Entry> children = {};
};

/// The root of the statement tree (security, interfaces, protocols, chassis).
const Entry& root();

}  // namespace picsec::config::schema
