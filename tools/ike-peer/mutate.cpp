// Malformed message variants (see mutate.h). Offsets follow RFC 2408 3.1
// (header: next payload at 16, version 17, exchange 18, flags 19, length 24)
// and 3.2 (generic payload header: next, reserved, 16-bit length).
#include "mutate.h"

#include <algorithm>

namespace picsec::tools::peer {
namespace {

using Bytes = std::vector<std::uint8_t>;
constexpr std::size_t k_header = 28;

struct Payload {
    std::uint8_t type = 0;
    Bytes whole;  ///< generic header + body
};

void put16(Bytes& b, std::size_t at, std::uint16_t v) {
    b[at] = static_cast<std::uint8_t>(v >> 8);
    b[at + 1] = static_cast<std::uint8_t>(v);
}

void put32(Bytes& b, std::size_t at, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) b[at + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v >> (24 - 8 * i));
}

void fix_length(Bytes& m) { put32(m, 24, static_cast<std::uint32_t>(m.size())); }

// Walks the chain; false when it does not parse (encrypted or odd).
bool split(const Bytes& m, std::vector<Payload>& out) {
    std::uint8_t next = m[16];
    std::size_t at = k_header;
    while (next != 0) {
        if (at + 4 > m.size()) return false;
        const std::size_t len = std::size_t(m[at + 2]) << 8 | m[at + 3];
        if (len < 4 || at + len > m.size()) return false;
        out.push_back({next, Bytes(m.begin() + static_cast<long>(at), m.begin() + static_cast<long>(at + len))});
        next = m[at];
        at += len;
    }
    return at == m.size();
}

// Header + payloads in the given order with their next-payload fields relinked.
Bytes assemble(const Bytes& original, std::vector<Payload> payloads) {
    Bytes m(original.begin(), original.begin() + k_header);
    m[16] = payloads.empty() ? 0 : payloads.front().type;
    for (std::size_t i = 0; i < payloads.size(); ++i) {
        auto& p = payloads[i].whole;
        p[0] = i + 1 < payloads.size() ? payloads[i + 1].type : 0;
        m.insert(m.end(), p.begin(), p.end());
    }
    fix_length(m);
    return m;
}

std::string name_of(std::uint8_t type) {
    switch (type) {
    case 1: return "SA";
    case 4: return "KE";
    case 5: return "ID";
    case 8: return "HASH";
    case 10: return "Nonce";
    case 11: return "Notify";
    case 12: return "Delete";
    case 13: return "VID";
    case 20: return "NAT-D";
    default: return "type " + std::to_string(type);
    }
}

}  // namespace

std::vector<Variant> mutate(const Bytes& message) {
    std::vector<Variant> out;
    if (message.size() < k_header) return out;
    auto add = [&](std::string name, Bytes b) { out.push_back({std::move(name), std::move(b)}); };

    // Wire level: any message, encrypted or not.
    add("truncated inside the ISAKMP header", Bytes(message.begin(), message.begin() + 20));
    add("header only, length field unchanged", Bytes(message.begin(), message.begin() + k_header));
    add("last byte missing", Bytes(message.begin(), message.end() - 1));
    {
        auto b = message;
        put32(b, 24, 0xffffffff);
        add("header length 0xffffffff", b);
        put32(b, 24, static_cast<std::uint32_t>(message.size() - 4));
        add("header length 4 short of the datagram", b);
        put32(b, 24, 8);
        add("header length 8 (below the header size)", b);
    }
    {
        auto b = message;
        b.insert(b.end(), {0xde, 0xad, 0xbe, 0xef});
        fix_length(b);
        add("4 trailing bytes after the last payload", b);
    }
    {
        auto b = message;
        b[17] = 0x20;
        add("major version 2", b);
        b = message;
        b[18] = 250;
        add("unknown exchange type 250", b);
        b = message;
        b[16] = 200;
        add("first payload type 200 (unknown)", b);
        b = message;
        b[19] ^= 0x01;
        add("encryption flag inverted", b);
        b = message;
        b[19] |= 0xf8;
        add("reserved flag bits set", b);
    }
    for (std::size_t pos : {k_header, k_header + (message.size() - k_header) / 2, message.size() - 1}) {
        if (pos >= message.size()) continue;
        auto b = message;
        b[pos] ^= 0xff;
        add("byte " + std::to_string(pos) + " inverted", b);
    }
    {
        auto b = message;
        for (std::size_t i = k_header; i < b.size(); ++i) b[i] = static_cast<std::uint8_t>(i * 131 + 7);
        add("body replaced by a byte pattern", b);
    }

    std::vector<Payload> payloads;
    if ((message[19] & 0x01) != 0 || !split(message, payloads) || payloads.empty()) return out;

    // Structure: payload lengths.
    std::size_t offset = k_header;
    for (std::size_t i = 0; i < payloads.size(); ++i) {
        const auto label = "payload " + std::to_string(i + 1) + " (" + name_of(payloads[i].type) + ")";
        for (std::uint16_t len : {std::uint16_t{0}, std::uint16_t{3}, std::uint16_t{0xffff},
                                  static_cast<std::uint16_t>(payloads[i].whole.size() + 1)}) {
            auto b = message;
            put16(b, offset + 2, len);
            add(label + " length " + std::to_string(len), b);
        }
        {
            auto b = Bytes(message.begin(), message.begin() + static_cast<long>(offset + payloads[i].whole.size() / 2));
            fix_length(b);
            add("truncated in the middle of " + label, b);
        }
        if (i + 1 < payloads.size()) {
            auto b = Bytes(message.begin(), message.begin() + static_cast<long>(offset + payloads[i].whole.size()));
            fix_length(b);
            add("truncated after " + label + " (next payload announced but absent)", b);
        }
        {
            auto p = payloads;
            p.erase(p.begin() + static_cast<long>(i));
            add(label + " left out", assemble(message, p));
        }
        {
            auto p = payloads;
            p.insert(p.begin() + static_cast<long>(i), payloads[i]);
            add(label + " twice", assemble(message, p));
        }
        offset += payloads[i].whole.size();
    }
    // Order.
    if (payloads.size() >= 2) {
        auto p = payloads;
        std::swap(p[0], p[1]);
        add("first two payloads swapped", assemble(message, p));
        p = payloads;
        std::reverse(p.begin(), p.end());
        add("payloads in reverse order", assemble(message, p));
    }
    // Unknown payloads (RFC 2408 has no critical bit in IKEv1: a receiver must reject or skip).
    {
        Payload unknown{200, {0, 0, 0, 12, 1, 2, 3, 4, 5, 6, 7, 8}};
        auto p = payloads;
        p.insert(p.begin() + 1, unknown);
        add("unknown payload type 200 after the first payload", assemble(message, p));
        p = payloads;
        p.push_back(unknown);
        add("unknown payload type 200 at the end", assemble(message, p));
        p = payloads;
        p.insert(p.begin(), Payload{2, {0, 0, 0, 8, 1, 1, 0, 0}});
        add("a bare Proposal payload at the top level", assemble(message, p));
    }
    // Oversized counts inside the SA payload (RFC 2408 3.4-3.6).
    offset = k_header;
    for (const auto& pl : payloads) {
        if (pl.type == 1 && pl.whole.size() >= 28) {
            const std::size_t sa = offset;  // generic header of the SA payload
            auto b = message;
            b[sa + 19] = 255;
            add("SA: proposal claims 255 transforms", b);
            b = message;
            b[sa + 18] = 255;
            add("SA: SPI size 255", b);
            b = message;
            put16(b, sa + 14, 0xffff);
            add("SA: proposal length 0xffff", b);
            b = message;
            put16(b, sa + 14, 4);
            add("SA: proposal length 4", b);
            const std::size_t attr = sa + 20 + b[sa + 18] + 8;
            if (attr + 4 <= message.size()) {
                b = message;
                b[attr] &= 0x7f;  // AF=0: TLV
                put16(b, attr + 2, 0xffff);
                add("SA: first attribute as TLV of length 0xffff", b);
            }
            b = message;
            put32(b, sa + 4, 0);
            add("SA: DOI 0", b);
            b = message;
            put32(b, sa + 8, 0x7fffffff);
            add("SA: unknown situation", b);
        }
        if (pl.type == 4 || pl.type == 10) {
            auto p = payloads;
            for (auto& q : p)
                if (q.type == pl.type) {
                    q.whole.resize(4);
                    put16(q.whole, 2, 4);
                }
            add(name_of(pl.type) + " with empty data", assemble(message, p));
        }
        offset += pl.whole.size();
    }
    return out;
}

}  // namespace picsec::tools::peer
