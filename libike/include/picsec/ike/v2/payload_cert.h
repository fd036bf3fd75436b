// RFC 7296 3.6 Certificate payload (CERT).
#pragma once

#include <picsec/ike/codec/reader.h>
#include <picsec/ike/codec/writer.h>

#include <cstdint>
#include <string>
#include <vector>

namespace picsec::ike::v2 {

/*
 * RFC 7296 3.6 Certificate Payload
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Cert Encoding |                                               |
 * +-+-+-+-+-+-+-+-+                                               |
 * ~                       Certificate Data                        ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */

/// RFC 7296 3.6 Certificate Encoding 4: X.509 Certificate - Signature.
inline constexpr std::uint8_t cert_x509_signature = 4;

/// A CERT payload: encoding and the DER (for encoding 4) certificate, at least 1 byte.
struct CertPayload {
    std::uint8_t encoding = cert_x509_signature;
    std::vector<std::uint8_t> data;

    bool operator==(const CertPayload&) const = default;
};

CertPayload decode_cert(codec::Reader& body);
void encode(codec::Writer& w, const CertPayload& p);
std::string describe(const CertPayload& p);

}  // namespace picsec::ike::v2
