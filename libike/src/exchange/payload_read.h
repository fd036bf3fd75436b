// Reading and building the payloads several exchanges share (typed decoding
// with a log line, [KE,] Nonce, RESPONDER-LIFETIME). Free of engine state, so
// tasks use them without an engine.
#pragma once

#include "picsec/ike/codec/message.h"
#include "picsec/ike/codec/payload_notify.h"
#include "picsec/ike/codec/raw_payload.h"
#include "picsec/ike/negotiation/phase2.h"

#include <spdlog/spdlog.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace picsec::ike::detail {

using Bytes = std::vector<std::uint8_t>;

/// Decodes a payload body, logging and returning nullopt on error.
template <class P, class F>
std::optional<P> typed(const codec::RawPayload* raw, F decoder, std::string_view name, spdlog::logger& log,
                       const std::string& who)
{
    if (!raw)
        return std::nullopt;
    auto r = codec::decode_body<P>(*raw, decoder, name);
    if (!r) {
        log.info("{}: {}", who, codec::to_string(r.error()));
        return std::nullopt;
    }
    return std::move(r.value());
}

/// A message's KE (absent when it has none) and Nonce data.
struct KeNonce {
    std::optional<Bytes> ke;
    Bytes nonce;
};
/// Reads [KE,] Nonce; nullopt (logged) when one is malformed, the Nonce is
/// missing, or the KE is missing and `ke_required`.
std::optional<KeNonce> read_ke_nonce(const codec::RawMessage& m, bool ke_required, spdlog::logger& log,
                                     const std::string& who);

/// N(RESPONDER-LIFETIME) naming an SA by protocol and SPI (RFC 2407 4.6.3.1).
codec::RawPayload responder_lifetime_notify(codec::ProtocolId protocol, Bytes spi, std::uint32_t seconds);
/// The lifetime the peer's RESPONDER-LIFETIME notifies announce (the last
/// one counts); malformed ones are logged and ignored.
negotiation::ResponderLifetime responder_lifetime(const codec::RawMessage& m,
                                                  spdlog::logger& log,
                                                  const std::string& who);

}  // namespace picsec::ike::detail
