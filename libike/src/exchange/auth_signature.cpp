// The authenticating part of phase 1: HASH_I / HASH_R with pre-shared keys
// (RFC 2409 5.4) or [CERT,] SIG_I / SIG_R with RSA signatures (RFC 2409 5.1),
// and the CERTREQ payloads that ask the peer for its certificate.
#include "phase1_support.h"

#include "picsec/ike/codec/payload_cert.h"
#include "picsec/ike/codec/payload_certreq.h"
#include "picsec/ike/codec/payload_sig.h"
#include "picsec/ike/crypto/x509.h"

namespace picsec::ike {

using namespace detail;
using codec::PayloadType;

namespace detail {

crypto::AuthMethod auth_method(const IkeSa& sa)
{
    // Before the responder's choice (Aggressive Mode 1) the first proposal decides.
    if (sa.choice)
        return sa.choice->proposal.auth_method;
    return sa.policy->proposals.empty() ? crypto::AuthMethod::PreSharedKeys : sa.policy->proposals.front().auth_method;
}

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

}  // namespace detail

namespace {

crypto::AuthHashInputs inputs(const IkeSa& sa, const Bytes& id_b)
{
    return crypto::AuthHashInputs{sa.g_xi, sa.g_xr, sa.cky_i, sa.cky_r, sa.sa_i_b, id_b};
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

std::vector<codec::RawPayload> Engine::Impl::certreq_payloads(const IkeSa& sa) const
{
    std::vector<codec::RawPayload> out;
    if (auth_method(sa) != crypto::AuthMethod::RsaSignatures || !sa.policy->authenticator)
        return out;
    // RFC 2408 3.10: one CERTREQ per acceptable certificate authority.
    for (auto& dn : sa.policy->authenticator->authorities())
        out.push_back(codec::make_payload(codec::CertReqPayload{codec::CertEncoding::X509Signature, std::move(dn)}));
    if (out.empty())
        out.push_back(codec::make_payload(codec::CertReqPayload{codec::CertEncoding::X509Signature, {}}));
    return out;
}

std::vector<codec::RawPayload> Engine::Impl::phase1_auth_payloads(IkeSa& sa)
{
    const bool initiator = sa.role == Role::Initiator;
    const auto hash = initiator ? crypto::hash_i(prf_hash(sa), sa.keys->skeyid, inputs(sa, sa.id_i_b))
                                : crypto::hash_r(prf_hash(sa), sa.keys->skeyid, inputs(sa, sa.id_r_b));
    switch (auth_method(sa)) {
    case crypto::AuthMethod::PreSharedKeys:
        return {codec::make_payload(codec::HashPayload{Bytes(hash.begin(), hash.end())})};
    case crypto::AuthMethod::RsaSignatures: {
        const auto& auth = sa.policy->authenticator;
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

bool Engine::Impl::phase1_authenticate_peer(IkeSa& sa, const codec::RawMessage& m, const std::string& who)
{
    // The peer is the responder when we initiated, and signed HASH_R; else HASH_I.
    const bool peer_initiator = sa.role == Role::Responder;
    const auto expect = peer_initiator ? crypto::hash_i(prf_hash(sa), sa.keys->skeyid, inputs(sa, sa.id_i_b))
                                       : crypto::hash_r(prf_hash(sa), sa.keys->skeyid, inputs(sa, sa.id_r_b));
    const char* which = peer_initiator ? "HASH_I" : "HASH_R";
    const auto& peer_id_b = peer_initiator ? sa.id_i_b : sa.id_r_b;
    auto id = codec::decode_body<codec::IdPayload>(codec::RawPayload{PayloadType::Identification, peer_id_b},
                                                   codec::decode_id, "ID");
    if (id) {
        const auto pid = peer_identity(id->data);
        sa.peer_id = pid.type == crypto::PeerIdentity::Type::Other ? codec::describe(id->data) : crypto::describe(pid);
    }
    switch (auth_method(sa)) {
    case crypto::AuthMethod::PreSharedKeys: {
        auto h = typed<codec::HashPayload>(m.find(PayloadType::Hash), codec::decode_hash, "HASH", *log, who);
        if (h && crypto::constant_time_equal(expect, h->data))
            return true;
        fail_phase1(sa, FailureReason::AuthenticationFailed,
                    std::string(which) + " does not verify (pre-shared key mismatch?)",
                    codec::NotifyType::InvalidHashInformation, true);
        return false;
    }
    case crypto::AuthMethod::RsaSignatures: break;
    }
    const char* sig_name = peer_initiator ? "SIG_I" : "SIG_R";
    const auto& auth = sa.policy->authenticator;
    auto sig = typed<codec::SigPayload>(m.find(PayloadType::Signature), codec::decode_sig, "SIG", *log, who);
    if (!auth || !sig || !id) {
        fail_phase1(sa, FailureReason::AuthenticationFailed,
                    !auth ? std::string("no certificate configured to check the peer's ") + sig_name
                          : std::string(sig_name) + " or ID payload malformed",
                    codec::NotifyType::AuthenticationFailed, true);
        return false;
    }
    std::vector<Bytes> certs;
    for (std::size_t i = 0; const auto* raw = m.find(PayloadType::Certificate, i); ++i) {
        auto c = typed<codec::CertPayload>(raw, codec::decode_cert, "CERT", *log, who);
        // RFC 2408 3.9: only X.509 signature certificates are understood; others are skipped.
        if (c && c->encoding == codec::CertEncoding::X509Signature)
            certs.push_back(std::move(c->data));
    }
    const auto check = auth->verify_peer(certs, peer_identity(id->data), expect, sig->data);
    if (!check.ok()) {
        fail_phase1(sa, FailureReason::AuthenticationFailed,
                    "peer certificate refused: " + std::string(crypto::to_string(check.verdict)) + ": " + check.detail,
                    notify_for(check.verdict), true);
        return false;
    }
    sa.peer_subject = check.subject;
    sa.peer_ca = check.ca;
    log->info("{}: {} verified: ID {}, {}", who, sig_name, sa.peer_id, check.detail);
    return true;
}

}  // namespace picsec::ike
