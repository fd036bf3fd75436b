// Dynamic SA installation onto an ES PIC (see sa_installer.h).
#include "picsec/pic/sa_installer.h"

#include <algorithm>

namespace picsec::pic {

Check SaInstaller::install(sadb::SaSpec inbound, sadb::SaSpec outbound) {
    inbound.dynamic = outbound.dynamic = true;
    if (auto c = m_pic.check_sa(inbound)) return c;
    if (auto c = m_pic.check_sa(outbound)) return c;
    if (auto c = m_pic.admit_dynamic()) return c;
    InstalledPair pair{inbound.name, 0, 0, inbound.spi, outbound.spi, inbound.protocol};
    auto in = m_sadb.add(std::move(inbound));
    if (!in) {
        m_pic.release_dynamic();
        return Error{"inbound", in.error().message};
    }
    auto out = m_sadb.add(std::move(outbound));
    if (!out) {
        m_sadb.remove(*in);
        m_pic.release_dynamic();
        return Error{"outbound", out.error().message};
    }
    pair.inbound = *in;
    pair.outbound = *out;
    m_pairs.push_back(pair);
    return std::nullopt;
}

bool SaInstaller::remove(std::uint32_t inbound_spi, sadb::Protocol protocol) {
    auto it = std::find_if(m_pairs.begin(), m_pairs.end(), [&](const InstalledPair& p) {
        return p.inbound_spi == inbound_spi && p.protocol == protocol;
    });
    if (it == m_pairs.end()) return false;
    m_sadb.remove(it->inbound);
    m_sadb.remove(it->outbound);
    m_pic.release_dynamic();
    m_pairs.erase(it);
    return true;
}

}  // namespace picsec::pic
