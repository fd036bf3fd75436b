// Internal: the engine's observable state as deterministic text, for the
// stateful fuzz target's oracle and its regression test ("no unauthenticated
// datagram changes the engine's state"). Not part of the public API.
#pragma once

#include "picsec/ike/engine.h"

#include <map>
#include <string>

namespace picsec::ike::detail {

/// One IKE SA as the oracle compares it: a few fields by name (for the
/// oracle's allowances) and every observable field as "name=value" lines.
struct ObservedSa {
    IkeVersion version = IkeVersion::V1;
    Role role = Role::Initiator;
    ExchangeMode mode = ExchangeMode::Main;  ///< IKEv1 only
    std::string state;   ///< lifecycle state name ("negotiating", ...)
    bool negotiating = false;  ///< phase 1 not finished (the lifecycle's Negotiating)
    bool keys = false;         ///< phase-1 keys exist (IKEv1 SKEYID_e, IKEv2 tentative or final SK_*)
    bool awaiting_init_response = false;  ///< IKEv2 initiator: IKE_SA_INIT sent, no response taken yet
    Endpoint peer;             ///< where the peer is as the SA knows it
    std::string fields;  ///< "name=value\n" lines, in a fixed order
};

/// Everything an outside party could make the engine change.
///
/// Covered: per IKE SA its cookies, role, mode, lifecycle state, endpoints
/// (NAT-T float), phase-1 material, keys (presence), the IV chain, the
/// retransmitter, the reply cache, the last request accepted, completed
/// message IDs, Quick Modes in flight, NAT-T/DPD flags and counters, every
/// deadline; per IKEv2 SA its SPIs, role, lifecycle state, endpoints
/// (float, NAT detected), the message-ID window (next request ID, the
/// peer's next ID, the retransmitter and its outstanding ID, the reply
/// cache, queued requests), the IKE_SA_INIT/IKE_AUTH task's material, the
/// keys (presence) and what IKE_AUTH established; engine-wide the clock, the half-open and rekeying indexes, the
/// installed IPsec SAs and the peers sent INITIAL-CONTACT.
///
/// Left out, on purpose: IkeSa::last_drop and the IKEv2 SA's drop_note (why
/// the last datagram was dropped: a diagnostic that a dropped datagram is
/// allowed to set), the
/// 0.0.0.0 policy's first-message rate table (a counter of first messages),
/// the engine's next serial number (a counter) and the cached log name.
/// Secrets appear as presence and size only, never their bytes.
struct ObservedState {
    std::map<std::string, ObservedSa> ike_sas;    ///< by "serial/icookie" (IKEv1) or "serial/SPIi" (IKEv2)
    std::map<std::string, std::string> engine;     ///< engine-wide items by name
};

/// The first difference between two observations, as "what: before -> after";
/// empty when they are equal.
std::string first_difference(const ObservedState& before, const ObservedState& after);

/// The IKE SA entries that differ (added, removed or changed), by key.
std::map<std::string, std::string> changed_sas(const ObservedState& before, const ObservedState& after);

}  // namespace picsec::ike::detail
