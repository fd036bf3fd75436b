// Lexer and parser for JUNOS-style configuration text (see syntax.h):
// bracketed hierarchy and `set`/`delete`/`deactivate`/`activate` lines,
// `inactive:` markers, `[edit ...]` fragment headers, `#` and `/* */`
// comments, quoted strings, `[ ... ]` lists, `;` terminators.
#include "picsec/config/syntax.h"

#include <cstdio>

namespace picsec::config {
namespace {

enum class TokenKind { Word, LBrace, RBrace, LBracket, RBracket, Semicolon, Newline, End };

struct Token {
    TokenKind kind = TokenKind::End;
    std::string text;
    bool quoted = false;
    std::uint32_t line = 1, column = 1;
    std::uint32_t end_line = 1, end_column = 1;  ///< of the last character
};

std::string describe(const Token& t) {
    switch (t.kind) {
        case TokenKind::Word: return t.quoted ? "\"" + t.text + "\"" : "'" + t.text + "'";
        case TokenKind::LBrace: return "'{'";
        case TokenKind::RBrace: return "'}'";
        case TokenKind::LBracket: return "'['";
        case TokenKind::RBracket: return "']'";
        case TokenKind::Semicolon: return "';'";
        case TokenKind::Newline: return "end of line";
        case TokenKind::End: return "end of file";
    }
    return "?";
}

class Lexer {
  public:
    Lexer(std::string_view text, const std::string& file, Diagnostics& diags)
        : m_text(text), m_file(file), m_diags(diags) {}

    Token next() {
        for (;;) {
            if (m_pos >= m_text.size()) return make(TokenKind::End, m_line, m_col);
            char c = m_text[m_pos];
            if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') { advance(); continue; }
            if (c == '\n') {
                Token t = make(TokenKind::Newline, m_line, m_col);
                advance();
                return t;
            }
            if (c == '#') {
                while (m_pos < m_text.size() && m_text[m_pos] != '\n') advance();
                continue;
            }
            if (c == '/' && m_pos + 1 < m_text.size() && m_text[m_pos + 1] == '*') {
                skip_block_comment();
                continue;
            }
            switch (c) {
                case '{': return single(TokenKind::LBrace);
                case '}': return single(TokenKind::RBrace);
                case '[': return single(TokenKind::LBracket);
                case ']': return single(TokenKind::RBracket);
                case ';': return single(TokenKind::Semicolon);
                case '"': {
                    Token t;
                    if (quoted(t)) return t;
                    continue;
                }
                default: break;
            }
            auto uc = static_cast<unsigned char>(c);
            if (uc < 0x20 || uc == 0x7f) {
                char buf[48];
                std::snprintf(buf, sizeof buf, "unexpected control character 0x%02x", uc);
                error(m_line, m_col, buf);
                advance();
                continue;
            }
            return word();
        }
    }

    /// True after an unterminated string or comment swallowed the rest of the
    /// text: later syntax errors are consequences and are not reported.
    bool ran_off_end() const { return m_ran_off_end; }

  private:
    void advance() {
        if (m_text[m_pos] == '\n') {
            ++m_line;
            m_col = 1;
        } else {
            ++m_col;
        }
        ++m_pos;
    }

    Token make(TokenKind k, std::uint32_t line, std::uint32_t col) {
        Token t;
        t.kind = k;
        t.line = t.end_line = line;
        t.column = t.end_column = col;
        return t;
    }

    Token single(TokenKind k) {
        Token t = make(k, m_line, m_col);
        advance();
        return t;
    }

    void error(std::uint32_t line, std::uint32_t col, std::string message) {
        m_diags.push_back(Diagnostic{m_file, line, col, "", std::move(message), Severity::Error});
    }

    void skip_block_comment() {
        const auto line = m_line, col = m_col;
        advance();
        advance();
        while (m_pos + 1 < m_text.size()) {
            if (m_text[m_pos] == '*' && m_text[m_pos + 1] == '/') {
                advance();
                advance();
                return;
            }
            advance();
        }
        while (m_pos < m_text.size()) advance();
        error(line, col, "unterminated comment: '/*' is never closed by '*/'");
        m_ran_off_end = true;
    }

    bool quoted(Token& t) {
        t = make(TokenKind::Word, m_line, m_col);
        t.quoted = true;
        advance();
        while (m_pos < m_text.size()) {
            char c = m_text[m_pos];
            if (c == '"') {
                t.end_line = m_line;
                t.end_column = m_col;
                advance();
                return true;
            }
            if (c == '\\' && m_pos + 1 < m_text.size()) {
                advance();
                c = m_text[m_pos];
            }
            t.text += c;
            advance();
        }
        error(t.line, t.column, "unterminated string: '\"' is never closed");
        m_ran_off_end = true;
        t.end_line = m_line;
        t.end_column = m_col;
        return true;  // keep what was read so the statement still gets its value
    }

    Token word() {
        Token t = make(TokenKind::Word, m_line, m_col);
        while (m_pos < m_text.size()) {
            char c = m_text[m_pos];
            auto uc = static_cast<unsigned char>(c);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v' || c == '{' || c == '}' ||
                c == '[' || c == ']' || c == ';' || c == '"' || uc < 0x20 || uc == 0x7f)
                break;
            t.end_line = m_line;
            t.end_column = m_col;
            t.text += c;
            advance();
        }
        return t;
    }

    std::string_view m_text;
    const std::string& m_file;
    Diagnostics& m_diags;
    bool m_ran_off_end = false;
    std::size_t m_pos = 0;
    std::uint32_t m_line = 1, m_col = 1;
};

class Parser {
  public:
    Parser(std::string_view text, const std::string& file, Diagnostics& diags)
        : m_lexer(text, file, diags), m_file(file), m_diags(diags) {
        m_tok = m_lexer.next();
    }

    SyntaxTree parse() {
        SyntaxTree tree;
        parse_body(tree.statements, 0, nullptr);
        return tree;
    }

  private:
    static constexpr int k_max_depth = 64;

    void bump() { m_tok = m_lexer.next(); }

    Location loc(std::uint32_t line, std::uint32_t col) const { return Location{m_file, line, col}; }

    void error(std::uint32_t line, std::uint32_t col, std::string message) {
        if (m_lexer.ran_off_end()) return;
        m_diags.push_back(Diagnostic{m_file, line, col, "", std::move(message), Severity::Error});
    }

    // Statements until `}` (returns true when it was consumed) or end of file.
    bool parse_body(std::vector<Statement>& out, int depth, const Token* opener) {
        bool line_start = true;
        for (;;) {
            switch (m_tok.kind) {
                case TokenKind::Newline: bump(); line_start = true; continue;
                case TokenKind::End:
                    if (opener)
                        error(opener->line, opener->column,
                              "unbalanced braces: '{' opened here is never closed by '}'");
                    return false;
                case TokenKind::RBrace:
                    if (opener) {
                        bump();
                        return true;
                    }
                    error(m_tok.line, m_tok.column, "unbalanced braces: '}' without a matching '{'");
                    bump();
                    continue;
                case TokenKind::Semicolon:
                    error(m_tok.line, m_tok.column, "unexpected ';' without a statement");
                    bump();
                    continue;
                case TokenKind::LBrace: {
                    error(m_tok.line, m_tok.column, "'{' without a statement name before it");
                    Token open = m_tok;
                    bump();
                    std::vector<Statement> discarded;
                    if (depth < k_max_depth) parse_body(discarded, depth + 1, &open);
                    continue;
                }
                case TokenKind::LBracket:
                    if (depth == 0 && line_start) {
                        const Token open = m_tok;
                        bump();
                        if (m_tok.kind == TokenKind::Word && !m_tok.quoted && m_tok.text == "edit") {
                            parse_edit_line(open);
                        } else {
                            error(open.line, open.column, "unexpected '[' at the start of a statement");
                        }
                        continue;
                    }
                    [[fallthrough]];
                case TokenKind::RBracket:
                    error(m_tok.line, m_tok.column, "unexpected " + describe(m_tok) + " at the start of a statement");
                    bump();
                    continue;
                case TokenKind::Word: {
                    const std::size_t first = out.size();
                    if (depth == 0 && line_start && !m_tok.quoted && is_set_verb(m_tok.text)) {
                        parse_set_line(out);
                    } else {
                        parse_statement(out, depth);
                    }
                    if (depth == 0 && !m_edit.empty())
                        for (std::size_t k = first; k < out.size(); ++k)
                            out[k].words.insert(out[k].words.begin(), m_edit.begin(), m_edit.end());
                    line_start = false;
                    continue;
                }
            }
        }
    }

    static bool is_set_verb(const std::string& w) {
        return w == "set" || w == "delete" || w == "deactivate" || w == "activate";
    }

    // `[edit A B]`, as the JUNOS manuals print a fragment: the statements
    // after it are relative to A B (like `load merge relative`), up to the
    // next `[edit ...]`; `[edit]` is the top. The current token is `edit`.
    void parse_edit_line(const Token& open) {
        bump();
        std::vector<Word> prefix;
        while (m_tok.kind == TokenKind::Word) {
            prefix.push_back(Word{m_tok.text, loc(m_tok.line, m_tok.column), m_tok.quoted, false});
            bump();
        }
        if (m_tok.kind != TokenKind::RBracket) {
            error(open.line, open.column, "'[edit' needs a hierarchy and ']', e.g. [edit security ipsec], before " +
                                              describe(m_tok));
            return;
        }
        bump();
        m_edit = std::move(prefix);
    }

    void push_word(Statement& s, const Token& t, bool in_list) {
        s.words.push_back(Word{t.text, loc(t.line, t.column), t.quoted, in_list});
    }

    // `[ a b c ]`; the current token is `[`. Returns the line of the `]`.
    std::uint32_t parse_list(Statement& s) {
        Token open = m_tok;
        bump();
        for (;;) {
            switch (m_tok.kind) {
                case TokenKind::Word: push_word(s, m_tok, true); bump(); continue;
                case TokenKind::Newline: bump(); continue;
                case TokenKind::RBracket: {
                    auto line = m_tok.line;
                    bump();
                    return line;
                }
                case TokenKind::LBracket:
                case TokenKind::LBrace:
                case TokenKind::RBrace:
                case TokenKind::Semicolon:
                case TokenKind::End:
                    error(open.line, open.column, "missing ']': '[' opened here is closed by nothing before " +
                                                      describe(m_tok));
                    return m_tok.line;
            }
        }
    }

    void parse_statement(std::vector<Statement>& out, int depth) {
        Statement s;
        if (!m_tok.quoted && m_tok.text == "inactive:") {
            // JUNOS marks a deactivated statement so; it is kept and ignored.
            const Token marker = m_tok;
            bump();
            if (m_tok.kind != TokenKind::Word || m_tok.line != marker.line) {
                error(marker.line, marker.column, "'inactive:' needs a statement after it on the same line");
                return;
            }
            s.inactive = true;
        }
        s.loc = loc(m_tok.line, m_tok.column);
        Token last = m_tok;
        push_word(s, m_tok, false);
        bump();
        auto missing_semicolon = [&] {
            error(last.end_line, last.end_column + 1, "missing ';' after " + describe(last));
        };
        for (;;) {
            switch (m_tok.kind) {
                case TokenKind::Newline: bump(); continue;
                case TokenKind::Word:
                    // JUNOS writes one statement per line: a word on a new line
                    // starts the next statement, so the `;` is missing.
                    if (m_tok.line != last.end_line) {
                        missing_semicolon();
                        out.push_back(std::move(s));
                        return;
                    }
                    push_word(s, m_tok, false);
                    last = m_tok;
                    bump();
                    continue;
                case TokenKind::LBracket: {
                    Token open = m_tok;
                    auto end_line = parse_list(s);
                    last = open;
                    last.end_line = end_line;
                    last.kind = TokenKind::RBracket;
                    continue;
                }
                case TokenKind::RBracket:
                    error(m_tok.line, m_tok.column, "unexpected ']' without a matching '['");
                    bump();
                    continue;
                case TokenKind::Semicolon:
                    bump();
                    out.push_back(std::move(s));
                    return;
                case TokenKind::LBrace: {
                    Token open = m_tok;
                    s.block = true;
                    s.block_loc = loc(open.line, open.column);
                    bump();
                    if (depth >= k_max_depth) {
                        error(open.line, open.column, "configuration nested too deeply (more than 64 levels)");
                        skip_block();
                    } else {
                        parse_body(s.children, depth + 1, &open);
                    }
                    out.push_back(std::move(s));
                    return;
                }
                case TokenKind::RBrace:
                case TokenKind::End:
                    missing_semicolon();
                    out.push_back(std::move(s));
                    return;
            }
        }
    }

    // Skips tokens up to the matching `}` without building statements.
    void skip_block() {
        std::size_t level = 1;
        while (m_tok.kind != TokenKind::End && level > 0) {
            if (m_tok.kind == TokenKind::LBrace) ++level;
            if (m_tok.kind == TokenKind::RBrace) --level;
            bump();
        }
    }

    void parse_set_line(std::vector<Statement>& out) {
        Token set = m_tok;
        bump();
        Statement s;
        s.set_line = true;
        s.delete_line = set.text == "delete";
        s.deactivate_line = set.text == "deactivate";
        s.activate_line = set.text == "activate";
        s.loc = loc(set.line, set.column);
        bool bad = false;
        for (;;) {
            switch (m_tok.kind) {
                case TokenKind::Word: push_word(s, m_tok, false); bump(); continue;
                case TokenKind::LBracket: parse_list(s); continue;
                case TokenKind::Semicolon: bump(); continue;  // tolerated at the end of a set line
                case TokenKind::LBrace:
                case TokenKind::RBrace:
                case TokenKind::RBracket:
                    error(m_tok.line, m_tok.column, "unexpected " + describe(m_tok) + " in a set line");
                    bad = true;
                    bump();
                    continue;
                case TokenKind::Newline:
                case TokenKind::End: break;
            }
            break;
        }
        if (s.words.empty()) {
            error(set.line, set.column, "'" + set.text + "' needs a statement path, e.g. " + set.text +
                                            " security ipsec proposal P protocol esp");
            return;
        }
        if (!bad) {
            s.loc = s.words.front().loc;
            out.push_back(std::move(s));
        }
    }

    Lexer m_lexer;
    const std::string& m_file;
    Diagnostics& m_diags;
    Token m_tok;
    std::vector<Word> m_edit;  ///< the hierarchy of the last `[edit ...]` line
};

}  // namespace

SyntaxTree parse_syntax(std::string_view text, const std::string& filename, Diagnostics& diagnostics) {
    Parser parser(text, filename, diagnostics);
    return parser.parse();
}

}  // namespace picsec::config
