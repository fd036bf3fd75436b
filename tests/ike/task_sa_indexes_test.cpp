// The engine's SA indexes alone: when each SA next has tick work
// (DueIndex) and the IKEv2 lookups by serial, IKE_SA_INIT and half-open
// state (v2::SaIndex).
#include "due_index.h"
#include "../v2/exchange/sa_index.h"

#include <catch2/catch.hpp>

using namespace picsec::ike::detail;

TEST_CASE("a due index hands out the keys due by now, soonest first, and each once", "[ike][index]")
{
    DueIndex<int> due;
    due.schedule(1, 300);
    due.schedule(2, 100);
    due.schedule(3, 200);
    due.schedule(4, std::nullopt);  // nothing to do: not filed
    CHECK(due.size() == 3);
    CHECK(due.take_due(99).empty());
    CHECK(due.take_due(200) == std::vector<int>{2, 3});
    CHECK(due.take_due(200).empty());
    CHECK(due.size() == 1);
    CHECK(due.due(1) == 300u);
}

TEST_CASE("a due index files a key again under its new time, and a touched key is due at once", "[ike][index]")
{
    DueIndex<int> due;
    due.schedule(1, 500);
    due.schedule(1, 900);  // moved later: the old time no longer counts
    CHECK(due.take_due(600).empty());
    due.touch(1);
    CHECK(due.take_due(0) == std::vector<int>{1});
    due.schedule(2, 100);
    due.remove(2);
    CHECK(due.take_due(1000).empty());
    CHECK(due.size() == 0);
}

namespace {
v2::SaIndex::Spi spi(std::uint8_t b) { return v2::SaIndex::Spi{b, 0, 0, 0, 0, 0, 0, b}; }
}  // namespace

TEST_CASE("the IKEv2 index finds a live responder SA by the initiator's SPI and address", "[ike][v2][index]")
{
    v2::SaIndex index;
    index.add(spi(1), 7, true, spi(0xa1), 0x0a000002);
    CHECK(index.responder_for(spi(0xa1), 0x0a000002) == spi(1));
    CHECK_FALSE(index.responder_for(spi(0xa1), 0x0a000003));  // the same SPI from another address is another SA
    CHECK(index.by_serial(7) == spi(1));
    index.dead(spi(1));
    CHECK_FALSE(index.responder_for(spi(0xa1), 0x0a000002));
    CHECK_FALSE(index.by_serial(7));
    // An initiator SA is found by serial only.
    index.add(spi(2), 8, false, spi(2), 0x0a000002);
    CHECK(index.by_serial(8) == spi(2));
    CHECK_FALSE(index.responder_for(spi(2), 0x0a000002));
}

TEST_CASE("the IKEv2 index counts half-open responder SAs in all and per peer address", "[ike][v2][index]")
{
    v2::SaIndex index;
    index.add(spi(1), 1, true, spi(0xa1), 0x0a000002);
    index.add(spi(2), 2, true, spi(0xa2), 0x0a000002);
    index.add(spi(3), 3, true, spi(0xa3), 0x0a000003);
    index.add(spi(4), 4, false, spi(4), 0x0a000003);  // ours: never half-open
    CHECK(index.half_open() == 3);
    CHECK(index.half_open_from(0x0a000002) == 2);
    index.set_half_open(spi(1), false);  // established
    index.set_half_open(spi(1), false);  // counted once
    CHECK(index.half_open() == 2);
    CHECK(index.half_open_from(0x0a000002) == 1);
    index.remove(spi(2));  // died and reaped while half-open
    index.remove(spi(3));
    CHECK(index.half_open() == 0);
    CHECK(index.half_open_from(0x0a000002) == 0);
    CHECK(index.half_open_from(0x0a000003) == 0);
}
