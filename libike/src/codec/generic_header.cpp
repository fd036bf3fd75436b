// Generic payload header (RFC 2408 3.2) reading and writing.
#include "generic_header.h"

#include <picsec/ike/codec/writer.h>

#include <string>

namespace picsec::ike::codec::detail {

GenericPayload read_generic(Reader& r, std::string_view payload) {
    GenericPayload g{0, Reader({}, payload)};
    if (r.remaining() < generic_header_size) {
        r.fail(DecodeError{NotifyType::PayloadMalformed, std::string(payload), "Payload Length",
               std::string(payload) + " payload header: truncated (got " + std::to_string(r.remaining()) +
                   " bytes, need 4)"});
        return g;
    }
    g.next = r.u8("Next Payload");
    const auto reserved = r.u8("RESERVED");
    const auto length = r.u16("Payload Length");
    if (reserved != 0) {
        r.fail(DecodeError{NotifyType::PayloadMalformed, std::string(payload), "RESERVED",
               std::string(payload) + " RESERVED: not zero (got " + std::to_string(reserved) + ", need 0)"});
        return g;
    }
    if (length < generic_header_size) {
        r.fail(DecodeError{NotifyType::PayloadMalformed, std::string(payload), "Payload Length",
               std::string(payload) + " Payload Length: shorter than the payload header (got " +
                   std::to_string(length) + ", need at least 4)"});
        return g;
    }
    if (length - generic_header_size > r.remaining()) {
        r.fail(DecodeError{NotifyType::PayloadMalformed, std::string(payload), "Payload Length",
               std::string(payload) + " Payload Length: exceeds the data left (got " + std::to_string(length) +
                   ", need at most " + std::to_string(r.remaining() + generic_header_size) + ")"});
        return g;
    }
    g.body = r.sub(length - generic_header_size, payload, "Payload Length");
    return g;
}

std::size_t begin_generic(Writer& w, std::uint8_t next) {
    w.u8(next);
    w.u8(0);
    return w.begin_length16();
}

}  // namespace picsec::ike::codec::detail
