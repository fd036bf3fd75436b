// Diagnostic rendering: the text form and the JSON form.
#include <catch2/catch.hpp>

#include "picsec/config/diagnostic.h"

using namespace picsec::config;

TEST_CASE("a diagnostic renders as FILE:LINE:COL: severity: PATH: message", "[config][diagnostic]") {
    Diagnostic d{"r.conf", 12, 5, "security ipsec proposal p1 protocol", "bad", Severity::Error};
    CHECK(format(d) == "r.conf:12:5: error: security ipsec proposal p1 protocol: bad");
    d.path.clear();
    d.severity = Severity::Warning;
    CHECK(format(d) == "r.conf:12:5: warning: bad");
}

TEST_CASE("the JSON form escapes strings and counts errors and warnings", "[config][diagnostic]") {
    Diagnostics ds{{"a \"b\".conf", 1, 2, "p", "line\nbreak\x01", Severity::Error},
                   {"c.conf", 3, 4, "", "w", Severity::Warning}};
    CHECK(to_json(ds) ==
          "{\"errors\":1,\"warnings\":1,\"notes\":0,\"diagnostics\":["
          "{\"file\":\"a \\\"b\\\".conf\",\"line\":1,\"column\":2,\"severity\":\"error\",\"path\":\"p\","
          "\"message\":\"line\\nbreak\\u0001\"},"
          "{\"file\":\"c.conf\",\"line\":3,\"column\":4,\"severity\":\"warning\",\"path\":\"\",\"message\":\"w\"}]}");
    CHECK(to_json(Diagnostics{}) == "{\"errors\":0,\"warnings\":0,\"notes\":0,\"diagnostics\":[]}");
}
