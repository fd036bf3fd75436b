// Turns a checked configuration model into what the running daemon needs:
// the engine's policy structs, and the chassis of ES PICs that dynamic SAs
// are admitted onto.
#pragma once

#include "picsec/config/model.h"
#include "picsec/ike/config.h"
#include "picsec/pic/pic.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace picsec::tools {

/// The engine configuration for one local address, plus where each dynamic
/// SA lives.
struct DaemonPlan {
    ike::EngineConfig engine;
    /// SA name -> the es- PIC its tunnel interface is on (tunnel-mode SAs).
    std::map<std::string, pic::PicName> sa_pics;
    /// Lines explaining dynamic SAs that could not be planned (no peer, no
    /// policy); empty when everything maps.
    std::vector<std::string> problems;
    /// Dynamic SAs left out because nothing binds them yet (JUNOS commits
    /// such an SA; it is used once an es- interface or BGP neighbor names it).
    std::vector<std::string> unbound;
};

/// Builds the plan. `local` is the address the daemon speaks IKE from; when
/// absent it is the tunnel source of the es- interfaces (which must then
/// agree). `ike_port`/`nat_t_port` set the UDP ports.
DaemonPlan plan_daemon(const config::Model& model, std::optional<ike::Ipv4Address> local,
                       std::uint16_t ike_port, std::uint16_t nat_t_port);

/// Mapping of proposals onto the engine's types. Algorithms, exchange modes
/// and addresses are the same types on both sides (libbase), so they copy.
ike::negotiation::IkeProposal to_engine(const config::IkeProposal& p);
ike::negotiation::IpsecProposal to_engine(const config::IpsecProposal& p);

}  // namespace picsec::tools
