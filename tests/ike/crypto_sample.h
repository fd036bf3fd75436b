// Test support for the crypto known-answer tests: loads the strongSwan
// sample files (tests/ike/data/crypto/*.txt, see extract_samples.py) and
// walks ISAKMP messages by hand, independent of the codec.
#pragma once

#include "picsec/ike/crypto/cipher.h"
#include "picsec/ike/crypto/phase1.h"

#include <botan/hex.h>

#include <cstdint>
#include <fstream>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace picsec::ike::crypto::test {

using Bytes = std::vector<std::uint8_t>;

inline Bytes hex(const std::string& h) { return Botan::hex_decode(h); }
template <typename T>
inline std::string to_hex(const T& b) { return Botan::hex_encode(b.data(), b.size(), false); }

/// key = value lines of one sample file.
class Sample {
public:
    explicit Sample(const std::string& name) : m_name(name) {
        std::ifstream in(std::string(PICSEC_TEST_DATA) + "/crypto/" + name + ".txt");
        if (!in) throw std::runtime_error("missing sample " + name);
        std::string line;
        while (std::getline(in, line)) {
            if (line.empty() || line[0] == '#') continue;
            const auto eq = line.find(" = ");
            if (eq != std::string::npos) m_values[line.substr(0, eq)] = line.substr(eq + 3);
        }
    }
    const std::string& name() const { return m_name; }
    bool has(const std::string& key) const { return m_values.count(key) != 0; }
    const std::string& text(const std::string& key) const {
        const auto it = m_values.find(key);
        if (it == m_values.end()) throw std::runtime_error(m_name + ": no value " + key);
        return it->second;
    }
    Bytes bytes(const std::string& key) const { return hex(text(key)); }
    /// Message IDs of the "next IV for MID n" log lines other than 0, in file order.
    std::vector<std::uint32_t> logged_message_ids() const {
        std::vector<std::uint32_t> ids;
        const std::string prefix = "log.next_IV_for_MID_";
        for (const auto& [k, v] : m_values)
            if (k.rfind(prefix, 0) == 0 && k.size() > prefix.size() + 2 && k.substr(k.size() - 2) == ".1") {
                const auto id = static_cast<std::uint32_t>(std::stoul(k.substr(prefix.size())));
                if (id != 0) ids.push_back(id);
            }
        return ids;
    }

private:
    std::string m_name;
    std::map<std::string, std::string> m_values;
};

/// RFC 2408 3.1 payload types used here, and RFC 3947 NAT-D.
enum PayloadType : std::uint8_t { SA = 1, KE = 4, ID = 5, HASH = 8, NONCE = 10, N = 11, D = 12, NAT_D = 20 };

struct RawPayload {
    std::uint8_t type;
    Bytes whole;  ///< with the 4-octet generic header
    Bytes body;   ///< without it (the "_b" of RFC 2409)
};

/// One message: RFC 2408 3.1 header fields and the payload chain
/// (decrypted when the E flag is set).
struct RawMessage {
    Bytes cky_i, cky_r;
    std::uint8_t exchange = 0;
    bool encrypted = false;
    std::uint32_t message_id = 0;
    Bytes body;       ///< after the header, as on the wire
    Bytes plaintext;  ///< decrypted body (with padding) or the body
    Bytes next_iv;    ///< last ciphertext block when encrypted
    std::size_t chain_length = 0;  ///< bytes of plaintext covered by the payload chain
    std::vector<RawPayload> payloads;

    const RawPayload& first(std::uint8_t type, std::size_t nth = 0) const {
        for (const auto& p : payloads)
            if (p.type == type && nth-- == 0) return p;
        throw std::runtime_error("payload not found");
    }
};

inline RawMessage parse_message(const Bytes& msg, std::optional<EncryptionAlgorithm> cipher = {},
                                const SecureBytes* ka = nullptr, IvChain* ivs = nullptr) {
    if (msg.size() < 28) throw std::runtime_error("short message");
    RawMessage m;
    m.cky_i.assign(msg.begin(), msg.begin() + 8);
    m.cky_r.assign(msg.begin() + 8, msg.begin() + 16);
    std::uint8_t next = msg[16];
    m.exchange = msg[18];
    m.encrypted = (msg[19] & 1) != 0;
    m.message_id = (std::uint32_t(msg[20]) << 24) | (std::uint32_t(msg[21]) << 16) | (std::uint32_t(msg[22]) << 8) |
                   msg[23];
    m.body.assign(msg.begin() + 28, msg.end());
    m.plaintext = m.body;
    if (m.encrypted) {
        if (!cipher || !ka || !ivs) throw std::runtime_error("encrypted message without keys");
        const auto r = decrypt_body(*cipher, *ka, ivs->iv(m.message_id), m.body);
        ivs->update(m.message_id, r.next_iv);
        m.plaintext = r.data;
        m.next_iv = r.next_iv;
    }
    std::size_t off = 0;
    while (next != 0) {
        if (off + 4 > m.plaintext.size()) throw std::runtime_error("truncated payload header");
        const std::size_t len = (std::size_t(m.plaintext[off + 2]) << 8) | m.plaintext[off + 3];
        if (len < 4 || off + len > m.plaintext.size()) throw std::runtime_error("bad payload length");
        RawPayload p;
        p.type = next;
        p.whole.assign(m.plaintext.begin() + off, m.plaintext.begin() + off + len);
        p.body.assign(p.whole.begin() + 4, p.whole.end());
        next = m.plaintext[off];
        off += len;
        m.payloads.push_back(std::move(p));
    }
    m.chain_length = off;
    return m;
}

/// The SPI of the first proposal of an SA payload body (RFC 2408 3.4, 3.5).
inline Bytes proposal_spi(const Bytes& sa_body) {
    const std::size_t prop = 8;  // after DOI and Situation
    const std::size_t spi_size = sa_body.at(prop + 6);
    return Bytes(sa_body.begin() + prop + 8, sa_body.begin() + prop + 8 + spi_size);
}

/// One scenario of /work/shared/interop/samples, with what it negotiated.
struct Scenario {
    const char* name;
    HashAlgorithm hash;
    EncryptionAlgorithm cipher;
    DhGroup group;
    bool aggressive;
};

inline const std::vector<Scenario>& psk_scenarios() {
    static const std::vector<Scenario> s{
        {"v1-main-3des", HashAlgorithm::Sha1, EncryptionAlgorithm::TripleDesCbc, DhGroup::Modp1024, false},
        {"v1-main-des-md5-768", HashAlgorithm::Md5, EncryptionAlgorithm::DesCbc, DhGroup::Modp768, false},
        {"v1-aggr-psk", HashAlgorithm::Sha1, EncryptionAlgorithm::Aes128Cbc, DhGroup::Modp1024, true},
        {"v1-main-3des-encap", HashAlgorithm::Sha1, EncryptionAlgorithm::TripleDesCbc, DhGroup::Modp1024, false},
    };
    return s;
}

/// A whole phase 1 + Quick Mode as seen on the wire, decrypted with our own
/// derivation (so a wrong Ka or IV shows up as a HASH mismatch downstream).
struct Transcript {
    Scenario scenario;
    Sample sample;
    Bytes sa_i_b, g_xi, g_xr, ni_b, nr_b, cky_i, cky_r, g_xy, id_ii_b, id_ir_b, hash_i_payload, hash_r_payload;
    Phase1Keys keys;
    std::vector<RawMessage> phase1;  ///< all phase-1 messages, parsed
    std::vector<RawMessage> quick;   ///< the three Quick Mode messages
    Bytes last_phase1_block;
    Bytes qm_iv;                     ///< first IV of the Quick Mode, from the chain
};

inline Transcript load_transcript(const Scenario& sc) {
    Transcript t{sc, Sample(sc.name), {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}};
    const Sample& s = t.sample;
    std::vector<Bytes> msgs;
    for (int i = 1; s.has("msg" + std::to_string(i)); ++i) msgs.push_back(s.bytes("msg" + std::to_string(i)));
    t.g_xy = s.bytes("log.shared_Diffie_Hellman_secret.1");
    const std::size_t n_phase1 = sc.aggressive ? 3 : 6;
    // Cleartext part: SA/KE/Nonce (and in aggressive mode ID and HASH_R).
    const RawMessage m1 = parse_message(msgs.at(0));
    const RawMessage m2 = parse_message(msgs.at(1));
    // Main Mode: KE and Nonce travel in messages 3 and 4; Aggressive Mode: in 1 and 2.
    const RawMessage kei = sc.aggressive ? m1 : parse_message(msgs.at(2));
    const RawMessage kerm = sc.aggressive ? m2 : parse_message(msgs.at(3));
    t.phase1.push_back(m1);
    t.phase1.push_back(m2);
    t.sa_i_b = m1.first(SA).body;
    t.cky_i = m1.cky_i;
    t.cky_r = m2.cky_r;
    t.g_xi = kei.first(KE).body;
    t.g_xr = kerm.first(KE).body;
    t.ni_b = kei.first(NONCE).body;
    t.nr_b = kerm.first(NONCE).body;
    const auto psk = s.bytes("psk");
    t.keys = derive_phase1_keys({sc.hash, sc.cipher, t.g_xy, t.g_xi, t.g_xr, t.cky_i, t.cky_r},
                                skeyid_pre_shared_key(sc.hash, psk, t.ni_b, t.nr_b));
    IvChain ivs(sc.hash, sc.cipher, t.keys.iv);
    if (sc.aggressive) {
        t.id_ii_b = m1.first(ID).body;
        t.id_ir_b = m2.first(ID).body;
        t.hash_r_payload = m2.first(HASH).body;
        const RawMessage m3e = parse_message(msgs.at(2), sc.cipher, &t.keys.ka, &ivs);
        t.hash_i_payload = m3e.first(HASH).body;
        t.phase1.push_back(m3e);
    } else {
        t.phase1.push_back(kei);
        t.phase1.push_back(kerm);
        const RawMessage m5 = parse_message(msgs.at(4), sc.cipher, &t.keys.ka, &ivs);
        const RawMessage m6 = parse_message(msgs.at(5), sc.cipher, &t.keys.ka, &ivs);
        t.id_ii_b = m5.first(ID).body;
        t.hash_i_payload = m5.first(HASH).body;
        t.id_ir_b = m6.first(ID).body;
        t.hash_r_payload = m6.first(HASH).body;
        t.phase1.push_back(m5);
        t.phase1.push_back(m6);
    }
    t.last_phase1_block = ivs.iv(0);
    const Bytes& qm1 = msgs.at(n_phase1);
    const std::uint32_t qm_mid = (std::uint32_t(qm1.at(20)) << 24) | (std::uint32_t(qm1.at(21)) << 16) |
                                 (std::uint32_t(qm1.at(22)) << 8) | qm1.at(23);
    t.qm_iv = ivs.iv(qm_mid);
    for (std::size_t i = n_phase1; i < n_phase1 + 3; ++i)
        t.quick.push_back(parse_message(msgs.at(i), sc.cipher, &t.keys.ka, &ivs));
    return t;
}

}  // namespace picsec::ike::crypto::test
