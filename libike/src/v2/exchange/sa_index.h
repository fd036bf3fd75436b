// Indexes over the engine's IKEv2 SA table (keyed by our SPI): what a
// datagram or a tick looks up costs log n, not a walk of the table.
#pragma once

#include "picsec/ike/v2/header.h"

#include <cstdint>
#include <map>
#include <optional>
#include <utility>

namespace picsec::ike::detail::v2 {

/// The live IKEv2 SAs by serial, the responder SAs by the initiator's SPI and
/// address (RFC 7296 2.1: a repeated IKE_SA_INIT request is answered from the
/// SA it created), and the half-open responder SAs, counted in all and per
/// peer address (RFC 7296 2.6: cookies and the half-open limits). An SA
/// leaves the lookups when it dies and the index when it is reaped.
class SaIndex {
public:
    using Spi = ike::v2::IkeSpi;

    /// A new SA under our SPI `ours`; a responder SA starts half-open.
    void add(const Spi& ours, std::uint64_t serial, bool responder, const Spi& spi_i, std::uint32_t peer)
    {
        m_entries[ours] = Entry{serial, responder, spi_i, peer, false};
        m_by_serial[serial] = ours;
        if (responder) {
            m_by_init[{spi_i, peer}] = ours;
            set_half_open(ours, true);
        }
    }
    /// A responder SA is half-open until it is established or dies.
    void set_half_open(const Spi& ours, bool half_open)
    {
        const auto it = m_entries.find(ours);
        if (it == m_entries.end() || !it->second.responder || it->second.half_open == half_open)
            return;
        it->second.half_open = half_open;
        auto& per_peer = m_half_open_per_peer[it->second.peer];
        if (half_open) {
            ++m_half_open;
            ++per_peer;
        } else {
            --m_half_open;
            if (--per_peer == 0)
                m_half_open_per_peer.erase(it->second.peer);
        }
    }
    /// The SA died: no lookup finds it any more.
    void dead(const Spi& ours)
    {
        const auto it = m_entries.find(ours);
        if (it == m_entries.end())
            return;
        set_half_open(ours, false);
        const Entry& e = it->second;
        if (auto s = m_by_serial.find(e.serial); s != m_by_serial.end() && s->second == ours)
            m_by_serial.erase(s);
        if (auto i = m_by_init.find({e.spi_i, e.peer}); i != m_by_init.end() && i->second == ours)
            m_by_init.erase(i);
    }
    /// The SA left the table.
    void remove(const Spi& ours)
    {
        dead(ours);
        m_entries.erase(ours);
    }

    /// Our SPI of the live responder SA that IKE_SA_INIT with `spi_i` from `peer` created.
    std::optional<Spi> responder_for(const Spi& spi_i, std::uint32_t peer) const
    {
        const auto it = m_by_init.find({spi_i, peer});
        return it == m_by_init.end() ? std::nullopt : std::optional<Spi>(it->second);
    }
    /// Our SPI of the live SA with this serial.
    std::optional<Spi> by_serial(std::uint64_t serial) const
    {
        const auto it = m_by_serial.find(serial);
        return it == m_by_serial.end() ? std::nullopt : std::optional<Spi>(it->second);
    }
    std::size_t half_open() const { return m_half_open; }
    std::size_t half_open_from(std::uint32_t peer) const
    {
        const auto it = m_half_open_per_peer.find(peer);
        return it == m_half_open_per_peer.end() ? 0 : it->second;
    }

private:
    struct Entry {
        std::uint64_t serial = 0;
        bool responder = false;
        Spi spi_i{};
        std::uint32_t peer = 0;
        bool half_open = false;
    };
    std::map<Spi, Entry> m_entries;
    std::map<std::uint64_t, Spi> m_by_serial;
    std::map<std::pair<Spi, std::uint32_t>, Spi> m_by_init;
    std::map<std::uint32_t, std::size_t> m_half_open_per_peer;
    std::size_t m_half_open = 0;
};

}  // namespace picsec::ike::detail::v2
