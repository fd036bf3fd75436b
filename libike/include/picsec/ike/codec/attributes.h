// SA data attributes (RFC 2408 3.3) and the attribute classes and values of
// IKE phase 1 (RFC 2409 Appendix A) and the IPsec DOI (RFC 2407 4.5).
#pragma once

#include <picsec/ike/codec/error.h>
#include <picsec/ike/codec/reader.h>
#include <picsec/ike/codec/writer.h>

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace picsec::ike::codec {

/*
 * RFC 2408 3.3 Data Attributes
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !A!       Attribute Type        !    AF=0  Attribute Length     !
 * !F!                             !    AF=1  Attribute Value      !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * .                   AF=0  Attribute Value                       .
 * .                   AF=1  Not Transmitted                       .
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */

/// One data attribute: a TV (basic, AF=1) 16-bit value or a TLV (variable,
/// AF=0) byte string. The form is kept so re-encoding is byte-identical.
struct DataAttribute {
    std::uint16_t type = 0;  ///< 15-bit attribute class
    std::variant<std::uint16_t, std::vector<std::uint8_t>> value;

    bool is_basic() const { return value.index() == 0; }
    bool operator==(const DataAttribute&) const = default;
};

/// Decode one attribute from `r` (which names the enclosing payload).
DataAttribute decode_attribute(Reader& r);
void encode_attribute(Writer& w, const DataAttribute& a);

/// RFC 2409 Appendix A: IKE (phase 1) attribute classes.
enum class IkeAttribute : std::uint16_t {
    EncryptionAlgorithm = 1,
    HashAlgorithm = 2,
    AuthenticationMethod = 3,
    GroupDescription = 4,
    GroupType = 5,
    GroupPrime = 6,
    GroupGeneratorOne = 7,
    GroupGeneratorTwo = 8,
    GroupCurveA = 9,
    GroupCurveB = 10,
    LifeType = 11,
    LifeDuration = 12,
    Prf = 13,
    KeyLength = 14,
    FieldSize = 15,
    GroupOrder = 16,
};

/// RFC 2407 4.5: IPsec DOI (phase 2) attribute classes.
enum class IpsecAttribute : std::uint16_t {
    SaLifeType = 1,
    SaLifeDuration = 2,
    GroupDescription = 3,
    EncapsulationMode = 4,
    AuthenticationAlgorithm = 5,
    KeyLength = 6,
    KeyRounds = 7,
    CompressDictionarySize = 8,
    CompressPrivateAlgorithm = 9,
    ExtendedSequenceNumber = 11,  ///< RFC 4304 2: value 1 = 64-bit sequence numbers
};

/// RFC 2409 Appendix A Encryption Algorithm, RFC 3602 AES-CBC.
enum class IkeEncryption : std::uint16_t {
    DesCbc = 1, IdeaCbc = 2, BlowfishCbc = 3, Rc5R16B64Cbc = 4, TripleDesCbc = 5, CastCbc = 6, AesCbc = 7,
};

/// RFC 2409 Appendix A Hash Algorithm, RFC 4868 SHA-2.
enum class IkeHash : std::uint16_t {
    Md5 = 1, Sha1 = 2, Tiger = 3, Sha2_256 = 4, Sha2_384 = 5, Sha2_512 = 6,
};

/// RFC 2409 Appendix A Authentication Method.
enum class AuthMethod : std::uint16_t {
    PreSharedKey = 1, DssSignatures = 2, RsaSignatures = 3, RsaEncryption = 4, RsaRevisedEncryption = 5,
};

/// RFC 2409 6, RFC 3526, RFC 5903, RFC 8031: Group Description (phase 1 and 2).
enum class GroupDescription : std::uint16_t {
    Modp768 = 1, Modp1024 = 2, Ec2n155 = 3, Ec2n185 = 4, Modp1536 = 5,
    Modp2048 = 14, Modp3072 = 15, Modp4096 = 16, Modp6144 = 17, Modp8192 = 18,
    Ecp256 = 19, Ecp384 = 20, Ecp521 = 21, Curve25519 = 31,
};

/// RFC 2409 Appendix A Life Type / RFC 2407 4.5 SA Life Type.
enum class LifeType : std::uint16_t { Seconds = 1, Kilobytes = 2 };

/// RFC 2407 4.5 Encapsulation Mode; 3 and 4 from RFC 3947 5.1, 61443/61444
/// the values of draft-ietf-ipsec-nat-t-ike-02/03 still sent by some peers.
enum class EncapsulationMode : std::uint16_t {
    Tunnel = 1, Transport = 2, UdpEncapsulatedTunnel = 3, UdpEncapsulatedTransport = 4,
    UdpTunnelDraft = 61443, UdpTransportDraft = 61444,
};

/// RFC 2407 4.5 Authentication Algorithm, RFC 4868 SHA-2.
enum class IpsecAuthAlgorithm : std::uint16_t {
    HmacMd5 = 1, HmacSha1 = 2, DesMac = 3, Kpdk = 4, HmacSha2_256 = 5, HmacSha2_384 = 6, HmacSha2_512 = 7,
};

std::string to_string(IkeAttribute a);
std::string to_string(IpsecAttribute a);
std::string to_string(IkeEncryption v);
std::string to_string(IkeHash v);
std::string to_string(AuthMethod v);
std::string to_string(GroupDescription v);
std::string to_string(LifeType v);
std::string to_string(EncapsulationMode v);
std::string to_string(IpsecAuthAlgorithm v);

bool is_known(IkeEncryption v);
bool is_known(IkeHash v);
bool is_known(AuthMethod v);
bool is_known(GroupDescription v);
bool is_known(LifeType v);
bool is_known(EncapsulationMode v);
bool is_known(IpsecAuthAlgorithm v);

/// "ENCRYPTION_ALGORITHM=3DES_CBC" style text of one attribute, with classes
/// named for phase 1 (`protocol` ISAKMP) or the IPsec DOI (AH, ESP, IPCOMP).
std::string describe(const DataAttribute& a, ProtocolId protocol);

}  // namespace picsec::ike::codec
