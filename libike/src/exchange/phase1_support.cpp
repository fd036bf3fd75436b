// Helpers of the phase-1, Quick Mode and Informational tasks: vendor IDs,
// identities, NAT-D, RESPONDER-LIFETIME, INITIAL-CONTACT, phase-1 key
// derivation and KE/Nonce reading.
#include "phase1_support.h"

#include "picsec/ike/crypto/nat_d.h"
#include "picsec/ike/crypto/prf.h"

#include <botan/hex.h>

namespace picsec::ike {

using codec::PayloadType;

namespace detail {

const Bytes k_vid_rfc3947 = Botan::hex_decode("4a131c81070358455c5728f20e95452f");
const Bytes k_vid_dpd = Botan::hex_decode("afcad71368a1f1c96b8696fc77570100");

std::string hex(std::span<const std::uint8_t> b) { return Botan::hex_encode(b.data(), b.size(), false); }

crypto::HashAlgorithm prf_hash(const IkeSa& sa) { return sa.choice->proposal.hash; }

codec::IdPayload local_identity(const IkeSa& sa)
{
    codec::IdPayload id;
    const auto& configured = sa.policy->local_id;
    const auto& auth = sa.policy->authenticator;
    const bool signatures = auth && auth_method(sa) == crypto::AuthMethod::RsaSignatures;
    if (configured.empty() && signatures) {
        // RFC 2409 5.1 with certificates: our subject DN (ID_DER_ASN1_DN).
        id.data = codec::DerAsn1Dn{auth->local_subject()};
    } else if (configured.empty()) {
        id.data = codec::Ipv4Address{sa.local.address.octets};
    } else if (auto a = Ipv4Address::parse(configured)) {
        id.data = codec::Ipv4Address{a->octets};
    } else if (configured.find('@') != std::string::npos) {
        id.data = codec::UserFqdn{configured};
    } else if (auto der = auth && configured.find('=') != std::string::npos ? auth->encode_dn(configured) : Bytes{};
               !der.empty()) {
        id.data = codec::DerAsn1Dn{std::move(der)};
    } else {
        id.data = codec::Fqdn{configured};
    }
    return id;
}

std::vector<codec::RawPayload> nat_d_payloads(const IkeSa& sa, bool force, Botan::RandomNumberGenerator& rng)
{
    const auto h = prf_hash(sa);
    // RFC 3947 3.2: first the hash of the destination (peer), then of the source (us).
    const auto remote = crypto::nat_d_hash(h, sa.cky_i, sa.cky_r, sa.peer.address.octets, sa.peer.port);
    Bytes local;
    if (force) {
        // Pretend to be behind a NAT: a hash of an address we do not have.
        Bytes fake(4);
        rng.randomize(fake.data(), fake.size());
        local = crypto::nat_d_hash(h, sa.cky_i, sa.cky_r, fake, sa.local.port);
    } else {
        local = crypto::nat_d_hash(h, sa.cky_i, sa.cky_r, sa.local.address.octets, sa.local.port);
    }
    return {codec::make_payload(codec::NatDPayload{remote}), codec::make_payload(codec::NatDPayload{local})};
}

bool nat_detected(const IkeSa& sa, const codec::RawMessage& m)
{
    if (m.count(PayloadType::NatD) < 2)
        return false;
    const auto h = prf_hash(sa);
    const auto ours = crypto::nat_d_hash(h, sa.cky_i, sa.cky_r, sa.local.address.octets, sa.local.port);
    const auto theirs = crypto::nat_d_hash(h, sa.cky_i, sa.cky_r, sa.peer.address.octets, sa.peer.port);
    // The first NAT-D payload is the hash of the address the peer sent to (us).
    bool we_behind = m.find(PayloadType::NatD, 0)->body != ours;
    bool they_behind = true;
    for (std::size_t i = 1; i < m.count(PayloadType::NatD); ++i)
        they_behind = they_behind && m.find(PayloadType::NatD, i)->body != theirs;
    return we_behind || they_behind;
}

void note_vendor_ids(IkeSa& sa, const codec::RawMessage& m)
{
    for (const auto& p : m.payloads) {
        if (p.type != PayloadType::VendorId)
            continue;
        sa.peer_nat_t = sa.peer_nat_t || p.body == k_vid_rfc3947;
        sa.peer_dpd = sa.peer_dpd || p.body == k_vid_dpd;
    }
}

std::vector<codec::RawPayload> our_vendor_ids()
{
    return {codec::make_payload(codec::VendorIdPayload{k_vid_rfc3947}),
            codec::make_payload(codec::VendorIdPayload{k_vid_dpd})};
}

// RFC 2407 4.6.3.3: N(INITIAL-CONTACT) in the first authenticated message
// (Main Mode 5, Aggressive Mode 3) of our first phase 1 with this peer.
std::optional<codec::RawPayload> initial_contact(const Engine::Impl& e, const IkeSa& sa)
{
    if (!e.config.send_initial_contact)
        return std::nullopt;
    if (auto it = e.contacted.find(sa.peer.address.to_uint()); it != e.contacted.end() && it->second)
        return std::nullopt;
    codec::NotifyPayload n;
    n.protocol = codec::ProtocolId::Isakmp;
    n.spi.assign(sa.cky_i.begin(), sa.cky_i.end());
    n.spi.insert(n.spi.end(), sa.cky_r.begin(), sa.cky_r.end());
    n.notify_type = codec::NotifyType::InitialContact;
    return codec::make_payload(n);
}

// Derives SKEYID and its descendants once both KE and both nonces are known
// (RFC 2409 5: SKEYID = prf(pre-shared-key, Ni_b | Nr_b) for pre-shared keys,
// prf(Ni_b | Nr_b, g^xy) for signatures).
void derive_keys(Engine::Impl& e, IkeSa& sa, const Bytes& peer_ke)
{
    sa.g_xy = sa.dh->shared_secret(peer_ke);
    const auto& prop = sa.choice->proposal;
    crypto::SecureBytes skeyid;
    switch (prop.auth_method) {
    case crypto::AuthMethod::PreSharedKeys:
        skeyid = crypto::skeyid_pre_shared_key(prop.hash, sa.policy->pre_shared_key, sa.ni, sa.nr);
        break;
    case crypto::AuthMethod::RsaSignatures: skeyid = crypto::skeyid_signature(prop.hash, sa.ni, sa.nr, sa.g_xy); break;
    }
    crypto::Phase1Inputs in{prop.hash, prop.encryption, sa.g_xy, sa.g_xi, sa.g_xr, sa.cky_i, sa.cky_r};
    sa.keys = crypto::derive_phase1_keys(in, std::move(skeyid));
    sa.ivs.emplace(prop.hash, prop.encryption, sa.keys->iv);
    if (e.config.log_keys)
        e.log->debug("{}: [key logging] SKEYID_d {} SKEYID_a {} SKEYID_e {} Ka {}", sa.name(), hex(sa.keys->skeyid_d),
                     hex(sa.keys->skeyid_a), hex(sa.keys->skeyid_e), hex(sa.keys->ka));
}

}  // namespace detail

}  // namespace picsec::ike
