// Writes a pcap of an engine-to-engine Main Mode + Quick Mode negotiating an
// AH+ESP bundle (each datagram wrapped in IPv4/UDP, raw-IP link type 101) and
// the ikev1_decryption_table record (icookie,Ka) tshark needs to read the
// encrypted messages. Used by tshark_bundle_test.sh.
//   pcap_bundle_capture OUT.pcap OUT.uat
#include "exchange_harness.h"

#include <cstdio>
#include <fstream>
#include <iostream>

using namespace picsec::ike;
using namespace picsec::ike::test;

namespace {

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

std::string hex(std::span<const std::uint8_t> b)
{
    std::string s;
    char buf[3];
    for (auto x : b) {
        std::snprintf(buf, sizeof buf, "%02x", x);
        s += buf;
    }
    return s;
}

}  // namespace

int main(int argc, char** argv)
{
    if (argc != 3) {
        std::cerr << "usage: pcap_bundle_capture OUT.pcap OUT.uat\n";
        return 2;
    }
    auto a = make_config("10.0.0.1", "10.0.0.2", true);
    auto b = make_config("10.0.0.2", "10.0.0.1", false);
    negotiation::IpsecProposal bundle;
    bundle.name = "bundle-sha-3des";
    bundle.protocol = picsec::sadb::Protocol::Bundle;
    bundle.encryption = picsec::sadb::EncryptionAlgorithm::TripleDesCbc;
    bundle.authentication = picsec::sadb::AuthenticationAlgorithm::HmacSha1_96;
    a.ipsec_policies[0].proposals = {bundle};
    b.ipsec_policies[0].proposals = {bundle};
    a.log_keys = true;  // the key-logging switch: export_ike_keys() answers only then
    Pair p(a, b);
    PcapWriter pcap(argv[1]);
    p.tick(0);
    // MM1..MM6, QM1..QM3, each written as it is delivered.
    for (int i = 0; i < 50 && (!p.na.outbox.empty() || !p.nb.outbox.empty()); ++i) {
        for (auto* side : {&p.na, &p.nb}) {
            if (side->outbox.empty())
                continue;
            auto d = std::move(side->outbox.front());
            side->outbox.pop_front();
            pcap.udp(d.from, d.to, d.bytes);
            (side == &p.na ? *p.eb : *p.ea).received_datagram(d.bytes, d.from, d.to);
        }
    }
    if (p.na.installed.size() != 1 || p.nb.installed.size() != 1 ||
        p.na.installed.begin()->second.inbound.protocol != picsec::sadb::Protocol::Bundle) {
        std::cerr << "bundle negotiation did not complete\n" << p.log_text.str();
        return 1;
    }
    const auto keys = p.ea->export_ike_keys();
    if (keys.size() != 1) {
        std::cerr << "expected one IKE SA's keys, got " << keys.size() << "\n";
        return 1;
    }
    std::ofstream uat(argv[2]);
    // The record as Wireshark's UAT file holds it (bytes fields unquoted).
    uat << hex(keys[0].initiator_cookie) << ',' << hex(keys[0].encryption_key) << '\n';
    if (!pcap.ok() || !uat.good())
        return 1;
    return 0;
}
