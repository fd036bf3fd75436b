// Installs dynamic SA pairs negotiated by IKE onto one ES PIC: the PIC's
// admission limit and algorithm table are checked first, then both halves go
// into the SADB, or neither does.
#pragma once

#include "picsec/pic/error.h"
#include "picsec/pic/pic.h"
#include "picsec/sadb/sadb.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace picsec::pic {

/// One installed dynamic SA: the SADB ids of its inbound and outbound halves.
struct InstalledPair {
    std::string name;
    sadb::SaId inbound = 0;
    sadb::SaId outbound = 0;
    std::uint32_t inbound_spi = 0;
    std::uint32_t outbound_spi = 0;
    sadb::Protocol protocol = sadb::Protocol::Esp;
};

/// The PIC side of dynamic SA installation. One dynamic SA (an inbound and an
/// outbound half) takes one admission slot of the PIC.
class SaInstaller {
public:
    SaInstaller(Pic& pic, sadb::Sadb& sadb) : m_pic(pic), m_sadb(sadb) {}

    /// Checks each half against the PIC (Pic::check_sa: protocol, mode,
    /// algorithms, keys, replay window), admits one dynamic SA on the PIC,
    /// then adds both halves. On any
    /// refusal nothing stays installed and the PIC count is unchanged.
    Check install(sadb::SaSpec inbound, sadb::SaSpec outbound);

    /// Removes the pair whose inbound SPI and protocol match; false when none.
    bool remove(std::uint32_t inbound_spi, sadb::Protocol protocol);

    const std::vector<InstalledPair>& installed() const { return m_pairs; }
    Pic& pic() { return m_pic; }
    sadb::Sadb& sadb() { return m_sadb; }

private:
    Pic& m_pic;
    sadb::Sadb& m_sadb;
    std::vector<InstalledPair> m_pairs;
};

}  // namespace picsec::pic
