// Writes a pcap of an engine-to-engine Main Mode + Quick Mode negotiating an
// AH+ESP bundle (each datagram wrapped in IPv4/UDP, raw-IP link type 101) and
// the ikev1_decryption_table record (icookie,Ka) tshark needs to read the
// encrypted messages. Used by tshark_bundle_test.sh.
//   pcap_bundle_capture OUT.pcap OUT.uat
#include "exchange_harness.h"
#include "pcap_writer.h"

#include <cstdio>
#include <fstream>
#include <iostream>

using namespace picsec::ike;
using namespace picsec::ike::test;

namespace {

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
