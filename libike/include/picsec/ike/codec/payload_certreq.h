// RFC 2408 3.10 Certificate Request payload (CR): a certificate type and an
// optional acceptable certificate authority (a DER Distinguished Name).
#pragma once

#include <picsec/ike/codec/constants.h>
#include <picsec/ike/codec/reader.h>
#include <picsec/ike/codec/writer.h>

#include <cstdint>
#include <string>
#include <vector>

namespace picsec::ike::codec {

/*
 * RFC 2408 3.10 Certificate Request Payload
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !  Cert. Type   !                                               !
 * +-+-+-+-+-+-+-+-+                                               !
 * ~                    Certificate Authority                      ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */

/// The CR payload body. An empty authority asks for any certificate.
struct CertReqPayload {
    static constexpr PayloadType type = PayloadType::CertificateRequest;
    CertEncoding cert_type = CertEncoding::X509Signature;
    std::vector<std::uint8_t> authority;

    bool operator==(const CertReqPayload&) const = default;
};

/// Unknown certificate types answer CERT-TYPE-UNSUPPORTED.
CertReqPayload decode_certreq(Reader& body);
void encode(Writer& w, const CertReqPayload& p);
std::string describe(const CertReqPayload& p);

}  // namespace picsec::ike::codec
