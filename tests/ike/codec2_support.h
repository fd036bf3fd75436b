// Test helpers for the IKEv2 codec: the real-message file and hex.
#pragma once

#include <picsec/ike/v2/message.h>

#include "codec_support.h"

#include <string>
#include <vector>

namespace picsec::ike::v2::test {

using codec::test::from_hex;
using codec::test::to_hex;

/// A real strongSwan datagram from data/codec/v2_real_messages.txt.
struct RealMessage {
    std::string name;
    std::vector<std::uint8_t> bytes;
};

inline std::vector<RealMessage> real_messages() {
    std::vector<RealMessage> out;
    for (const auto& v : codec::test::load_vectors("v2_real_messages.txt")) out.push_back({v.name, from_hex(v.get("hex"))});
    return out;
}

inline std::vector<std::uint8_t> real(const std::string& name) {
    for (auto& m : real_messages())
        if (m.name == name) return m.bytes;
    throw std::runtime_error("no real message " + name);
}

/// The types of a decoded chain, for comparing with a list.
inline std::vector<PayloadType> types_of(const std::vector<Payload>& ps) {
    std::vector<PayloadType> out;
    for (const auto& p : ps) out.push_back(payload_type(p));
    return out;
}

/// encode_header + encode_chain(make_payloads) of a decoded message.
inline std::vector<std::uint8_t> reencode(const Header& h, const std::vector<Payload>& payloads) {
    const auto body = encode_chain(make_payloads(payloads));
    auto out = encode_header(h, body.size());
    out.insert(out.end(), body.begin(), body.end());
    return out;
}

}  // namespace picsec::ike::v2::test
