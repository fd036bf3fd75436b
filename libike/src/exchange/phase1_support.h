// Helpers shared by the phase-1, Quick Mode and Informational tasks: vendor
// IDs, identities, NAT-D, typed payload decoding with logging.
#pragma once

#include "engine_impl.h"
#include "payload_read.h"

#include "picsec/ike/codec/payload_hash.h"
#include "picsec/ike/codec/payload_id.h"
#include "picsec/ike/codec/payload_ke.h"
#include "picsec/ike/codec/payload_nat_d.h"
#include "picsec/ike/codec/payload_nonce.h"
#include "picsec/ike/codec/payload_notify.h"
#include "picsec/ike/codec/payload_sa.h"
#include "picsec/ike/codec/payload_vendor_id.h"
#include "picsec/ike/codec/sa_attributes.h"

namespace picsec::ike::detail {

/// RFC 3947 3.1 vendor ID (MD5 of "RFC 3947").
extern const Bytes k_vid_rfc3947;
/// RFC 3706 7 DPD vendor ID.
extern const Bytes k_vid_dpd;

/// Our phase-1 ID (RFC 2409 5.4: ID_IPV4_ADDR of the local address for PSK).
codec::IdPayload local_identity(const IkeSa& sa);
/// Our two NAT-D payloads: hash of the peer's and of our address (RFC 3947 3.2).
std::vector<codec::RawPayload> nat_d_payloads(const IkeSa& sa, bool force, Botan::RandomNumberGenerator& rng);
/// Evaluates the peer's NAT-D payloads; true when a NAT is between us.
bool nat_detected(const IkeSa& sa, const codec::RawMessage& m);
/// Records the peer's NAT-T / DPD vendor IDs.
void note_vendor_ids(IkeSa& sa, const codec::RawMessage& m);
crypto::HashAlgorithm prf_hash(const IkeSa& sa);
/// The phase-1 authentication method: the chosen proposal's, else our first proposal's.
crypto::AuthMethod auth_method(const IkeSa& sa);
/// An ID payload's data as a certificate can vouch for it.
crypto::PeerIdentity peer_identity(const codec::IdData& d);
std::string hex(std::span<const std::uint8_t> b);
/// Our vendor IDs: RFC 3947 NAT-T and RFC 3706 DPD.
std::vector<codec::RawPayload> our_vendor_ids();
/// N(INITIAL-CONTACT) for the first authenticated message of our first
/// phase 1 with this peer, when configured (RFC 2407 4.6.3.3).
std::optional<codec::RawPayload> initial_contact(const Engine::Impl& e, const IkeSa& sa);
/// SKEYID and its descendants once both KE and both nonces are known (RFC 2409 5).
void derive_keys(Engine::Impl& e, IkeSa& sa, const Bytes& peer_ke);

}  // namespace picsec::ike::detail
