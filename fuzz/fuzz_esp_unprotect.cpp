// libFuzzer target: inbound IPsec processing (IPv4, ESP, AH, bundle, NAT-T)
// against a SADB holding every SA shape, plus a protect/unprotect round-trip
// oracle that treats the input as a payload. Seeds: RFC 3602 ESP packets.
#include <picsec/sadb/ipv4.h>
#include <picsec/sadb/sadb.h>

#include <botan/rng.h>

#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

using namespace picsec::sadb;

namespace {

class CounterRng final : public Botan::RandomNumberGenerator {
public:
    void randomize(std::uint8_t out[], std::size_t n) override {
        for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::uint8_t>(m_next++);
    }
    bool accepts_input() const override { return false; }
    void add_entropy(const std::uint8_t[], std::size_t) override {}
    std::string name() const override { return "CounterRng"; }
    void clear() override {}
    bool is_seeded() const override { return true; }

private:
    unsigned m_next = 0;
};

Botan::secure_vector<std::uint8_t> bytes(std::initializer_list<std::uint8_t> b) { return {b.begin(), b.end()}; }

Botan::secure_vector<std::uint8_t> filled(std::size_t n, std::uint8_t seed) {
    Botan::secure_vector<std::uint8_t> k(n);
    for (std::size_t i = 0; i < n; ++i) k[i] = static_cast<std::uint8_t>(seed + 29 * i);
    return k;
}

SaSpec base(std::uint32_t spi, Protocol p, Mode m) {
    SaSpec s;
    s.name = "fuzz" + std::to_string(spi);
    s.spi = spi;
    s.protocol = p;
    s.direction = Direction::Bidirectional;
    s.mode = m;
    s.local_address = 0xc0a87b03;
    s.peer_address = 0xc0a87bc8;
    s.replay_window = 64;
    return s;
}

struct Rig {
    Sadb db;
    std::vector<SaId> ids;      ///< SAs that protect (bidirectional ones also unprotect)
    std::vector<SaId> inbound;  ///< the SA that unprotects what ids[i] protects

    Rig() {
        // RFC 3602 4 cases 5 and 7, so the seed packets decrypt.
        SaSpec c5 = base(0x4321, Protocol::Esp, Mode::Transport);
        c5.encryption = EncryptionAlgorithm::Aes128Cbc;
        c5.encryption_key = bytes({0x90, 0xd3, 0x82, 0xb4, 0x10, 0xee, 0xba, 0x7a,
                                   0xd9, 0x38, 0xc4, 0x6c, 0xec, 0x1a, 0x82, 0xbf});
        SaSpec c7 = base(0x8765, Protocol::Esp, Mode::Tunnel);
        c7.encryption = EncryptionAlgorithm::Aes128Cbc;
        c7.encryption_key = bytes({0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
                                   0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef});
        SaSpec esp = base(0x1000, Protocol::Esp, Mode::Transport);
        esp.encryption = EncryptionAlgorithm::TripleDesCbc;
        esp.encryption_key = filled(24, 1);
        esp.authentication = AuthenticationAlgorithm::HmacSha1_96;
        esp.authentication_key = filled(20, 2);
        SaSpec ah = base(0x1001, Protocol::Ah, Mode::Tunnel);
        ah.authentication = AuthenticationAlgorithm::HmacMd5_96;
        ah.authentication_key = filled(16, 3);
        SaSpec bundle = base(0x1002, Protocol::Bundle, Mode::Transport);
        bundle.auxiliary_spi = 0x1003;
        bundle.encryption = EncryptionAlgorithm::DesCbc;
        bundle.encryption_key = filled(8, 4);
        bundle.authentication = AuthenticationAlgorithm::HmacSha256_128;
        bundle.authentication_key = filled(32, 5);
        SaSpec natt = base(0x1004, Protocol::Esp, Mode::Tunnel);
        natt.encryption = EncryptionAlgorithm::Aes256Cbc;
        natt.encryption_key = filled(32, 6);
        natt.authentication = AuthenticationAlgorithm::HmacSha1_96;
        natt.authentication_key = filled(20, 7);
        natt.udp_encapsulation = UdpEncapsulation{};
        for (auto* s : {&c5, &c7, &esp, &ah, &bundle, &natt}) {
            auto id = db.add(*s);
            if (!id) std::abort();
            ids.push_back(*id);
            inbound.push_back(*id);
        }
        // AES-GCM (RFC 4106) is one SA per direction: the same key under SPI
        // 0x1005 both ways here, so what it protects comes back in.
        SaSpec gcm_out = base(0x1005, Protocol::Esp, Mode::Tunnel);
        gcm_out.direction = Direction::Outbound;
        gcm_out.encryption = EncryptionAlgorithm::Aes128Gcm16;
        gcm_out.encryption_key = filled(20, 8);
        SaSpec gcm_in = gcm_out;
        gcm_in.direction = Direction::Inbound;
        auto out_id = db.add(gcm_out);
        auto in_id = db.add(gcm_in);
        if (!out_id || !in_id) std::abort();
        ids.push_back(*out_id);
        inbound.push_back(*in_id);
    }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    Rig rig;  // fresh per input: replay windows and lifetimes carry no state across inputs
    const std::span<const std::uint8_t> input(data, size);

    auto check = [](const picsec::Expected<Unprotected, Drop>& r) {
        if (r) {
            if (!ipv4::parse(r->packet)) std::abort();  // what comes out is a valid IPv4 packet
        } else if (r.error().message.empty()) {
            std::abort();  // every drop names its field
        }
    };
    check(rig.db.unprotect(input));
    // Again with total length and checksum repaired, so mutations reach ESP and AH.
    if (size >= 20 && size <= 65535 && (data[0] & 0x0f) * 4U <= size && (data[0] & 0x0f) >= 5) {
        std::vector<std::uint8_t> repaired(data, data + size);
        ipv4::finish_header(repaired, (data[0] & 0x0fU) * 4U);
        check(rig.db.unprotect(repaired));
    }

    // Oracle: any payload protected by any SA comes back unchanged.
    if (size == 0 || size > 4000) return 0;
    std::vector<std::uint8_t> packet = ipv4::make_header(0, 7, 0, 64, data[0], 0x0a000001, 0x0a000002);
    packet.insert(packet.end(), data + 1, data + size);
    ipv4::finish_header(packet, 20);
    Rig oracle;  // the first half may have moved this rig's replay windows
    CounterRng rng;
    for (std::size_t i = 0; i < oracle.ids.size(); ++i) {
        auto wire = oracle.db.protect(oracle.ids[i], packet, rng);
        if (!wire) std::abort();
        auto back = oracle.db.unprotect(*wire);
        if (back) {
            if (back->packet != packet || back->sa != oracle.inbound[i]) std::abort();
        } else if (back.error().reason != DropReason::DummyPacket || data[0] != ipv4::k_protocol_none) {
            std::abort();  // only an inner next header of 59 may vanish (RFC 4303 2.6)
        }
    }
    return 0;
}
