// Anti-replay window behaviour of RFC 4303 3.4.3 for 32- and 64-packet windows
// and the wider ring-of-words windows up to 4096 (32-bit sequence numbers;
// extended sequence numbers are in esn_test.cpp).
#include <catch2/catch.hpp>

#include <stdexcept>

#include "picsec/sadb/replay_window.h"

using picsec::sadb::ReplayWindow;
using Verdict = ReplayWindow::Verdict;

namespace {

// check() then commit() as the receiver does after the ICV verified.
Verdict receive(ReplayWindow& w, std::uint32_t seq) {
    const Verdict v = w.check(seq).verdict;
    if (v == Verdict::Ok) w.commit(seq);
    return v;
}

}  // namespace

TEST_CASE("replay window accepts in-order sequence numbers", "[sadb][replay]") {
    for (unsigned size : {32U, 64U, 128U, 1000U, 4096U}) {
        ReplayWindow w(size);
        for (std::uint32_t seq = 1; seq <= 200; ++seq) REQUIRE(receive(w, seq) == Verdict::Ok);
        CHECK(w.highest() == 200);
    }
}

TEST_CASE("replay window accepts packets reordered within the window", "[sadb][replay]") {
    for (unsigned size : {32U, 64U, 128U, 1000U, 4096U}) {
        INFO("window " << size);
        ReplayWindow w(size);
        const std::uint32_t top = 5000;
        REQUIRE(receive(w, top - 2) == Verdict::Ok);
        REQUIRE(receive(w, top - 7) == Verdict::Ok);
        REQUIRE(receive(w, top - 5) == Verdict::Ok);
        REQUIRE(receive(w, top) == Verdict::Ok);
        REQUIRE(receive(w, top - 1) == Verdict::Ok);
        REQUIRE(receive(w, top - (size - 1)) == Verdict::Ok);  // the oldest slot still inside
        CHECK(receive(w, top - 6) == Verdict::Ok);
        CHECK(w.highest() == top);
    }
}

TEST_CASE("replay window rejects a duplicate", "[sadb][replay]") {
    for (unsigned size : {32U, 64U, 128U, 1000U, 4096U}) {
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
    CHECK(w64.check(37).verdict == Verdict::Ok);       // 100 - 63: last slot of the window
    CHECK(w64.check(36).verdict == Verdict::TooOld);   // 100 - 64: just outside
    ReplayWindow w32(32);
    REQUIRE(receive(w32, 100) == Verdict::Ok);
    CHECK(w32.check(69).verdict == Verdict::Ok);       // 100 - 31
    CHECK(w32.check(68).verdict == Verdict::TooOld);   // 100 - 32
    CHECK(w32.check(37).verdict == Verdict::TooOld);   // a 64-window would take it
}

TEST_CASE("replay window advances by exactly its size at every width", "[sadb][replay]") {
    for (unsigned size : {32U, 64U, 128U, 1000U, 4096U}) {
        INFO("window " << size);
        ReplayWindow w(size);
        REQUIRE(receive(w, 1) == Verdict::Ok);
        REQUIRE(receive(w, 2) == Verdict::Ok);
        // Advance so that 2 is the last slot: still a duplicate, not too old.
        REQUIRE(receive(w, 2 + size - 1) == Verdict::Ok);
        CHECK(w.check(2).verdict == Verdict::Duplicate);
        CHECK(w.check(1).verdict == Verdict::TooOld);
        CHECK(w.check(3).verdict == Verdict::Ok);
        // One more step pushes 2 out.
        REQUIRE(receive(w, 2 + size) == Verdict::Ok);
        CHECK(w.check(2).verdict == Verdict::TooOld);
        CHECK(w.check(3).verdict == Verdict::Ok);
        // A jump far ahead clears the whole bitmap.
        REQUIRE(receive(w, 10'000) == Verdict::Ok);
        if (size <= 64) CHECK(w.bitmap() == 1U);
        for (std::uint32_t seq = 10'000 - size + 1; seq < 10'000; ++seq) REQUIRE(w.check(seq).verdict == Verdict::Ok);
        CHECK(w.check(10'000 - size).verdict == Verdict::TooOld);
        CHECK(w.check(10'000 - size + 1).verdict == Verdict::Ok);
    }
}

TEST_CASE("replay window records a number only on commit", "[sadb][replay]") {
    ReplayWindow w(64);
    REQUIRE(w.check(5).verdict == Verdict::Ok);
    // ICV failed: no commit, so the genuine packet with the same number still passes.
    CHECK(w.check(5).verdict == Verdict::Ok);
    CHECK(w.highest() == 0);
    w.commit(5);
    CHECK(w.check(5).verdict == Verdict::Duplicate);
}

TEST_CASE("replay window rejects sequence number zero and handles the top of the range", "[sadb][replay]") {
    ReplayWindow w(32);
    CHECK(w.check(0).verdict == Verdict::Zero);
    REQUIRE(receive(w, 0xffffffffU) == Verdict::Ok);
    CHECK(w.check(0xffffffffU).verdict == Verdict::Duplicate);
    CHECK(w.check(0xffffffffU - 31).verdict == Verdict::Ok);
    CHECK(w.check(0xffffffffU - 32).verdict == Verdict::TooOld);
}

TEST_CASE("replay window of size zero accepts everything", "[sadb][replay]") {
    ReplayWindow w(0);
    CHECK_FALSE(w.enabled());
    REQUIRE(receive(w, 7) == Verdict::Ok);
    CHECK(receive(w, 7) == Verdict::Ok);
    CHECK(receive(w, 0) == Verdict::Ok);
}

TEST_CASE("replay window refuses sizes other than 0, 32 and 64 to 4096, and ESN without a window", "[sadb][replay]") {
    CHECK_THROWS_AS(ReplayWindow(16), std::invalid_argument);
    CHECK_THROWS_AS(ReplayWindow(33), std::invalid_argument);
    CHECK_THROWS_AS(ReplayWindow(4097), std::invalid_argument);
    CHECK_THROWS_AS(ReplayWindow(0, true), std::invalid_argument);
    CHECK_NOTHROW(ReplayWindow(128));
    CHECK_NOTHROW(ReplayWindow(4096));
    CHECK_NOTHROW(ReplayWindow(32));
}
