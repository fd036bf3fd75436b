// ES PIC interface names, es-FPC/PIC/PORT: parsing and validation against a
// platform's slot limits.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>
#include "picsec/base/expected.h"
#include "picsec/pic/error.h"
#include "picsec/pic/platform.h"

namespace picsec::pic {

/// One ES PIC port, as named by an `es-FPC/PIC/PORT` interface. The PIC
/// itself is identified by (fpc, pic); an ES PIC has port 0 only.
struct PicName {
    std::uint32_t fpc = 0;
    std::uint32_t pic = 0;
    std::uint32_t port = 0;

    auto operator<=>(const PicName&) const = default;
};

/// "es-1/2/0".
std::string to_string(const PicName& name);

/// True when the interface name starts with "es-" (it names an ES PIC,
/// whether or not the rest is valid).
bool is_es_interface(std::string_view interface_name);

/// Parses and validates `es-FPC/PIC/PORT` for the given platform: decimal
/// numbers, FPC and PIC within the platform's slots, port 0. The error's
/// field is "interface".
Expected<PicName, Error> parse_pic_name(std::string_view interface_name,
                                       const PlatformModel& platform = default_model());

}  // namespace picsec::pic
