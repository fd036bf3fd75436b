// The generic syntax tree of a JUNOS-style configuration file: statements
// made of words, each with its file/line/column, before any schema applies.
// Bracketed hierarchy and `set` lines both parse into it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "picsec/config/diagnostic.h"

namespace picsec::config {

/// One word of a statement: a bare word, a quoted string (quotes removed,
/// escapes resolved) or an element of a `[ ... ]` list.
struct Word {
    std::string text;
    Location loc;
    bool quoted = false;
    bool in_list = false;
};

/// One statement: `words ;`, `words { children }`, or a `set words` line.
/// A bracketed statement may name several hierarchy levels at once
/// (`protocols bgp group G { ... }`); a `set` line always does. After an
/// `[edit A B]` line the words of each top-level statement start with A B.
struct Statement {
    std::vector<Word> words;        ///< without the leading "set" of a set line
    std::vector<Statement> children;
    bool block = false;             ///< ended with `{ ... }` rather than `;` / end of line
    bool set_line = false;
    bool delete_line = false;       ///< `delete PATH`: removes what PATH names (set-style)
    bool deactivate_line = false;   ///< `deactivate PATH`: marks what PATH names inactive (set-style)
    bool activate_line = false;     ///< `activate PATH`: makes what PATH names active again
    bool inactive = false;          ///< written `inactive: ...`: the statement is kept but ignored
    Location loc;                   ///< of the first word
    Location block_loc;             ///< of the `{` when block
};

struct SyntaxTree {
    std::vector<Statement> statements;
};

/// Parses text into the generic tree. Syntax errors (missing `;`, unbalanced
/// braces or brackets, unterminated string or comment, stray characters) are
/// appended to `diagnostics`; parsing recovers and continues. Never throws on
/// bad input.
SyntaxTree parse_syntax(std::string_view text, const std::string& filename, Diagnostics& diagnostics);

}  // namespace picsec::config
