// RFC 2408 3.9 Certificate payload (CERT): an encoding and the certificate.
#pragma once

#include <picsec/ike/codec/constants.h>
#include <picsec/ike/codec/reader.h>
#include <picsec/ike/codec/writer.h>

#include <cstdint>
#include <string>
#include <vector>

namespace picsec::ike::codec {

/*
 * RFC 2408 3.9 Certificate Payload
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Cert Encoding !                                               !
 * +-+-+-+-+-+-+-+-+                                               !
 * ~                       Certificate Data                        ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */

/// The CERT payload body. The codec does not parse the certificate.
struct CertPayload {
    static constexpr PayloadType type = PayloadType::Certificate;
    CertEncoding encoding = CertEncoding::X509Signature;
    std::vector<std::uint8_t> data;

    bool operator==(const CertPayload&) const = default;
};

/// Unknown encodings answer INVALID-CERT-ENCODING, empty data INVALID-CERTIFICATE.
CertPayload decode_cert(Reader& body);
void encode(Writer& w, const CertPayload& p);
std::string describe(const CertPayload& p);

}  // namespace picsec::ike::codec
