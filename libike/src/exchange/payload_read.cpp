// [KE,] Nonce and RESPONDER-LIFETIME: read and built the same way by the
// phase-1 and Quick Mode tasks.
#include "payload_read.h"

#include "picsec/ike/codec/payload_ke.h"
#include "picsec/ike/codec/payload_nonce.h"
#include "picsec/ike/codec/sa_attributes.h"

#include <algorithm>

namespace picsec::ike::detail {

using codec::PayloadType;

std::optional<KeNonce> read_ke_nonce(const codec::RawMessage& m, bool ke_required, spdlog::logger& log,
                                     const std::string& who)
{
    auto nonce = typed<codec::NoncePayload>(m.find(PayloadType::Nonce), codec::decode_nonce, "Nonce", log, who);
    if (!nonce)
        return std::nullopt;
    KeNonce out{std::nullopt, std::move(nonce->data)};
    if (const auto* raw = m.find(PayloadType::KeyExchange)) {
        auto ke = typed<codec::KePayload>(raw, codec::decode_ke, "KE", log, who);
        if (!ke)
            return std::nullopt;
        out.ke = std::move(ke->data);
    } else if (ke_required) {
        return std::nullopt;
    }
    return out;
}

codec::RawPayload responder_lifetime_notify(codec::ProtocolId protocol, Bytes spi, std::uint32_t seconds)
{
    // RFC 2407 4.6.3.1: the SA is named by protocol and SPI, the data holds its life pairs.
    const codec::Lifetime life{codec::LifeType::Seconds, seconds};
    codec::NotifyPayload n;
    n.doi = codec::ipsec_doi;
    n.protocol = protocol;
    n.spi = std::move(spi);
    n.notify_type = codec::NotifyType::ResponderLifetime;
    n.data = codec::encode_responder_lifetime(std::span(&life, 1), protocol);
    return codec::make_payload(n);
}

negotiation::ResponderLifetime responder_lifetime(const codec::RawMessage& m,
                                                  spdlog::logger& log,
                                                  const std::string& who) {
    negotiation::ResponderLifetime out;
    for (std::size_t i = 0; const auto* raw = m.find(PayloadType::Notification, i); ++i) {
        auto n = codec::decode_body<codec::NotifyPayload>(*raw, codec::decode_notify, "Notify");
        if (!n || n->notify_type != codec::NotifyType::ResponderLifetime)
            continue;
        auto lifetimes = codec::decode_responder_lifetime(n->data, n->protocol);
        if (!lifetimes) {
            log.info("{}: RESPONDER-LIFETIME ignored: {}", who, codec::to_string(lifetimes.error()));
            continue;
        }
        log.info("{}: RESPONDER-LIFETIME received", who);
        if (auto s = codec::lifetime_of(*lifetimes, codec::LifeType::Seconds))
            out.seconds = static_cast<std::uint32_t>(std::min<std::uint64_t>(*s, 0xffffffffu));
        out.kilobytes = codec::lifetime_of(*lifetimes, codec::LifeType::Kilobytes);
    }
    return out;
}

}  // namespace picsec::ike::detail
