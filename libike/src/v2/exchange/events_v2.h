// IKEv2 messages as Callbacks::message_sent / message_received events: the
// summary in RFC 7296's notation ("HDR, SAi1, KEi, Ni, N(COOKIE)",
// "HDR, SK {IDi, AUTH, SAi2, TSi, TSr}"). Observational only: building an
// event changes no state.
#pragma once

#include "protection.h"

#include "picsec/ike/callbacks.h"

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace picsec::ike::detail::v2 {

/// "HDR, SAi1, KEi, Ni, N(NAT_DETECTION_SOURCE_IP)" or, for a protected
/// message, "HDR, SK {IDi, AUTH, SAi2, TSi, TSr}". The i/r suffixes follow
/// the exchange's direction (RFC 7296 1.2-1.4: i in requests, r in
/// responses); SA is SAi1/SAr1 in IKE_SA_INIT, SAi2/SAr2 in IKE_AUTH and
/// plain SA in CREATE_CHILD_SA.
std::string message_summary(const c2::Header& h, std::span<const c2::Payload> payloads, bool encrypted);

/// The event for one message: SPIi/SPIr in the cookie fields, the exchange
/// name, message ID, the encrypted flag (SK or SKF) and `length` bytes.
MessageEvent message_event(const Endpoint& local, const Endpoint& peer, const c2::Header& h, std::size_t length,
                           std::span<const c2::Payload> payloads, bool encrypted);

/// The payloads of an unprotected message as the exchanges read it
/// (RFC 7296 2.5: unknown non-critical payloads skipped); nullopt when the
/// chain or a known or critical payload does not decode.
std::optional<std::vector<c2::Payload>> read_plain(const c2::Header& h, std::span<const std::uint8_t> raw);

/// The event for a message we built, read back from its bytes: IKE_SA_INIT
/// decoded, SK{} opened with our own direction's keys (`keys`; null: not
/// protected). nullopt when it does not read (never for our own messages).
std::optional<MessageEvent> sent_event(const Endpoint& local, const Endpoint& peer,
                                       std::span<const std::uint8_t> bytes, const SaKeys* keys);
/// As above for a message sent as one or more datagrams: RFC 7383
/// fragments are reassembled with our own keys, and `length` is the sum of
/// the datagrams.
std::optional<MessageEvent> sent_event(const Endpoint& local, const Endpoint& peer, const Datagrams& datagrams,
                                       const SaKeys* keys);

}  // namespace picsec::ike::detail::v2
