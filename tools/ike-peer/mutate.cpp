// Malformed message variants (see mutate.h). Offsets follow RFC 2408 3.1
// (header: next payload at 16, version 17, exchange 18, flags 19, length 24)
// and 3.2 (generic payload header: next, reserved, 16-bit length).
#include "mutate.h"

#include "picsec/ike/codec/raw_payload.h"

#include <algorithm>

namespace picsec::tools::peer {
namespace {

using Bytes = std::vector<std::uint8_t>;
using ike::codec::RawPayload;
constexpr std::size_t k_header = ike::codec::header_size;
constexpr std::size_t k_generic = 4;  ///< RFC 2408 3.2 generic payload header

void put16(Bytes& b, std::size_t at, std::uint16_t v) {
    b[at] = static_cast<std::uint8_t>(v >> 8);
    b[at + 1] = static_cast<std::uint8_t>(v);
}

void put32(Bytes& b, std::size_t at, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) b[at + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v >> (24 - 8 * i));
}

void fix_length(Bytes& m) { put32(m, 24, static_cast<std::uint32_t>(m.size())); }

// The chain through the codec's split_chain; false when it does not parse
// (encrypted or odd).
bool split(const Bytes& m, std::vector<RawPayload>& out) {
    auto chain = ike::codec::split_chain(static_cast<ike::codec::PayloadType>(m[16]),
                                         std::span<const std::uint8_t>(m).subspan(k_header), false);
    if (!chain.ok()) return false;
    out = std::move(chain).value();
    return true;
}

// Header + payloads in the given order, linked by the codec's encode_chain.
Bytes assemble(const Bytes& original, const std::vector<RawPayload>& payloads) {
    Bytes m(original.begin(), original.begin() + k_header);
    m[16] = payloads.empty() ? 0 : static_cast<std::uint8_t>(payloads.front().type);
    const auto chain = ike::codec::encode_chain(payloads);
    m.insert(m.end(), chain.begin(), chain.end());
    fix_length(m);
    return m;
}

std::size_t wire_size(const RawPayload& p) { return k_generic + p.body.size(); }

std::string name_of(ike::codec::PayloadType t) {
    switch (static_cast<std::uint8_t>(t)) {
    case 1: return "SA";
    case 4: return "KE";
    case 5: return "ID";
    case 8: return "HASH";
    case 10: return "Nonce";
    case 11: return "Notify";
    case 12: return "Delete";
    case 13: return "VID";
    case 20: return "NAT-D";
    default: return "type " + std::to_string(static_cast<unsigned>(t));
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

    std::vector<RawPayload> payloads;
    if ((message[19] & 0x01) != 0 || !split(message, payloads) || payloads.empty()) return out;

    // Structure: payload lengths.
    std::size_t offset = k_header;
    for (std::size_t i = 0; i < payloads.size(); ++i) {
        const auto label = "payload " + std::to_string(i + 1) + " (" + name_of(payloads[i].type) + ")";
        for (std::uint16_t len : {std::uint16_t{0}, std::uint16_t{3}, std::uint16_t{0xffff},
                                  static_cast<std::uint16_t>(wire_size(payloads[i]) + 1)}) {
            auto b = message;
            put16(b, offset + 2, len);
            add(label + " length " + std::to_string(len), b);
        }
        {
            auto b = Bytes(message.begin(), message.begin() + static_cast<long>(offset + wire_size(payloads[i]) / 2));
            fix_length(b);
            add("truncated in the middle of " + label, b);
        }
        if (i + 1 < payloads.size()) {
            auto b = Bytes(message.begin(), message.begin() + static_cast<long>(offset + wire_size(payloads[i])));
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
        offset += wire_size(payloads[i]);
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
        const RawPayload unknown{static_cast<ike::codec::PayloadType>(200), {1, 2, 3, 4, 5, 6, 7, 8}};
        auto p = payloads;
        p.insert(p.begin() + 1, unknown);
        add("unknown payload type 200 after the first payload", assemble(message, p));
        p = payloads;
        p.push_back(unknown);
        add("unknown payload type 200 at the end", assemble(message, p));
        p = payloads;
        p.insert(p.begin(), RawPayload{ike::codec::PayloadType::Proposal, {1, 1, 0, 0}});
        add("a bare Proposal payload at the top level", assemble(message, p));
    }
    // Oversized counts inside the SA payload (RFC 2408 3.4-3.6).
    offset = k_header;
    for (const auto& pl : payloads) {
        if (pl.type == ike::codec::PayloadType::SecurityAssociation && wire_size(pl) >= 28) {
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
        if (pl.type == ike::codec::PayloadType::KeyExchange || pl.type == ike::codec::PayloadType::Nonce) {
            auto p = payloads;
            for (auto& q : p)
                if (q.type == pl.type) q.body.clear();
            add(name_of(pl.type) + " with empty data", assemble(message, p));
        }
        offset += wire_size(pl);
    }
    return out;
}

}  // namespace picsec::tools::peer
