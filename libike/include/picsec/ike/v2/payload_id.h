// RFC 7296 3.5 Identification payloads IDi (35) and IDr (36).
#pragma once

#include <picsec/ike/codec/reader.h>
#include <picsec/ike/codec/writer.h>
#include <picsec/ike/v2/constants.h>

#include <cstdint>
#include <string>
#include <vector>

namespace picsec::ike::v2 {

/*
 * RFC 7296 3.5 Identification Payload
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   ID Type     |                 RESERVED                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                   Identification Data                         ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */

/// IDi (initiator) or IDr. `type` keeps an unknown ID Type value as is (the
/// identity check rejects it); data is the raw Identification Data, which
/// the AUTH computation (RFC 7296 2.15) signs byte for byte. An ID_IPV4_ADDR
/// must be 4 bytes, an ID_IPV6_ADDR 16, any other at least 1.
struct IdPayload {
    bool initiator = true;
    IdType type = IdType::Fqdn;
    std::vector<std::uint8_t> data;

    bool operator==(const IdPayload&) const = default;
};

IdPayload decode_id(codec::Reader& body, bool initiator);
void encode(codec::Writer& w, const IdPayload& p);
/// "IDi(ID_FQDN moon.example)"
std::string describe(const IdPayload& p);

}  // namespace picsec::ike::v2
