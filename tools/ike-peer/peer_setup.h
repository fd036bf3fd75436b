// ike-peer's view of one negotiation: the engine configuration for our side,
// which SA to bring up, and with whom; built from command-line options or
// from a JUNOS configuration file.
#pragma once

#include "picsec/ike/config.h"
#include "picsec/ike/snapshot.h"

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace picsec::tools::peer {

/// What one ike-peer negotiation uses.
struct PeerSetup {
    ike::EngineConfig engine;       ///< local.port 0 = an ephemeral source port
    ike::Role role = ike::Role::Initiator;
    ike::Endpoint peer{{}, 500};
    std::string sa_name = "ike-peer";  ///< the IPsec SA brought up (initiator)
};

/// Parses "3des-cbc/sha1/group2[/LIFETIME]" (several separated by commas)
/// into phase-1 proposals; the error names the bad word.
std::optional<std::vector<ike::negotiation::IkeProposal>> parse_ike_proposals(const std::string& text, std::string& error);
/// Parses "esp:3des-cbc/hmac-sha1-96", "ah:hmac-sha1-96",
/// "bundle:3des-cbc/hmac-sha1-96" (commas between several; "esp:" may be left out).
std::optional<std::vector<ike::negotiation::IpsecProposal>> parse_ipsec_proposals(const std::string& text,
                                                                                  std::string& error);
/// "ADDR" or "ADDR:PORT".
std::optional<ike::Endpoint> parse_endpoint(const std::string& text, std::uint16_t default_port);

/// The phase-1 identity (IkePolicy::local_id) SA number `n` (from 1) of a
/// load run sends with --identity-per-sa, derived from `base`: an FQDN
/// "ike-peer.test" gives "load-17.ike-peer.test", a user@fqdn
/// "lab@ike-peer.test" gives "lab-17@ike-peer.test", an address 10.1.0.0
/// gives 10.1.0.17 (the base plus n). Empty, with `error` set, for a DN
/// base, an address past 255.255.255.255 or a name longer than 255 bytes.
std::optional<std::string> identity_for_sa(const std::string& base, std::size_t n, std::string& error);

/// Text of a phase-1 proposal: "3des-cbc/sha1/group2/pre-shared-keys lifetime 3600 s".
std::string describe(const ike::negotiation::IkeProposal& p);
/// Text of a phase-2 proposal: "esp 3des-cbc/hmac-sha1-96 lifetime 28800 s".
std::string describe(const ike::negotiation::IpsecProposal& p);

}  // namespace picsec::tools::peer
