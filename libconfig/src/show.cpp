// Prints the normalized tree back in JUNOS brace form (see show.h).
#include "picsec/config/show.h"

#include "build.h"
#include "picsec/config/junos_secret.h"
#include "text.h"

namespace picsec::config {
namespace {

bool needs_quotes(const Word& w) {
    if (w.quoted || w.text.empty()) return true;
    for (char c : w.text)
        if (c == ' ' || c == '\t' || c == '{' || c == '}' || c == '[' || c == ']' || c == ';' || c == '"' || c == '#')
            return true;
    return false;
}

std::string quoted(const std::string& text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

std::string word(const Word& w) { return needs_quotes(w) ? quoted(w.text) : w.text; }

class Printer {
  public:
    std::string run(const Node& root) {
        for (const auto& c : root.children) statement(c, 0, false);
        return std::move(m_out);
    }

  private:
    // Values of a modelled statement: a list in `[ ]` when it has several,
    // keys as "$9$" (JUNOS shows every secret so, ascii-text or hexadecimal).
    std::string values(const Node& n) {
        std::string out;
        if (n.entry->kind == schema::EntryKind::List && n.args.size() > 1) {
            out += " [";
            for (const auto& a : n.args) out += " " + word(a);
            return out + " ]";
        }
        for (std::size_t k = 0; k < n.args.size(); ++k) {
            const bool secret = k < n.entry->args.size() && n.entry->args[k].kind == schema::ValueKind::Secret;
            const std::string& text = n.args[k].text;
            if (secret)
                out += " " + quoted(is_junos_secret(text) ? text : encode_junos_secret(text, m_salt++));
            else
                out += " " + word(n.args[k]);
        }
        return out;
    }

    // Values of a statement kept as written: `[ ]` around list elements.
    static std::string raw_values(const Node& n) {
        std::string out;
        bool in_list = false;
        for (const auto& a : n.args) {
            if (a.in_list != in_list) out += a.in_list ? " [" : " ]";
            in_list = a.in_list;
            out += " " + word(a);
        }
        return in_list ? out + " ]" : out;
    }

    static bool has_secret(const Node& n) {
        for (const auto& spec : n.entry->args)
            if (spec.kind == schema::ValueKind::Secret) return true;
        return false;
    }

    void statement(const Node& n, int depth, bool in_skipped, const std::string& prefix = "") {
        const std::string indent(static_cast<std::size_t>(depth) * 4, ' ');
        const bool raw = is_unmodelled(n);
        if (!raw && n.entry->joins_child && !n.inactive) {
            for (const auto& c : n.children) statement(c, depth, false, n.keyword + " ");
            return;
        }
        if (raw && !in_skipped) m_out += indent + "/* not modelled by picsec, skipped */\n";
        m_out += indent;
        if (n.inactive) m_out += "inactive: ";
        m_out += prefix + n.keyword + (raw ? raw_values(n) : values(n));
        const bool block = n.entry->kind == schema::EntryKind::Container && (n.block_loc || !n.children.empty());
        if (!block) {
            m_out += !raw && has_secret(n) ? "; ## SECRET-DATA\n" : ";\n";
            return;
        }
        m_out += " {\n";
        for (const auto& c : n.children) statement(c, depth + 1, raw);
        m_out += indent + "}\n";
    }

    std::string m_out;
    unsigned m_salt = 0;  ///< each key its own salt, the same on every run
};

}  // namespace

Shown show_string(std::string_view text, const std::string& filename) {
    Shown s;
    const Node root = load_tree(text, filename, s.diagnostics);
    Node active = root;
    keep_active_part(active);
    build_model(active, s.diagnostics);  // for its key-decoding errors
    sort_by_position(s.diagnostics);
    if (s.ok()) s.text = Printer().run(root);
    return s;
}

Shown show_file(const std::string& path) {
    Shown s;
    const auto text = read_config_file(path, s.diagnostics);
    return text ? show_string(*text, path) : s;
}

}  // namespace picsec::config
