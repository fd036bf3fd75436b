// Test helpers for the IKEv1 codec: hex conversion and the vector file format
// of tests/ike/data/codec/ ("[name]" blocks of "key: value" lines).
#pragma once

#include <picsec/ike/codec/message.h>
#include <picsec/ike/codec/payload.h>

#include <cstdint>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace picsec::ike::codec::test {

inline std::vector<std::uint8_t> from_hex(const std::string& h) {
    if (h.size() % 2) throw std::invalid_argument("odd hex length");
    std::vector<std::uint8_t> out;
    for (std::size_t i = 0; i < h.size(); i += 2) out.push_back(static_cast<std::uint8_t>(std::stoul(h.substr(i, 2), nullptr, 16)));
    return out;
}

inline std::string to_hex(std::span<const std::uint8_t> b) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string s;
    for (auto c : b) {
        s.push_back(digits[c >> 4]);
        s.push_back(digits[c & 15]);
    }
    return s;
}

/// One "[name]" block: its keys in order (a key may repeat, e.g. "expect").
struct Vector {
    std::string name;
    std::vector<std::pair<std::string, std::string>> fields;

    std::string get(const std::string& key) const {
        for (const auto& [k, v] : fields)
            if (k == key) return v;
        return {};
    }
    std::vector<std::string> all(const std::string& key) const {
        std::vector<std::string> out;
        for (const auto& [k, v] : fields)
            if (k == key) out.push_back(v);
        return out;
    }
};

inline std::vector<Vector> load_vectors(const std::string& file) {
    std::ifstream in(std::string(PICSEC_TEST_DATA) + "/codec/" + file);
    if (!in) throw std::runtime_error("cannot open vector file " + file);
    std::vector<Vector> out;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        if (line[0] == '[') {
            out.push_back(Vector{line.substr(1, line.size() - 2), {}});
            continue;
        }
        const auto colon = line.find(": ");
        if (out.empty()) continue;
        if (colon == std::string::npos) {
            out.back().fields.emplace_back(line.substr(0, line.size() - 1), "");  // "key:" with empty value
        } else {
            out.back().fields.emplace_back(line.substr(0, colon), line.substr(colon + 2));
        }
    }
    return out;
}

/// Decoded form of a vector: either payloads (and a header for "message") or an error.
struct Decoded {
    std::optional<Header> header;
    std::vector<Payload> payloads;
    std::optional<DecodeError> error;
};

/// Decode `bytes` as the vector's mode says, the way the exchanges read a
/// datagram: "message" is decode_header and split_chain of the body, "chain N"
/// and "padded N" split_chain of a (decrypted) body starting with payload N;
/// then every payload through decode_payload (decode_body).
inline Decoded decode_as(const std::string& mode, std::span<const std::uint8_t> bytes) {
    Decoded d;
    PayloadType first = PayloadType::None;
    bool padded = false;
    if (mode == "message") {
        auto h = decode_header(bytes);
        if (!h) {
            d.error = h.error();
            return d;
        }
        d.header = h.value();
        first = h->next_payload;
        bytes = bytes.subspan(header_size);
    } else {
        std::istringstream is(mode);
        std::string kind;
        unsigned n = 0;
        is >> kind >> n;
        first = static_cast<PayloadType>(n);
        padded = kind == "padded";
    }
    auto chain = split_chain(first, bytes, padded);
    if (!chain) {
        d.error = chain.error();
        return d;
    }
    auto payloads = decode_payloads(chain.value());
    if (!payloads) d.error = payloads.error();
    else d.payloads = std::move(payloads).value();
    return d;
}

/// The bytes of a decoded vector: header (when there is one) and chain,
/// through make_payload, encode_chain and encode_header.
inline std::vector<std::uint8_t> encode(const Decoded& d) {
    auto body = encode_chain(make_payloads(d.payloads));
    if (!d.header) return body;
    Header h = *d.header;
    h.next_payload = d.payloads.empty() ? PayloadType::None : payload_type(d.payloads.front());
    auto out = encode_header(h, body.size());
    out.insert(out.end(), body.begin(), body.end());
    return out;
}

}  // namespace picsec::ike::codec::test
