// Parsing of es-FPC/PIC/PORT and ms-FPC/PIC/PORT interface names (see pic_name.h).
#include "picsec/pic/pic_name.h"

#include <charconv>
#include <optional>

namespace picsec::pic {
namespace {

std::optional<std::uint32_t> parse_number(std::string_view text) {
    if (text.empty() || text.size() > 5) return std::nullopt;
    std::uint32_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    return value;
}

}  // namespace

std::string to_string(const PicName& name) {
    return std::string(to_string(name.kind)) + "-" + std::to_string(name.fpc) + "/" + std::to_string(name.pic) + "/" + std::to_string(name.port);
}

bool is_es_interface(std::string_view interface_name) { return interface_name.starts_with("es-"); }
bool is_ms_interface(std::string_view interface_name) { return interface_name.starts_with("ms-"); }

std::optional<PicKind> pic_kind_of(std::string_view interface_name) {
    if (is_es_interface(interface_name)) return PicKind::EncryptionServices;
    if (is_ms_interface(interface_name)) return PicKind::Services;
    return std::nullopt;
}

Expected<PicName, Error> parse_pic_name(std::string_view interface_name, const PlatformModel& any_row) {
    const std::string shown(interface_name);
    auto malformed = [&] {
        return Error{"interface", "interface " + shown +
                                      " is not of the form es-FPC/PIC/PORT or ms-FPC/PIC/PORT (e.g. es-0/0/0)"};
    };
    const auto kind = pic_kind_of(interface_name);
    if (!kind) return malformed();
    const PlatformModel& platform = model(any_row.id, *kind);
    std::string_view rest = interface_name.substr(3);
    std::uint32_t parts[3] = {};
    for (int i = 0; i < 3; ++i) {
        auto slash = rest.find('/');
        std::string_view piece = (i < 2) ? rest.substr(0, slash) : rest;
        if ((i < 2 && slash == std::string_view::npos)) return malformed();
        auto n = parse_number(piece);
        if (!n) return malformed();
        parts[i] = *n;
        if (i < 2) rest = rest.substr(slash + 1);
    }
    PicName name{parts[0], parts[1], parts[2], *kind};
    const std::string plat(platform.keyword);
    if (name.fpc > platform.max_fpc)
        return Error{"interface", "interface " + shown + ": FPC " + std::to_string(name.fpc) +
                                      " is out of range, needs 0.." + std::to_string(platform.max_fpc) + " on " + plat};
    if (name.pic > platform.max_pic)
        return Error{"interface", "interface " + shown + ": PIC " + std::to_string(name.pic) +
                                      " is out of range, needs 0.." + std::to_string(platform.max_pic) + " on " + plat};
    if (name.port != 0)
        return Error{"interface", "interface " + shown + ": port " + std::to_string(name.port) +
                                      " does not exist, " + std::string(platform.pic_label) + " has port 0 only"};
    return name;
}

}  // namespace picsec::pic
