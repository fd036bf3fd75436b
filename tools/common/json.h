// A minimal JSON writer for the tools' --json output: objects, arrays,
// strings (escaped per RFC 8259 7), numbers and booleans, written in order.
#pragma once

#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace picsec::tools {

/// Quotes and escapes a string for JSON (RFC 8259 7).
std::string json_quote(std::string_view text);

/// Builds one JSON text incrementally. Commas are inserted automatically;
/// keys are given with key() before a value inside an object.
class JsonWriter {
public:
    JsonWriter& begin_object();
    JsonWriter& end_object();
    JsonWriter& begin_array();
    JsonWriter& end_array();
    JsonWriter& key(std::string_view name);
    JsonWriter& value(std::string_view text);
    JsonWriter& value(const char* text) { return value(std::string_view(text)); }
    JsonWriter& value(bool flag);
    /// Any unsigned or non-negative integer.
    template <std::integral T>
        requires(!std::same_as<T, bool>)
    JsonWriter& value(T number) {
        return number_value(static_cast<std::uint64_t>(number));
    }
    JsonWriter& null();
    /// Inserts an already serialised JSON value (e.g. libconfig's to_json()).
    JsonWriter& raw(std::string_view json);

    /// key(name).value(v) in one call.
    template <typename T>
    JsonWriter& field(std::string_view name, const T& v) {
        key(name);
        return value(v);
    }

    const std::string& str() const { return m_out; }

private:
    void separate();
    JsonWriter& number_value(std::uint64_t number);

    std::string m_out;
    std::vector<bool> m_first;  ///< per open container: no element written yet
    bool m_after_key = false;
};

}  // namespace picsec::tools
