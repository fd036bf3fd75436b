// The ISAKMP header (RFC 2408 3.1) that starts every IKEv1 message.
#pragma once

#include <picsec/ike/codec/constants.h>
#include <picsec/ike/codec/reader.h>
#include <picsec/ike/codec/writer.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace picsec::ike::codec {

/*
 * RFC 2408 3.1 ISAKMP Header Format
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !                          Initiator                            !
 * !                            Cookie                             !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !                          Responder                            !
 * !                            Cookie                             !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !  Next Payload ! MjVer ! MnVer ! Exchange Type !     Flags     !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !                          Message ID                           !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !                            Length                             !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */

inline constexpr std::size_t header_size = 28;
using Cookie = std::array<std::uint8_t, 8>;

/// A decoded ISAKMP header. `length` is what the peer sent; the encoder
/// computes its own.
struct Header {
    Cookie initiator_cookie{};
    Cookie responder_cookie{};
    PayloadType next_payload = PayloadType::None;
    std::uint8_t major_version = 1;
    std::uint8_t minor_version = 0;
    ExchangeType exchange_type = ExchangeType::IdentityProtection;
    bool encryption = false;           ///< E: body encrypted (RFC 2408 3.1)
    bool commit = false;               ///< C
    bool authentication_only = false;  ///< A
    std::uint32_t message_id = 0;
    std::uint32_t length = 0;

    bool operator==(const Header&) const = default;
};

/// Read and validate the 28 header bytes: version 1.0 (INVALID-MAJOR-VERSION /
/// INVALID-MINOR-VERSION), a known exchange type (INVALID-EXCHANGE-TYPE), no
/// unknown flag bits (INVALID-FLAGS). The Length field is checked by the caller.
Header read_header(Reader& r);
/// Write the header with the given total message length.
void write_header(Writer& w, const Header& h, std::uint32_t length);

/// "HDR(icookie rcookie ID_PROT flags=E msgid=0x... len=N)"
std::string describe(const Header& h);

}  // namespace picsec::ike::codec
