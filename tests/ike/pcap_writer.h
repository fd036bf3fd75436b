// A minimal classic-pcap writer for the tshark tests: engine datagrams
// wrapped in IPv4/UDP (raw-IP link type 101), one packet a second.
#pragma once

#include "picsec/ike/types.h"

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

namespace picsec::ike::test {

/// Minimal classic-pcap writer (libpcap format 2.4, little endian).
class PcapWriter {
public:
    explicit PcapWriter(const std::string& path) : m_out(path, std::ios::binary)
    {
        u32(0xa1b2c3d4);
        u16(2);
        u16(4);
        u32(0);       // thiszone
        u32(0);       // sigfigs
        u32(65535);   // snaplen
        u32(101);     // LINKTYPE_RAW: packets start with the IP header
    }
    bool ok() const { return m_out.good(); }

    /// One UDP datagram as an IPv4 packet.
    void udp(const Endpoint& from, const Endpoint& to, const std::vector<std::uint8_t>& payload)
    {
        std::vector<std::uint8_t> p;
        const auto total = static_cast<std::uint16_t>(20 + 8 + payload.size());
        auto be16 = [&](std::uint16_t v) {
            p.push_back(static_cast<std::uint8_t>(v >> 8));
            p.push_back(static_cast<std::uint8_t>(v));
        };
        // RFC 791 header: version 4, IHL 5, total length, ID, DF, TTL 64, UDP.
        p.push_back(0x45);
        p.push_back(0);
        be16(total);
        be16(static_cast<std::uint16_t>(++m_packets));
        be16(0x4000);
        p.push_back(64);
        p.push_back(17);
        be16(0);  // checksum, filled below
        p.insert(p.end(), from.address.octets.begin(), from.address.octets.end());
        p.insert(p.end(), to.address.octets.begin(), to.address.octets.end());
        std::uint32_t sum = 0;
        for (std::size_t i = 0; i < 20; i += 2)
            sum += (std::uint32_t{p[i]} << 8) | p[i + 1];
        while (sum >> 16)
            sum = (sum & 0xffff) + (sum >> 16);
        const auto csum = static_cast<std::uint16_t>(~sum);
        p[10] = static_cast<std::uint8_t>(csum >> 8);
        p[11] = static_cast<std::uint8_t>(csum);
        // RFC 768: checksum 0 = none, allowed over IPv4.
        be16(from.port);
        be16(to.port);
        be16(static_cast<std::uint16_t>(8 + payload.size()));
        be16(0);
        p.insert(p.end(), payload.begin(), payload.end());
        u32(1700000000 + m_packets);  // one packet a second
        u32(0);
        u32(static_cast<std::uint32_t>(p.size()));
        u32(static_cast<std::uint32_t>(p.size()));
        m_out.write(reinterpret_cast<const char*>(p.data()), static_cast<std::streamsize>(p.size()));
    }

private:
    void u16(std::uint16_t v) { m_out.write(reinterpret_cast<const char*>(&v), 2); }
    void u32(std::uint32_t v) { m_out.write(reinterpret_cast<const char*>(&v), 4); }
    std::ofstream m_out;
    unsigned m_packets = 0;
};

}  // namespace picsec::ike::test
