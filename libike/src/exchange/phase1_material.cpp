// The phase-1 task's material: its identity, SKEYID and descendants, KE and
// nonces, NAT-D (RFC 3947 3.2), vendor IDs and INITIAL-CONTACT.
#include "phase1_task.h"

#include "payload_read.h"

#include "picsec/ike/codec/payload_ke.h"
#include "picsec/ike/codec/payload_nat_d.h"
#include "picsec/ike/codec/payload_nonce.h"
#include "picsec/ike/codec/payload_notify.h"
#include "picsec/ike/codec/payload_vendor_id.h"
#include "picsec/ike/crypto/nat_d.h"
#include "picsec/ike/crypto/prf.h"
#include "picsec/ike/crypto/signature.h"

#include <botan/hex.h>

namespace picsec::ike::detail {

using codec::PayloadType;

namespace {

/// RFC 3947 3.1 vendor ID (MD5 of "RFC 3947").
const Bytes k_vid_rfc3947 = Botan::hex_decode("4a131c81070358455c5728f20e95452f");
/// RFC 3706 7 DPD vendor ID.
const Bytes k_vid_dpd = Botan::hex_decode("afcad71368a1f1c96b8696fc77570100");

std::string hex(std::span<const std::uint8_t> b) { return Botan::hex_encode(b.data(), b.size(), false); }

}  // namespace

std::vector<codec::RawPayload> our_vendor_ids()
{
    return {codec::make_payload(codec::VendorIdPayload{k_vid_rfc3947}),
            codec::make_payload(codec::VendorIdPayload{k_vid_dpd})};
}

void note_vendor_ids(const codec::RawMessage& m, Phase1Outcome& out)
{
    for (const auto& p : m.payloads) {
        if (p.type != PayloadType::VendorId)
            continue;
        out.peer_nat_t = out.peer_nat_t || p.body == k_vid_rfc3947;
        out.peer_dpd = out.peer_dpd || p.body == k_vid_dpd;
    }
}

bool has_initial_contact(const codec::RawMessage& m)
{
    for (std::size_t i = 0; const auto* raw = m.find(PayloadType::Notification, i); ++i) {
        auto n = codec::decode_body<codec::NotifyPayload>(*raw, codec::decode_notify, "Notify");
        if (n && n->notify_type == codec::NotifyType::InitialContact)
            return true;
    }
    return false;
}

crypto::AuthMethod Phase1Task::auth_method(const Phase1Context& ctx) const
{
    // Before the responder's choice (Aggressive Mode 1) the first proposal decides.
    if (m_choice)
        return m_choice->proposal.auth_method;
    return ctx.policy.proposals.empty() ? crypto::AuthMethod::PreSharedKeys
                                        : ctx.policy.proposals.front().auth_method;
}

// RFC 2409 5: SKEYID = prf(pre-shared-key, Ni_b | Nr_b) for pre-shared keys,
// prf(Ni_b | Nr_b, g^xy) for signatures.
crypto::Phase1Keys Phase1Task::derive_keys(const Phase1Context& ctx, const Bytes& peer_ke)
{
    const crypto::SecureBytes g_xy = m_dh->shared_secret(peer_ke);
    const auto& prop = m_choice->proposal;
    crypto::SecureBytes skeyid;
    switch (prop.auth_method) {
    case crypto::AuthMethod::PreSharedKeys:
        skeyid = crypto::skeyid_pre_shared_key(prop.hash, ctx.policy.pre_shared_key, m_ni, m_nr);
        break;
    case crypto::AuthMethod::RsaSignatures: skeyid = crypto::skeyid_signature(prop.hash, m_ni, m_nr, g_xy); break;
    }
    crypto::Phase1Inputs in{prop.hash, prop.encryption, g_xy, m_g_xi, m_g_xr, ctx.cky_i, ctx.cky_r};
    m_keys = crypto::derive_phase1_keys(in, std::move(skeyid));
    if (ctx.log_keys)
        ctx.log.debug("{}: [key logging] SKEYID_d {} SKEYID_a {} SKEYID_e {} Ka {}", ctx.who, hex(m_keys->skeyid_d),
                      hex(m_keys->skeyid_a), hex(m_keys->skeyid_e), hex(m_keys->ka));
    return *m_keys;
}

codec::IdPayload Phase1Task::local_identity(const Phase1Context& ctx) const
{
    codec::IdPayload id;
    const auto& configured = ctx.policy.local_id;
    const auto& auth = ctx.policy.authenticator;
    const bool signatures = auth && auth_method(ctx) == crypto::AuthMethod::RsaSignatures;
    if (configured.empty() && signatures) {
        // RFC 2409 5.1 with certificates: our subject DN (ID_DER_ASN1_DN).
        id.data = codec::DerAsn1Dn{auth->local_subject()};
    } else if (configured.empty()) {
        id.data = codec::Ipv4Address{ctx.local.address.octets};
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

std::vector<codec::RawPayload> Phase1Task::nat_d_payloads(const Phase1Context& ctx) const
{
    const auto h = m_choice->proposal.hash;
    // RFC 3947 3.2: first the hash of the destination (peer), then of the source (us).
    const auto remote = crypto::nat_d_hash(h, ctx.cky_i, ctx.cky_r, ctx.peer.address.octets, ctx.peer.port);
    Bytes local;
    if (ctx.force_nat_t) {
        // Pretend to be behind a NAT: a hash of an address we do not have.
        Bytes fake(4);
        ctx.rng.randomize(fake.data(), fake.size());
        local = crypto::nat_d_hash(h, ctx.cky_i, ctx.cky_r, fake, ctx.local.port);
    } else {
        local = crypto::nat_d_hash(h, ctx.cky_i, ctx.cky_r, ctx.local.address.octets, ctx.local.port);
    }
    return {codec::make_payload(codec::NatDPayload{remote}), codec::make_payload(codec::NatDPayload{local})};
}

bool Phase1Task::nat_detected(const Phase1Context& ctx, const codec::RawMessage& m) const
{
    if (m.count(PayloadType::NatD) < 2)
        return false;
    const auto h = m_choice->proposal.hash;
    const auto ours = crypto::nat_d_hash(h, ctx.cky_i, ctx.cky_r, ctx.local.address.octets, ctx.local.port);
    const auto theirs = crypto::nat_d_hash(h, ctx.cky_i, ctx.cky_r, ctx.peer.address.octets, ctx.peer.port);
    // The first NAT-D payload is the hash of the address the peer sent to (us).
    bool we_behind = m.find(PayloadType::NatD, 0)->body != ours;
    bool they_behind = true;
    for (std::size_t i = 1; i < m.count(PayloadType::NatD); ++i)
        they_behind = they_behind && m.find(PayloadType::NatD, i)->body != theirs;
    return we_behind || they_behind;
}

std::vector<codec::RawPayload> Phase1Task::ke_nonce_payloads(const Phase1Context& ctx, bool nat_d) const
{
    const bool initiator = m_role == Role::Initiator;
    std::vector<codec::RawPayload> out{codec::make_payload(codec::KePayload{initiator ? m_g_xi : m_g_xr}),
                                       codec::make_payload(codec::NoncePayload{initiator ? m_ni : m_nr})};
    // RFC 2409 5.1: [ CERTREQ ] after the nonce asks for the peer's certificate.
    for (auto& cr : certreq_payloads(ctx))
        out.push_back(std::move(cr));
    if (nat_d)
        for (auto& p : nat_d_payloads(ctx))
            out.push_back(std::move(p));
    return out;
}

// RFC 2407 4.6.3.3: N(INITIAL-CONTACT) in the first authenticated message
// (Main Mode 5, Aggressive Mode 3) of our first phase 1 with this peer.
std::optional<codec::RawPayload> Phase1Task::initial_contact(const Phase1Context& ctx) const
{
    if (!ctx.initial_contact)
        return std::nullopt;
    codec::NotifyPayload n;
    n.protocol = codec::ProtocolId::Isakmp;
    n.spi.assign(ctx.cky_i.begin(), ctx.cky_i.end());
    n.spi.insert(n.spi.end(), ctx.cky_r.begin(), ctx.cky_r.end());
    n.notify_type = codec::NotifyType::InitialContact;
    return codec::make_payload(n);
}

}  // namespace picsec::ike::detail
