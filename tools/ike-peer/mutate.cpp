// Malformed message variants (see mutate.h). Offsets follow RFC 2408 3.1
// (header: next payload at 16, version 17, exchange 18, flags 19, length 24)
// and 3.2 (generic payload header: next, reserved, 16-bit length).
#include "mutate.h"

#include "picsec/ike/codec/raw_payload.h"
#include "picsec/ike/v2/raw_payload.h"

#include <algorithm>
#include <cctype>
#include <functional>

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


// Wire-level variants of any message, ISAKMP or IKEv2: both headers are 28
// bytes with the length at octet 24 (RFC 2408 3.1, RFC 7296 3.1).
template <class Add>
void length_variants(const Bytes& message, const std::string& header, const Add& add) {
    add("truncated inside the " + header + " header", Bytes(message.begin(), message.begin() + 20));
    add("header only, length field unchanged", Bytes(message.begin(), message.begin() + k_header));
    add("last byte missing", Bytes(message.begin(), message.end() - 1));
    auto b = message;
    put32(b, 24, 0xffffffff);
    add("header length 0xffffffff", b);
    put32(b, 24, static_cast<std::uint32_t>(message.size() - 4));
    add("header length 4 short of the datagram", b);
    put32(b, 24, 8);
    add("header length 8 (below the header size)", b);
    b = message;
    b.insert(b.end(), {0xde, 0xad, 0xbe, 0xef});
    fix_length(b);
    add("4 trailing bytes after the last payload", b);
}

// Bytes of the body inverted (first, middle, last) and the body replaced.
template <class Add>
void body_variants(const Bytes& message, const Add& add) {
    for (std::size_t pos : {k_header, k_header + (message.size() - k_header) / 2, message.size() - 1}) {
        if (pos >= message.size()) continue;
        auto b = message;
        b[pos] ^= 0xff;
        add("byte " + std::to_string(pos) + " inverted", b);
    }
    auto b = message;
    for (std::size_t i = k_header; i < b.size(); ++i) b[i] = static_cast<std::uint8_t>(i * 131 + 7);
    add("body replaced by a byte pattern", b);
}
}  // namespace

std::vector<Variant> mutate(const Bytes& message) {
    // RFC 7296 3.1: IKEv2 says major version 2 in the same octet as ISAKMP's.
    if (message.size() > 17 && (message[17] >> 4) == 2) return mutate_v2(message);
    std::vector<Variant> out;
    if (message.size() < k_header) return out;
    auto add = [&](std::string name, Bytes b) { out.push_back({std::move(name), std::move(b)}); };

    // Wire level: any message, encrypted or not.
    length_variants(message, "ISAKMP", add);
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
    body_variants(message, add);

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

// ------------------------------------------------------------------ IKEv2
// RFC 7296 3.1 header (SPIi 0, SPIr 8, Next Payload 16, Version 17, Exchange
// 18, Flags 19, Message ID 20, Length 24) and 3.2 generic payload header
// (Next Payload, C bit and reserved, 16-bit length).

namespace {

namespace c2 = ike::v2;
constexpr std::size_t k_v2_header = 28;
constexpr std::uint8_t k_sk = 46;

std::string v2_name(std::uint8_t t) {
    const auto n = c2::name(static_cast<c2::PayloadType>(t));
    return n.empty() || std::isdigit(static_cast<unsigned char>(n.front())) ? "type " + std::to_string(t) : n;
}

// Header + payloads in the given order, linked by the IKEv2 codec's encode_chain.
Bytes assemble_v2(const Bytes& original, const std::vector<c2::RawPayload>& payloads) {
    Bytes m(original.begin(), original.begin() + k_v2_header);
    m[16] = payloads.empty() ? 0 : payloads.front().type;
    const auto chain = c2::encode_chain(payloads);
    m.insert(m.end(), chain.begin(), chain.end());
    fix_length(m);
    return m;
}

// The SA payload body with its first proposal's header at 0 and first
// transform after the SPI (RFC 7296 3.3.1, 3.3.2).
void sa_variants(const c2::RawPayload& sa, std::size_t at, const Bytes& message,
                 const std::function<void(std::string, Bytes)>& add) {
    if (sa.body.size() < 8) return;
    const std::size_t prop = at + k_generic;
    auto edit = [&](std::string name, auto f) {
        auto b = message;
        f(b);
        add("SA: " + std::move(name), std::move(b));
    };
    edit("proposal claims 255 transforms", [&](Bytes& b) { b[prop + 7] = 255; });
    edit("proposal with 0 transforms", [&](Bytes& b) { b[prop + 7] = 0; });
    edit("SPI size 255", [&](Bytes& b) { b[prop + 6] = 255; });
    edit("proposal length 0xffff", [&](Bytes& b) { put16(b, prop + 2, 0xffff); });
    edit("proposal length 8 (no room for its transforms)", [&](Bytes& b) { put16(b, prop + 2, 8); });
    edit("protocol ID 0", [&](Bytes& b) { b[prop + 5] = 0; });
    edit("first proposal numbered 7", [&](Bytes& b) { b[prop + 4] = 7; });
    edit("last proposal says more follow (2)", [&](Bytes& b) { b[prop] = 2; });
    const std::size_t transform = prop + 8 + sa.body[6];
    if (transform + 8 <= at + k_generic + sa.body.size()) {
        edit("first transform length 0xffff", [&](Bytes& b) { put16(b, transform + 2, 0xffff); });
        edit("first transform length 4", [&](Bytes& b) { put16(b, transform + 2, 4); });
        edit("first transform of type 0", [&](Bytes& b) { b[transform + 4] = 0; });
        edit("first transform of unknown type 250", [&](Bytes& b) { b[transform + 4] = 250; });
    }
}

}  // namespace

std::vector<Variant> mutate_v2(const Bytes& message) {
    std::vector<Variant> out;
    if (message.size() < k_v2_header) return out;
    auto add = [&](std::string name, Bytes b) { out.push_back({std::move(name), std::move(b)}); };

    // Wire level: any message, protected or not.
    length_variants(message, "IKE", add);
    {
        auto b = message;
        b[17] = 0x10;
        add("major version 1", b);
        b = message;
        b[17] = 0x30;
        add("major version 3 (RFC 7296 2.5: INVALID_MAJOR_VERSION)", b);
        b = message;
        b[17] = 0x2f;
        add("minor version 15 (to be ignored)", b);
        b = message;
        b[18] = 250;
        add("unknown exchange type 250", b);
        b = message;
        b[16] = 200;
        add("first payload type 200 (unknown)", b);
        b = message;
        b[19] ^= 0x20;
        add("Response flag inverted", b);
        b = message;
        b[19] ^= 0x08;
        add("Initiator flag inverted", b);
        b = message;
        b[19] |= 0xc7;
        add("reserved flag bits set", b);
        b = message;
        put32(b, 20, 0x7fffffff);
        add("message ID 0x7fffffff", b);
    }
    body_variants(message, add);

    if (message[16] == k_sk) {
        // HDR, SK {...} (RFC 7296 3.14): generic header at 28, IV after it, ICV last.
        if (message.size() < k_v2_header + k_generic + 16) return out;
        const std::size_t sk = k_v2_header;
        auto b = message;
        b.back() ^= 0x01;
        add("SK: last ICV bit flipped", b);
        b = message;
        b[sk + k_generic] ^= 0x80;
        add("SK: first IV byte changed", b);
        for (std::size_t cut : {std::size_t{4}, std::size_t{12}}) {
            b = Bytes(message.begin(), message.end() - static_cast<long>(cut));
            put16(b, sk + 2, static_cast<std::uint16_t>(b.size() - sk));
            fix_length(b);
            add("SK: ICV truncated by " + std::to_string(cut) + " bytes (lengths fixed)", b);
        }
        b = message;
        b.erase(b.begin() + static_cast<long>(sk + k_generic + 16));
        put16(b, sk + 2, static_cast<std::uint16_t>(b.size() - sk));
        fix_length(b);
        add("SK: ciphertext one byte short of the block size", b);
        b = message;
        put16(b, sk + 2, static_cast<std::uint16_t>(message.size() - sk + 1));
        add("SK: payload length one past the message", b);
        b = message;
        put16(b, sk + 2, 4);
        add("SK: payload length 4 (no IV, no ICV)", b);
        b = message;
        b[sk] = 0;
        add("SK: Next Payload (the first inner payload) NONE", b);
        b = message;
        b[sk + 1] |= 0x80;
        add("SK: critical bit set", b);
        {
            // An unprotected N(INITIAL_CONTACT) in front of SK (RFC 7296 3.14: SK must be alone).
            Bytes m(message.begin(), message.begin() + k_v2_header);
            m[16] = 41;
            const Bytes notify{k_sk, 0, 0, 8, 1, 0, 0x40, 0x00};
            m.insert(m.end(), notify.begin(), notify.end());
            m.insert(m.end(), message.begin() + k_v2_header, message.end());
            fix_length(m);
            add("an unprotected Notify before SK", m);
        }
        return out;
    }

    auto chain = c2::split_chain(static_cast<c2::PayloadType>(message[16]),
                                 std::span<const std::uint8_t>(message).subspan(k_v2_header));
    if (!chain || chain.value().payloads.empty()) return out;
    const auto payloads = chain.value().payloads;

    // Structure (IKE_SA_INIT): payload lengths, truncation, omission, repetition.
    std::size_t offset = k_v2_header;
    for (std::size_t i = 0; i < payloads.size(); ++i) {
        const auto label = "payload " + std::to_string(i + 1) + " (" + v2_name(payloads[i].type) + ")";
        const std::size_t size = k_generic + payloads[i].body.size();
        for (std::uint16_t len : {std::uint16_t{0}, std::uint16_t{3}, std::uint16_t{0xffff},
                                  static_cast<std::uint16_t>(size + 1)}) {
            auto b = message;
            put16(b, offset + 2, len);
            add(label + " length " + std::to_string(len), b);
        }
        {
            auto b = Bytes(message.begin(), message.begin() + static_cast<long>(offset + size / 2));
            fix_length(b);
            add("truncated in the middle of " + label, b);
        }
        if (i + 1 < payloads.size()) {
            auto b = Bytes(message.begin(), message.begin() + static_cast<long>(offset + size));
            fix_length(b);
            add("truncated after " + label + " (next payload announced but absent)", b);
        }
        {
            auto p = payloads;
            p.erase(p.begin() + static_cast<long>(i));
            add(label + " left out", assemble_v2(message, p));
        }
        {
            auto p = payloads;
            p.insert(p.begin() + static_cast<long>(i), payloads[i]);
            add(label + " twice", assemble_v2(message, p));
        }
        {
            auto p = payloads;
            p[i].critical = true;
            add(label + " with the critical bit (to be ignored on a known payload)", assemble_v2(message, p));
        }
        offset += size;
    }
    if (payloads.size() >= 2) {
        auto p = payloads;
        std::swap(p[0], p[1]);
        add("first two payloads swapped", assemble_v2(message, p));
        p = payloads;
        std::reverse(p.begin(), p.end());
        add("payloads in reverse order", assemble_v2(message, p));
    }
    // RFC 7296 2.5: an unknown payload is skipped unless critical; an unknown
    // critical one is refused with UNSUPPORTED_CRITICAL_PAYLOAD.
    {
        const c2::RawPayload unknown{200, false, {1, 2, 3, 4, 5, 6, 7, 8}};
        auto p = payloads;
        p.insert(p.begin() + 1, unknown);
        add("unknown non-critical payload type 200 after the first payload", assemble_v2(message, p));
        p = payloads;
        p.push_back(unknown);
        add("unknown non-critical payload type 200 at the end", assemble_v2(message, p));
        auto critical = unknown;
        critical.critical = true;
        p = payloads;
        p.insert(p.begin() + 1, critical);
        add("unknown critical payload type 200 (UNSUPPORTED_CRITICAL_PAYLOAD)", assemble_v2(message, p));
        p = payloads;
        p.push_back(c2::RawPayload{k_sk, false, {0, 0, 0, 0}, c2::PayloadType::None});
        add("an empty SK payload at the end of IKE_SA_INIT", assemble_v2(message, p));
    }
    // Contents: SA counts, KE length against its group, Nonce sizes, NAT-D.
    offset = k_v2_header;
    for (std::size_t i = 0; i < payloads.size(); ++i) {
        const auto& pl = payloads[i];
        const auto type = static_cast<c2::PayloadType>(pl.type);
        auto with_body = [&](std::string name, Bytes body) {
            auto p = payloads;
            p[i].body = std::move(body);
            add(std::move(name), assemble_v2(message, p));
        };
        if (type == c2::PayloadType::Sa) sa_variants(pl, offset, message, add);
        if (type == c2::PayloadType::Ke && pl.body.size() > 4) {
            const Bytes head(pl.body.begin(), pl.body.begin() + 4);
            with_body("KE with no key data", head);
            auto b = pl.body;
            b.pop_back();
            with_body("KE data one byte short of its group", b);
            b = pl.body;
            b.push_back(0x5a);
            with_body("KE data one byte longer than its group", b);
            b = pl.body;
            b[0] = 0;
            b[1] = 0;
            with_body("KE of group 0", b);
            b = pl.body;
            const std::uint16_t other = (b[0] == 0 && b[1] == 2) ? 14 : 2;
            b[0] = static_cast<std::uint8_t>(other >> 8);
            b[1] = static_cast<std::uint8_t>(other);
            with_body("KE says group " + std::to_string(other) + ", data of the proposed group's length", b);
            b = head;
            b.resize(pl.body.size(), 0);
            with_body("KE value 0", b);
            b = head;
            b.resize(pl.body.size(), 0);
            b.back() = 1;
            with_body("KE value 1", b);
        }
        if (type == c2::PayloadType::Nonce) {
            with_body("Nonce empty", {});
            with_body("Nonce of 15 bytes (RFC 7296 3.9: at least 16)", Bytes(15, 0x33));
            with_body("Nonce of 257 bytes (at most 256)", Bytes(257, 0x33));
        }
        if (type == c2::PayloadType::Notify && pl.body.size() >= 4) {
            auto b = pl.body;
            b[1] = 255;
            with_body("Notify " + std::to_string(i + 1) + " SPI size 255", b);
            with_body("Notify " + std::to_string(i + 1) + " without its type", Bytes(pl.body.begin(), pl.body.begin() + 2));
        }
        offset += k_generic + pl.body.size();
    }
    return out;
}

std::string v2_answer_summary(const Bytes& message) {
    if (message.size() < k_v2_header || (message[17] >> 4) != 2) return {};
    auto chain = c2::split_chain(static_cast<c2::PayloadType>(message[16]),
                                 std::span<const std::uint8_t>(message).subspan(k_v2_header));
    if (!chain) return {};
    const bool response = (message[19] & 0x20) != 0;
    std::string s = "HDR";
    for (const auto& p : chain.value().payloads) {
        const auto type = static_cast<c2::PayloadType>(p.type);
        std::string n = v2_name(p.type);
        if (type == c2::PayloadType::Notify && p.body.size() >= 4) {
            n = "N(" + c2::name(static_cast<c2::NotifyType>((p.body[2] << 8) | p.body[3])) + ")";
        } else if (type == c2::PayloadType::Sk || type == c2::PayloadType::Skf) {
            n += " {...}";
        } else if (type == c2::PayloadType::Sa && message[18] == 34) {
            n = response ? "SAr1" : "SAi1";
        } else if (type == c2::PayloadType::Ke || type == c2::PayloadType::Nonce) {
            n = (type == c2::PayloadType::Ke ? "KE" : "N") + std::string(response ? "r" : "i");
        }
        s += ", " + n;
    }
    return s;
}

}  // namespace picsec::tools::peer
