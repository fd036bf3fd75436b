// Entry points: load_string/load_file and check_string/check_file (load.h).
#include "picsec/config/load.h"

#include <algorithm>
#include <fstream>
#include <cstring>
#include <cerrno>
#include <filesystem>
#include <sstream>

#include "build.h"
#include "text.h"

namespace picsec::config {
namespace {

// Config files beyond this size are refused rather than parsed.
constexpr std::size_t k_max_file_bytes = 16 * 1024 * 1024;

}  // namespace

void sort_by_position(Diagnostics& ds) {
    std::stable_sort(ds.begin(), ds.end(), [](const Diagnostic& a, const Diagnostic& b) {
        if (a.file != b.file) return a.file < b.file;
        if (a.line != b.line) return a.line < b.line;
        return a.column < b.column;
    });
}

Node load_tree(std::string_view text, const std::string& filename, Diagnostics& diagnostics) {
    // A UTF-8 byte order mark (editors on some systems write one) is not text.
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    SyntaxTree tree = parse_syntax(text, filename, diagnostics);
    return normalize(tree, diagnostics);
}

std::optional<std::string> read_config_file(const std::string& path, Diagnostics& diagnostics) {
    auto cannot = [&](const std::string& why) {
        diagnostics.push_back(Diagnostic{path, 0, 0, "", why, Severity::Error});
        return std::nullopt;
    };
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) return cannot("cannot read the configuration file: it is a directory");
    errno = 0;
    std::ifstream in(path, std::ios::binary);
    if (!in) return cannot(std::string("cannot read the configuration file: ") + (errno != 0 ? std::strerror(errno) : "cannot open"));
    std::ostringstream buf;
    buf << in.rdbuf();
    std::string text = buf.str();
    if (text.size() > k_max_file_bytes)
        return cannot("configuration file has " + std::to_string(text.size()) + " bytes, more than the 16 MiB picsec reads");
    return text;
}

Result load_string(std::string_view text, const std::string& filename) {
    Result r;
    Node root = load_tree(text, filename, r.diagnostics);
    const auto inactive = inactive_sas(root);
    keep_active_part(root);
    r.model = build_model(root, r.diagnostics);
    r.model.inactive_sas = inactive;
    sort_by_position(r.diagnostics);
    return r;
}

Result load_file(const std::string& path) {
    Result r;
    const auto text = read_config_file(path, r.diagnostics);
    return text ? load_string(*text, path) : r;
}

Result check_string(std::string_view text, const std::string& filename) {
    Result r = load_string(text, filename);
    if (r.ok()) {
        auto more = commit_check(r.model);
        r.diagnostics.insert(r.diagnostics.end(), more.begin(), more.end());
        sort_by_position(r.diagnostics);
    }
    return r;
}

Result check_file(const std::string& path) {
    Result r = load_file(path);
    if (r.ok()) {
        auto more = commit_check(r.model);
        r.diagnostics.insert(r.diagnostics.end(), more.begin(), more.end());
        sort_by_position(r.diagnostics);
    }
    return r;
}

}  // namespace picsec::config
