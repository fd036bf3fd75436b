// Writes a pcap of an engine-to-engine IKEv2 negotiation (IKE_SA_INIT,
// IKE_AUTH with the first Child SA, then an INFORMATIONAL delete) and the
// ikev2_decryption_table record picsec exports for it (SPIi, SPIr, SK_ei,
// SK_er, SK_ai, SK_ar and the algorithms' Wireshark names), so tshark can
// read the SK{} payloads. Used by tshark_ikev2_test.sh.
//   pcap_ikev2_capture OUT.pcap OUT.uat [aes|3des]
// aes (default): aes-256-cbc/sha-256/group14; 3des: 3des-cbc/sha1/group2.
#include "exchange_harness.h"
#include "pcap_writer.h"
#include "wireshark_export.h"

#include <botan/hex.h>

#include <fstream>
#include <iostream>

using namespace picsec;
using namespace picsec::ike;
using namespace picsec::ike::test;

namespace {

EngineConfig v2_config(const char* self, const char* peer, bool initiator, bool aes) {
    auto c = make_config(self, peer, initiator);
    for (auto& p : c.ike_policies) {
        p.version = IkeVersion::V2;
        for (auto& q : p.proposals) {
            q.encryption = aes ? sadb::EncryptionAlgorithm::Aes256Cbc : sadb::EncryptionAlgorithm::TripleDesCbc;
            q.hash = aes ? algo::HashAlgorithm::Sha256 : algo::HashAlgorithm::Sha1;
            q.group = aes ? algo::DhGroup::Modp2048 : algo::DhGroup::Modp1024;
        }
    }
    return c;
}

// Delivers every queued datagram, writing each to the pcap as it goes.
void deliver(Pair& p, PcapWriter& pcap) {
    for (int i = 0; i < 50 && (!p.na.outbox.empty() || !p.nb.outbox.empty()); ++i) {
        for (auto* side : {&p.na, &p.nb}) {
            if (side->outbox.empty()) continue;
            auto d = std::move(side->outbox.front());
            side->outbox.pop_front();
            pcap.udp(d.from, d.to, d.bytes);
            (side == &p.na ? *p.eb : *p.ea).received_datagram(d.bytes, d.from, d.to);
        }
    }
}

}  // namespace

int main(int argc, char** argv) {
    const std::string suite = argc == 4 ? argv[3] : "aes";
    if ((argc != 3 && argc != 4) || (suite != "aes" && suite != "3des")) {
        std::cerr << "usage: pcap_ikev2_capture OUT.pcap OUT.uat [aes|3des]\n";
        return 2;
    }
    const bool aes = suite == "aes";
    auto a = v2_config("10.0.0.1", "10.0.0.2", true, aes);
    a.log_keys = true;  // the key-logging switch: export_ike_keys() answers only then
    Pair p(a, v2_config("10.0.0.2", "10.0.0.1", false, aes));
    PcapWriter pcap(argv[1]);
    p.tick(0);
    deliver(p, pcap);
    if (p.na.installed.size() != 1 || p.nb.installed.size() != 1) {
        std::cerr << "IKEv2 negotiation did not complete\n" << p.log_text.str();
        return 1;
    }
    const auto keys = p.ea->export_ike_keys();
    if (keys.size() != 1 || keys[0].version != IkeVersion::V2) {
        std::cerr << "expected one IKEv2 SA's keys, got " << keys.size() << "\n";
        return 1;
    }
    // An INFORMATIONAL exchange (Delete of the IKE SA), protected too.
    p.ea->clear_ike(*Ipv4Address::parse("10.0.0.2"));
    deliver(p, pcap);

    const auto& k = keys[0];
    const auto hex = [](const auto& v) { return Botan::hex_encode(v.data(), v.size(), false); };
    const tools::IkeV2KeyRecord r{hex(k.initiator_cookie), hex(k.responder_cookie), hex(k.sk_ei), hex(k.sk_er),
                                  std::string(*tools::wireshark_ikev2_name(k.encryption)), hex(k.sk_ai),
                                  hex(k.sk_ar), std::string(tools::wireshark_ikev2_name(k.integrity))};
    std::ofstream uat(argv[2]);
    uat << r.to_uat() << '\n';
    if (!pcap.ok() || !uat.good()) return 1;
    return 0;
}
