// Reading an Informational message (RFC 2409 5.7, RFC 2408 3.14/3.15, RFC
// 3706): the rules for unprotected notifies, HASH(1), then each Notify and
// Delete in order.
#include "informational_task.h"

#include "message_rules.h"
#include "payload_read.h"

#include "picsec/ike/codec/payload_delete.h"
#include "picsec/ike/codec/payload_hash.h"
#include "picsec/ike/crypto/phase2.h"

#include <algorithm>

namespace picsec::ike::detail {

using codec::ExchangeType;
using codec::PayloadType;

namespace {

std::uint32_t be32(std::span<const std::uint8_t> b)
{
    return b.size() < 4 ? 0
                        : (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) | (std::uint32_t{b[2]} << 8) | b[3];
}

// Only an error Notify, only while phase 1 is unauthenticated (RFC 2408 4.8).
InformationalOutcome read_unprotected(const InformationalContext& ctx, const codec::RawMessage& m)
{
    InformationalOutcome out;
    if (check(*find_rule(ExchangeType::Informational, 2), m) || !ctx.negotiating)
        return out;
    for (std::size_t i = 0; const auto* raw = m.find(PayloadType::Notification, i); ++i) {
        auto n = typed<codec::NotifyPayload>(raw, codec::decode_notify, "Notify", ctx.log, ctx.who);
        if (!n || !codec::is_error(n->notify_type))
            continue;
        // Anyone can send a notify in the clear. Once keys exist the peer
        // can protect it, and before that only the peer's own endpoint is
        // heard: otherwise it is logged and the exchange goes on.
        const auto why = ctx.has_keys   ? "phase 1 keys exist, so the peer would protect it"
                         : !ctx.from_peer ? "it comes from another port than the peer's"
                                          : nullptr;
        if (why) {
            ctx.log.warn("{}: <-- unprotected N({}) from {} ignored: {}", ctx.who, codec::to_string(n->notify_type),
                         ctx.from, why);
            out.drop_cause = DropCause::UnprotectedNotify;
            return out;
        }
        ctx.log.warn("{}: <-- unprotected N({})", ctx.who, codec::to_string(n->notify_type));
        out.accepted = true;
        out.phase1_refused = n->notify_type;
        return out;
    }
    return out;
}

}  // namespace

InformationalOutcome read_informational(const InformationalContext& ctx, const codec::RawMessage& m)
{
    if (!m.header.encryption)
        return read_unprotected(ctx, m);
    InformationalOutcome out;
    if (!ctx.has_keys)
        return out;
    if (auto err = check(*find_rule(ExchangeType::Informational, 1), m)) {
        ctx.log.info("{}: {}, dropped", ctx.who, codec::to_string(*err));
        return out;
    }
    auto hash = typed<codec::HashPayload>(m.find(PayloadType::Hash), codec::decode_hash, "HASH", ctx.log, ctx.who);
    if (!hash)
        return out;
    const auto expect = crypto::informational_hash(
        ctx.prf, ctx.skeyid_a, m.header.message_id,
        codec::encode_chain(std::vector<codec::RawPayload>(m.payloads.begin() + 1, m.payloads.end())));
    if (!crypto::constant_time_equal(expect, hash->data)) {
        ctx.log.warn("{}: HASH(1) does not verify, dropped", ctx.who);
        return out;
    }
    out.accepted = true;
    Bytes ours(ctx.cky_i.begin(), ctx.cky_i.end());
    ours.insert(ours.end(), ctx.cky_r.begin(), ctx.cky_r.end());
    for (const auto& p : m.payloads) {
        if (p.type == PayloadType::Notification) {
            auto n = typed<codec::NotifyPayload>(&p, codec::decode_notify, "Notify", ctx.log, ctx.who);
            if (!n)
                continue;
            ctx.log.info("{}: <-- N({})", ctx.who, codec::to_string(n->notify_type));
            if (n->notify_type == codec::NotifyType::RUThere) {
                out.dpd_requests.push_back(n->data);
            } else if (n->notify_type == codec::NotifyType::RUThereAck) {
                out.dpd_ack = true;
            } else if (codec::is_error(n->notify_type) && ctx.negotiating) {
                // A protected refusal of phase 1, e.g. of our certificate after message 5.
                out.phase1_refused = n->notify_type;
                return out;
            } else if (codec::is_error(n->notify_type)) {
                // A refusal of one of our Quick Modes, named by the SPI we offered.
                out.quick_mode_refused.push_back(QuickModeRefused{be32(n->spi), n->notify_type});
            }
        } else if (p.type == PayloadType::Delete) {
            auto d = typed<codec::DeletePayload>(&p, codec::decode_delete, "Delete", ctx.log, ctx.who);
            if (!d)
                continue;
            if (d->protocol == codec::ProtocolId::Isakmp) {
                // RFC 2408 3.15: the SPI of an ISAKMP SA is its cookie pair; a
                // Delete naming other cookies is not about this SA.
                if (std::find(d->spis.begin(), d->spis.end(), ours) == d->spis.end()) {
                    ctx.log.warn("{}: <-- D(ISAKMP) names other cookies than this SA's, ignored", ctx.who);
                    continue;
                }
                ctx.log.info("{}: <-- D(ISAKMP): peer deleted the IKE SA", ctx.who);
                out.delete_ike = true;
                return out;
            }
            for (const auto& s : d->spis)
                out.deleted_spis.push_back(be32(s));
        }
    }
    return out;
}

}  // namespace picsec::ike::detail
