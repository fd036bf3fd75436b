// The SA database: installs SAs with unique (SPI, protocol) per direction,
// tracks counters and lifetimes, and protects / unprotects IPv4 packets with
// ESP (RFC 4303), AH (RFC 4302), the AH-over-ESP bundle and RFC 3948 UDP
// encapsulation. No I/O, no clock, no threads: the caller drives it.
#pragma once

#include <botan/rng.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "picsec/sadb/drop.h"
#include "picsec/base/expected.h"
#include "picsec/sadb/replay_window.h"
#include "picsec/sadb/sa.h"
#include "picsec/sadb/sa_crypto.h"

namespace picsec::sadb {

/// Identifies an installed SA; never reused within one Sadb.
using SaId = std::uint64_t;

/// Why add() refused a spec.
struct AddError {
    enum class Code {
        InvalidSpec,   ///< validate() failed
        DuplicateSpi,  ///< (SPI, protocol) already taken in that direction
        Crypto,        ///< Botan could not create an algorithm
    };
    Code code;
    std::string message;
};

/// One leg of an SA (the ESP or the AH part): SPI, outbound sequence number
/// and inbound anti-replay window.
struct LegState {
    std::uint32_t spi = 0;
    std::uint64_t last_sequence_sent = 0;  ///< 64-bit with ESN
    ReplayWindow window;
};

/// Everything the SADB knows about one SA, for `show` and tests.
struct SaState {
    SaId id = 0;
    SaSpec spec;
    SaCounters counters;
    LifetimeState lifetime;
    LegState primary;                  ///< under spec.spi: AH for ah and bundle, ESP for esp
    std::optional<LegState> auxiliary; ///< bundle only: ESP under spec.auxiliary_spi
};

enum class ExpiryKind { Soft, Hard };
enum class ExpiryCause { Seconds, Bytes };
std::string_view to_string(ExpiryKind k);
std::string_view to_string(ExpiryCause c);

/// A soft or hard lifetime expiry, reported by Sadb::tick(). A soft expiry
/// asks the owner to rekey; a hard expiry means the SA has been removed.
struct LifetimeEvent {
    SaId id = 0;
    std::string name;
    std::uint32_t spi = 0;
    Protocol protocol = Protocol::Esp;
    Direction direction = Direction::Inbound;
    bool dynamic = false;
    ExpiryKind kind = ExpiryKind::Soft;
    ExpiryCause cause = ExpiryCause::Seconds;
};

/// An inbound packet with IPsec removed.
struct Unprotected {
    std::vector<std::uint8_t> packet;  ///< the inner IPv4 packet
    SaId sa = 0;
    std::uint32_t spi = 0;             ///< the outermost SPI (AH SPI of a bundle)
    Protocol protocol = Protocol::Esp;
};

/// One packet's outcome in a batch call. The vectors of a BatchPacket keep
/// their capacity from one batch to the next, so a caller that passes the
/// same result vector again processes packets without allocating.
struct BatchPacket {
    std::vector<std::uint8_t> packet;  ///< the protected packet, or the inner packet; empty when dropped
    std::optional<Drop> drop;          ///< why the packet was dropped; unset when it was accepted
    SaId sa = 0;                       ///< unprotect: the SA that accepted it
    std::uint32_t spi = 0;             ///< unprotect: the outermost SPI
    Protocol protocol = Protocol::Esp; ///< unprotect: the SA's protocol
};

/// Drops that could not be charged to an SA.
struct SadbCounters {
    std::uint64_t unknown_spi = 0;
    std::uint64_t malformed = 0;
    std::uint64_t not_ipsec = 0;
};

/// The SA database. Single-threaded; packet processing mutates counters,
/// sequence numbers and the Botan objects' state.
class Sadb {
public:
    Sadb();
    ~Sadb();
    Sadb(Sadb&&) noexcept;
    Sadb& operator=(Sadb&&) noexcept;
    Sadb(const Sadb&) = delete;
    Sadb& operator=(const Sadb&) = delete;

    /// Installs an SA at the time of the last tick(). A bidirectional SA
    /// occupies the inbound and outbound slots of its (SPI, protocol); a
    /// bundle occupies (spi, AH) and (auxiliary_spi, ESP).
    Expected<SaId, AddError> add(SaSpec spec);
    /// Removes an SA; false when the id is not installed.
    bool remove(SaId id);

    /// All SAs with this name (an Inbound and an Outbound one for a dynamic
    /// SA, more during a rekey), in installation order.
    std::vector<SaId> find_by_name(std::string_view name) const;
    /// The newest SA with this name that can protect (Outbound or Bidirectional).
    std::optional<SaId> find_outbound(std::string_view name) const;
    /// The SA in the given direction's slot of (spi, protocol). Protocol::Bundle
    /// looks for the AH SPI of a bundle; Direction::Bidirectional finds only a
    /// bidirectional SA.
    std::optional<SaId> find(std::uint32_t spi, Protocol protocol, Direction direction) const;

    /// Sets the last sequence number sent on the SA's legs, as if that many
    /// packets had gone out: for testing the 2^32 - 1 limit (RFC 4303 3.3.3,
    /// RFC 4106 3.1), the 2^64 - 1 limit with ESN and the 2^32 boundary without sending 4 billion packets. False when not installed.
    bool set_last_sequence_sent(SaId id, std::uint64_t last_sent);

    /// The SA's state, or nullptr when not installed.
    const SaState* get(SaId id) const;
    /// Installed SA ids in ascending order, for `show`.
    std::vector<SaId> ids() const;
    std::size_t size() const { return m_sas.size(); }
    const SadbCounters& counters() const { return m_counters; }

    /// Advances the clock (seconds, caller's epoch). Reports soft expiries once
    /// each, and hard expiries (by seconds, or by bytes since the last tick),
    /// removing hard-expired SAs.
    std::vector<LifetimeEvent> tick(std::uint64_t now_seconds);
    std::uint64_t now() const { return m_now; }

    /// Protects an IPv4 packet with an outbound or bidirectional SA. Transport
    /// mode keeps the IPv4 header (protocol, total length, checksum fixed up);
    /// tunnel mode adds an outer header local_address -> peer_address.
    /// rng keys the SA's CBC IV generator on its first packet (see
    /// SaCrypto::next_iv); later packets do not call it.
    Expected<std::vector<std::uint8_t>, Drop> protect(SaId id, std::span<const std::uint8_t> packet,
                                                      Botan::RandomNumberGenerator& rng);
    /// Protects with find_outbound(name).
    Expected<std::vector<std::uint8_t>, Drop> protect(std::string_view name, std::span<const std::uint8_t> packet,
                                                      Botan::RandomNumberGenerator& rng);

    /// Finds the inbound SA by the packet's SPI (ESP protocol 50, AH 51, or
    /// UDP-encapsulated ESP on port 4500 or an SA's local NAT-T port),
    /// checks replay, verifies the ICV, records the sequence number, decrypts
    /// and returns the inner IPv4 packet. Transport mode over UDP fixes the
    /// inner TCP/UDP checksum for the NAT-OA addresses (nat_t.h).
    Expected<Unprotected, Drop> unprotect(std::span<const std::uint8_t> packet);

    /// protect() of each packet in order with one SA: results[i] is the
    /// outcome of packets[i], exactly as one protect() call per packet would
    /// give (same sequence numbers, counters and drops). results is resized
    /// to packets.size(); its buffers are reused. Returns the packets protected.
    std::size_t protect_batch(SaId id, std::span<const std::span<const std::uint8_t>> packets,
                              Botan::RandomNumberGenerator& rng, std::vector<BatchPacket>& results);
    /// unprotect() of each packet in order: a dropped packet (forged, replayed,
    /// malformed) is counted as unprotect() counts it and does not affect the
    /// others. results is resized to packets.size(); its buffers are reused.
    /// Returns the packets accepted.
    std::size_t unprotect_batch(std::span<const std::span<const std::uint8_t>> packets,
                                std::vector<BatchPacket>& results);

private:
    struct Record;
    struct SlotKey {
        std::uint32_t spi;
        bool ah;
        bool inbound;
        auto operator<=>(const SlotKey&) const = default;
    };

    Record* record(SaId id);
    /// Files the record under its next seconds-lifetime deadline (not at all
    /// when it has no seconds lifetime left to report).
    void schedule(Record& r);
    Drop charge(Record& r, Drop drop);
    void account(Record& r, std::size_t inner_bytes, bool inbound);
    /// protect() into out (its capacity reused); the drop, or nothing.
    std::optional<Drop> protect_into(SaId id, std::span<const std::uint8_t> packet,
                                     Botan::RandomNumberGenerator& rng, std::vector<std::uint8_t>& out);
    /// unprotect() into result (result.packet's capacity reused).
    std::optional<Drop> unprotect_into(std::span<const std::uint8_t> packet, BatchPacket& result);
    /// Verifies and decrypts the ESP at esp_at into out: the IPv4 header with
    /// the ESP payload, or with strip_outer (tunnel mode) the inner packet alone.
    std::optional<Drop> unprotect_esp(Record& r, std::span<const std::uint8_t> packet, std::size_t ip_header_bytes,
                                      std::size_t esp_at, std::vector<std::uint8_t>& out, bool strip_outer);
    /// Tunnel mode: removes the outer header unless already stripped, checks
    /// the inner one; then counts the packet.
    std::optional<Drop> finish_inbound(Record& r, std::vector<std::uint8_t>& packet, bool outer_stripped);

    std::map<SaId, std::unique_ptr<Record>> m_sas;
    std::map<SlotKey, SaId> m_slots;
    std::vector<LifetimeEvent> m_pending;
    /// Min-heap of (second, SA) of every SA's next seconds-lifetime event:
    /// tick() visits only the SAs that are due, not every SA. Entries of
    /// removed SAs stay until they come due and are then skipped (16 bytes
    /// each, no node per SA).
    std::vector<std::pair<std::uint64_t, SaId>> m_deadlines;
    /// SAs hard-expired by bytes since the last tick (removed by tick()).
    std::vector<SaId> m_byte_expired;
    SadbCounters m_counters;
    std::uint64_t m_now = 0;
    SaId m_next_id = 1;
};

}  // namespace picsec::sadb
