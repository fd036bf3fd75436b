// Manual SAs from a configuration model, resolved to sadb::SaSpec.
#include "manual_sas.h"

#include <ostream>

#include "picsec/config/load.h"

namespace picsec::tools {

std::optional<config::Model> load_checked_config(const std::string& path, std::ostream& err) {
    config::Result r = config::check_file(path);
    // Notes (hierarchies picsec skips) are `picsec check`'s to show.
    for (const auto& d : r.diagnostics)
        if (d.severity != config::Severity::Note) err << config::format(d) << '\n';
    if (!r.ok()) return std::nullopt;
    return std::move(r.model);
}

namespace {

/// Finds what names SA `name`: an es- unit (tunnel endpoints), a BGP neighbor
/// (transport peer) or an OSPFv3 interface.
void bind(const config::Model& model, const std::string& name, ManualSa& sa) {
    for (const auto& ifd : model.interfaces) {
        for (const auto& unit : ifd.units) {
            if (!unit.ipsec_sa || unit.ipsec_sa->name != name) continue;
            sa.binding = "interfaces " + ifd.name + " unit " + std::to_string(unit.number);
            if (unit.tunnel_source.configured) {
                sa.spec.local_address = unit.tunnel_source.value.to_uint();
                sa.local_known = true;
            }
            if (unit.tunnel_destination.configured) {
                sa.spec.peer_address = unit.tunnel_destination.value.to_uint();
                sa.peer_known = true;
            }
            return;
        }
    }
    for (const auto& group : model.bgp_groups) {
        for (const auto& neighbor : group.neighbors) {
            if (!neighbor.ipsec_sa || neighbor.ipsec_sa->name != name) continue;
            sa.binding = "protocols bgp group " + group.name + " neighbor " + neighbor.address.to_string();
            sa.spec.peer_address = neighbor.address.to_uint();
            sa.peer_known = true;
            return;
        }
    }
    for (const auto& area : model.ospf3_areas) {
        for (const auto& ifl : area.interfaces) {
            if (!ifl.ipsec_sa || ifl.ipsec_sa->name != name) continue;
            sa.binding = "protocols ospf3 area " + area.id + " interface " + ifl.name;
            return;
        }
    }
}

}  // namespace

std::vector<ManualSa> manual_sas(const config::Model& model) {
    std::vector<ManualSa> out;
    for (const auto& sa : model.security_associations) {
        for (const auto& d : sa.directions) {
            if (!d.protocol.configured || !d.spi.configured) continue;
            ManualSa m;
            m.spec.name = sa.name;
            m.spec.spi = d.spi.value;
            m.spec.auxiliary_spi = d.auxiliary_spi.configured ? d.auxiliary_spi.value : 0;
            m.spec.protocol = d.protocol.value;
            m.spec.direction = d.direction;
            m.spec.mode = sa.mode.value;
            if (d.encryption && d.encryption->algorithm.configured) {
                m.spec.encryption = d.encryption->algorithm.value;
                if (d.encryption->key) m.spec.encryption_key = d.encryption->key->value.bytes;
            }
            if (d.authentication && d.authentication->algorithm.configured) {
                m.spec.authentication = d.authentication->algorithm.value;
                if (d.authentication->key) m.spec.authentication_key = d.authentication->key->value.bytes;
            }
            m.spec.replay_window = 64;
            m.spec.extended_sequence_numbers = sa.extended_sequence_number.value;
            m.spec.dynamic = false;
            bind(model, sa.name, m);
            out.push_back(std::move(m));
        }
    }
    return out;
}

std::vector<ManualSa> manual_sas(const config::Model& model, const std::string& name) {
    std::vector<ManualSa> out;
    for (auto& m : manual_sas(model)) {
        if (m.spec.name == name) out.push_back(std::move(m));
    }
    return out;
}

std::optional<sadb::Sadb> install(const std::vector<ManualSa>& sas, std::string& error) {
    sadb::Sadb db;
    for (const auto& m : sas) {
        auto r = db.add(m.spec);
        if (!r) {
            error = "security-association " + m.spec.name + ": " + r.error().message;
            return std::nullopt;
        }
    }
    return db;
}

std::vector<sadb::SaState> states(const sadb::Sadb& db) {
    std::vector<sadb::SaState> out;
    for (auto id : db.ids()) {
        if (const auto* s = db.get(id)) out.push_back(*s);
    }
    return out;
}

}  // namespace picsec::tools
