// The SA database: installation, uniqueness of (SPI, protocol) per direction,
// lookup, counters and lifetimes. Packet processing is in sadb_packet.cpp.
#include "picsec/sadb/sadb.h"

#include <botan/exceptn.h>

#include <algorithm>
#include <functional>

#include "sadb_record.h"

namespace picsec::sadb {
namespace {

std::string slot_text(std::uint32_t spi, bool ah, bool inbound) {
    return "SPI " + std::to_string(spi) + " protocol " + (ah ? "ah" : "esp") + " " +
           (inbound ? "inbound" : "outbound");
}

}  // namespace

std::string_view to_string(ExpiryKind k) {
    switch (k) {
        case ExpiryKind::Soft: return "soft";
        case ExpiryKind::Hard: return "hard";
    }
    return "?";
}

std::string_view to_string(ExpiryCause c) {
    switch (c) {
        case ExpiryCause::Seconds: return "seconds";
        case ExpiryCause::Bytes: return "bytes";
    }
    return "?";
}

Sadb::Sadb() = default;
Sadb::~Sadb() = default;
Sadb::Sadb(Sadb&&) noexcept = default;
Sadb& Sadb::operator=(Sadb&&) noexcept = default;

Expected<SaId, AddError> Sadb::add(SaSpec spec) {
    if (auto problem = validate(spec); !problem.empty())
        return AddError{AddError::Code::InvalidSpec, "SA '" + spec.name + "': " + problem};

    struct Leg {
        std::uint32_t spi;
        bool ah;
    };
    std::vector<Leg> legs{{spec.spi, spec.protocol != Protocol::Esp}};
    if (spec.protocol == Protocol::Bundle) legs.push_back({spec.auxiliary_spi, false});
    std::vector<SlotKey> slots;
    for (const auto& leg : legs) {
        if (spec.direction != Direction::Outbound) slots.push_back({leg.spi, leg.ah, true});
        if (spec.direction != Direction::Inbound) slots.push_back({leg.spi, leg.ah, false});
    }
    for (const auto& slot : slots) {
        if (auto it = m_slots.find(slot); it != m_slots.end())
            return AddError{AddError::Code::DuplicateSpi,
                            "SA '" + spec.name + "': " + slot_text(slot.spi, slot.ah, slot.inbound) +
                                " is already used by SA '" + m_sas.at(it->second)->state.spec.name + "'"};
    }

    auto r = std::make_unique<Record>();
    try {
        switch (spec.protocol) {
            case Protocol::Esp:
                r->primary_crypto = std::make_unique<SaCrypto>(spec.encryption, spec.encryption_key,
                                                               spec.authentication, spec.authentication_key);
                break;
            case Protocol::Ah:
                r->primary_crypto = std::make_unique<SaCrypto>(std::nullopt, std::span<const std::uint8_t>{},
                                                               spec.authentication, spec.authentication_key);
                break;
            case Protocol::Bundle:
                // The bundle's AH authenticates; its ESP only encrypts.
                r->primary_crypto = std::make_unique<SaCrypto>(std::nullopt, std::span<const std::uint8_t>{},
                                                               spec.authentication, spec.authentication_key);
                r->auxiliary_crypto = std::make_unique<SaCrypto>(spec.encryption, spec.encryption_key, std::nullopt,
                                                                 std::span<const std::uint8_t>{});
                break;
        }
    } catch (const std::exception& e) {
        return AddError{AddError::Code::Crypto, "SA '" + spec.name + "': cannot create algorithm: " + e.what()};
    }

    const SaId id = m_next_id++;
    r->state.id = id;
    // RFC 4303 3.4.3: anti-replay needs integrity; ESP without a MAC has no
    // window. A bundle's ESP sequence numbers are covered by the AH ICV.
    const unsigned primary_window = r->primary_crypto->authenticates() ? spec.replay_window : 0;
    r->primary_crypto->set_esn(spec.extended_sequence_numbers);
    r->state.primary = LegState{spec.spi, 0, ReplayWindow(primary_window, spec.extended_sequence_numbers)};
    if (spec.protocol == Protocol::Bundle)
        r->state.auxiliary = LegState{spec.auxiliary_spi, 0, ReplayWindow(spec.replay_window)};
    r->state.lifetime.installed_at = m_now;
    r->state.spec = std::move(spec);
    for (const auto& slot : slots) m_slots.emplace(slot, id);
    schedule(*r);
    m_sas.emplace(id, std::move(r));
    return id;
}

bool Sadb::remove(SaId id) {
    auto it = m_sas.find(id);
    if (it == m_sas.end()) return false;
    std::erase_if(m_slots, [id](const auto& entry) { return entry.second == id; });
    m_sas.erase(it);
    return true;
}

namespace {

// The first second at which tick() has a seconds-lifetime event for this SA:
// its soft expiry until that is reported (by seconds or bytes), then its hard expiry.
std::optional<std::uint64_t> next_deadline(const SaState& s) {
    const Lifetime& l = s.spec.lifetime;
    std::optional<std::uint64_t> due;
    if (l.soft_seconds != 0 && !s.lifetime.soft_expired) due = s.lifetime.installed_at + l.soft_seconds;
    if (l.hard_seconds != 0) {
        const std::uint64_t hard = s.lifetime.installed_at + l.hard_seconds;
        if (!due || hard < *due) due = hard;
    }
    return due;
}

}  // namespace

void Sadb::schedule(Record& r) {
    if (const auto due = next_deadline(r.state)) {
        m_deadlines.emplace_back(*due, r.state.id);
        std::push_heap(m_deadlines.begin(), m_deadlines.end(), std::greater<>{});
    }
}

std::vector<SaId> Sadb::find_by_name(std::string_view name) const {
    std::vector<SaId> out;
    for (const auto& [id, r] : m_sas)
        if (r->state.spec.name == name) out.push_back(id);
    return out;
}

std::optional<SaId> Sadb::find_outbound(std::string_view name) const {
    for (auto it = m_sas.rbegin(); it != m_sas.rend(); ++it) {
        const SaSpec& spec = it->second->state.spec;
        if (spec.name == name && spec.direction != Direction::Inbound) return it->first;
    }
    return std::nullopt;
}

std::optional<SaId> Sadb::find(std::uint32_t spi, Protocol protocol, Direction direction) const {
    const SlotKey key{spi, protocol != Protocol::Esp, direction != Direction::Outbound};
    auto it = m_slots.find(key);
    if (it == m_slots.end()) return std::nullopt;
    if (direction == Direction::Bidirectional &&
        m_sas.at(it->second)->state.spec.direction != Direction::Bidirectional)
        return std::nullopt;
    return it->second;
}

const SaState* Sadb::get(SaId id) const {
    auto it = m_sas.find(id);
    return it == m_sas.end() ? nullptr : &it->second->state;
}

Sadb::Record* Sadb::record(SaId id) {
    auto it = m_sas.find(id);
    return it == m_sas.end() ? nullptr : it->second.get();
}

std::vector<SaId> Sadb::ids() const {
    std::vector<SaId> out;
    out.reserve(m_sas.size());
    for (const auto& entry : m_sas) out.push_back(entry.first);
    return out;
}

namespace {

LifetimeEvent make_event(const SaState& s, ExpiryKind kind, ExpiryCause cause) {
    return LifetimeEvent{s.id, s.spec.name, s.spec.spi, s.spec.protocol, s.spec.direction, s.spec.dynamic, kind, cause};
}

}  // namespace

std::vector<LifetimeEvent> Sadb::tick(std::uint64_t now_seconds) {
    m_now = now_seconds;
    std::vector<LifetimeEvent> events = std::move(m_pending);
    m_pending.clear();
    // Only the SAs with something due are visited: those hard-expired by
    // bytes since the last tick, and those whose seconds deadline has come.
    // They are handled in id order, as a walk over every SA would.
    std::vector<SaId> due = std::move(m_byte_expired);
    m_byte_expired.clear();
    while (!m_deadlines.empty() && m_deadlines.front().first <= now_seconds) {
        std::pop_heap(m_deadlines.begin(), m_deadlines.end(), std::greater<>{});
        const auto [when, id] = m_deadlines.back();
        m_deadlines.pop_back();
        Record* r = record(id);
        if (!r) continue;  // removed since it was filed
        if (next_deadline(r->state) != when) {
            // Its soft expiry came by bytes meanwhile: file it under the hard one.
            schedule(*r);
            continue;
        }
        due.push_back(id);
    }
    std::sort(due.begin(), due.end());
    due.erase(std::unique(due.begin(), due.end()), due.end());
    std::vector<SaId> doomed;
    for (SaId id : due) {
        Record* r = record(id);
        if (!r) continue;
        SaState& s = r->state;
        if (s.lifetime.hard_expired) {  // by bytes; its event is already in `events`
            doomed.push_back(id);
            continue;
        }
        const std::uint64_t age = now_seconds > s.lifetime.installed_at ? now_seconds - s.lifetime.installed_at : 0;
        const Lifetime& l = s.spec.lifetime;
        if (l.soft_seconds != 0 && age >= l.soft_seconds && !s.lifetime.soft_expired) {
            s.lifetime.soft_expired = true;
            events.push_back(make_event(s, ExpiryKind::Soft, ExpiryCause::Seconds));
        }
        if (l.hard_seconds != 0 && age >= l.hard_seconds) {
            s.lifetime.hard_expired = true;
            events.push_back(make_event(s, ExpiryKind::Hard, ExpiryCause::Seconds));
            doomed.push_back(id);
            continue;
        }
        schedule(*r);
    }
    for (SaId id : doomed) remove(id);
    return events;
}

void Sadb::account(Record& r, std::size_t inner_bytes, bool inbound) {
    SaState& s = r.state;
    SaCounters& c = s.counters;
    c.packets++;
    c.bytes += inner_bytes;
    (inbound ? c.inbound_packets : c.outbound_packets)++;
    (inbound ? c.inbound_bytes : c.outbound_bytes) += inner_bytes;
    const Lifetime& l = s.spec.lifetime;
    if (l.soft_bytes != 0 && c.bytes >= l.soft_bytes && !r.soft_bytes_reported) {
        r.soft_bytes_reported = true;
        s.lifetime.soft_expired = true;
        m_pending.push_back(make_event(s, ExpiryKind::Soft, ExpiryCause::Bytes));
    }
    if (l.hard_bytes != 0 && c.bytes >= l.hard_bytes && !s.lifetime.hard_expired) {
        // RFC 4301 4.4.2.1: at the hard byte limit the SA must not be used further.
        s.lifetime.hard_expired = true;
        m_pending.push_back(make_event(s, ExpiryKind::Hard, ExpiryCause::Bytes));
        m_byte_expired.push_back(s.id);
    }
}

bool Sadb::set_last_sequence_sent(SaId id, std::uint64_t last_sent) {
    Record* r = record(id);
    if (!r) return false;
    r->state.primary.last_sequence_sent = last_sent;
    if (r->state.auxiliary) r->state.auxiliary->last_sequence_sent = last_sent;
    return true;
}

Drop Sadb::charge(Record& r, Drop drop) {
    SaCounters& c = r.state.counters;
    switch (drop.reason) {
        case DropReason::Replay: c.replay_drops++; break;
        case DropReason::BadIcv: c.auth_failures++; break;
        case DropReason::BadPadding: c.padding_errors++; break;
        case DropReason::Malformed: c.malformed_drops++; break;
        case DropReason::Expired: c.expired_drops++; break;
        case DropReason::PolicyMismatch: c.policy_drops++; break;
        case DropReason::UnknownSpi:
        case DropReason::UnknownSa:
        case DropReason::SequenceOverflow: c.sequence_overflows++; break;
        case DropReason::WrongDirection:
        case DropReason::NotIpsec:
        case DropReason::DummyPacket:
            break;
    }
    return drop;
}

}  // namespace picsec::sadb
