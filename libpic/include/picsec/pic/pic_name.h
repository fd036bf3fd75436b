// PIC interface names, es-FPC/PIC/PORT (the ES PIC) and ms-FPC/PIC/PORT (the
// services PIC): parsing and validation against a platform's slot limits.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include "picsec/base/expected.h"
#include "picsec/pic/error.h"
#include "picsec/pic/platform.h"

namespace picsec::pic {

/// One PIC port, as named by an `es-FPC/PIC/PORT` or `ms-FPC/PIC/PORT`
/// interface. The PIC itself is identified by (kind, fpc, pic); both kinds
/// have port 0 only here.
struct PicName {
    std::uint32_t fpc = 0;
    std::uint32_t pic = 0;
    std::uint32_t port = 0;
    PicKind kind = PicKind::EncryptionServices;

    auto operator<=>(const PicName&) const = default;
};

/// "es-1/2/0", "ms-1/2/0".
std::string to_string(const PicName& name);

/// True when the interface name starts with "es-" (it names an ES PIC,
/// whether or not the rest is valid).
bool is_es_interface(std::string_view interface_name);
/// True when the interface name starts with "ms-" (a services PIC).
bool is_ms_interface(std::string_view interface_name);
/// The kind of PIC an interface name's prefix names (es- or ms-), if any.
std::optional<PicKind> pic_kind_of(std::string_view interface_name);

/// Parses and validates `es-FPC/PIC/PORT` or `ms-FPC/PIC/PORT` for the given
/// platform (any of its rows): decimal numbers, FPC and PIC within the
/// platform's slots for that kind of PIC, port 0. The error's field is
/// "interface".
Expected<PicName, Error> parse_pic_name(std::string_view interface_name,
                                       const PlatformModel& platform = default_model());

}  // namespace picsec::pic
