// Sadb packet processing: protect (outbound) and unprotect (inbound) IPv4
// packets with ESP, AH, the AH-over-ESP bundle and RFC 3948 UDP encapsulation.
#include <algorithm>
#include <string>

#include "picsec/sadb/ah.h"
#include "picsec/sadb/esp.h"
#include "picsec/sadb/ipv4.h"
#include "picsec/sadb/nat_t.h"
#include "picsec/sadb/sadb.h"
#include "sadb_record.h"
#include "text.h"

namespace picsec::sadb {
namespace {

constexpr std::size_t k_udp_header_bytes = 8;
constexpr std::uint16_t k_nat_t_port = 4500;

std::string sa_text(const SaState& s) { return "SA '" + s.spec.name + "'"; }

// RFC 4303 3.3.3: with anti-replay on, the sender must not let the counter
// cycle. AES-GCM never lets it cycle, anti-replay or not: its IV is the
// sequence number (RFC 4106 3.1), so a second round would repeat nonces
// under the same key. Without ESN the SA stops at 2^32 - 1, with ESN
// (RFC 4303 2.2.1, RFC 4304) at 2^64 - 1.
Expected<std::uint64_t, Drop> next_sequence(const SaState& s, const LegState& leg) {
    const bool gcm = s.spec.encryption && info(*s.spec.encryption).aead();
    const bool esn = s.spec.extended_sequence_numbers;
    const std::uint64_t last = esn ? ~std::uint64_t{0} : 0xffffffffULL;
    if (leg.last_sequence_sent == last && (s.spec.replay_window != 0 || gcm || esn))
        return Drop{DropReason::SequenceOverflow,
                    sa_text(s) + ": sequence number exhausted (got " + std::to_string(last) +
                        " packets, the SA must be rekeyed" +
                        (gcm ? "; AES-GCM's IV is the sequence number and may not repeat, RFC 4106 3.1)" : ")")};
    // Without anti-replay the 32-bit counter may cycle (RFC 4303 3.3.3).
    return esn ? leg.last_sequence_sent + 1 : static_cast<std::uint32_t>(leg.last_sequence_sent + 1);
}

std::string replay_text(std::string_view what, ReplayWindow::Verdict v, std::uint64_t seq, const ReplayWindow& w) {
    return std::string(what) + " sequence number: " + std::string(to_string(v)) + " (got " + std::to_string(seq) +
           ", highest received " + std::to_string(w.highest()) + ", window " + std::to_string(w.size()) + ")";
}

// Replaces what follows an IPv4 header: header | transform header | payload.
// The protocol field is set, total length and checksum fixed up.
Expected<std::vector<std::uint8_t>, Drop> rebuild(std::span<const std::uint8_t> header, std::uint8_t protocol,
                                                  std::span<const std::uint8_t> prefix,
                                                  std::span<const std::uint8_t> payload) {
    const std::size_t total = header.size() + prefix.size() + payload.size();
    if (total > ipv4::k_max_packet_bytes)
        return Drop{DropReason::Malformed,
                    "IPv4 total length: too large after IPsec (got " + std::to_string(total) + ", need <= 65535)"};
    std::vector<std::uint8_t> out;
    out.reserve(total);
    out.insert(out.end(), header.begin(), header.end());
    out.insert(out.end(), prefix.begin(), prefix.end());
    out.insert(out.end(), payload.begin(), payload.end());
    out[9] = protocol;
    ipv4::finish_header(out, header.size());
    return out;
}

Drop not_ip_in_ip(const SaState& s, std::uint8_t next_header) {
    return Drop{DropReason::PolicyMismatch, sa_text(s) + ": tunnel mode, inner next header (got " +
                                                std::to_string(next_header) + ", need 4 IP-in-IP)"};
}

}  // namespace

Expected<std::vector<std::uint8_t>, Drop> Sadb::protect(std::string_view name, std::span<const std::uint8_t> packet,
                                                        Botan::RandomNumberGenerator& rng) {
    auto id = find_outbound(name);
    if (!id)
        return Drop{DropReason::UnknownSa, "SA '" + std::string(name) + "': no outbound SA with this name"};
    return protect(*id, packet, rng);
}

Expected<std::vector<std::uint8_t>, Drop> Sadb::protect(SaId id, std::span<const std::uint8_t> packet,
                                                        Botan::RandomNumberGenerator& rng) {
    std::vector<std::uint8_t> out;
    if (auto drop = protect_into(id, packet, rng, out)) return std::move(*drop);
    return out;
}

std::size_t Sadb::protect_batch(SaId id, std::span<const std::span<const std::uint8_t>> packets,
                                Botan::RandomNumberGenerator& rng, std::vector<BatchPacket>& results) {
    results.resize(packets.size());
    std::size_t protected_packets = 0;
    for (std::size_t i = 0; i < packets.size(); ++i) {
        BatchPacket& res = results[i];
        res.drop = protect_into(id, packets[i], rng, res.packet);
        res.sa = id;
        if (res.drop) {
            res.packet.clear();
        } else {
            ++protected_packets;
        }
    }
    return protected_packets;
}

std::optional<Drop> Sadb::protect_into(SaId id, std::span<const std::uint8_t> packet,
                                       Botan::RandomNumberGenerator& rng, std::vector<std::uint8_t>& out) {
    Record* r = record(id);
    if (r == nullptr) return Drop{DropReason::UnknownSa, "SA id " + std::to_string(id) + ": not installed"};
    SaState& s = r->state;
    const SaSpec& spec = s.spec;
    if (spec.direction == Direction::Inbound)
        return Drop{DropReason::WrongDirection, sa_text(s) + ": inbound-only, cannot protect"};
    if (s.lifetime.hard_expired)
        return charge(*r, Drop{DropReason::Expired, sa_text(s) + ": hard lifetime reached"});
    auto ip = ipv4::parse(packet);
    if (!ip) return charge(*r, ip.error());
    // RFC 4303 3.3.4: transport mode applies to whole datagrams, never to fragments.
    if (spec.mode == Mode::Transport && ip->is_fragment())
        return charge(*r, Drop{DropReason::Malformed, "IPv4 flags: transport mode cannot protect a fragment (offset " +
                                                          std::to_string(ip->fragment_offset()) + ")"});

    auto seq = next_sequence(s, s.primary);
    if (!seq) return charge(*r, seq.error());
    std::optional<std::uint64_t> aux_seq;
    if (s.auxiliary) {
        auto a = next_sequence(s, *s.auxiliary);
        if (!a) return charge(*r, a.error());
        aux_seq = *a;
    }

    if (spec.protocol == Protocol::Esp) {
        // ESP alone is built in one pass into out: IPv4 header (the packet's
        // own, or in tunnel mode a new outer one), [UDP], ESP header, IV,
        // payload, trailer, ICV; then encrypted and authenticated in place.
        SaCrypto& crypto = *r->primary_crypto;
        const bool tunnel = spec.mode == Mode::Tunnel;
        const std::size_t header_bytes = tunnel ? ipv4::k_min_header_bytes : ip->header_bytes;
        const auto inner = tunnel ? packet : packet.subspan(ip->header_bytes);
        const std::size_t udp_bytes = spec.udp_encapsulation ? k_udp_header_bytes : 0;
        const std::size_t esp_bytes = esp::encapsulated_bytes(crypto, inner.size());
        const std::size_t total = header_bytes + udp_bytes + esp_bytes;
        // Tunnel mode first wraps the packet (20 bytes more), then adds ESP.
        if (tunnel && packet.size() + ipv4::k_min_header_bytes > ipv4::k_max_packet_bytes)
            return charge(*r, Drop{DropReason::Malformed,
                                   "IPv4 total length: too large after IPsec (got " +
                                       std::to_string(packet.size() + ipv4::k_min_header_bytes) + ", need <= 65535)"});
        if (total > ipv4::k_max_packet_bytes)
            return charge(*r, Drop{DropReason::Malformed, "IPv4 total length: too large after IPsec (got " +
                                                              std::to_string(total) + ", need <= 65535)"});
        out.resize(total);
        if (tunnel) {
            // RFC 4301 5.1.2.1: TOS copied, DF copied, fresh TTL.
            ipv4::write_header(out, ip->tos, ip->identification,
                               static_cast<std::uint16_t>(ip->flags_fragment & 0x4000), ipv4::k_default_ttl,
                               ipv4::k_protocol_ipip, spec.local_address, spec.peer_address);
        } else {
            std::copy(packet.begin(), packet.begin() + static_cast<std::ptrdiff_t>(header_bytes), out.begin());
        }
        const std::span<std::uint8_t> whole(out);
        if (spec.udp_encapsulation) {
            // RFC 3948 2.1: UDP header with checksum 0 directly before the ESP header.
            const auto udp = whole.subspan(header_bytes, k_udp_header_bytes);
            ipv4::store16(udp, 0, spec.udp_encapsulation->source_port);
            ipv4::store16(udp, 2, spec.udp_encapsulation->destination_port);
            const std::size_t udp_length = std::min<std::size_t>(esp_bytes + k_udp_header_bytes, 0xffff);
            ipv4::store16(udp, 4, static_cast<std::uint16_t>(udp_length));
            ipv4::store16(udp, 6, 0);
        }
        const auto esp = whole.subspan(header_bytes + udp_bytes);
        std::copy(inner.begin(), inner.end(), esp.begin() + static_cast<std::ptrdiff_t>(esp::payload_offset(crypto)));
        const std::uint8_t next_header = tunnel ? ipv4::k_protocol_ipip : ip->protocol;
        esp::seal(crypto, esp, inner.size(), spec.spi, *seq, next_header, {}, rng);
        out[9] = spec.udp_encapsulation ? ipv4::k_protocol_udp : ipv4::k_protocol_esp;
        ipv4::finish_header(out, header_bytes);
        s.primary.last_sequence_sent = *seq;
        account(*r, packet.size(), false);
        return std::nullopt;
    }

    // AH and the AH-over-ESP bundle. Tunnel mode: wrap in a new outer header
    // first (RFC 4301 5.1.2.1: TOS copied, DF copied, fresh TTL), then apply
    // the transforms to it as in transport mode with next header 4.
    std::vector<std::uint8_t> work(packet.begin(), packet.end());
    if (spec.mode == Mode::Tunnel) {
        auto outer = ipv4::make_header(ip->tos, ip->identification,
                                       static_cast<std::uint16_t>(ip->flags_fragment & 0x4000), ipv4::k_default_ttl,
                                       ipv4::k_protocol_ipip, spec.local_address, spec.peer_address);
        auto wrapped = rebuild(outer, ipv4::k_protocol_ipip, {}, packet);
        if (!wrapped) return charge(*r, wrapped.error());
        work = std::move(*wrapped);
    }
    auto wh = ipv4::parse(work);
    if (!wh) return charge(*r, wh.error());
    if (spec.protocol == Protocol::Bundle) {
        // The bundle's ESP only encrypts, under the auxiliary SPI.
        const auto header = std::span<const std::uint8_t>(work).first(wh->header_bytes);
        const auto payload = std::span<const std::uint8_t>(work).subspan(wh->header_bytes);
        auto esp = esp::encapsulate(*r->auxiliary_crypto, spec.auxiliary_spi, *aux_seq, wh->protocol, payload, rng);
        auto sealed = rebuild(header, ipv4::k_protocol_esp, esp, {});
        if (!sealed) return charge(*r, sealed.error());
        work = std::move(*sealed);
    }
    auto ah_ip = ipv4::parse(work);
    if (!ah_ip) return charge(*r, ah_ip.error());
    auto with_ah = ah::insert(*r->primary_crypto, work, *ah_ip, spec.spi, *seq);
    if (!with_ah) return charge(*r, with_ah.error());

    s.primary.last_sequence_sent = *seq;
    if (s.auxiliary) s.auxiliary->last_sequence_sent = *aux_seq;
    account(*r, packet.size(), false);
    out = std::move(*with_ah);
    return std::nullopt;
}

Expected<Unprotected, Drop> Sadb::unprotect(std::span<const std::uint8_t> packet) {
    BatchPacket result;
    if (auto drop = unprotect_into(packet, result)) return std::move(*drop);
    return Unprotected{std::move(result.packet), result.sa, result.spi, result.protocol};
}

std::size_t Sadb::unprotect_batch(std::span<const std::span<const std::uint8_t>> packets,
                                  std::vector<BatchPacket>& results) {
    results.resize(packets.size());
    std::size_t accepted = 0;
    for (std::size_t i = 0; i < packets.size(); ++i) {
        BatchPacket& res = results[i];
        res.drop = unprotect_into(packets[i], res);
        if (res.drop) {
            res.packet.clear();
            res.sa = 0;
            res.spi = 0;
        } else {
            ++accepted;
        }
    }
    return accepted;
}

std::optional<Drop> Sadb::unprotect_into(std::span<const std::uint8_t> packet, BatchPacket& result) {
    auto ip = ipv4::parse(packet);
    if (!ip) {
        m_counters.malformed++;
        return ip.error();
    }
    // RFC 4303 3.4.1: reassembly happens before IPsec processing.
    if (ip->is_fragment()) {
        m_counters.malformed++;
        return Drop{DropReason::Malformed, "IPv4 flags: a fragment reached IPsec processing (offset " +
                                               std::to_string(ip->fragment_offset()) + "); reassemble first"};
    }
    const auto body = packet.subspan(ip->header_bytes);

    if (ip->protocol == ipv4::k_protocol_ah) {
        auto ah_header = ah::parse(body);
        if (!ah_header) {
            m_counters.malformed++;
            return ah_header.error();
        }
        auto slot = m_slots.find(SlotKey{ah_header->spi, true, true});
        if (slot == m_slots.end()) {
            m_counters.unknown_spi++;
            return Drop{DropReason::UnknownSpi, "AH SPI " + detail::hex(ah_header->spi) + ": no inbound SA"};
        }
        Record& r = *m_sas.at(slot->second);
        SaState& s = r.state;
        if (s.lifetime.hard_expired)
            return charge(r, Drop{DropReason::Expired, sa_text(s) + ": hard lifetime reached"});
        // RFC 4302 3.4.3: sequence number checked before, recorded after the ICV.
        const auto seen = s.primary.window.check(ah_header->sequence);
        if (seen.verdict != ReplayWindow::Verdict::Ok)
            return charge(r, Drop{DropReason::Replay,
                                  replay_text("AH", seen.verdict, seen.sequence, s.primary.window)});
        const auto sequence_high = static_cast<std::uint32_t>(seen.sequence >> 32);
        if (auto drop = ah::verify(*r.primary_crypto, packet, *ip, *ah_header, sequence_high))
            return charge(r, *drop);
        s.primary.window.commit(seen.sequence);
        std::vector<std::uint8_t>& stripped = result.packet;
        stripped = ah::remove(packet, *ip, *ah_header);

        if (s.spec.protocol == Protocol::Bundle) {
            if (ah_header->next_header != ipv4::k_protocol_esp)
                return charge(r, Drop{DropReason::PolicyMismatch,
                                      sa_text(s) + ": bundle AH must carry ESP (got next header " +
                                          std::to_string(ah_header->next_header) + ", need 50)"});
            auto esp_header = esp::peek(std::span<const std::uint8_t>(stripped).subspan(ip->header_bytes));
            if (!esp_header) return charge(r, esp_header.error());
            if (esp_header->spi != s.spec.auxiliary_spi)
                return charge(r, Drop{DropReason::PolicyMismatch, sa_text(s) + ": bundle ESP SPI (got " +
                                                                      detail::hex(esp_header->spi) + ", need " +
                                                                      detail::hex(s.spec.auxiliary_spi) + ")"});
            const std::vector<std::uint8_t> esp_packet = std::move(stripped);
            if (auto drop = unprotect_esp(r, esp_packet, ip->header_bytes, ip->header_bytes, stripped, false))
                return drop;
        }
        if (auto drop = finish_inbound(r, stripped, false)) return drop;
        result.sa = s.id;
        result.spi = s.spec.spi;
        result.protocol = s.spec.protocol;
        return std::nullopt;
    }

    std::size_t esp_at = ip->header_bytes;
    bool udp = false;
    if (ip->protocol == ipv4::k_protocol_udp) {
        if (body.size() < k_udp_header_bytes) {
            m_counters.malformed++;
            return Drop{DropReason::Malformed,
                        "UDP header: truncated (got " + std::to_string(body.size()) + " bytes, need 8)"};
        }
        const std::uint16_t port = ipv4::load16(body, 2);
        const bool nat_t_port = port == k_nat_t_port || std::any_of(m_sas.begin(), m_sas.end(), [port](const auto& e) {
                                    const auto& u = e.second->state.spec.udp_encapsulation;
                                    return u && u->source_port == port;
                                });
        if (!nat_t_port) {
            m_counters.not_ipsec++;
            return Drop{DropReason::NotIpsec, "UDP destination port " + std::to_string(port) + ": not a NAT-T port"};
        }
        const std::uint16_t udp_length = ipv4::load16(body, 4);
        if (udp_length != body.size()) {
            m_counters.malformed++;
            return Drop{DropReason::Malformed, "UDP length: (got " + std::to_string(udp_length) + ", packet has " +
                                                   std::to_string(body.size()) + " bytes)"};
        }
        const auto payload = body.subspan(k_udp_header_bytes);
        // RFC 3948 2.3: a one-byte 0xFF payload is a NAT-keepalive.
        if (payload.size() == 1 && payload[0] == 0xff) {
            m_counters.not_ipsec++;
            return Drop{DropReason::NotIpsec, "UDP payload: NAT-keepalive (RFC 3948 2.3)"};
        }
        // RFC 3948 2.2: four zero bytes where the SPI would be mark an IKE message.
        if (payload.size() >= 4 && payload[0] == 0 && payload[1] == 0 && payload[2] == 0 && payload[3] == 0) {
            m_counters.not_ipsec++;
            return Drop{DropReason::NotIpsec, "UDP payload: non-ESP marker, an IKE message for the IKE engine"};
        }
        esp_at += k_udp_header_bytes;
        udp = true;
    } else if (ip->protocol != ipv4::k_protocol_esp) {
        m_counters.not_ipsec++;
        return Drop{DropReason::NotIpsec,
                    "IPv4 protocol: not ESP or AH (got " + std::to_string(ip->protocol) + ", need 50 or 51)"};
    }

    auto esp_header = esp::peek(packet.subspan(esp_at));
    if (!esp_header) {
        m_counters.malformed++;
        return esp_header.error();
    }
    auto slot = m_slots.find(SlotKey{esp_header->spi, false, true});
    if (slot == m_slots.end()) {
        m_counters.unknown_spi++;
        return Drop{DropReason::UnknownSpi, "ESP SPI " + detail::hex(esp_header->spi) + ": no inbound SA"};
    }
    Record& r = *m_sas.at(slot->second);
    SaState& s = r.state;
    if (s.lifetime.hard_expired)
        return charge(r, Drop{DropReason::Expired, sa_text(s) + ": hard lifetime reached"});
    if (s.spec.protocol == Protocol::Bundle)
        return charge(r, Drop{DropReason::PolicyMismatch, sa_text(s) + ": bundle ESP SPI " +
                                                              detail::hex(esp_header->spi) +
                                                              " arrived without AH SPI " + detail::hex(s.spec.spi)});
    if (udp != s.spec.udp_encapsulation.has_value())
        return charge(r, Drop{DropReason::PolicyMismatch,
                              sa_text(s) + (udp ? ": ESP arrived UDP-encapsulated, the SA does not use NAT-T"
                                                : ": ESP arrived without the SA's UDP encapsulation (RFC 3948)")});
    std::vector<std::uint8_t>& opened = result.packet;
    const bool tunnel = s.spec.mode == Mode::Tunnel;
    if (auto drop = unprotect_esp(r, packet, ip->header_bytes, esp_at, opened, tunnel)) return drop;
    // RFC 3948 3.1.2: in transport mode the inner checksum covers the sender's pre-NAT addresses.
    if (udp && !tunnel) nat_t::fix_transport_checksum(opened, ip->header_bytes, *s.spec.udp_encapsulation);
    if (auto drop = finish_inbound(r, opened, tunnel)) return drop;
    result.sa = s.id;
    result.spi = s.spec.spi;
    result.protocol = s.spec.protocol;
    return std::nullopt;
}

std::optional<Drop> Sadb::unprotect_esp(Record& r, std::span<const std::uint8_t> packet, std::size_t ip_header_bytes,
                                        std::size_t esp_at, std::vector<std::uint8_t>& out, bool strip_outer) {
    SaState& s = r.state;
    const bool bundle = s.spec.protocol == Protocol::Bundle;
    SaCrypto& crypto = bundle ? *r.auxiliary_crypto : *r.primary_crypto;
    LegState& leg = bundle ? *s.auxiliary : s.primary;
    const auto esp = packet.subspan(esp_at);
    auto header = esp::peek(esp);
    if (!header) return charge(r, header.error());

    // RFC 4303 3.4.3: check the window first, verify the ICV, then record.
    // With ESN the window also infers the high half the ICV covers (RFC 4303 A2).
    const auto seen = leg.window.check(header->sequence);
    if (seen.verdict != ReplayWindow::Verdict::Ok)
        return charge(r, Drop{DropReason::Replay, replay_text("ESP", seen.verdict, seen.sequence, leg.window)});
    const auto sequence_high = static_cast<std::uint32_t>(seen.sequence >> 32);
    if (auto drop = esp::verify(crypto, esp, sequence_high)) return charge(r, *drop);
    // A MAC was verified by verify(); an AEAD's tag is verified as it
    // decrypts, so its window moves only once decapsulate_into() got past it.
    if (!crypto.aead()) leg.window.commit(seen.sequence);
    // The payload is decrypted straight into out: in tunnel mode it is the
    // inner packet; otherwise it goes behind a copy of the IPv4 header.
    const std::size_t at = strip_outer ? 0 : ip_header_bytes;
    out.resize(at);
    std::copy(packet.begin(), packet.begin() + static_cast<std::ptrdiff_t>(at), out.begin());
    auto next_header = esp::decapsulate_into(crypto, esp, out, at, sequence_high);
    if (crypto.aead() && (next_header || next_header.error().reason != DropReason::BadIcv))
        leg.window.commit(seen.sequence);
    if (!next_header) return charge(r, next_header.error());
    // RFC 4303 2.6: next header 59 marks a dummy packet, discarded silently.
    if (*next_header == ipv4::k_protocol_none)
        return Drop{DropReason::DummyPacket, "ESP next header: 59, a dummy packet (RFC 4303 2.6)"};
    if (strip_outer) {
        if (*next_header != ipv4::k_protocol_ipip) return charge(r, not_ip_in_ip(s, *next_header));
        return std::nullopt;
    }
    // The packet only shrinks, so it stays within 65535 bytes.
    out[9] = *next_header;
    ipv4::finish_header(out, ip_header_bytes);
    return std::nullopt;
}

std::optional<Drop> Sadb::finish_inbound(Record& r, std::vector<std::uint8_t>& packet, bool outer_stripped) {
    SaState& s = r.state;
    if (s.spec.mode == Mode::Tunnel) {
        std::size_t outer_bytes = 0;
        if (!outer_stripped) {
            auto outer = ipv4::parse(packet);
            if (!outer) return charge(r, outer.error());
            if (outer->protocol != ipv4::k_protocol_ipip) return charge(r, not_ip_in_ip(s, outer->protocol));
            outer_bytes = outer->header_bytes;
        }
        const auto inner = std::span<const std::uint8_t>(packet).subspan(outer_bytes);
        auto inner_header = ipv4::parse(inner);
        if (!inner_header) {
            Drop d = inner_header.error();
            d.message = "inner " + d.message;
            return charge(r, std::move(d));
        }
        packet.erase(packet.begin(), packet.begin() + static_cast<std::ptrdiff_t>(outer_bytes));
    }
    account(r, packet.size(), true);
    return std::nullopt;
}

}  // namespace picsec::sadb
