// The typed configuration model: what a picsec configuration file says, as
// plain structs with the file position of every statement. Algorithms are the
// shared identities of picsec/base/algorithms.h, addresses picsec::Ipv4Address. Produced by
// load_string()/load_file() (load.h), judged by commit_check().
#pragma once

#include <botan/secmem.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "picsec/base/algorithms.h"
#include "picsec/base/ipv4_address.h"
#include "picsec/config/diagnostic.h"
#include "picsec/pic/pic_name.h"
#include "picsec/pic/platform.h"
#include "picsec/pic/validate.h"
#include "picsec/sadb/algorithms.h"

namespace picsec::config {

/// Where a statement is: its position and hierarchy path
/// ("security ipsec security-association sa1 manual direction inbound spi").
struct Origin {
    Location loc;
    std::string path;
};

/// A configurable value with its default. `configured` tells whether the file
/// set it (then `origin` points at the statement).
template <typename T>
struct Setting {
    Setting() = default;
    explicit Setting(T default_value) : value(std::move(default_value)) {}

    T value{};
    bool configured = false;
    Origin origin;
};

/// A manual or pre-shared key, decoded. `characters` is the length as written
/// (without a "0x" prefix), for the key-length rule.
struct Key {
    pic::KeyEncoding encoding = pic::KeyEncoding::AsciiText;
    Botan::secure_vector<std::uint8_t> bytes;
    std::size_t characters = 0;
};

/// A reference to a named object (proposal, policy, SA) from another statement.
struct NameRef {
    std::string name;
    Origin origin;
};

enum class CertificateEncoding { Binary, Pem };

/// security ike proposal NAME
struct IkeProposal {
    std::string name;
    Origin origin;
    Setting<algo::AuthMethod> authentication_method{algo::AuthMethod::PreSharedKeys};
    Setting<algo::HashAlgorithm> authentication_algorithm{algo::HashAlgorithm::Sha1};
    Setting<algo::DhGroup> dh_group{algo::DhGroup::Modp1024};
    Setting<algo::EncryptionAlgorithm> encryption_algorithm{algo::EncryptionAlgorithm::TripleDesCbc};
    Setting<std::uint32_t> lifetime_seconds{3600};
    std::string description;
};

/// security ike policy PEER-ADDRESS
struct IkePolicy {
    std::string name;                    ///< as written; must be the peer's IPv4 address
    std::optional<Ipv4Address> peer;     ///< parsed name, when it is an address
    Origin origin;
    /// IKE version 1 (RFC 2409, the ES PIC's default) or 2 (RFC 7296).
    Setting<unsigned> version{1};
    Setting<algo::ExchangeMode> mode{algo::ExchangeMode::Main};
    std::vector<NameRef> proposals;      ///< preference order
    Origin proposals_origin;             ///< the proposals statement (line 0 if absent)
    std::optional<Setting<Key>> pre_shared_key;
    Setting<std::string> local_certificate;
    Setting<std::string> local_key_pair;
    Setting<CertificateEncoding> encoding{CertificateEncoding::Pem};
    Setting<std::string> identity;
    /// `signature-scheme rsa-pss` (picsec's own statement; JUNOS has none):
    /// IKEv2 signs its RFC 7427 AUTH with RSASSA-PSS instead of PKCS#1 v1.5.
    Setting<bool> rsa_pss{false};
    std::string description;
};

/// security ipsec proposal NAME
struct IpsecProposal {
    std::string name;
    Origin origin;
    Setting<sadb::Protocol> protocol{sadb::Protocol::Esp};
    Setting<algo::AuthenticationAlgorithm> authentication_algorithm{algo::AuthenticationAlgorithm::HmacSha1_96};
    /// Default 3des-cbc for esp and bundle; none for ah.
    Setting<algo::EncryptionAlgorithm> encryption_algorithm{algo::EncryptionAlgorithm::TripleDesCbc};
    Setting<std::uint32_t> lifetime_seconds{28800};
    std::string description;
};

/// security ipsec policy NAME
struct IpsecPolicy {
    std::string name;
    Origin origin;
    Setting<algo::DhGroup> pfs_keys;          ///< PFS on when configured
    std::vector<NameRef> proposals;
    Origin proposals_origin;
    std::string description;
};

/// authentication { algorithm A; key ...; } or encryption { ... } of a manual SA.
template <typename Algorithm>
struct ManualTransform {
    Origin origin;
    Setting<Algorithm> algorithm;
    std::optional<Setting<Key>> key;
};

/// security ipsec security-association NAME manual direction D
struct ManualDirection {
    sadb::Direction direction = sadb::Direction::Bidirectional;
    Origin origin;
    Setting<sadb::Protocol> protocol;
    Setting<std::uint32_t> spi;
    Setting<std::uint32_t> auxiliary_spi;
    std::optional<ManualTransform<algo::AuthenticationAlgorithm>> authentication;
    std::optional<ManualTransform<algo::EncryptionAlgorithm>> encryption;
};

/// security ipsec security-association NAME dynamic
struct DynamicSa {
    Origin origin;
    Setting<std::string> ipsec_policy;
    Setting<std::uint32_t> replay_window_size{64};
};

/// security ipsec security-association NAME
struct SecurityAssociation {
    std::string name;
    Origin origin;
    std::string description;
    Setting<sadb::Mode> mode{sadb::Mode::Tunnel};
    /// extended-sequence-number: 64-bit ESP/AH sequence numbers (RFC 4304),
    /// for the manual SA, or offered in IKE for the dynamic one.
    Setting<bool> extended_sequence_number{false};
    std::optional<Origin> manual;          ///< the manual statement, when present
    std::vector<ManualDirection> directions;
    std::optional<DynamicSa> dynamic;
};

struct CertificationAuthority {
    std::string name;
    Origin origin;
    Setting<std::string> ca_name, file, crl;
    Setting<CertificateEncoding> encoding{CertificateEncoding::Pem};
};

struct LocalCertificate {
    std::string name;
    Origin origin;
    Setting<std::string> file, key_file;
    Setting<CertificateEncoding> encoding{CertificateEncoding::Pem};
};

/// security certificates
struct Certificates {
    std::vector<CertificationAuthority> authorities;
    std::vector<LocalCertificate> local;
    Setting<std::uint32_t> path_length{15};
};

struct InterfaceAddress {
    Ipv4Address address;
    std::uint8_t prefix_length = 32;
    Origin origin;
    Setting<Ipv4Address> destination;
};

/// interfaces NAME unit N
struct InterfaceUnit {
    std::uint32_t number = 0;
    Origin origin;
    Setting<Ipv4Address> tunnel_source;
    Setting<Ipv4Address> tunnel_destination;
    std::optional<NameRef> ipsec_sa;       ///< family inet ipsec-sa
    std::vector<InterfaceAddress> addresses;
};

/// interfaces NAME
struct Interface {
    std::string name;
    Origin origin;
    std::optional<pic::PicName> pic;       ///< set for a valid es-F/P/0 (ES PIC) or ms-F/P/0 (services PIC) name
    std::vector<InterfaceUnit> units;
};

struct BgpNeighbor {
    Ipv4Address address;
    Origin origin;
    std::optional<NameRef> ipsec_sa;
};

/// protocols bgp group NAME
struct BgpGroup {
    std::string name;
    Origin origin;
    std::vector<BgpNeighbor> neighbors;
};

struct Ospf3Interface {
    std::string name;
    Origin origin;
    std::optional<NameRef> ipsec_sa;
};

/// protocols ospf3 area A
struct Ospf3Area {
    std::string id;                        ///< dotted quad
    Origin origin;
    std::vector<Ospf3Interface> interfaces;
};

/// The whole configuration. Lists keep file order; names are unique within
/// each list (duplicates are load errors).
struct Model {
    Setting<pic::Platform> platform{pic::Platform::MSeries};  ///< chassis platform (picsec extension)
    std::vector<IkeProposal> ike_proposals;
    std::vector<IkePolicy> ike_policies;
    std::vector<IpsecProposal> ipsec_proposals;
    std::vector<IpsecPolicy> ipsec_policies;
    std::vector<SecurityAssociation> security_associations;
    Certificates certificates;
    std::vector<Interface> interfaces;
    std::vector<BgpGroup> bgp_groups;
    std::vector<Ospf3Area> ospf3_areas;
    /// Security associations marked inactive (`inactive:`, `deactivate`, or
    /// an inactive hierarchy above them): in none of the lists above, named
    /// here so that a reference to one can say so.
    std::vector<NameRef> inactive_sas;

    const pic::PlatformModel& platform_model() const { return pic::model(platform.value); }
    const IkeProposal* find_ike_proposal(const std::string& name) const;
    const IkePolicy* find_ike_policy(const std::string& name) const;
    const IkePolicy* find_ike_policy(Ipv4Address peer) const;
    const IpsecProposal* find_ipsec_proposal(const std::string& name) const;
    const IpsecPolicy* find_ipsec_policy(const std::string& name) const;
    const SecurityAssociation* find_sa(const std::string& name) const;
};

}  // namespace picsec::config
