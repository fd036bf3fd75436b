// picsec-esp-bench: ESP protect and unprotect throughput of one core through
// the SADB (Sadb::protect_batch / unprotect_batch, tunnel mode), next to Botan
// alone doing the same cipher and MAC work; method in docs/performance.md.
//   picsec-esp-bench [--time SECONDS] [--reps N] [--cipher KW] [--auth KW] [--size BYTES]
#include "picsec/sadb/esp.h"
#include "picsec/sadb/ipv4.h"
#include "picsec/sadb/sadb.h"

#include <botan/aead.h>
#include <botan/auto_rng.h>
#include <botan/block_cipher.h>
#include <botan/cipher_mode.h>
#include <botan/mac.h>

#include <algorithm>
#include <array>
#include <memory>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <vector>

using namespace picsec;
using namespace picsec::sadb;

namespace {

constexpr const char* k_help =
    "usage: picsec-esp-bench [--time SECONDS] [--reps N] [--cipher KEYWORD] [--auth KEYWORD] [--size BYTES]\n"
    "\n"
    "ESP throughput of one core, per cipher x MAC x packet size, in MB/s of inner\n"
    "IPv4 packets (1 MB = 10^6 bytes):\n"
    "  picsec protect    Sadb::protect_batch, tunnel mode, batches of 256 packets\n"
    "  picsec unprotect  Sadb::unprotect_batch of those packets (replay window 64)\n"
    "  botan protect     per packet: copy into the ESP buffer, IV = E_K'(counter),\n"
    "                    CBC encrypt, HMAC, truncated ICV written\n"
    "  botan unprotect   per packet: HMAC verify, copy + CBC decrypt into the\n"
    "                    packet's own output buffer\n"
    "Cipher, MAC and IV cipher are keyed once; nothing is printed or allocated by\n"
    "the bench inside a timed loop. Each figure is the best of --reps runs of at\n"
    "least --time seconds (default 0.2 s, 3 reps; picsec and Botan take turns).\n"
    "ratio = picsec / botan.\n"
    "  --cipher, --auth  only this algorithm (keywords as in the configuration; AES-GCM's row has --auth -)\n"
    "  --size            only this inner packet size (default 64, 512 and 1400)\n";

constexpr std::size_t k_batch = 256;
using Clock = std::chrono::steady_clock;

Botan::secure_vector<std::uint8_t> pattern_key(std::size_t n, std::uint8_t seed) {
    Botan::secure_vector<std::uint8_t> k(n);
    for (std::size_t i = 0; i < n; ++i) k[i] = static_cast<std::uint8_t>(seed + 17 * i + (i >> 3));
    return k;
}

/// An IPv4/UDP packet of `size` bytes in all.
std::vector<std::uint8_t> inner_packet(std::size_t size, std::uint16_t id) {
    auto p = ipv4::make_header(0, id, 0x4000, 64, ipv4::k_protocol_udp, 0x0a000001, 0x0a000002);
    p.resize(size);
    for (std::size_t i = 20; i < size; ++i) p[i] = static_cast<std::uint8_t>(i * 7 + id);
    ipv4::store16(p, 20, 40000);
    ipv4::store16(p, 22, 9);
    ipv4::store16(p, 24, static_cast<std::uint16_t>(size - 20));
    ipv4::store16(p, 26, 0);
    ipv4::finish_header(p, 20);
    return p;
}

SaSpec spec(EncryptionAlgorithm c, std::optional<AuthenticationAlgorithm> a, Direction d) {
    SaSpec s;
    s.name = "bench";
    s.spi = 0x1000;
    s.protocol = Protocol::Esp;
    s.direction = d;
    s.mode = Mode::Tunnel;
    s.encryption = c;
    s.encryption_key = pattern_key(info(c).key_bytes, 1);
    s.authentication = a;  // none with an AEAD (AES-GCM)
    if (a) s.authentication_key = pattern_key(info(*a).key_bytes, 2);
    s.local_address = 0xc0000201;
    s.peer_address = 0xc6336402;
    return s;
}

struct Config {
    double seconds = 0.2;
    int reps = 3;
    std::optional<std::string> cipher, auth;
    std::vector<std::size_t> sizes{64, 512, 1400};
};

/// One timed round: the seconds it took and the inner bytes it processed.
using Round = std::function<std::pair<double, double>()>;

/// MB/s of rounds repeated for at least cfg.seconds of timed work.
double run_for(const Config& cfg, const Round& round) {
    double elapsed = 0, bytes = 0;
    while (elapsed < cfg.seconds) {
        auto [s, b] = round();
        elapsed += s;
        bytes += b;
    }
    return bytes / elapsed / 1e6;
}

struct Row {
    double picsec_protect = 0, botan_protect = 0, picsec_unprotect = 0, botan_unprotect = 0;
};

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

/// Botan alone for an AEAD (AES-GCM, RFC 4106): the same AEAD objects keyed
/// once, nonce salt || sequence, AAD SPI || sequence, whole blocks in place
/// and the rest with the tag through one reused buffer, as SaCrypto does.
std::pair<Round, Round> botan_aead_rounds(EncryptionAlgorithm c, std::size_t size,
                                          const std::vector<std::vector<std::uint8_t>>& plain, double batch_bytes,
                                          bool& ok) {
    const auto& ci = info(c);
    auto keymat = pattern_key(ci.key_bytes, 1);
    std::shared_ptr<Botan::AEAD_Mode> enc = Botan::AEAD_Mode::create_or_throw(std::string(ci.botan_name), Botan::ENCRYPTION);
    std::shared_ptr<Botan::AEAD_Mode> dec = Botan::AEAD_Mode::create_or_throw(std::string(ci.botan_name), Botan::DECRYPTION);
    enc->set_key(keymat.data(), ci.cipher_key_bytes());
    dec->set_key(keymat.data(), ci.cipher_key_bytes());
    const std::size_t align = ci.esp_align_bytes();
    const std::size_t padded = (size + 2 + align - 1) / align * align;
    const std::size_t esp_bytes = 8 + ci.iv_bytes + padded + ci.icv_bytes;
    auto esp = std::make_shared<std::vector<std::vector<std::uint8_t>>>(k_batch, std::vector<std::uint8_t>(esp_bytes, 0));
    auto out = std::make_shared<std::vector<std::vector<std::uint8_t>>>(k_batch, std::vector<std::uint8_t>(padded));
    auto tail = std::make_shared<Botan::secure_vector<std::uint8_t>>();
    tail->reserve(64);
    auto sequence = std::make_shared<std::uint32_t>(0);
    std::array<std::uint8_t, 4> salt{};
    std::copy(keymat.end() - 4, keymat.end(), salt.begin());
    const std::size_t granularity = enc->update_granularity();
    const std::size_t whole = padded / granularity * granularity;
    const Round protect = [=, &plain] {
        const auto t0 = Clock::now();
        std::uint8_t nonce[12];
        std::memcpy(nonce, salt.data(), 4);
        for (std::size_t i = 0; i < k_batch; ++i) {
            std::uint8_t* e = (*esp)[i].data();
            const std::uint32_t seq = ++*sequence;
            ipv4::store32(std::span<std::uint8_t>(e, 8), 0, 0x1000);
            ipv4::store32(std::span<std::uint8_t>(e, 8), 4, seq);
            std::memset(e + 8, 0, 4);
            ipv4::store32(std::span<std::uint8_t>(e + 8, 8), 4, seq);
            std::memcpy(nonce + 4, e + 8, 8);
            std::memcpy(e + 16, plain[i].data(), size);
            enc->set_associated_data(e, 8);
            enc->start(nonce, 12);
            if (whole > 0) enc->process(e + 16, whole);
            tail->assign(e + 16 + whole, e + 16 + padded);
            enc->finish(*tail);
            std::memcpy(e + 16 + whole, tail->data(), tail->size());
        }
        return std::pair{seconds_since(t0), batch_bytes};
    };
    protect();  // fills esp[] with valid packets for unprotect
    const Round unprotect = [=, &ok] {
        const auto t0 = Clock::now();
        std::uint8_t nonce[12];
        std::memcpy(nonce, salt.data(), 4);
        for (std::size_t i = 0; i < k_batch; ++i) {
            const std::uint8_t* e = (*esp)[i].data();
            std::memcpy(nonce + 4, e + 8, 8);
            std::memcpy((*out)[i].data(), e + 16, padded);
            dec->set_associated_data(e, 8);
            dec->start(nonce, 12);
            if (whole > 0) dec->process((*out)[i].data(), whole);
            tail->assign(e + 16 + whole, e + esp_bytes);
            try {
                dec->finish(*tail);
            } catch (const Botan::Exception&) {
                ok = false;
            }
        }
        return std::pair{seconds_since(t0), batch_bytes};
    };
    return {protect, unprotect};
}

Row measure(const Config& cfg, EncryptionAlgorithm c, std::optional<AuthenticationAlgorithm> a, std::size_t size) {
    Botan::AutoSeeded_RNG rng;
    std::vector<std::vector<std::uint8_t>> plain;
    for (std::size_t i = 0; i < k_batch; ++i) plain.push_back(inner_packet(size, static_cast<std::uint16_t>(i)));
    const std::vector<std::span<const std::uint8_t>> plain_spans(plain.begin(), plain.end());
    const double batch_bytes = static_cast<double>(size * k_batch);

    // picsec protect: one SA, one batch per round (far fewer packets in all
    // than the SA's 2^32 sequence numbers).
    Sadb out_db;
    const SaId out_id = *out_db.add(spec(c, a, Direction::Outbound));
    std::vector<BatchPacket> protected_batch;
    const Round picsec_protect = [&] {
        const auto t0 = Clock::now();
        out_db.protect_batch(out_id, plain_spans, rng, protected_batch);
        return std::pair{seconds_since(t0), batch_bytes};
    };

    // picsec unprotect: a warm-up packet and the batch, protected once. The
    // replay window refuses a packet it has seen, so each round installs a
    // fresh receiver and opens the warm-up packet (untimed: it creates the
    // receiver's Botan objects), then the timed batch.
    Sadb sender;
    const SaId sender_id = *sender.add(spec(c, a, Direction::Outbound));
    std::vector<std::span<const std::uint8_t>> warm_and_batch{plain_spans.front()};
    warm_and_batch.insert(warm_and_batch.end(), plain_spans.begin(), plain_spans.end());
    std::vector<BatchPacket> sealed;
    sender.protect_batch(sender_id, warm_and_batch, rng, sealed);
    std::vector<std::span<const std::uint8_t>> wire;
    for (std::size_t i = 1; i < sealed.size(); ++i) wire.emplace_back(sealed[i].packet);
    std::vector<BatchPacket> opened;
    bool picsec_ok = true;
    const Round picsec_unprotect = [&] {
        Sadb receiver;
        (void)receiver.add(spec(c, a, Direction::Inbound));
        picsec_ok &= receiver.unprotect(sealed[0].packet).has_value();
        const auto t0 = Clock::now();
        picsec_ok &= receiver.unprotect_batch(wire, opened) == wire.size();
        return std::pair{seconds_since(t0), batch_bytes};
    };

    bool botan_ok = true;
    Row row;
    auto take_turns = [&](const Round& botan_protect, const Round& botan_unprotect) {
        // picsec and Botan take turns, so both see the same machine; best of reps.
        for (int r = 0; r < cfg.reps; ++r) {
            row.picsec_protect = std::max(row.picsec_protect, run_for(cfg, picsec_protect));
            row.botan_protect = std::max(row.botan_protect, run_for(cfg, botan_protect));
            row.picsec_unprotect = std::max(row.picsec_unprotect, run_for(cfg, picsec_unprotect));
            row.botan_unprotect = std::max(row.botan_unprotect, run_for(cfg, botan_unprotect));
        }
        if (!picsec_ok) std::fprintf(stderr, "picsec-esp-bench: the SADB dropped a packet\n");
        if (!botan_ok) std::fprintf(stderr, "picsec-esp-bench: Botan baseline ICV mismatch\n");
        return row;
    };
    if (!a) {
        auto [botan_protect, botan_unprotect] = botan_aead_rounds(c, size, plain, batch_bytes, botan_ok);
        return take_turns(botan_protect, botan_unprotect);
    }

    // Botan alone: the same CBC and HMAC objects, keyed once, on the ESP
    // layout of a tunnel-mode packet (header, IV, inner packet, padding, ICV),
    // one buffer per packet.
    const auto& ci = info(c);
    const auto& ai = info(*a);
    auto enc = Botan::Cipher_Mode::create_or_throw(std::string(ci.botan_name), Botan::ENCRYPTION);
    auto dec = Botan::Cipher_Mode::create_or_throw(std::string(ci.botan_name), Botan::DECRYPTION);
    enc->set_key(pattern_key(ci.key_bytes, 1));
    dec->set_key(pattern_key(ci.key_bytes, 1));
    auto mac = Botan::MessageAuthenticationCode::create_or_throw(std::string(ai.botan_name));
    mac->set_key(pattern_key(ai.key_bytes, 2));
    auto iv_cipher = Botan::BlockCipher::create_or_throw(std::string(ci.block_cipher));
    iv_cipher->set_key(rng.random_vec(ci.key_bytes));
    const std::size_t block = ci.block_bytes;
    const std::size_t padded = (size + 2 + block - 1) / block * block;
    const std::size_t esp_bytes = 8 + block + padded + ai.icv_bytes;
    std::vector<std::vector<std::uint8_t>> esp(k_batch, std::vector<std::uint8_t>(esp_bytes, 0));
    std::uint8_t full[64];
    std::uint64_t counter = 0;
    const Round botan_protect = [&] {
        const auto t0 = Clock::now();
        for (std::size_t i = 0; i < k_batch; ++i) {
            std::uint8_t* e = esp[i].data();
            std::memcpy(e + 8 + block, plain[i].data(), size);
            std::memset(e + 8, 0, block);
            const std::uint64_t n = counter++;
            for (int b = 0; b < 8; ++b) e[8 + b] = static_cast<std::uint8_t>(n >> (56 - 8 * b));
            iv_cipher->encrypt(e + 8);
            enc->start(e + 8, block);
            enc->process(e + 8 + block, padded);
            mac->update(e, 8 + block + padded);
            mac->final(full);
            std::memcpy(e + 8 + block + padded, full, ai.icv_bytes);
        }
        return std::pair{seconds_since(t0), batch_bytes};
    };
    botan_protect();  // fills esp[] with valid packets for botan_unprotect
    std::vector<std::vector<std::uint8_t>> out(k_batch, std::vector<std::uint8_t>(padded));
    const Round botan_unprotect = [&] {
        const auto t0 = Clock::now();
        for (std::size_t i = 0; i < k_batch; ++i) {
            const std::uint8_t* e = esp[i].data();
            mac->update(e, 8 + block + padded);
            mac->final(full);
            botan_ok &= Botan::constant_time_compare(full, e + 8 + block + padded, ai.icv_bytes);
            std::memcpy(out[i].data(), e + 8 + block, padded);
            dec->start(e + 8, block);
            dec->process(out[i].data(), padded);
        }
        return std::pair{seconds_since(t0), batch_bytes};
    };

    return take_turns(botan_protect, botan_unprotect);
}

}  // namespace

int main(int argc, char** argv) {
    Config cfg;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "picsec-esp-bench: %s needs a value\n%s", a.c_str(), k_help);
                std::exit(2);
            }
            return argv[++i];
        };
        if (a == "--help" || a == "-h") {
            std::fputs(k_help, stdout);
            return 0;
        } else if (a == "--time") {
            cfg.seconds = std::stod(value());
        } else if (a == "--reps") {
            cfg.reps = std::max(1, std::stoi(value()));
        } else if (a == "--cipher") {
            cfg.cipher = value();
        } else if (a == "--auth") {
            cfg.auth = value();
        } else if (a == "--size") {
            cfg.sizes = {static_cast<std::size_t>(std::stoul(value()))};
        } else {
            std::fprintf(stderr, "picsec-esp-bench: unknown argument '%s'\n%s", a.c_str(), k_help);
            return 2;
        }
    }
    for (std::size_t s : cfg.sizes)
        if (s < 28 || s > 65000) {
            std::fprintf(stderr, "picsec-esp-bench: --size %zu: need 28..65000 (an IPv4/UDP packet)\n", s);
            return 2;
        }

    std::printf("%-12s %-17s %5s | %9s %9s %6s | %9s %9s %6s\n", "cipher", "mac", "bytes", "prot MB/s",
                "botan", "ratio", "unpr MB/s", "botan", "ratio");
    for (const auto& c : encryption_algorithms()) {
        if (cfg.cipher && *cfg.cipher != c.keyword) continue;
        // An AEAD (AES-GCM) has one row, with no MAC ("-").
        std::vector<std::optional<AuthenticationAlgorithm>> macs;
        if (c.aead()) {
            if (!cfg.auth || *cfg.auth == "-") macs.push_back(std::nullopt);
        } else {
            for (const auto& a : authentication_algorithms())
                if (!cfg.auth || *cfg.auth == a.keyword) macs.push_back(a.id);
        }
        for (const auto& a : macs) {
            for (std::size_t size : cfg.sizes) {
                const Row r = measure(cfg, c.id, a, size);
                std::printf("%-12s %-17s %5zu | %9.1f %9.1f %6.2f | %9.1f %9.1f %6.2f\n",
                            std::string(c.keyword).c_str(), a ? std::string(info(*a).keyword).c_str() : "-", size,
                            r.picsec_protect, r.botan_protect, r.picsec_protect / r.botan_protect,
                            r.picsec_unprotect, r.botan_unprotect, r.picsec_unprotect / r.botan_unprotect);
                std::fflush(stdout);
            }
        }
    }
    return 0;
}
