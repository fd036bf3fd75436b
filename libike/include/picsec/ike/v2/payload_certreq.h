// RFC 7296 3.7 Certificate Request payload (CERTREQ).
#pragma once

#include <picsec/ike/v2/payload_cert.h>

#include <cstdint>
#include <string>
#include <vector>

namespace picsec::ike::v2 {

/*
 * RFC 7296 3.7 Certificate Request Payload
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Cert Encoding |                                               |
 * +-+-+-+-+-+-+-+-+                                               |
 * ~                    Certification Authority                    ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */

/// A CERTREQ payload. For encoding 4, data is the concatenated 20-byte SHA-1
/// hashes of trusted CA public keys (RFC 7296 3.7), possibly none.
struct CertReqPayload {
    std::uint8_t encoding = cert_x509_signature;
    std::vector<std::uint8_t> data;

    bool operator==(const CertReqPayload&) const = default;

    /// The CA key hashes of an encoding 4 request.
    std::vector<std::vector<std::uint8_t>> ca_hashes() const;
};

/// An encoding 4 request whose data is not a multiple of 20 bytes is INVALID_SYNTAX.
CertReqPayload decode_certreq(codec::Reader& body);
void encode(codec::Writer& w, const CertReqPayload& p);
std::string describe(const CertReqPayload& p);

}  // namespace picsec::ike::v2
