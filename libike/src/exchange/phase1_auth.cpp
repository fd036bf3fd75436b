// The authenticating part of the phase-1 task: HASH_I / HASH_R with
// pre-shared keys (RFC 2409 5.4) or [CERT,] SIG_I / SIG_R with RSA signatures
// (RFC 2409 5.1), and the CERTREQ payloads that ask for the peer's certificate.
#include "phase1_task.h"

#include "payload_read.h"

#include "picsec/ike/codec/payload_cert.h"
#include "picsec/ike/codec/payload_certreq.h"
#include "picsec/ike/codec/payload_hash.h"
#include "picsec/ike/codec/payload_sig.h"
#include "picsec/ike/crypto/signature.h"
#include "picsec/ike/crypto/x509.h"

namespace picsec::ike::detail {

using codec::PayloadType;

namespace {

// An ID payload's data as a certificate can vouch for it.
crypto::PeerIdentity peer_identity(const codec::IdData& d)
{
    crypto::PeerIdentity id;
    if (const auto* a = std::get_if<codec::Ipv4Address>(&d)) {
        id.type = crypto::PeerIdentity::Type::Ipv4;
        id.value.assign(a->octets.begin(), a->octets.end());
    } else if (const auto* f = std::get_if<codec::Fqdn>(&d)) {
        id.type = crypto::PeerIdentity::Type::Fqdn;
        id.value.assign(f->name.begin(), f->name.end());
    } else if (const auto* u = std::get_if<codec::UserFqdn>(&d)) {
        id.type = crypto::PeerIdentity::Type::UserFqdn;
        id.value.assign(u->name.begin(), u->name.end());
    } else if (const auto* dn = std::get_if<codec::DerAsn1Dn>(&d)) {
        id.type = crypto::PeerIdentity::Type::DerAsn1Dn;
        id.value = dn->der;
    }
    return id;
}

// The notify that tells the peer why its certificate was refused (RFC 2408 3.14.1).
codec::NotifyType notify_for(crypto::PeerVerdict v)
{
    switch (v) {
    case crypto::PeerVerdict::Accepted: return codec::NotifyType::AuthenticationFailed;
    case crypto::PeerVerdict::NoCertificate: return codec::NotifyType::CertificateUnavailable;
    case crypto::PeerVerdict::UnknownIssuer: return codec::NotifyType::InvalidCertAuthority;
    case crypto::PeerVerdict::IdMismatch: return codec::NotifyType::InvalidIdInformation;
    case crypto::PeerVerdict::BadSignature: return codec::NotifyType::InvalidSignature;
    case crypto::PeerVerdict::BadCertificate:
    case crypto::PeerVerdict::Expired:
    case crypto::PeerVerdict::NotYetValid:
    case crypto::PeerVerdict::Revoked:
    case crypto::PeerVerdict::PathTooLong:
    case crypto::PeerVerdict::KeyUsage:
    case crypto::PeerVerdict::InvalidChain: return codec::NotifyType::InvalidCertificate;
    }
    return codec::NotifyType::AuthenticationFailed;
}

}  // namespace

std::vector<codec::RawPayload> Phase1Task::certreq_payloads(const Phase1Context& ctx) const
{
    std::vector<codec::RawPayload> out;
    if (auth_method(ctx) != crypto::AuthMethod::RsaSignatures || !ctx.policy.authenticator)
        return out;
    // RFC 2408 3.10: one CERTREQ per acceptable certificate authority.
    for (auto& dn : ctx.policy.authenticator->authorities())
        out.push_back(codec::make_payload(codec::CertReqPayload{codec::CertEncoding::X509Signature, std::move(dn)}));
    if (out.empty())
        out.push_back(codec::make_payload(codec::CertReqPayload{codec::CertEncoding::X509Signature, {}}));
    return out;
}

std::vector<codec::RawPayload> Phase1Task::auth_payloads(const Phase1Context& ctx) const
{
    const bool initiator = m_role == Role::Initiator;
    const auto prf = m_choice->proposal.hash;
    const auto hash = initiator
                          ? crypto::hash_i(prf, m_keys->skeyid, {m_g_xi, m_g_xr, ctx.cky_i, ctx.cky_r, m_sa_i_b, m_id_i_b})
                          : crypto::hash_r(prf, m_keys->skeyid, {m_g_xi, m_g_xr, ctx.cky_i, ctx.cky_r, m_sa_i_b, m_id_r_b});
    switch (auth_method(ctx)) {
    case crypto::AuthMethod::PreSharedKeys:
        return {codec::make_payload(codec::HashPayload{Bytes(hash.begin(), hash.end())})};
    case crypto::AuthMethod::RsaSignatures: {
        const auto& auth = ctx.policy.authenticator;
        if (!auth)
            throw crypto::CryptoError("rsa-signatures: no local-certificate / local-key-pair configured for this peer");
        // RFC 2409 5.1: [ CERT, ] SIG_I = the signature over HASH_I.
        std::vector<codec::RawPayload> out;
        for (auto& der : auth->local_chain())
            out.push_back(codec::make_payload(codec::CertPayload{codec::CertEncoding::X509Signature, std::move(der)}));
        out.push_back(codec::make_payload(codec::SigPayload{auth->sign(hash)}));
        return out;
    }
    }
    return {};
}

std::variant<AuthenticatedPeer, Phase1Fault> Phase1Task::authenticate_peer(const Phase1Context& ctx,
                                                                           const codec::RawMessage& m,
                                                                           const std::string& who) const
{
    // The peer is the responder when we initiated, and signed HASH_R; else HASH_I.
    const bool peer_initiator = m_role == Role::Responder;
    const auto prf = m_choice->proposal.hash;
    const auto& peer_id_b = peer_initiator ? m_id_i_b : m_id_r_b;
    const crypto::AuthHashInputs in{m_g_xi, m_g_xr, ctx.cky_i, ctx.cky_r, m_sa_i_b, peer_id_b};
    const auto expect = peer_initiator ? crypto::hash_i(prf, m_keys->skeyid, in) : crypto::hash_r(prf, m_keys->skeyid, in);
    const char* which = peer_initiator ? "HASH_I" : "HASH_R";
    AuthenticatedPeer peer;
    auto id = codec::decode_body<codec::IdPayload>(codec::RawPayload{PayloadType::Identification, peer_id_b},
                                                   codec::decode_id, "ID");
    if (id) {
        const auto pid = peer_identity(id->data);
        peer.id = pid.type == crypto::PeerIdentity::Type::Other ? codec::describe(id->data) : crypto::describe(pid);
    }
    switch (auth_method(ctx)) {
    case crypto::AuthMethod::PreSharedKeys: {
        auto h = typed<codec::HashPayload>(m.find(PayloadType::Hash), codec::decode_hash, "HASH", ctx.log, who);
        if (h && crypto::constant_time_equal(expect, h->data))
            return peer;
        return Phase1Fault{FailureReason::AuthenticationFailed,
                           std::string(which) + " does not verify (pre-shared key mismatch?)",
                           codec::NotifyType::InvalidHashInformation};
    }
    case crypto::AuthMethod::RsaSignatures: break;
    }
    const char* sig_name = peer_initiator ? "SIG_I" : "SIG_R";
    const auto& auth = ctx.policy.authenticator;
    auto sig = typed<codec::SigPayload>(m.find(PayloadType::Signature), codec::decode_sig, "SIG", ctx.log, who);
    if (!auth || !sig || !id)
        return Phase1Fault{FailureReason::AuthenticationFailed,
                           !auth ? std::string("no certificate configured to check the peer's ") + sig_name
                                 : std::string(sig_name) + " or ID payload malformed",
                           codec::NotifyType::AuthenticationFailed};
    std::vector<Bytes> certs;
    for (std::size_t i = 0; const auto* raw = m.find(PayloadType::Certificate, i); ++i) {
        auto c = typed<codec::CertPayload>(raw, codec::decode_cert, "CERT", ctx.log, who);
        // RFC 2408 3.9: only X.509 signature certificates are understood; others are skipped.
        if (c && c->encoding == codec::CertEncoding::X509Signature)
            certs.push_back(std::move(c->data));
    }
    const auto check = auth->verify_peer(certs, peer_identity(id->data), expect, sig->data);
    if (!check.ok())
        return Phase1Fault{FailureReason::AuthenticationFailed,
                           "peer certificate refused: " + std::string(crypto::to_string(check.verdict)) + ": " +
                               check.detail,
                           notify_for(check.verdict)};
    peer.subject = check.subject;
    peer.ca = check.ca;
    ctx.log.info("{}: {} verified: ID {}, {}", who, sig_name, peer.id, check.detail);
    return peer;
}

bool Phase1Task::authenticated(const Phase1Context& ctx, const codec::RawMessage& m, const std::string& who,
                               Phase1Outcome& out) const
{
    auto verdict = authenticate_peer(ctx, m, who);
    if (auto* fault = std::get_if<Phase1Fault>(&verdict)) {
        out.failure = std::move(*fault);
        return false;
    }
    out.peer = std::get<AuthenticatedPeer>(std::move(verdict));
    out.initial_contact = m_role == Role::Responder && has_initial_contact(m);
    return true;
}

}  // namespace picsec::ike::detail
