// Configured proposals as negotiation sees them: the `security ike proposal`
// and `security ipsec proposal` / `policy` statements, already validated.
#pragma once

#include "picsec/ike/crypto/algorithms.h"
#include "picsec/sadb/algorithms.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace picsec::ike::negotiation {

// Algorithm types are the identities of the one algorithm table (libbase,
// which negotiation links; the Botan-linking crypto layer it does not).
using crypto::AuthMethod;
using crypto::DhGroup;
using crypto::HashAlgorithm;

/// RFC 2407 4.5: an SA Life Duration that is not sent defaults to 8 hours.
inline constexpr std::uint32_t k_default_lifetime_seconds = 28800;

/// One `security ike proposal NAME` (phase 1, ISAKMP SA).
struct IkeProposal {
    std::string name;
    sadb::EncryptionAlgorithm encryption = sadb::EncryptionAlgorithm::TripleDesCbc;
    HashAlgorithm hash = HashAlgorithm::Sha1;  ///< `authentication-algorithm`
    AuthMethod auth_method = AuthMethod::PreSharedKeys;
    DhGroup group = DhGroup::Modp1024;
    std::uint32_t lifetime_seconds = 3600;

    friend bool operator==(const IkeProposal&, const IkeProposal&) = default;
};

/// One `security ipsec proposal NAME` (phase 2).
///
/// `protocol` decides which algorithms go where on the wire:
///  - Ah: `authentication` is the AH transform (required);
///  - Esp: `encryption` (absent = ESP_NULL) and an optional ESP `authentication`;
///  - Bundle: AH with `authentication` plus ESP with `encryption` and no ESP
///    authentication, both under one proposal number (RFC 2408 4.2), as the
///    ES PIC applies the bundle (AH over ESP).
struct IpsecProposal {
    std::string name;
    sadb::Protocol protocol = sadb::Protocol::Esp;
    std::optional<sadb::EncryptionAlgorithm> encryption;
    std::optional<sadb::AuthenticationAlgorithm> authentication;
    std::uint32_t lifetime_seconds = 28800;
    std::uint64_t lifetime_kilobytes = 0;  ///< 0 = no volume limit
    /// Extended sequence numbers (RFC 4304): IKEv1 attribute 11 value 1,
    /// IKEv2 transform type 5 id 1; the SA's `extended-sequence-number`.
    bool extended_sequence_numbers = false;

    friend bool operator==(const IpsecProposal&, const IpsecProposal&) = default;
};

/// What one side proposes in Quick Mode for one SA: the `ipsec policy`
/// (proposals in preference order, PFS group) plus the SA's mode. PFS and mode
/// are per policy / SA in the config but are carried in every transform on the
/// wire (RFC 2407 4.5 Group Description and Encapsulation Mode).
struct Phase2Policy {
    std::vector<IpsecProposal> proposals;
    std::optional<DhGroup> pfs_group;  ///< `perfect-forward-secrecy keys`
    sadb::Mode mode = sadb::Mode::Tunnel;
    bool udp_encapsulated = false;  ///< NAT-T: RFC 3947 5 UDP-Encapsulated-* modes

    friend bool operator==(const Phase2Policy&, const Phase2Policy&) = default;
};

}  // namespace picsec::ike::negotiation
