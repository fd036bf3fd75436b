// libFuzzer target: arbitrary bytes as a configuration file through the
// parser, schema, model builder, commit check and show configuration's
// printer; must never crash or throw.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "picsec/config/load.h"
#include "picsec/config/show.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto result = picsec::config::check_string(text, "fuzz.conf");
    // Render both forms so the formatters see hostile strings too.
    auto text_out = picsec::config::format(result.diagnostics);
    auto json_out = picsec::config::to_json(result.diagnostics);
    auto shown = picsec::config::show_string(text, "fuzz.conf");
    return text_out.size() + json_out.size() + shown.text.size() > 0 ? 0 : 0;
}
