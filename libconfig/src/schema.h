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

/// Which of a PIC's algorithm lists (pic::PlatformModel) a choice draws on:
/// a word that is not one gets that list for the configuration's PICs.
/// IkeSaEncryption: the IKE SA's ciphers, the same on every PIC (no AEAD).
enum class PicList { None, IkeSaEncryption, IkeEncryption, IkeAuthentication, DhGroup, ManualEncryption, ManualAuthentication };

struct ValueSpec {
    ValueKind kind;
    std::string placeholder;                  ///< e.g. "SECONDS", shown in messages
    std::vector<std::string> choices = {};
    std::uint64_t min = 0;
    std::uint64_t max = 0;
    std::vector<std::pair<std::string, std::string>> aliases = {};  ///< accepted word -> canonical
    PicList pic_list = PicList::None;
};

enum class EntryKind {
    Container,  ///< keyword [args] { children }  (also `keyword [args];`)
    Leaf,       ///< keyword args ;
    List,       ///< keyword [ v ... ] ;  (set lines append)
};

/// What a container does with a statement its children do not name.
enum class Unknown {
    Error,  ///< an IPsec/IKE hierarchy: an unknown word is a typo
    Skip,   ///< a hierarchy picsec models in part: the statement is kept and
            ///< skipped with a note, unless it is one edit away from a
            ///< statement of this level (then it is a typo, an error)
};

struct Entry {
    std::string keyword;  ///< "*" matches any word (interface names)
    EntryKind kind;
    std::vector<ValueSpec> args = {};
    std::vector<Entry> children = {};
    /// JUNOS statements of this level that picsec does not model: kept and
    /// skipped with a note (e.g. `system` at the top, `ospf` in protocols).
    std::vector<std::string> skipped = {};
    Unknown unknown = Unknown::Error;
    /// JUNOS writes this level and each child as one statement: `family inet
    /// { ... }`, `family iso;` (show configuration prints it so).
    bool joins_child = false;
};

/// The root of the statement tree (security, interfaces, protocols, chassis).
const Entry& root();

/// The entry of every statement inside a skipped hierarchy: any words, any
/// children, kept as written.
const Entry& unmodelled();

/// Statements skipped at any level: group inheritance (not expanded) and
/// tracing.
bool skipped_everywhere(const std::string& keyword);

}  // namespace picsec::config::schema
