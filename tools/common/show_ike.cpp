// JUNOS-style rendering of the engine's IKE and dynamic IPsec SAs.
#include "show_ike.h"

#include "json.h"
#include "picsec/ike/crypto/algorithms.h"

#include <cstdio>
#include <sstream>

namespace picsec::tools {
namespace {

std::string state_word(ike::IkeSaState s) {
    switch (s) {
        case ike::IkeSaState::Negotiating: return "Not matured";
        case ike::IkeSaState::Established: return "Matured";
        case ike::IkeSaState::Rekeying: return "Matured";
        case ike::IkeSaState::Dead: return "Dead";
    }
    return "?";
}

std::string seconds(std::uint64_t ms) { return std::to_string(ms / 1000); }

bool is_v2(const ike::IkeSaInfo& sa) { return sa.version == ike::IkeVersion::V2; }

// JUNOS's Mode column and "Exchange type": Main or Aggressive for IKEv1,
// "IKEv2" for an IKEv2 SA (IKE_SA_INIT + IKE_AUTH has no modes).
std::string mode_word(const ike::IkeSaInfo& sa) {
    if (is_v2(sa)) return "IKEv2";
    return std::string(ike::to_string(sa.mode));
}

// IKEv2 integrity is its own transform (RFC 7296 3.3.2 type 3); picsec
// pairs it with the PRF's hash.
std::string_view authentication_word(const ike::IkeSaInfo& sa, const ike::negotiation::IkeProposal& p) {
    if (is_v2(sa)) return sadb::info(ike::crypto::info(p.hash).ikev2_integ).keyword;
    return ike::crypto::info(p.hash).keyword;
}

std::string spi_text(std::uint32_t spi) {
    char text[16];
    std::snprintf(text, sizeof text, "0x%08x", spi);
    return text;
}

std::string pad(std::string s, std::size_t width) {
    if (s.size() < width) s.append(width - s.size(), ' ');
    return s + ' ';
}

}  // namespace

std::string show_ike_security_associations(const std::vector<ike::IkeSaInfo>& sas, ShowLevel level,
                                           const std::optional<std::string>& peer, bool json) {
    std::vector<const ike::IkeSaInfo*> shown;
    for (const auto& sa : sas)
        if (!peer || sa.peer.address.to_string() == *peer) shown.push_back(&sa);

    if (json) {
        JsonWriter w;
        w.begin_object().key("ike-security-associations").begin_array();
        for (const auto* sa : shown) {
            w.begin_object()
                .field("ike-version", is_v2(*sa) ? 2 : 1)
                .field("remote-address", sa->peer.address.to_string())
                .field("remote-port", sa->peer.port)
                .field("local-address", sa->local.address.to_string())
                .field("local-port", sa->local.port)
                .field("state", state_word(sa->state))
                .field("role", ike::to_string(sa->role))
                .field("initiator-cookie", ike::to_hex(sa->initiator_cookie))
                .field("responder-cookie", ike::to_hex(sa->responder_cookie));
            // IKEv2 names the same 8 bytes the IKE SA SPIs (RFC 7296 3.1).
            if (is_v2(*sa))
                w.field("initiator-spi", ike::to_hex(sa->initiator_cookie))
                    .field("responder-spi", ike::to_hex(sa->responder_cookie));
            w.field("exchange-type", mode_word(*sa))
                .field("lifetime-remaining-seconds", sa->lifetime_remaining_ms / 1000)
                .field("nat-traversal", sa->nat_traversal);
            if (!sa->peer_identity.empty()) w.field("remote-identity", sa->peer_identity);
            if (!sa->peer_certificate_subject.empty())
                w.field("peer-certificate-subject", sa->peer_certificate_subject)
                    .field("peer-certificate-ca", sa->peer_certificate_ca);
            if (sa->proposal) {
                const auto& p = *sa->proposal;
                w.field("encryption-algorithm", sadb::info(p.encryption).keyword)
                    .field("authentication-algorithm", authentication_word(*sa, p))
                    .field("authentication-method", ike::crypto::info(p.auth_method).keyword)
                    .field("dh-group", ike::crypto::info(p.group).keyword);
            }
            if (is_v2(*sa)) {
                w.key("child-sas").begin_array();
                for (const auto& c : sa->child_sas)
                    w.begin_object()
                        .field("name", c.name)
                        .field("inbound-spi", spi_text(c.inbound_spi))
                        .field("outbound-spi", spi_text(c.outbound_spi))
                        .end_object();
                w.end_array();
            }
            w.end_object();
        }
        w.end_array().end_object();
        return w.str() + "\n";
    }

    std::ostringstream out;
    if (level != ShowLevel::Detail) {
        out << pad("Index", 5) << pad("Remote Address", 16) << pad("State", 11) << pad("Initiator cookie", 17)
            << pad("Responder cookie", 17) << "Exchange type\n";
        std::size_t index = 1;
        for (const auto* sa : shown)
            out << pad(std::to_string(index++), 5) << pad(sa->peer.address.to_string(), 16)
                << pad(state_word(sa->state), 11) << pad(ike::to_hex(sa->initiator_cookie), 17)
                << pad(ike::to_hex(sa->responder_cookie), 17) << mode_word(*sa) << '\n';
        return out.str();
    }
    std::size_t index = 1;
    for (const auto* sa : shown) {
        out << "IKE peer " << sa->peer.address.to_string() << ", Index " << index++ << ",\n"
            << "  Role: " << ike::to_string(sa->role) << ", State: " << state_word(sa->state) << '\n'
            << "  Initiator cookie: " << ike::to_hex(sa->initiator_cookie)
            << ", Responder cookie: " << ike::to_hex(sa->responder_cookie) << '\n'
            << "  Exchange type: " << mode_word(*sa);
        if (sa->proposal) out << ", Authentication method: " << ike::crypto::info(sa->proposal->auth_method).keyword;
        out << '\n'
            << "  Local: " << sa->local.to_string() << ", Remote: " << sa->peer.to_string() << '\n'
            << "  Lifetime: Expires in " << seconds(sa->lifetime_remaining_ms) << " seconds\n";
        if (sa->proposal) {
            const auto& p = *sa->proposal;
            out << "  Algorithms:\n"
                << "   Authentication        : " << authentication_word(*sa, p) << '\n'
                << "   Encryption            : " << sadb::info(p.encryption).keyword << '\n'
                << "   Pseudo random function: hmac-" << ike::crypto::info(p.hash).keyword << '\n'
                << "   Diffie-Hellman group  : " << ike::crypto::info(p.group).keyword << '\n';
        }
        if (!sa->peer_identity.empty()) out << "  Remote identity: " << sa->peer_identity << '\n';
        if (!sa->peer_certificate_subject.empty())
            out << "  Peer certificate: " << sa->peer_certificate_subject << '\n'
                << "  Validated to CA: " << sa->peer_certificate_ca << '\n';
        if (is_v2(*sa)) {
            // JUNOS counts the IPsec SAs an IKE SA made; picsec lists an
            // IKEv2 SA's Child SAs by name and SPIs (RFC 7296 1.3).
            out << "  IPSec security associations: " << sa->child_sas.size() << '\n';
            for (const auto& c : sa->child_sas)
                out << "   " << c.name << ": SPI in " << spi_text(c.inbound_spi) << ", out " << spi_text(c.outbound_spi)
                    << '\n';
        }
        out << "  NAT traversal: " << (sa->nat_traversal ? "yes (UDP " + std::to_string(sa->local.port) + ")" : "no")
            << "\n\n";
    }
    return out.str();
}

}  // namespace picsec::tools
