// RFC 7296 3.4 Key Exchange payload: the sender's Diffie-Hellman public value.
#pragma once

#include <picsec/ike/codec/reader.h>
#include <picsec/ike/codec/writer.h>

#include <cstdint>
#include <string>
#include <vector>

namespace picsec::ike::v2 {

/*
 * RFC 7296 3.4 Key Exchange Payload
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Diffie-Hellman Group Num    |           RESERVED            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                       Key Exchange Data                       ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */

/// The KE payload body. Data must not be empty; whether its length fits the
/// group is the crypto layer's check (answered INVALID_SYNTAX there).
struct KePayload {
    std::uint16_t group = 0;
    std::vector<std::uint8_t> data;

    bool operator==(const KePayload&) const = default;
};

KePayload decode_ke(codec::Reader& body);
void encode(codec::Writer& w, const KePayload& p);
/// "KE(14, 256 bytes)"
std::string describe(const KePayload& p);

}  // namespace picsec::ike::v2
