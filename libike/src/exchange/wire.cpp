// Payload chain splitting and assembly (RFC 2408 3.2 generic payload header).
#include "wire.h"

namespace picsec::ike::detail {

const RawPayload* Message::find(codec::PayloadType t, std::size_t nth) const
{
    for (const auto& p : payloads)
        if (p.type == t && nth-- == 0)
            return &p;
    return nullptr;
}

std::size_t Message::count(codec::PayloadType t) const
{
    std::size_t n = 0;
    for (const auto& p : payloads)
        n += p.type == t ? 1 : 0;
    return n;
}

std::string Message::summary() const
{
    std::string s = header.encryption ? "HDR*" : "HDR";
    for (const auto& p : payloads)
        s += ", " + codec::short_name(p.type);
    return s;
}

codec::DecodeResult<std::vector<RawPayload>> split_chain(codec::PayloadType first, std::span<const std::uint8_t> bytes,
                                                         bool allow_padding)
{
    std::vector<RawPayload> out;
    codec::Reader r(bytes, "payload chain");
    codec::PayloadType next = first;
    while (next != codec::PayloadType::None) {
        if (out.size() >= 64)
            return codec::DecodeError{codec::NotifyType::PayloadMalformed, "payload chain", "count",
                                      "payload chain: too many payloads (got more than 64, need at most 64)"};
        const auto this_type = next;
        const auto next_raw = r.u8("next payload");
        r.u8("reserved");
        const auto length = r.u16("payload length");
        if (!r.ok())
            return r.error();
        if (length < 4)
            return codec::DecodeError{codec::NotifyType::PayloadMalformed, codec::short_name(this_type), "length",
                                      codec::short_name(this_type) + " length: shorter than its header (got " +
                                          std::to_string(length) + ", need at least 4)"};
        auto body = r.bytes(length - 4u, "payload body");
        if (!r.ok())
            return r.error();
        out.push_back(RawPayload{this_type, Bytes(body.begin(), body.end())});
        next = static_cast<codec::PayloadType>(next_raw);
    }
    if (!allow_padding && !r.empty())
        return codec::DecodeError{codec::NotifyType::PayloadMalformed, "payload chain", "length",
                                  "payload chain: trailing bytes after the last payload (got " +
                                      std::to_string(r.remaining()) + ", need 0)"};
    return out;
}

Bytes encode_payload(codec::PayloadType next, const RawPayload& p)
{
    Bytes out;
    const std::size_t length = p.body.size() + 4;
    if (length > 0xffff)
        throw codec::EncodeError("payload over 65535 bytes");
    out.reserve(length);
    out.push_back(static_cast<std::uint8_t>(next));
    out.push_back(0);
    out.push_back(static_cast<std::uint8_t>(length >> 8));
    out.push_back(static_cast<std::uint8_t>(length));
    out.insert(out.end(), p.body.begin(), p.body.end());
    return out;
}

Bytes encode_chain(const std::vector<RawPayload>& payloads)
{
    Bytes out;
    for (std::size_t i = 0; i < payloads.size(); ++i) {
        const auto next = i + 1 < payloads.size() ? payloads[i + 1].type : codec::PayloadType::None;
        const auto one = encode_payload(next, payloads[i]);
        out.insert(out.end(), one.begin(), one.end());
    }
    return out;
}

}  // namespace picsec::ike::detail
