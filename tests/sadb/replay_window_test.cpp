// Anti-replay window behaviour of RFC 4303 3.4.3 for 32- and 64-packet windows.
#include <catch2/catch.hpp>

#include <stdexcept>

#include "picsec/sadb/replay_window.h"

using picsec::sadb::ReplayWindow;
using Verdict = ReplayWindow::Verdict;

namespace {

// check() then commit() as the receiver does after the ICV verified.
Verdict receive(ReplayWindow& w, std::uint32_t seq) {
    const Verdict v = w.check(seq);
    if (v == Verdict::Ok) w.commit(seq);
    return v;
}

}  // namespace

TEST_CASE("replay window accepts in-order sequence numbers", "[sadb][replay]") {
    for (unsigned size : {32U, 64U}) {
        ReplayWindow w(size);
        for (std::uint32_t seq = 1; seq <= 200; ++seq) REQUIRE(receive(w, seq) == Verdict::Ok);
        CHECK(w.highest() == 200);
    }
}

TEST_CASE("replay window accepts packets reordered within the window", "[sadb][replay]") {
    for (unsigned size : {32U, 64U}) {
        INFO("window " << size);
        ReplayWindow w(size);
        REQUIRE(receive(w, 100) == Verdict::Ok);
        REQUIRE(receive(w, 95) == Verdict::Ok);
        REQUIRE(receive(w, 97) == Verdict::Ok);
        REQUIRE(receive(w, 102) == Verdict::Ok);
        REQUIRE(receive(w, 101) == Verdict::Ok);
        REQUIRE(receive(w, 102 - (size - 1)) == Verdict::Ok);  // the oldest slot still inside
        CHECK(receive(w, 96) == Verdict::Ok);
        CHECK(w.highest() == 102);
    }
}

TEST_CASE("replay window rejects a duplicate", "[sadb][replay]") {
    for (unsigned size : {32U, 64U}) {
        ReplayWindow w(size);
        REQUIRE(receive(w, 1) == Verdict::Ok);
        REQUIRE(receive(w, 3) == Verdict::Ok);
        CHECK(receive(w, 3) == Verdict::Duplicate);  // the highest
        CHECK(receive(w, 1) == Verdict::Duplicate);  // inside the window
        CHECK(receive(w, 2) == Verdict::Ok);
        CHECK(receive(w, 2) == Verdict::Duplicate);
    }
}

TEST_CASE("replay window rejects a packet left of the window as too old", "[sadb][replay]") {
    ReplayWindow w64(64);
    REQUIRE(receive(w64, 100) == Verdict::Ok);
    CHECK(w64.check(37) == Verdict::Ok);       // 100 - 63: last slot of the window
    CHECK(w64.check(36) == Verdict::TooOld);   // 100 - 64: just outside
    ReplayWindow w32(32);
    REQUIRE(receive(w32, 100) == Verdict::Ok);
    CHECK(w32.check(69) == Verdict::Ok);       // 100 - 31
    CHECK(w32.check(68) == Verdict::TooOld);   // 100 - 32
    CHECK(w32.check(37) == Verdict::TooOld);   // a 64-window would take it
}

TEST_CASE("replay window advances by exactly its size at 32 and at 64", "[sadb][replay]") {
    for (unsigned size : {32U, 64U}) {
        INFO("window " << size);
        ReplayWindow w(size);
        REQUIRE(receive(w, 1) == Verdict::Ok);
        REQUIRE(receive(w, 2) == Verdict::Ok);
        // Advance so that 2 is the last slot: still a duplicate, not too old.
        REQUIRE(receive(w, 2 + size - 1) == Verdict::Ok);
        CHECK(w.check(2) == Verdict::Duplicate);
        CHECK(w.check(1) == Verdict::TooOld);
        CHECK(w.check(3) == Verdict::Ok);
        // One more step pushes 2 out.
        REQUIRE(receive(w, 2 + size) == Verdict::Ok);
        CHECK(w.check(2) == Verdict::TooOld);
        CHECK(w.check(3) == Verdict::Ok);
        // A jump far ahead clears the whole bitmap.
        REQUIRE(receive(w, 10'000) == Verdict::Ok);
        CHECK(w.bitmap() == 1U);
        CHECK(w.check(10'000 - size) == Verdict::TooOld);
        CHECK(w.check(10'000 - size + 1) == Verdict::Ok);
    }
}

TEST_CASE("replay window records a number only on commit", "[sadb][replay]") {
    ReplayWindow w(64);
    REQUIRE(w.check(5) == Verdict::Ok);
    // ICV failed: no commit, so the genuine packet with the same number still passes.
    CHECK(w.check(5) == Verdict::Ok);
    CHECK(w.highest() == 0);
    w.commit(5);
    CHECK(w.check(5) == Verdict::Duplicate);
}

TEST_CASE("replay window rejects sequence number zero and handles the top of the range", "[sadb][replay]") {
    ReplayWindow w(32);
    CHECK(w.check(0) == Verdict::Zero);
    REQUIRE(receive(w, 0xffffffffU) == Verdict::Ok);
    CHECK(w.check(0xffffffffU) == Verdict::Duplicate);
    CHECK(w.check(0xffffffffU - 31) == Verdict::Ok);
    CHECK(w.check(0xffffffffU - 32) == Verdict::TooOld);
}

TEST_CASE("replay window of size zero accepts everything", "[sadb][replay]") {
    ReplayWindow w(0);
    CHECK_FALSE(w.enabled());
    REQUIRE(receive(w, 7) == Verdict::Ok);
    CHECK(receive(w, 7) == Verdict::Ok);
    CHECK(receive(w, 0) == Verdict::Ok);
}

TEST_CASE("replay window refuses sizes other than 0, 32 and 64", "[sadb][replay]") {
    CHECK_THROWS_AS(ReplayWindow(16), std::invalid_argument);
    CHECK_THROWS_AS(ReplayWindow(128), std::invalid_argument);
    CHECK_NOTHROW(ReplayWindow(32));
}
