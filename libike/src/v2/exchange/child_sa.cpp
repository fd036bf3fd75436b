// Child SA key material and specs (RFC 7296 2.17).
#include "child_sa.h"

#include "picsec/ike/v2/crypto/keys.h"

namespace picsec::ike::detail::v2 {

NewChild child_sa(const ChildMaterial& m, const ike::v2::negotiation::ChildChoice& c) {
    const auto& proposal = c.proposal;
    const std::size_t ek = proposal.encryption ? algo::info(*proposal.encryption).key_bytes : 0;
    const std::size_t ak = proposal.authentication ? algo::info(*proposal.authentication).key_bytes : 0;
    // Initiator-to-responder keys first, each direction's encryption key
    // before its integrity key.
    const auto keymat = k2::child_keymat(m.prf, m.sk_d, m.g_ir, m.ni, m.nr, 2 * (ek + ak));
    auto part = [&](std::size_t offset, std::size_t n) {
        return Botan::secure_vector<std::uint8_t>(keymat.begin() + static_cast<std::ptrdiff_t>(offset),
                                                  keymat.begin() + static_cast<std::ptrdiff_t>(offset + n));
    };
    const std::size_t to_responder = 0, to_initiator = ek + ak;
    const bool initiator = m.role == Role::Initiator;
    auto spec = [&](sadb::Direction d, std::uint32_t spi, std::size_t at) {
        sadb::SaSpec s;
        s.name = m.policy->name;
        s.spi = spi;
        s.protocol = proposal.protocol;
        s.direction = d;
        s.mode = m.policy->mode;
        s.encryption = proposal.encryption;
        s.authentication = proposal.authentication;
        s.encryption_key = part(at, ek);
        s.authentication_key = part(at + ek, ak);
        s.local_address = m.local.address.to_uint();
        s.peer_address = m.peer.address.to_uint();
        s.replay_window = m.policy->replay_window;
        s.extended_sequence_numbers = proposal.extended_sequence_numbers;
        s.lifetime.hard_seconds = proposal.lifetime_seconds;
        if (m.udp_encapsulated) s.udp_encapsulation = sadb::UdpEncapsulation{m.local.port, m.peer.port};
        s.dynamic = true;
        return s;
    };
    NewChild n;
    n.choice = c;
    n.mode = m.policy->mode;
    n.role = m.role;
    n.pair.name = m.policy->name;
    n.pair.peer = m.peer.address;
    n.pair.inbound = spec(sadb::Direction::Inbound, m.our_spi, initiator ? to_initiator : to_responder);
    n.pair.outbound = spec(sadb::Direction::Outbound, c.peer_spi, initiator ? to_responder : to_initiator);
    return n;
}

}  // namespace picsec::ike::detail::v2
