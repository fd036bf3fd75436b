// SA data attributes (RFC 2408 3.3) and the names of phase 1 (RFC 2409
// Appendix A) and IPsec DOI (RFC 2407 4.5) attribute classes and values.
#include <picsec/ike/codec/attributes.h>

#include "blob.h"
#include "names.h"

namespace picsec::ike::codec {
namespace {

using detail::Name;

constexpr std::uint16_t af_bit = 0x8000;

constexpr Name ike_attributes[] = {
    {1, "ENCRYPTION_ALGORITHM"}, {2, "HASH_ALGORITHM"}, {3, "AUTHENTICATION_METHOD"}, {4, "GROUP_DESCRIPTION"},
    {5, "GROUP_TYPE"}, {6, "GROUP_PRIME"}, {7, "GROUP_GENERATOR_ONE"}, {8, "GROUP_GENERATOR_TWO"},
    {9, "GROUP_CURVE_A"}, {10, "GROUP_CURVE_B"}, {11, "LIFE_TYPE"}, {12, "LIFE_DURATION"}, {13, "PRF"},
    {14, "KEY_LENGTH"}, {15, "FIELD_SIZE"}, {16, "GROUP_ORDER"},
};
constexpr Name ipsec_attributes[] = {
    {1, "SA_LIFE_TYPE"}, {2, "SA_LIFE_DURATION"}, {3, "GROUP_DESCRIPTION"}, {4, "ENCAPSULATION_MODE"},
    {5, "AUTHENTICATION_ALGORITHM"}, {6, "KEY_LENGTH"}, {7, "KEY_ROUNDS"}, {8, "COMPRESS_DICTIONARY_SIZE"},
    {9, "COMPRESS_PRIVATE_ALGORITHM"}, {11, "EXTENDED_SEQUENCE_NUMBER"},
};
constexpr Name ike_encryptions[] = {
    {1, "DES_CBC"}, {2, "IDEA_CBC"}, {3, "BLOWFISH_CBC"}, {4, "RC5_R16_B64_CBC"}, {5, "3DES_CBC"},
    {6, "CAST_CBC"}, {7, "AES_CBC"},
};
constexpr Name ike_hashes[] = {
    {1, "MD5"}, {2, "SHA"}, {3, "TIGER"}, {4, "SHA2_256"}, {5, "SHA2_384"}, {6, "SHA2_512"},
};
constexpr Name auth_methods[] = {
    {1, "PRE_SHARED_KEY"}, {2, "DSS_SIGNATURES"}, {3, "RSA_SIGNATURES"}, {4, "RSA_ENCRYPTION"},
    {5, "RSA_REVISED_ENCRYPTION"},
};
constexpr Name groups[] = {
    {1, "MODP_768"}, {2, "MODP_1024"}, {3, "EC2N_155"}, {4, "EC2N_185"}, {5, "MODP_1536"}, {14, "MODP_2048"},
    {15, "MODP_3072"}, {16, "MODP_4096"}, {17, "MODP_6144"}, {18, "MODP_8192"}, {19, "ECP_256"},
    {20, "ECP_384"}, {21, "ECP_521"}, {31, "CURVE25519"},
};
constexpr Name life_types[] = {{1, "SECONDS"}, {2, "KILOBYTES"}};
constexpr Name encapsulation_modes[] = {
    {1, "TUNNEL"}, {2, "TRANSPORT"}, {3, "UDP_ENCAPSULATED_TUNNEL"}, {4, "UDP_ENCAPSULATED_TRANSPORT"},
    {61443, "UDP_ENCAPSULATED_TUNNEL_DRAFT"}, {61444, "UDP_ENCAPSULATED_TRANSPORT_DRAFT"},
};
constexpr Name ipsec_auth_algorithms[] = {
    {1, "HMAC_MD5"}, {2, "HMAC_SHA"}, {3, "DES_MAC"}, {4, "KPDK"}, {5, "HMAC_SHA2_256"}, {6, "HMAC_SHA2_384"},
    {7, "HMAC_SHA2_512"},
};

}  // namespace

DataAttribute decode_attribute(Reader& r) {
    DataAttribute a;
    const auto raw = r.u16("Attribute Type");
    a.type = raw & static_cast<std::uint16_t>(~af_bit);
    if (raw & af_bit) {
        a.value = r.u16("Attribute Value");
    } else {
        const auto len = r.u16("Attribute Length");
        a.value = r.vec(len, "Attribute Value");
    }
    return a;
}

void encode_attribute(Writer& w, const DataAttribute& a) {
    if (a.type & af_bit) throw EncodeError("SA attribute type: AF bit set (got " + std::to_string(a.type) + ")");
    if (const auto* v = std::get_if<std::uint16_t>(&a.value)) {
        w.u16(static_cast<std::uint16_t>(a.type | af_bit));
        w.u16(*v);
        return;
    }
    const auto& bytes = std::get<std::vector<std::uint8_t>>(a.value);
    if (bytes.size() > 0xffff) throw EncodeError("SA attribute value: longer than 65535 bytes");
    w.u16(a.type);
    w.u16(static_cast<std::uint16_t>(bytes.size()));
    w.bytes(bytes);
}

std::string to_string(IkeAttribute a) { return detail::lookup(ike_attributes, static_cast<std::uint16_t>(a)); }
std::string to_string(IpsecAttribute a) { return detail::lookup(ipsec_attributes, static_cast<std::uint16_t>(a)); }
std::string to_string(IkeEncryption v) { return detail::lookup(ike_encryptions, static_cast<std::uint16_t>(v)); }
std::string to_string(IkeHash v) { return detail::lookup(ike_hashes, static_cast<std::uint16_t>(v)); }
std::string to_string(AuthMethod v) { return detail::lookup(auth_methods, static_cast<std::uint16_t>(v)); }
std::string to_string(GroupDescription v) { return detail::lookup(groups, static_cast<std::uint16_t>(v)); }
std::string to_string(LifeType v) { return detail::lookup(life_types, static_cast<std::uint16_t>(v)); }
std::string to_string(EncapsulationMode v) {
    return detail::lookup(encapsulation_modes, static_cast<std::uint16_t>(v));
}
std::string to_string(IpsecAuthAlgorithm v) {
    return detail::lookup(ipsec_auth_algorithms, static_cast<std::uint16_t>(v));
}

bool is_known(IkeEncryption v) { return detail::contains(ike_encryptions, static_cast<std::uint16_t>(v)); }
bool is_known(IkeHash v) { return detail::contains(ike_hashes, static_cast<std::uint16_t>(v)); }
bool is_known(AuthMethod v) { return detail::contains(auth_methods, static_cast<std::uint16_t>(v)); }
bool is_known(GroupDescription v) { return detail::contains(groups, static_cast<std::uint16_t>(v)); }
bool is_known(LifeType v) { return detail::contains(life_types, static_cast<std::uint16_t>(v)); }
bool is_known(EncapsulationMode v) {
    return detail::contains(encapsulation_modes, static_cast<std::uint16_t>(v));
}
bool is_known(IpsecAuthAlgorithm v) {
    return detail::contains(ipsec_auth_algorithms, static_cast<std::uint16_t>(v));
}

namespace {

std::string value_name(std::uint16_t type, std::uint16_t v, bool phase1) {
    if (phase1) {
        switch (static_cast<IkeAttribute>(type)) {
        case IkeAttribute::EncryptionAlgorithm: return to_string(static_cast<IkeEncryption>(v));
        case IkeAttribute::HashAlgorithm:
        case IkeAttribute::Prf: return to_string(static_cast<IkeHash>(v));
        case IkeAttribute::AuthenticationMethod: return to_string(static_cast<AuthMethod>(v));
        case IkeAttribute::GroupDescription: return to_string(static_cast<GroupDescription>(v));
        case IkeAttribute::LifeType: return to_string(static_cast<LifeType>(v));
        case IkeAttribute::GroupType:
        case IkeAttribute::GroupPrime:
        case IkeAttribute::GroupGeneratorOne:
        case IkeAttribute::GroupGeneratorTwo:
        case IkeAttribute::GroupCurveA:
        case IkeAttribute::GroupCurveB:
        case IkeAttribute::LifeDuration:
        case IkeAttribute::KeyLength:
        case IkeAttribute::FieldSize:
        case IkeAttribute::GroupOrder: break;
        }
        return std::to_string(v);
    }
    switch (static_cast<IpsecAttribute>(type)) {
    case IpsecAttribute::SaLifeType: return to_string(static_cast<LifeType>(v));
    case IpsecAttribute::GroupDescription: return to_string(static_cast<GroupDescription>(v));
    case IpsecAttribute::EncapsulationMode: return to_string(static_cast<EncapsulationMode>(v));
    case IpsecAttribute::AuthenticationAlgorithm: return to_string(static_cast<IpsecAuthAlgorithm>(v));
    case IpsecAttribute::SaLifeDuration:
    case IpsecAttribute::KeyLength:
    case IpsecAttribute::KeyRounds:
    case IpsecAttribute::CompressDictionarySize:
    case IpsecAttribute::CompressPrivateAlgorithm:
    case IpsecAttribute::ExtendedSequenceNumber: break;
    }
    return std::to_string(v);
}

}  // namespace

std::string describe(const DataAttribute& a, ProtocolId protocol) {
    const bool phase1 = protocol == ProtocolId::Isakmp;
    std::string s = phase1 ? to_string(static_cast<IkeAttribute>(a.type))
                           : to_string(static_cast<IpsecAttribute>(a.type));
    if (const auto* v = std::get_if<std::uint16_t>(&a.value)) {
        return s + "=" + value_name(a.type, *v, phase1);
    }
    return s + "=0x" + detail::hex(std::get<std::vector<std::uint8_t>>(a.value), 32);
}

}  // namespace picsec::ike::codec
