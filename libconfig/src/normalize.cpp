// Applies the statement schema to the generic syntax tree (see tree.h).
// A statement's words may walk down several levels (`set` lines always do);
// containers met again merge, leaves met again are duplicates. Hierarchies
// picsec does not model are kept as written, with one note each.
#include <algorithm>
#include <charconv>
#include <unordered_set>

#include "picsec/base/ipv4_address.h"
#include "pic_choices.h"
#include "tree.h"

namespace picsec::config {
namespace {

using schema::EntryKind;
using schema::ValueKind;
using schema::ValueSpec;

std::string where(const Location& l) { return std::to_string(l.line) + ":" + std::to_string(l.column); }

std::string choices_text(const std::vector<std::string>& choices) {
    std::string out;
    for (std::size_t i = 0; i < choices.size(); ++i) {
        if (i > 0) out += (i + 1 == choices.size()) ? " or " : ", ";
        out += choices[i];
    }
    return out;
}

std::optional<std::uint64_t> parse_uint(const std::string& text) {
    if (text.empty() || text.size() > 20) return std::nullopt;
    std::uint64_t v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    return v;
}

// Optimal string alignment distance (a swap of neighbours counts one).
std::size_t edit_distance(std::string_view a, std::string_view b) {
    // Lengths far apart are far apart: no table for a hostile long word.
    if (a.size() > b.size() + 2 || b.size() > a.size() + 2) return 3;
    std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
    for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i)
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    return d[a.size()][b.size()];
}

// A word one edit from a statement of this level (two for long keywords) is
// a typo of it, not a JUNOS statement picsec skips: `tunel`, `ipsec-as`.
bool near_a_keyword(const schema::Entry& e, const std::string& word) {
    for (const auto& c : e.children) {
        if (c.keyword == "*") continue;
        if (edit_distance(word, c.keyword) <= (c.keyword.size() >= 8 ? 2u : 1u)) return true;
    }
    return false;
}

bool is_choice(const ValueSpec& spec, const std::string& word) {
    for (const auto& c : spec.choices)
        if (c == word) return true;
    for (const auto& a : spec.aliases)
        if (a.first == word) return true;
    return false;
}

// Whether an unknown word at `e` is a statement picsec keeps and skips.
bool skips(const schema::Entry& e, const Word& w) {
    if (w.in_list || w.quoted) return false;
    if (schema::skipped_everywhere(w.text)) return true;
    for (const auto& k : e.skipped)
        if (k == w.text) return true;
    return e.unknown == schema::Unknown::Skip && !near_a_keyword(e, w.text);
}

// What a set-style line does to the statements its path names.
enum class Edit { None, Delete, Deactivate, Activate };

Edit edit_of(const Statement& st) {
    if (st.delete_line) return Edit::Delete;
    if (st.deactivate_line) return Edit::Deactivate;
    if (st.activate_line) return Edit::Activate;
    return Edit::None;
}

std::string verb(Edit e) {
    switch (e) {
        case Edit::None: return "set";
        case Edit::Delete: return "delete";
        case Edit::Deactivate: return "deactivate";
        case Edit::Activate: return "activate";
    }
    return "set";
}

class Normalizer {
  public:
    explicit Normalizer(Diagnostics& diags) : m_diags(diags) {}

    Node run(const SyntaxTree& tree) {
        Node root;
        root.entry = &schema::root();
        for (const auto& st : tree.statements) apply(root, st, 0);
        // An algorithm word that is not one: what this configuration's PICs support.
        for (const auto& a : m_algorithm_words) {
            const auto c = pic_choices(root, a.list);
            m_diags[a.diagnostic].message = a.shown + " is not valid for " + a.keyword + ", needs " +
                                            choices_text(c.keywords) + (c.where.empty() ? "" : " on " + c.where);
        }
        return root;
    }

  private:
    void error(const Location& at, const std::string& path, std::string message) {
        m_diags.push_back(make_diagnostic(at, path, std::move(message)));
    }

    static std::string join(const std::string& a, const std::string& b) { return a.empty() ? b : a + " " + b; }

    // Validates one value; on success canonicalises it in place.
    bool check_value(const ValueSpec& spec, Word& w, const std::string& keyword, const std::string& path) {
        const std::string shown = "'" + w.text + "'";
        switch (spec.kind) {
            case ValueKind::Name:
                if (!w.text.empty()) return true;
                error(w.loc, path, keyword + " needs a non-empty " + spec.placeholder);
                return false;
            case ValueKind::Text:
            case ValueKind::Secret: return true;
            case ValueKind::Uint: {
                auto v = parse_uint(w.text);
                const std::string range = std::to_string(spec.min) + ".." + std::to_string(spec.max);
                if (!v) {
                    const bool any = spec.min == 0 && spec.max == 0xFFFFFFFFull;
                    error(w.loc, path, shown + " is not a number, " + keyword + " needs " + spec.placeholder +
                                           (any ? "" : " (" + range + ")"));
                    return false;
                }
                if (*v < spec.min || *v > spec.max) {
                    error(w.loc, path, keyword + " " + w.text + " is out of range, needs " + range);
                    return false;
                }
                w.text = std::to_string(*v);
                return true;
            }
            case ValueKind::Ipv4:
                if (Ipv4Address::parse(w.text)) return true;
                error(w.loc, path, shown + " is not an IPv4 address, " + keyword + " needs A.B.C.D");
                return false;
            case ValueKind::Ipv4Prefix: {
                auto slash = w.text.find('/');
                if (slash != std::string::npos && Ipv4Address::parse(std::string_view(w.text).substr(0, slash))) {
                    auto len = parse_uint(w.text.substr(slash + 1));
                    if (len && *len <= 32) return true;
                }
                error(w.loc, path, shown + " is not an IPv4 prefix, " + keyword + " needs A.B.C.D/LEN with LEN 0..32");
                return false;
            }
            case ValueKind::AreaId: {
                if (Ipv4Address::parse(w.text)) return true;
                auto v = parse_uint(w.text);
                if (v && *v <= 0xFFFFFFFFull) {
                    // An area number is shown as a dotted quad, as JUNOS does.
                    auto n = static_cast<std::uint32_t>(*v);
                    w.text = std::to_string(n >> 24) + "." + std::to_string((n >> 16) & 0xFF) + "." +
                             std::to_string((n >> 8) & 0xFF) + "." + std::to_string(n & 0xFF);
                    return true;
                }
                error(w.loc, path, shown + " is not an OSPF area, " + keyword + " needs A.B.C.D or a number");
                return false;
            }
            case ValueKind::Choice:
                for (const auto& c : spec.choices)
                    if (c == w.text) return true;
                for (const auto& [alias, canonical] : spec.aliases)
                    if (alias == w.text) {
                        w.text = canonical;
                        return true;
                    }
                if (spec.pic_list != schema::PicList::None)  // the list is known once the PICs are
                    m_algorithm_words.push_back(AlgorithmWord{m_diags.size(), spec.pic_list, shown, keyword});
                error(w.loc, path, shown + " is not valid for " + keyword + ", needs " + choices_text(spec.choices));
                return false;
        }
        return false;
    }

    // What a statement's values look like: "PROTOCOL", or for a key
    // "ascii-text KEY or hexadecimal KEY" (the choice spelled out).
    static std::string expected_form(const schema::Entry& e) {
        if (e.args.size() < 2 || e.args[0].kind != ValueKind::Choice) return e.args.empty() ? "" : e.args[0].placeholder;
        std::string rest;
        for (std::size_t k = 1; k < e.args.size(); ++k) rest += " " + e.args[k].placeholder;
        std::vector<std::string> forms;
        for (const auto& c : e.args[0].choices) forms.push_back(c + rest);
        return choices_text(forms);
    }

    static std::string args_text(const schema::Entry& e, const std::vector<Word>& args) {
        std::string out;
        for (std::size_t i = 0; i < args.size(); ++i)
            if (e.args[i].kind != ValueKind::Secret) out += " " + args[i].text;
        return out;
    }

    // Children are found through Node::index: a container by its keyword and
    // arguments, a leaf or a list by its keyword.
    static std::string container_key(const std::string& keyword, const std::vector<Word>& args) {
        std::string k = "C" + keyword;
        for (const auto& a : args) (k += '\0') += a.text;
        return k;
    }
    static std::string leaf_key(const std::string& keyword) { return "L" + keyword; }
    static Node* find(Node& ctx, const std::string& key) {
        const auto it = ctx.index.find(key);
        return it == ctx.index.end() ? nullptr : &ctx.children[it->second];
    }
    static Node& add(Node& ctx, std::string key, Node n) {
        ctx.index.emplace(std::move(key), ctx.children.size());
        ctx.children.push_back(std::move(n));
        return ctx.children.back();
    }
    /// Removes the children `gone` says, then re-indexes (deletes are rare).
    template <typename Pred>
    static std::size_t remove(Node& ctx, Pred gone) {
        const auto before = ctx.children.size();
        std::erase_if(ctx.children, gone);
        ctx.index.clear();
        for (std::size_t k = 0; k < ctx.children.size(); ++k) {
            const auto& c = ctx.children[k];
            ctx.index.emplace(c.entry->kind == EntryKind::Container ? container_key(c.keyword, c.args) : leaf_key(c.keyword), k);
        }
        return before - ctx.children.size();
    }
    /// Deletes, deactivates or activates the children `pick` says; how many.
    template <typename Pred>
    static std::size_t act(Node& ctx, Edit e, Pred pick) {
        if (e == Edit::Delete) return remove(ctx, pick);
        std::size_t n = 0;
        for (auto& c : ctx.children)
            if (pick(c)) {
                c.inactive = e == Edit::Deactivate;
                ++n;
            }
        return n;
    }
    void not_there(const Location& at, Edit e, const std::string& path) {
        m_diags.push_back(make_diagnostic(at, path, verb(e) + ": " + path + " is not in the configuration", Severity::Warning));
    }

    // A statement of a hierarchy picsec does not model, met at a modelled
    // level `ctx`: one note per hierarchy, then kept as written.
    void skip(Node& ctx, const Statement& st, std::size_t i, const std::string& what = "") {
        const Word& w = st.words[i];
        const Edit e = edit_of(st);
        if (e != Edit::None) {
            edit_raw(ctx, st, i, e);
            return;
        }
        const std::string path = join(ctx.path, w.text);
        if (m_noted.insert(path).second)
            m_diags.push_back(make_diagnostic(w.loc, path, what + "not modelled by picsec, skipped", Severity::Note));
        apply_raw(ctx, st, i, true);
    }

    static bool holds_statements(const Node& n) { return n.block_loc || !n.children.empty(); }

    // Statements inside a skipped hierarchy: no schema, so a statement's
    // first word is its keyword and the rest its values, except that a set
    // line walks down into a block of that keyword already there; at the
    // boundary a statement of three words or more (`set system host-name r1`)
    // is taken as a hierarchy and a value.
    void apply_raw(Node& ctx, const Statement& st, std::size_t i, bool boundary) {
        const auto& words = st.words;
        if (i == words.size()) {
            if (st.inactive) ctx.inactive = true;
            if (!st.block) return;
            if (!ctx.block_loc) ctx.block_loc = st.block_loc;
            for (const auto& child : st.children) apply(ctx, child, 0);
            return;
        }
        const Word& w = words[i];
        const std::size_t rest = words.size() - i - 1;
        Node* below = find(ctx, container_key(w.text, {}));
        const bool descend = boundary ? !st.block && rest >= 2 : rest > 0 && below && holds_statements(*below);
        if (descend) {
            if (!below) below = &add(ctx, container_key(w.text, {}), raw_node(ctx, w, {}));
            apply_raw(*below, st, i + 1, false);
            return;
        }
        std::vector<Word> args(words.begin() + static_cast<std::ptrdiff_t>(i + 1), words.end());
        std::string key = container_key(w.text, args);
        Node* node = find(ctx, key);
        if (!node) node = &add(ctx, std::move(key), raw_node(ctx, w, std::move(args)));
        apply_raw(*node, st, words.size(), false);
    }

    static Node raw_node(const Node& ctx, const Word& w, std::vector<Word> args) {
        // The path names the keyword only: an unmodelled value may be a secret.
        return Node{&schema::unmodelled(), w.text, std::move(args), w.loc, join(ctx.path, w.text), {}, {}, {}};
    }

    void edit_raw(Node& ctx, const Statement& st, std::size_t i, Edit e) {
        const auto& words = st.words;
        const Word& w = words[i];
        if (i + 1 == words.size()) {
            if (act(ctx, e, [&](const Node& c) { return c.keyword == w.text; }) == 0)
                not_there(w.loc, e, join(ctx.path, w.text));
            return;
        }
        const std::vector<Word> args(words.begin() + static_cast<std::ptrdiff_t>(i + 1), words.end());
        if (const Node* exact = find(ctx, container_key(w.text, args))) {
            act(ctx, e, [&](const Node& c) { return &c == exact; });
            return;
        }
        if (Node* below = find(ctx, container_key(w.text, {}))) {
            edit_raw(*below, st, i + 1, e);
            return;
        }
        // A set line kept as one statement (`syslog file f any notice`) is
        // named by its first words (`deactivate system syslog file f`).
        const auto starts_with = [&](const Node& c) {
            return c.keyword == w.text && c.args.size() >= args.size() &&
                   std::equal(args.begin(), args.end(), c.args.begin(),
                              [](const Word& a, const Word& b) { return a.text == b.text; });
        };
        if (act(ctx, e, starts_with) == 0) not_there(w.loc, e, join(ctx.path, w.text));
    }

    void apply(Node& ctx, const Statement& st, std::size_t i) {
        if (is_unmodelled(ctx)) {
            apply_raw(ctx, st, i, false);
            return;
        }
        const auto& words = st.words;
        const Edit edit = edit_of(st);
        if (i == words.size()) {
            if (st.inactive) ctx.inactive = true;
            if (!st.block) return;  // `container;` declares an empty container
            if (ctx.block_loc && (!ctx.args.empty() || ctx.entry->keyword == "*")) {
                error(st.block_loc, ctx.path, "duplicate definition, already defined at " + where(*ctx.block_loc));
                return;
            }
            if (!ctx.block_loc) ctx.block_loc = st.block_loc;
            for (const auto& child : st.children) apply(ctx, child, 0);
            return;
        }
        const Word& w = words[i];
        const schema::Entry* exact = nullptr;
        const schema::Entry* any = nullptr;
        for (const auto& e : ctx.entry->children) {
            if (e.keyword == w.text) exact = &e;
            if (e.keyword == "*") any = &e;
        }
        if (!exact && skips(*ctx.entry, w)) {
            skip(ctx, st, i);
            return;
        }
        const schema::Entry* entry = exact ? exact : any;
        if (!entry || w.in_list || w.quoted) {
            std::vector<std::string> expected;
            for (const auto& e : ctx.entry->children) expected.push_back(e.keyword == "*" ? "INTERFACE-NAME" : e.keyword);
            std::string msg = "unknown statement '" + w.text + "'";
            if (expected.empty())
                msg += ", nothing is expected here";
            else
                msg += ", expected " + choices_text(expected);
            error(w.loc, ctx.path, msg);
            return;
        }
        const std::string keyword = w.text;
        const std::string leaf_path = join(ctx.path, keyword);
        std::size_t next = i + 1;
        if (edit != Edit::None && next == words.size()) {
            // `delete ... KEYWORD`: every statement with that keyword goes
            // (or becomes inactive, or active again).
            if (act(ctx, edit, [&](const Node& c) { return c.keyword == keyword; }) == 0) not_there(w.loc, edit, leaf_path);
            return;
        }
        std::vector<Word> args;
        if (entry->kind == EntryKind::List) {
            for (; next < words.size(); ++next) args.push_back(words[next]);
            if (args.empty()) {
                error(w.loc, leaf_path, keyword + " needs at least one " + entry->args[0].placeholder);
                return;
            }
            if (st.block) {
                error(st.block_loc, leaf_path, keyword + " is a list and takes no '{ }' block");
                return;
            }
        } else {
            for (std::size_t k = 0; k < entry->args.size(); ++k) {
                if (next >= words.size() || words[next].in_list) {
                    // `key "K"`: the value is there, its encoding (the choice before it) is not.
                    const bool no_encoding = k + 1 == entry->args.size() && k > 0 &&
                                             entry->args[0].kind == ValueKind::Choice &&
                                             !is_choice(entry->args[0], args[0].text);
                    error(w.loc, leaf_path,
                          no_encoding ? "missing encoding: " + keyword + " needs " + choices_text(entry->args[0].choices) +
                                            " before the key, " + expected_form(*entry)
                                      : "missing value: " + keyword + " needs " + expected_form(*entry));
                    return;
                }
                args.push_back(words[next++]);
            }
        }
        // An IPv6 address where a partly modelled hierarchy (BGP) has IPv4
        // ones: an IPv6 neighbor or session, which picsec does not model.
        const bool ipv6 = ctx.entry->unknown == schema::Unknown::Skip &&
                          std::any_of(args.begin(), args.end(), [](const Word& a) {
                              return a.text.find(':') != std::string::npos && !a.quoted;
                          });
        if (ipv6 && std::any_of(entry->args.begin(), entry->args.end(), [](const ValueSpec& v) {
                return v.kind == ValueKind::Ipv4 || v.kind == ValueKind::Ipv4Prefix;
            })) {
            skip(ctx, st, i, "IPv6, ");
            return;
        }
        bool ok = true;
        for (std::size_t k = 0; k < args.size(); ++k) {
            const auto& spec = entry->kind == EntryKind::List ? entry->args[0] : entry->args[k];
            ok = check_value(spec, args[k], keyword, leaf_path) && ok;
        }
        if (!ok) return;

        switch (entry->kind) {
            case EntryKind::Container: {
                const std::string key = container_key(keyword, args);
                Node* node = find(ctx, key);
                if (edit != Edit::None) {
                    if (!node)
                        not_there(w.loc, edit, join(ctx.path, keyword) + args_text(*entry, args));
                    else if (next == words.size())
                        act(ctx, edit, [&](const Node& c) { return &c == node; });
                    else
                        apply(*node, st, next);
                    return;
                }
                if (!node)
                    node = &add(ctx, key, Node{entry, keyword, args, w.loc, join(ctx.path, keyword) + args_text(*entry, args), {}, {}, {}});
                apply(*node, st, next);
                return;
            }
            case EntryKind::Leaf: {
                if (next < words.size()) {
                    error(words[next].loc, leaf_path, "unexpected '" + words[next].text + "' after the value of " + keyword);
                    return;
                }
                if (st.block) {
                    error(st.block_loc, leaf_path, keyword + " is a single statement and takes no '{ }' block");
                    return;
                }
                Node* have = find(ctx, leaf_key(keyword));
                if (edit != Edit::None) {
                    if (!have || have->args.size() != args.size() ||
                        !std::equal(args.begin(), args.end(), have->args.begin(),
                                    [](const Word& a, const Word& b) { return a.text == b.text; }))
                        not_there(w.loc, edit, leaf_path + args_text(*entry, args));
                    else
                        act(ctx, edit, [&](const Node& c) { return &c == have; });
                    return;
                }
                if (have && st.set_line) {
                    // JUNOS: `set` of a leaf again replaces its value.
                    have->args = args;
                    have->loc = w.loc;
                    return;
                }
                if (have) {
                    error(w.loc, leaf_path, "duplicate statement, " + keyword + " is already set at " + where(have->loc));
                    return;
                }
                add(ctx, leaf_key(keyword), Node{entry, keyword, args, w.loc, leaf_path, {}, {}, {}}).inactive = st.inactive;
                return;
            }
            case EntryKind::List: {
                Node* node = find(ctx, leaf_key(keyword));
                if (edit == Edit::Delete) {
                    // `delete ... KEYWORD VALUE...`: those values leave the list.
                    for (const auto& a : args) {
                        const auto before = node ? node->args.size() : 0;
                        if (node) std::erase_if(node->args, [&](const Word& have) { return have.text == a.text; });
                        if (!node || node->args.size() == before) not_there(a.loc, edit, leaf_path + " " + a.text);
                    }
                    if (node && node->args.empty()) remove(ctx, [&](const Node& c) { return &c == node; });
                    return;
                }
                if (edit != Edit::None) {
                    // JUNOS (de)activates a list as a whole.
                    if (!node)
                        not_there(w.loc, edit, leaf_path);
                    else
                        node->inactive = edit == Edit::Deactivate;
                    return;
                }
                if (!node) node = &add(ctx, leaf_key(keyword), Node{entry, keyword, {}, w.loc, leaf_path, {}, {}, {}});
                if (st.inactive) node->inactive = true;
                for (const auto& a : args) {
                    bool dup = false;
                    for (const auto& have : node->args) dup = dup || have.text == a.text;
                    if (dup)
                        error(a.loc, leaf_path, "'" + a.text + "' is already in the list");
                    else
                        node->args.push_back(a);
                }
                return;
            }
        }
    }

    Diagnostics& m_diags;
    std::unordered_set<std::string> m_noted;  ///< paths of skipped hierarchies already noted
    struct AlgorithmWord {
        std::size_t diagnostic;  ///< its error in m_diags
        schema::PicList list;
        std::string shown, keyword;
    };
    std::vector<AlgorithmWord> m_algorithm_words;
};

}  // namespace

const Node* Node::child(const std::string& kw) const {
    for (const auto& c : children)
        if (c.keyword == kw) return &c;
    return nullptr;
}

std::vector<const Node*> Node::all(const std::string& kw) const {
    std::vector<const Node*> out;
    for (const auto& c : children)
        if (c.keyword == kw) out.push_back(&c);
    return out;
}

const std::string& Node::value() const {
    static const std::string k_empty;
    return args.empty() ? k_empty : args.front().text;
}

Node normalize(const SyntaxTree& tree, Diagnostics& diagnostics) { return Normalizer(diagnostics).run(tree); }

void keep_active_part(Node& root) {
    std::erase_if(root.children, [](const Node& c) { return c.inactive || is_unmodelled(c); });
    for (auto& c : root.children) keep_active_part(c);
}

}  // namespace picsec::config
