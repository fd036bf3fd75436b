// Shared decoding helpers of the IKEv2 payloads: error mapping, generic header.
#include "wire.h"

namespace picsec::ike::v2::detail {

DecodeError from_reader(const codec::DecodeError& e) {
    return DecodeError{NotifyType::InvalidSyntax, e.payload, e.field, e.message};
}

void fail(Reader& r, std::string_view field, std::string_view why, const std::string& got, const std::string& need) {
    r.fail(codec::NotifyType::PayloadMalformed, field, why, got, need);
}

std::vector<std::uint8_t> read_data(Reader& r, std::string_view field, std::size_t min, std::size_t max) {
    const std::size_t n = r.remaining();
    if (n < min) {
        fail(r, field, "too short", std::to_string(n) + " bytes", "at least " + std::to_string(min));
        return {};
    }
    if (n > max) {
        fail(r, field, "too long", std::to_string(n) + " bytes", "at most " + std::to_string(max));
        return {};
    }
    return r.rest_vec();
}

Generic read_generic(Reader& r, std::string_view payload, std::string_view length_field) {
    Generic g{0, false, Reader({}, payload)};
    const std::string name(payload);
    if (r.remaining() < generic_header_size) {
        r.fail(codec::DecodeError{codec::NotifyType::PayloadMalformed, name, std::string(length_field),
                                  name + " " + std::string(length_field) +
                                      ": truncated payload header (got " + std::to_string(r.remaining()) +
                                      " bytes, need 4)"});
        return g;
    }
    g.next = r.u8("Next Payload");
    g.critical = (r.u8("RESERVED") & 0x80) != 0;
    const auto length = r.u16(length_field);
    if (length < generic_header_size) {
        r.fail(codec::DecodeError{codec::NotifyType::PayloadMalformed, name, std::string(length_field),
                                  name + " " + std::string(length_field) +
                                      ": shorter than the payload header (got " + std::to_string(length) +
                                      ", need at least 4)"});
        return g;
    }
    if (length - generic_header_size > r.remaining()) {
        r.fail(codec::DecodeError{codec::NotifyType::PayloadMalformed, name, std::string(length_field),
                                  name + " " + std::string(length_field) + ": exceeds the data left (got " +
                                      std::to_string(length) + ", need at most " +
                                      std::to_string(r.remaining() + generic_header_size) + ")"});
        return g;
    }
    g.body = r.sub(length - generic_header_size, payload, length_field);
    return g;
}

std::size_t begin_generic(Writer& w, std::uint8_t next, bool critical) {
    w.u8(next);
    w.u8(critical ? 0x80 : 0);
    return w.begin_length16();
}

std::string hex(std::span<const std::uint8_t> b, std::size_t limit) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    const std::size_t n = b.size() < limit ? b.size() : limit;
    for (std::size_t i = 0; i < n; ++i) {
        out.push_back(digits[b[i] >> 4]);
        out.push_back(digits[b[i] & 0x0f]);
    }
    if (n < b.size()) out += "...";
    return out;
}

}  // namespace picsec::ike::v2::detail
