// Applies the statement schema to the generic syntax tree (see tree.h).
// A statement's words may walk down several levels (`set` lines always do);
// containers met again merge, leaves met again are duplicates.
#include <charconv>

#include "picsec/base/ipv4_address.h"
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

class Normalizer {
  public:
    explicit Normalizer(Diagnostics& diags) : m_diags(diags) {}

    Node run(const SyntaxTree& tree) {
        Node root;
        root.entry = &schema::root();
        for (const auto& st : tree.statements) apply(root, st, 0);
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
    void nothing_to_delete(const Location& at, const std::string& path) {
        m_diags.push_back(make_diagnostic(at, path, "delete: " + path + " is not in the configuration", Severity::Warning));
    }

    void apply(Node& ctx, const Statement& st, std::size_t i) {
        const auto& words = st.words;
        if (i == words.size()) {
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
        const schema::Entry* entry = nullptr;
        for (const auto& e : ctx.entry->children)
            if (e.keyword == w.text || e.keyword == "*") {
                entry = &e;
                if (e.keyword == w.text) break;
            }
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
        if (st.delete_line && next == words.size()) {
            // `delete ... KEYWORD`: every statement with that keyword goes.
            if (remove(ctx, [&](const Node& c) { return c.keyword == keyword; }) == 0) nothing_to_delete(w.loc, leaf_path);
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
                    error(w.loc, leaf_path, "missing value: " + keyword + " needs " + expected_form(*entry));
                    return;
                }
                args.push_back(words[next++]);
            }
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
                if (st.delete_line) {
                    if (!node)
                        nothing_to_delete(w.loc, join(ctx.path, keyword) + args_text(*entry, args));
                    else if (next == words.size())
                        remove(ctx, [&](const Node& c) { return &c == node; });
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
                if (st.delete_line) {
                    if (!have || have->args.size() != args.size() ||
                        !std::equal(args.begin(), args.end(), have->args.begin(),
                                    [](const Word& a, const Word& b) { return a.text == b.text; }))
                        nothing_to_delete(w.loc, leaf_path + args_text(*entry, args));
                    else
                        remove(ctx, [&](const Node& c) { return &c == have; });
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
                add(ctx, leaf_key(keyword), Node{entry, keyword, args, w.loc, leaf_path, {}, {}, {}});
                return;
            }
            case EntryKind::List: {
                Node* node = find(ctx, leaf_key(keyword));
                if (st.delete_line) {
                    // `delete ... KEYWORD VALUE...`: those values leave the list.
                    for (const auto& a : args) {
                        const auto before = node ? node->args.size() : 0;
                        if (node) std::erase_if(node->args, [&](const Word& have) { return have.text == a.text; });
                        if (!node || node->args.size() == before) nothing_to_delete(a.loc, leaf_path + " " + a.text);
                    }
                    if (node && node->args.empty()) remove(ctx, [&](const Node& c) { return &c == node; });
                    return;
                }
                if (!node) node = &add(ctx, leaf_key(keyword), Node{entry, keyword, {}, w.loc, leaf_path, {}, {}, {}});
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

}  // namespace picsec::config
