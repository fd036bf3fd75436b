// pcap reading and writing: round trips, and each kind of broken file gives
// one error naming the record and field.
#include <catch2/catch.hpp>

#include "pcap.h"

using picsec::tools::PcapFile;
using picsec::tools::PcapPacket;
using picsec::tools::parse_pcap;
using picsec::tools::serialize_pcap;

namespace {

std::vector<std::uint8_t> ipv4_packet() {
    // 20-byte header + 4 bytes payload, protocol UDP; checksum irrelevant here.
    return {0x45, 0, 0, 24, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2, 1, 2, 3, 4};
}

PcapFile ethernet_file() {
    PcapFile f;
    f.link_type = 1;
    PcapPacket p;
    p.ts_sec = 7;
    p.link_header = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x08, 0x00};
    p.ip = ipv4_packet();
    f.packets.push_back(p);
    return f;
}

}  // namespace

TEST_CASE("a written ethernet capture reads back with the same IPv4 packets", "[tools][pcap]") {
    auto bytes = serialize_pcap(ethernet_file());
    auto r = parse_pcap(bytes, "x.pcap");
    REQUIRE(r.error.empty());
    REQUIRE(r.file->packets.size() == 1);
    CHECK(r.file->packets[0].ip == ipv4_packet());
    CHECK(r.file->packets[0].ts_sec == 7);
    CHECK(serialize_pcap(*r.file) == bytes);
}

TEST_CASE("a raw-IP capture yields the packet with no link header", "[tools][pcap]") {
    PcapFile f;
    f.link_type = 101;
    PcapPacket p;
    p.ip = ipv4_packet();
    f.packets.push_back(p);
    auto r = parse_pcap(serialize_pcap(f), "raw.pcap");
    REQUIRE(r.error.empty());
    CHECK(r.file->packets[0].link_header.empty());
    CHECK(r.file->packets[0].ip == ipv4_packet());
}

TEST_CASE("a non-IPv4 ethernet frame is kept but marked as skipped", "[tools][pcap]") {
    auto f = ethernet_file();
    f.packets[0].link_header[12] = 0x86;
    f.packets[0].link_header[13] = 0xdd;
    auto r = parse_pcap(serialize_pcap(f), "v6.pcap");
    REQUIRE(r.error.empty());
    CHECK(r.file->packets[0].ip.empty());
    CHECK(r.file->packets[0].skipped_reason == "ethertype 0x86dd is not IPv4");
}

TEST_CASE("a truncated pcap names the record and the missing bytes", "[tools][pcap]") {
    auto bytes = serialize_pcap(ethernet_file());
    bytes.resize(bytes.size() - 5);
    auto r = parse_pcap(bytes, "cut.pcap");
    CHECK_FALSE(r.file.has_value());
    CHECK(r.error == "cut.pcap: record 1: data truncated (got 33 bytes, need 38)");
    bytes.resize(30);
    CHECK(parse_pcap(bytes, "cut.pcap").error == "cut.pcap: record 1: header truncated (got 6 bytes, need 16)");
    bytes.resize(10);
    CHECK(parse_pcap(bytes, "cut.pcap").error == "cut.pcap: pcap global header truncated (got 10 bytes, need 24)");
}

TEST_CASE("a file that is not pcap is refused by its magic number", "[tools][pcap]") {
    std::vector<std::uint8_t> bytes(40, 0);
    bytes[0] = 0x0a;
    bytes[1] = 0x0d;
    bytes[2] = 0x0d;
    bytes[3] = 0x0a;
    auto r = parse_pcap(bytes, "x.pcapng");
    CHECK(r.error.find("x.pcapng: not a pcap file: magic number 0xa0d0d0a") == 0);
}

TEST_CASE("an oversized record length is refused before any allocation", "[tools][pcap]") {
    auto bytes = serialize_pcap(ethernet_file());
    bytes[24 + 8] = 0xff;
    bytes[24 + 9] = 0xff;
    bytes[24 + 10] = 0xff;
    bytes[24 + 11] = 0x7f;
    auto r = parse_pcap(bytes, "big.pcap");
    CHECK(r.error == "big.pcap: record 1: captured length 2147483647 exceeds the maximum of 262144");
}

TEST_CASE("a byte-swapped pcap header is understood", "[tools][pcap]") {
    auto bytes = serialize_pcap(ethernet_file());
    // Rewrite the global and record headers big-endian.
    auto swap32 = [&](std::size_t at) { std::swap(bytes[at], bytes[at + 3]); std::swap(bytes[at + 1], bytes[at + 2]); };
    auto swap16 = [&](std::size_t at) { std::swap(bytes[at], bytes[at + 1]); };
    swap32(0); swap16(4); swap16(6); swap32(8); swap32(12); swap32(16); swap32(20);
    for (std::size_t at = 24; at < 40; at += 4) swap32(at);
    auto r = parse_pcap(bytes, "be.pcap");
    REQUIRE(r.error.empty());
    CHECK(r.file->packets[0].ip == ipv4_packet());
}
