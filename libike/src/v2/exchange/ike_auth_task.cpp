// IKE_SA_INIT and IKE_AUTH for both roles (RFC 7296 1.2, 2.14-2.17, 2.23):
// the task builds and reads its messages and hands the engine Outcomes.
#include "ike_auth_task.h"

#include "child_sa.h"
#include "payloads.h"
#include "traffic_selectors.h"

#include "picsec/base/algorithms.h"
#include "picsec/ike/crypto/nat_d.h"
#include "picsec/ike/v2/crypto/auth.h"
#include "picsec/ike/v2/message.h"
#include "picsec/ike/v2/raw_payload.h"

#include <algorithm>

namespace picsec::ike::detail::v2 {
namespace {

namespace n2 = picsec::ike::v2::negotiation;

// RFC 7296 2.23: SHA-1(SPIi | SPIr | IP | Port); SPIr is zero in the request.
Bytes nat_hash(const c2::IkeSpi& spi_i, const c2::IkeSpi& spi_r, const Endpoint& e) {
    return crypto::nat_d_hash(crypto::HashAlgorithm::Sha1, spi_i, spi_r, e.address.octets, e.port);
}

using c2::NotifyType;
using c2::PayloadType;

std::vector<c2::Payload> parse_plain(const c2::Header& h, std::span<const std::uint8_t> raw) {
    auto chain = c2::split_chain(h.next, raw.subspan(c2::header_size));
    if (!chain) return {};
    std::vector<c2::Payload> out;
    for (const auto& p : chain.value().payloads) {
        auto d = c2::decode_payload(p);
        if (!d) {
            if (p.critical) return {};
            continue;  // RFC 7296 2.5: a non-critical payload we do not know is skipped
        }
        out.push_back(std::move(d.value()));
    }
    return out;
}

// RFC 7427 4: SIGNATURE_HASH_ALGORITHMS naming SHA2-256, the one hash we sign and verify with.
c2::NotifyPayload hash_algorithms() { return notify(NotifyType::SignatureHashAlgorithms, k2::signature_hash_algorithms_data()); }

// Whether a peer's SIGNATURE_HASH_ALGORITHMS names SHA2-256.
bool announces_sha256(const std::vector<c2::Payload>& payloads) {
    const auto* n = find_notify(payloads, NotifyType::SignatureHashAlgorithms);
    if (!n) return false;
    const auto ids = k2::parse_signature_hash_algorithms(n->data);
    return ids && std::find(ids->begin(), ids->end(), k2::k_hash_sha2_256) != ids->end();
}

// RFC 7296 3.7: CERTREQ with the SHA-1 hashes of our CAs' public keys.
c2::CertReqPayload certificate_request(const crypto::SignatureAuthenticator& auth) {
    c2::CertReqPayload r;
    r.encoding = c2::cert_x509_signature;
    for (const auto& h : auth.authority_key_hashes()) r.data.insert(r.data.end(), h.begin(), h.end());
    return r;
}

}  // namespace

c2::IkeSpi random_ike_spi(Botan::RandomNumberGenerator& rng) {
    c2::IkeSpi spi{};
    while (spi == c2::IkeSpi{}) rng.randomize(spi.data(), spi.size());
    return spi;
}

// ---------------------------------------------------------------- initiator

std::pair<IkeAuthTask, Outcome> IkeAuthTask::initiate(const AuthContext& ctx, const IpsecSaPolicy& child,
                                                      const c2::IkeSpi& spi_i) {
    IkeAuthTask t(Role::Initiator, Step::InitResponse);
    t.m_spi_i = spi_i;
    t.m_child = &child;
    t.m_group = ctx.policy.proposals.front().group;
    t.m_ni = random_bytes(ctx.rng, 32);
    Outcome out;
    out.accepted = true;
    out.send = {t.init_request(ctx)};
    out.request = true;
    return {std::move(t), std::move(out)};
}

Bytes IkeAuthTask::init_request(const AuthContext& ctx) {
    if (!m_dh || m_dh->group() != *m_group) m_dh = crypto::DhKeyPair::generate(*m_group, ctx.rng);
    std::vector<c2::Payload> p;
    // RFC 7296 2.6: a cookie goes first, the request otherwise unchanged.
    if (!m_cookie.empty()) p.push_back(notify(NotifyType::Cookie, m_cookie));
    p.push_back(n2::ike_offer(ctx.policy.proposals));
    p.push_back(c2::KePayload{algo::info(*m_group).ike_attribute, m_dh->public_value()});
    p.push_back(c2::NoncePayload{m_ni});
    // RFC 7296 2.23: a source hash no one can match makes the peer see a NAT.
    Endpoint source = ctx.local;
    if (ctx.force_nat_t) source.address = Ipv4Address{};
    p.push_back(notify(NotifyType::NatDetectionSourceIp, nat_hash(m_spi_i, {}, source)));
    p.push_back(notify(NotifyType::NatDetectionDestinationIp, nat_hash(m_spi_i, {}, ctx.peer)));
    // RFC 7383 2.3: we reassemble fragmented messages and send fragments when the responder does too.
    p.push_back(notify(NotifyType::Ikev2FragmentationSupported));
    const bool signatures = std::any_of(ctx.policy.proposals.begin(), ctx.policy.proposals.end(), [](const auto& x) {
        return x.auth_method == crypto::AuthMethod::RsaSignatures;
    });
    if (signatures && ctx.policy.authenticator) p.push_back(hash_algorithms());
    m_init_request = plain(header(m_spi_i, {}, c2::ExchangeType::IkeSaInit, Role::Initiator, false, 0), p);
    return m_init_request;
}

Outcome IkeAuthTask::on_message(const AuthContext& ctx, const c2::Header& h, std::span<const std::uint8_t> raw) {
    const auto ex = static_cast<c2::ExchangeType>(h.exchange);
    switch (m_step) {
    case Step::InitResponse:
        if (ex == c2::ExchangeType::IkeSaInit && h.response && h.message_id == 0) return on_init_response(ctx, h, raw);
        break;
    case Step::AuthResponse:
        if (ex == c2::ExchangeType::IkeAuth && h.response && h.message_id == 1) return on_auth_response(ctx, h, raw);
        break;
    case Step::AuthRequest:
        if (ex == c2::ExchangeType::IkeAuth && !h.response && h.message_id == 1) return on_auth_request(ctx, h, raw);
        break;
    case Step::Done: break;
    }
    return Outcome::dropped();
}

Outcome IkeAuthTask::on_init_response(const AuthContext& ctx, const c2::Header& h, std::span<const std::uint8_t> raw) {
    const auto payloads = parse_plain(h, raw);
    Outcome out;
    if (payloads.empty()) {
        out.drop_note = "malformed IKE_SA_INIT response";
        return out;
    }
    // RFC 7296 2.6: retry with the responder's cookie (only a fresh one, so a
    // replayed cookie answer does not loop).
    if (const auto* c = find_notify(payloads, NotifyType::Cookie)) {
        if (c->data.empty() || c->data.size() > 64 || c->data == m_cookie) return out;
        m_cookie = c->data;
        ctx.log.info("{}: responder asks for a cookie, sending IKE_SA_INIT again", ctx.who);
        out.accepted = true;
        out.send = {init_request(ctx)};
        out.request = true;
        return out;
    }
    // RFC 7296 1.3: retry with the group the responder asks for, if we offered it.
    if (const auto* ke = find_notify(payloads, NotifyType::InvalidKePayload)) {
        if (ke->data.size() != 2) return out;
        const auto wanted = algo::dh_group_from_attribute(static_cast<std::uint16_t>((ke->data[0] << 8) | ke->data[1]));
        const bool offered = wanted && std::any_of(ctx.policy.proposals.begin(), ctx.policy.proposals.end(),
                                                   [&](const auto& p) { return p.group == *wanted; });
        if (!offered || *wanted == *m_group) {
            out.drop_note = "INVALID_KE_PAYLOAD asks for a group we did not offer";
            return out;
        }
        ctx.log.info("{}: responder wants {}, sending IKE_SA_INIT again", ctx.who, algo::keyword(*wanted));
        m_group = *wanted;
        out.accepted = true;
        out.send = {init_request(ctx)};
        out.request = true;
        return out;
    }
    // An unprotected error notify may be anyone's: it is noted, and the
    // exchange goes on until the real answer or the timeout (RFC 7296 2.21.1).
    if (const auto* e = find_error(payloads)) {
        out.drop_note = "unprotected " + notify_name(e->type) + " in IKE_SA_INIT response";
        return out;
    }
    const auto* sa = find<c2::SaPayload>(payloads);
    const auto* ke = find<c2::KePayload>(payloads);
    const auto* nr = find<c2::NoncePayload>(payloads);
    if (!sa || !ke || !nr || h.spi_r == c2::IkeSpi{}) {
        out.drop_note = "IKE_SA_INIT response without SA, KE, Nonce or SPIr";
        return out;
    }
    auto choice = n2::accept_ike_reply(*sa, ctx.policy.proposals);
    if (auto* e = std::get_if<ike::negotiation::ReplyError>(&choice)) {
        out.drop_note = e->to_string();
        return out;
    }
    const auto& chosen = std::get<n2::IkeChoice>(choice);
    if (ke->group != algo::info(*m_group).ike_attribute || chosen.proposal.group != *m_group) {
        out.drop_note = "IKE_SA_INIT response KE group " + std::to_string(ke->group) + " is not the one we sent";
        return out;
    }
    try {
        crypto::validate_public_value(*m_group, ke->data);
    } catch (const std::exception& e) {
        out.drop_note = std::string("KEr: ") + e.what();
        return out;
    }
    // Accepted: the material is the responder's from here on.
    m_choice = chosen;
    m_spi_r = h.spi_r;
    m_nr = nr->data;
    m_peer_ke = ke->data;
    m_init_response.assign(raw.begin(), raw.end());
    m_fragmentation = find_notify(payloads, NotifyType::Ikev2FragmentationSupported) != nullptr;
    m_peer_sha256 = announces_sha256(payloads);
    const auto* src = find_notify(payloads, NotifyType::NatDetectionSourceIp);
    const auto* dst = find_notify(payloads, NotifyType::NatDetectionDestinationIp);
    m_nat_detected = ctx.force_nat_t || (src && src->data != nat_hash(m_spi_i, m_spi_r, ctx.peer)) ||
                     (dst && dst->data != nat_hash(m_spi_i, m_spi_r, ctx.local));
    derive_keys();
    m_child_spi = random_child_spi(ctx.rng);
    m_transport = m_child->mode == sadb::Mode::Transport;

    std::vector<c2::Payload> p;
    add_auth(ctx, p);
    if (ctx.initial_contact) p.push_back(notify(NotifyType::InitialContact));
    if (m_transport) p.push_back(notify(NotifyType::UseTransportMode));
    p.push_back(n2::child_offer(m_child->proposals, m_child_spi));
    p.push_back(c2::TsPayload{true, {selector(m_child->local_client)}});
    p.push_back(c2::TsPayload{false, {selector(m_child->peer_client)}});
    m_step = Step::AuthResponse;
    out.accepted = true;
    out.nat_detected = m_nat_detected;
    out.send = seal_auth(ctx, Role::Initiator, std::move(p));
    out.request = true;
    return out;
}

Outcome IkeAuthTask::on_auth_response(const AuthContext& ctx, const c2::Header& h, std::span<const std::uint8_t> raw) {
    Outcome out;
    auto opened = open_fragment(*m_keys, h, raw, m_fragments);
    if (!opened) {
        out.drop_note = "IKE_AUTH response: " + opened.error();
        return out;
    }
    if (!opened.value()) return out;  // RFC 7383: a verified fragment, kept until the others arrive
    const auto& payloads = *opened.value();
    const auto* idr = find_id(payloads, false);
    const auto* auth = find<c2::AuthPayload>(payloads);
    if (!idr || !auth) {
        // Protected with the keys of this exchange: the responder's own refusal.
        const auto* e = find_error(payloads);
        return fail(e ? FailureReason::PeerNotify : FailureReason::Internal,
                    e ? "peer refused IKE_AUTH: " + notify_name(e->type) : "IKE_AUTH response without IDr or AUTH",
                    e ? e->type : 0);
    }
    const auto peer = check_peer(ctx, payloads, *idr, *auth);
    if (!peer.ok)
        return fail(FailureReason::AuthenticationFailed, "responder " + peer.detail,
                    static_cast<std::uint16_t>(NotifyType::AuthenticationFailed));
    out.accepted = true;
    out.finished = true;
    m_step = Step::Done;
    out.established = established(peer.name);
    out.established->peer_subject = peer.subject;
    out.established->peer_ca = peer.ca;
    // RFC 7296 1.2: a refused Child SA leaves the IKE SA standing.
    const auto* sa = find<c2::SaPayload>(payloads);
    const auto* tsi = find_ts(payloads, true);
    const auto* tsr = find_ts(payloads, false);
    if (!sa || !tsi || !tsr) {
        const auto* e = find_error(payloads);
        out.failure = Failure{e ? FailureReason::PeerNotify : FailureReason::NoProposalChosen,
                              e ? "peer refused the Child SA: " + notify_name(e->type) : "IKE_AUTH response without SA/TS",
                              static_cast<std::uint16_t>(e ? e->type : 0), true};
        return out;
    }
    auto choice = n2::accept_child_reply(*sa, m_child->proposals);
    if (auto* e = std::get_if<ike::negotiation::ReplyError>(&choice)) {
        out.failure = Failure{FailureReason::NoProposalChosen, e->to_string(), 0, true};
        return out;
    }
    const bool transport = find_notify(payloads, NotifyType::UseTransportMode) != nullptr;
    if (transport != m_transport || !within(*tsi, m_child->local_client) || !within(*tsr, m_child->peer_client)) {
        out.failure = Failure{FailureReason::NoProposalChosen,
                              "responder's traffic selectors or mode differ from ours", 0, true};
        return out;
    }
    out.child = child_pair(ctx, std::get<n2::ChildChoice>(choice));
    return out;
}

// ---------------------------------------------------------------- responder

std::pair<std::optional<IkeAuthTask>, Outcome> IkeAuthTask::respond(const AuthContext& ctx, const c2::Header& h,
                                                                    const std::vector<c2::Payload>& payloads,
                                                                    std::span<const std::uint8_t> raw,
                                                                    const c2::IkeSpi& spi_r) {
    Outcome out;
    const auto* sa = find<c2::SaPayload>(payloads);
    const auto* ke = find<c2::KePayload>(payloads);
    const auto* ni = find<c2::NoncePayload>(payloads);
    if (!sa || !ke || !ni) {
        out.drop_note = "IKE_SA_INIT request without SA, KE or Nonce";
        return {std::nullopt, std::move(out)};
    }
    // Refusals carry no state: the answer is a notify alone (RFC 7296 1.2, 1.3).
    auto refuse = [&](NotifyType type, Bytes data, std::string why) {
        Outcome r;
        r.accepted = true;
        r.finished = true;
        r.failure = Failure{type == NotifyType::NoProposalChosen ? FailureReason::NoProposalChosen
                                                                 : FailureReason::Internal,
                            std::move(why), static_cast<std::uint16_t>(type), false};
        std::vector<c2::Payload> p{notify(type, std::move(data))};
        r.send = {plain(header(h.spi_i, {}, c2::ExchangeType::IkeSaInit, Role::Responder, true, 0), p)};
        return std::pair<std::optional<IkeAuthTask>, Outcome>{std::nullopt, std::move(r)};
    };
    auto selected = n2::select_ike(*sa, ctx.policy.proposals);
    if (auto* m = std::get_if<ike::negotiation::MismatchReport>(&selected))
        return refuse(NotifyType::NoProposalChosen, {}, m->to_string());
    const auto& chosen = std::get<n2::IkeChoice>(selected);
    const auto group = chosen.proposal.group;
    if (ke->group != algo::info(group).ike_attribute) {
        const auto g = algo::info(group).ike_attribute;
        return refuse(NotifyType::InvalidKePayload, {static_cast<std::uint8_t>(g >> 8), static_cast<std::uint8_t>(g)},
                      "initiator's KE is group " + std::to_string(ke->group) + ", we chose " +
                          std::string(algo::keyword(group)));
    }
    try {
        crypto::validate_public_value(group, ke->data);
    } catch (const std::exception& e) {
        out.drop_note = std::string("KEi: ") + e.what();
        return {std::nullopt, std::move(out)};
    }
    IkeAuthTask t(Role::Responder, Step::AuthRequest);
    t.m_spi_i = h.spi_i;
    t.m_spi_r = spi_r;
    t.m_choice = chosen;
    t.m_group = group;
    t.m_ni = ni->data;
    t.m_peer_ke = ke->data;
    t.m_nr = random_bytes(ctx.rng, 32);
    t.m_dh = crypto::DhKeyPair::generate(group, ctx.rng);
    t.m_init_request.assign(raw.begin(), raw.end());
    const auto* src = find_notify(payloads, NotifyType::NatDetectionSourceIp);
    const auto* dst = find_notify(payloads, NotifyType::NatDetectionDestinationIp);
    t.m_nat_detected = ctx.force_nat_t || (src && src->data != nat_hash(t.m_spi_i, {}, ctx.peer)) ||
                       (dst && dst->data != nat_hash(t.m_spi_i, {}, ctx.local));
    std::vector<c2::Payload> p;
    p.push_back(n2::ike_reply(chosen));
    p.push_back(c2::KePayload{algo::info(group).ike_attribute, t.m_dh->public_value()});
    p.push_back(c2::NoncePayload{t.m_nr});
    // RFC 7296 3.7: the CAs we trust, so the initiator sends its certificate.
    if (chosen.proposal.auth_method == crypto::AuthMethod::RsaSignatures && ctx.policy.authenticator)
        p.push_back(certificate_request(*ctx.policy.authenticator));
    Endpoint source = ctx.local;
    if (ctx.force_nat_t) source.address = Ipv4Address{};
    p.push_back(notify(NotifyType::NatDetectionSourceIp, nat_hash(t.m_spi_i, spi_r, source)));
    p.push_back(notify(NotifyType::NatDetectionDestinationIp, nat_hash(t.m_spi_i, spi_r, ctx.peer)));
    t.m_fragmentation = find_notify(payloads, NotifyType::Ikev2FragmentationSupported) != nullptr;
    if (t.m_fragmentation) p.push_back(notify(NotifyType::Ikev2FragmentationSupported));
    t.m_peer_sha256 = announces_sha256(payloads);
    if (chosen.proposal.auth_method == crypto::AuthMethod::RsaSignatures && ctx.policy.authenticator)
        p.push_back(hash_algorithms());
    t.m_init_response = plain(header(t.m_spi_i, spi_r, c2::ExchangeType::IkeSaInit, Role::Responder, true, 0), p);
    t.derive_keys();
    out.accepted = true;
    out.send = {t.m_init_response};
    return {std::move(t), std::move(out)};
}

Outcome IkeAuthTask::on_auth_request(const AuthContext& ctx, const c2::Header& h, std::span<const std::uint8_t> raw) {
    Outcome out;
    auto opened = open_fragment(*m_keys, h, raw, m_fragments);
    if (!opened) {
        out.drop_note = "IKE_AUTH request: " + opened.error();
        return out;
    }
    if (!opened.value()) return out;  // RFC 7383: a verified fragment, kept until the others arrive
    const auto& payloads = *opened.value();
    const auto respond_with = [&](std::vector<c2::Payload> p) { return seal_auth(ctx, Role::Responder, std::move(p)); };
    const auto* idi = find_id(payloads, true);
    const auto* auth = find<c2::AuthPayload>(payloads);
    if (!idi || !auth) {
        out = fail(FailureReason::Internal, "IKE_AUTH request without IDi or AUTH",
                   static_cast<std::uint16_t>(NotifyType::InvalidSyntax));
        out.send = respond_with({notify(NotifyType::InvalidSyntax)});
        return out;
    }
    const auto peer = check_peer(ctx, payloads, *idi, *auth);
    if (!peer.ok) {
        out = fail(FailureReason::AuthenticationFailed, "initiator " + peer.detail,
                   static_cast<std::uint16_t>(NotifyType::AuthenticationFailed));
        out.send = respond_with({notify(NotifyType::AuthenticationFailed)});
        return out;
    }
    out.accepted = true;
    out.finished = true;
    out.nat_detected = m_nat_detected;
    m_step = Step::Done;
    out.established = established(peer.name);
    out.established->peer_subject = peer.subject;
    out.established->peer_ca = peer.ca;
    out.established->initial_contact = find_notify(payloads, NotifyType::InitialContact) != nullptr;
    std::vector<c2::Payload> head;
    add_auth(ctx, head);
    // The Child SA: the first of our SAs for this peer whose proposals and
    // traffic selectors the initiator's offer fits (RFC 7296 2.9).
    const auto* sa = find<c2::SaPayload>(payloads);
    const auto* tsi = find_ts(payloads, true);
    const auto* tsr = find_ts(payloads, false);
    const bool transport = find_notify(payloads, NotifyType::UseTransportMode) != nullptr;
    std::string why = "IKE_AUTH request carries no SA, TSi and TSr";
    NotifyType refusal = NotifyType::NoProposalChosen;
    // The peer's own SAs first, then those for any peer (0.0.0.0), as Quick
    // Mode and CREATE_CHILD_SA take them; an SA for another peer is not ours to give.
    std::vector<const IpsecSaPolicy*> candidates;
    for (const bool any_peer : {false, true})
        for (const auto& p : ctx.children)
            if (p.peer == (any_peer ? Ipv4Address{} : ctx.peer.address)) candidates.push_back(&p);
    if (sa && tsi && tsr) {
        for (const auto* candidate : candidates) {
            const auto& policy = *candidate;
            if (policy.mode == sadb::Mode::Transport && !transport) {
                why = "SA " + policy.name + " is transport mode, the initiator did not ask for USE_TRANSPORT_MODE";
                continue;
            }
            auto ts_i = narrow(*tsi, policy.peer_client);
            auto ts_r = narrow(*tsr, policy.local_client);
            if (!ts_i || !ts_r) {
                why = "traffic selectors outside SA " + policy.name + "'s " + policy.peer_client.to_string() + " <-> " +
                      policy.local_client.to_string();
                refusal = NotifyType::TsUnacceptable;
                continue;
            }
            auto choice = n2::select_child(*sa, policy.proposals);
            if (auto* m = std::get_if<ike::negotiation::MismatchReport>(&choice)) {
                why = m->to_string();
                refusal = NotifyType::NoProposalChosen;
                continue;
            }
            m_child = &policy;
            m_transport = policy.mode == sadb::Mode::Transport;
            m_child_spi = random_child_spi(ctx.rng);
            const auto& chosen = std::get<n2::ChildChoice>(choice);
            auto p = head;
            if (m_transport) p.push_back(notify(NotifyType::UseTransportMode));
            p.push_back(n2::child_reply(chosen, m_child_spi));
            p.push_back(c2::TsPayload{true, {*ts_i}});
            p.push_back(c2::TsPayload{false, {*ts_r}});
            out.child = child_pair(ctx, chosen);
            out.send = respond_with(p);
            auto refused = head;
            refused.push_back(notify(NotifyType::NoAdditionalSas));
            out.send_if_refused = respond_with(refused);
            return out;
        }
    }
    auto p = head;
    p.push_back(notify(refusal));
    out.failure = Failure{refusal == NotifyType::NoProposalChosen ? FailureReason::NoProposalChosen
                                                                  : FailureReason::NoPolicy,
                          why, static_cast<std::uint16_t>(refusal), true};
    out.send = respond_with(p);
    return out;
}

// ---------------------------------------------------------------- material

void IkeAuthTask::derive_keys() {
    const auto g_ir = m_dh->shared_secret(m_peer_ke);
    const auto& p = m_choice->proposal;
    const k2::Suite suite{p.encryption, p.hash, algo::info(p.hash).ikev2_integ, p.group};
    m_keys = SaKeys{suite, k2::derive_ike_keys(suite, g_ir, m_ni, m_nr, m_spi_i, m_spi_r), m_role};
}

Datagrams IkeAuthTask::seal_auth(const AuthContext& ctx, Role sender, std::vector<c2::Payload> p) const {
    const bool request = sender == Role::Initiator;
    return seal_message(*m_keys, header(m_spi_i, m_spi_r, c2::ExchangeType::IkeAuth, sender, !request, 1), p, ctx.rng,
                        m_fragmentation ? message_limit(ctx.fragment_size) : 0);
}

bool IkeAuthTask::signatures() const { return m_choice->proposal.auth_method == crypto::AuthMethod::RsaSignatures; }

c2::IdPayload IkeAuthTask::our_id(const AuthContext& ctx) const {
    const bool initiator = m_role == Role::Initiator;
    const std::string& id = ctx.policy.local_id;
    const auto* auth = ctx.policy.authenticator.get();
    if (id.empty()) {
        // RFC 7296 3.5: the certificate's subject with signatures, our address with a pre-shared key.
        if (signatures() && auth) return c2::IdPayload{initiator, c2::IdType::DerAsn1Dn, auth->local_subject()};
        const auto& o = ctx.local.address.octets;
        return c2::IdPayload{initiator, c2::IdType::Ipv4Addr, Bytes(o.begin(), o.end())};
    }
    if (auto a = Ipv4Address::parse(id))
        return c2::IdPayload{initiator, c2::IdType::Ipv4Addr, Bytes(a->octets.begin(), a->octets.end())};
    if (id.find('=') != std::string::npos && auth)
        if (auto dn = auth->encode_dn(id); !dn.empty()) return c2::IdPayload{initiator, c2::IdType::DerAsn1Dn, dn};
    const auto type = id.find('@') != std::string::npos ? c2::IdType::Rfc822Addr : c2::IdType::Fqdn;
    return c2::IdPayload{initiator, type, Bytes(id.begin(), id.end())};
}

std::vector<std::uint8_t> IkeAuthTask::signed_octets(Role signer, const c2::IdPayload& id) const {
    // RFC 7296 2.15: the initiator signs its IKE_SA_INIT request and Nr, the
    // responder its response and Ni, each with prf(SK_p, its ID payload body).
    const bool i = signer == Role::Initiator;
    return k2::signed_octets(m_choice->proposal.hash, i ? m_init_request : m_init_response, i ? m_nr : m_ni,
                             i ? m_keys->keys.sk_pi : m_keys->keys.sk_pr, c2::make_payload(id).body);
}

void IkeAuthTask::add_auth(const AuthContext& ctx, std::vector<c2::Payload>& p) const {
    const auto id = our_id(ctx);
    p.push_back(id);
    const auto octets = signed_octets(m_role, id);
    if (signatures() && ctx.policy.authenticator) {
        const auto& auth = *ctx.policy.authenticator;
        for (const auto& der : auth.local_chain()) p.push_back(c2::CertPayload{c2::cert_x509_signature, der});
        if (m_role == Role::Initiator) p.push_back(certificate_request(auth));
        auto scheme = ctx.policy.signature_scheme;
        if (scheme == k2::SignatureScheme::RsaPssSha256 && !m_peer_sha256) {
            ctx.log.warn("{}: signature-scheme rsa-pss, but the peer announced no SHA2-256 in "
                         "SIGNATURE_HASH_ALGORITHMS (RFC 7427 4): signing with PKCS#1 v1.5 SHA-256",
                         ctx.who);
            scheme = k2::SignatureScheme::RsaPkcs1Sha256;
        }
        p.push_back(c2::AuthPayload{c2::AuthMethod::DigitalSignature, auth.sign_v2(octets, scheme)});
        return;
    }
    const auto a = k2::psk_auth(m_choice->proposal.hash, ctx.policy.pre_shared_key, octets);
    p.push_back(c2::AuthPayload{c2::AuthMethod::SharedKeyMic, Bytes(a.begin(), a.end())});
}

IkeAuthTask::PeerAuth IkeAuthTask::check_peer(const AuthContext& ctx, const std::vector<c2::Payload>& payloads,
                                              const c2::IdPayload& id, const c2::AuthPayload& auth) const {
    const Role signer = m_role == Role::Initiator ? Role::Responder : Role::Initiator;
    const auto octets = signed_octets(signer, id);
    PeerAuth out;
    out.name = printable_id(id);
    if (!signatures()) {
        out.ok = auth.method == c2::AuthMethod::SharedKeyMic &&
                 k2::psk_auth_matches(m_choice->proposal.hash, ctx.policy.pre_shared_key, octets, auth.data);
        if (!out.ok) out.detail = "AUTH does not verify (pre-shared key mismatch?)";
        return out;
    }
    const auto* authenticator = ctx.policy.authenticator.get();
    if (!authenticator) {
        out.detail = "rsa-signatures needs a local-certificate";
        return out;
    }
    std::vector<crypto::Bytes> certificates;
    for (const auto& p : payloads)
        if (const auto* c = std::get_if<c2::CertPayload>(&p); c && c->encoding == c2::cert_x509_signature)
            certificates.push_back(c->data);
    crypto::PeerIdentity peer;
    peer.value = id.data;
    switch (id.type) {
    case c2::IdType::Ipv4Addr: peer.type = crypto::PeerIdentity::Type::Ipv4; break;
    case c2::IdType::Fqdn: peer.type = crypto::PeerIdentity::Type::Fqdn; break;
    case c2::IdType::Rfc822Addr: peer.type = crypto::PeerIdentity::Type::UserFqdn; break;
    case c2::IdType::DerAsn1Dn:
        peer.type = crypto::PeerIdentity::Type::DerAsn1Dn;
        out.name = authenticator->describe_dn(id.data);
        break;
    case c2::IdType::Ipv6Addr:
    case c2::IdType::DerAsn1Gn:
    case c2::IdType::KeyId: peer.type = crypto::PeerIdentity::Type::Other; break;
    }
    const auto check = authenticator->verify_peer_v2(certificates, peer, static_cast<std::uint8_t>(auth.method),
                                                     auth.data, octets);
    out.ok = check.ok();
    out.detail = check.detail;
    out.subject = check.subject;
    out.ca = check.ca;
    return out;
}

NewChild IkeAuthTask::child_pair(const AuthContext& ctx, const ike::v2::negotiation::ChildChoice& c) const {
    // RFC 7296 2.17: the first Child SA's KEYMAT has no new D-H secret.
    return child_sa(ChildMaterial{m_choice->proposal.hash, m_keys->keys.sk_d, {}, m_ni, m_nr, m_role, m_child,
                                  m_child_spi, ctx.local, ctx.peer, m_nat_detected},
                    c);
}

Established IkeAuthTask::established(const std::string& peer_id) const {
    Established e;
    e.keys = *m_keys;
    e.choice = *m_choice;
    e.spi_r = m_spi_r;
    e.peer_id = peer_id;
    e.nat_detected = m_nat_detected;
    e.fragmentation = m_fragmentation;
    return e;
}

Outcome IkeAuthTask::fail(FailureReason reason, std::string detail, std::uint16_t notify_type) {
    m_step = Step::Done;
    Outcome out;
    out.accepted = true;
    out.finished = true;
    out.failure = Failure{reason, std::move(detail), notify_type, false};
    return out;
}

}  // namespace picsec::ike::detail::v2
