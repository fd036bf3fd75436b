// Rendering of mismatch reports and reply errors into one log line.
#include "picsec/ike/negotiation/mismatch.h"

#include <catch2/catch.hpp>

using namespace picsec::ike::negotiation;

TEST_CASE("a mismatch report repeats the proposal and protocol only when they change",
          "[ike][negotiation][mismatch]") {
    MismatchReport r;
    r.entries = {
        {1, "ah", 1, "authentication-algorithm", "hmac-md5-96", "hmac-sha1-96", "b"},
        {1, "esp", 1, "encryption-algorithm", "des-cbc", "3des-cbc", "b"},
        {1, "esp", 2, "pfs-group", "none", "group2", "b"},
        {2, "", std::nullopt, "protocol", "ah", "bundle", "b"},
        {3, "", 4, "dh-group", "group1", "group2", ""},
    };
    CHECK(r.to_string() ==
          "no proposal chosen: proposal 1 ah transform 1: authentication-algorithm theirs hmac-md5-96 ours "
          "hmac-sha1-96 (b); esp transform 1: encryption-algorithm theirs des-cbc ours 3des-cbc (b); transform 2: "
          "pfs-group theirs none ours group2 (b); proposal 2: protocol theirs ah ours bundle (b); proposal 3 "
          "transform 4: dh-group theirs group1 ours group2");
    CHECK(r.to_string().find('\n') == std::string::npos);
}

TEST_CASE("a mismatch report names why it has no entries", "[ike][negotiation][mismatch]") {
    CHECK(MismatchReport{MismatchReason::EmptyOffer, {}}.to_string() == "no proposal chosen: peer offered no proposals");
    CHECK(MismatchReport{MismatchReason::NoLocalProposals, {}}.to_string() ==
          "no proposal chosen: no local proposals configured");
}

TEST_CASE("a reply error names the altered attribute when there is one", "[ike][negotiation][reply]") {
    CHECK(ReplyError{"SA carries 2 transforms, need exactly 1", {}}.to_string() ==
          "invalid proposal reply: SA carries 2 transforms, need exactly 1");
    CHECK(ReplyError{"reply changed proposal 1", MismatchEntry{1, "", 2, "dh-group", "group2", "group14", "p"}}
              .to_string() == "invalid proposal reply: reply changed proposal 1: transform 2: dh-group theirs group2 "
                              "ours group14 (p)");
    CHECK(ReplyError{"reply changed proposal 3",
                     MismatchEntry{3, "esp", 1, "key-length", "256", "128", "p"}}
              .to_string() == "invalid proposal reply: reply changed proposal 3: esp transform 1: key-length theirs "
                              "256 ours 128 (p)");
}
