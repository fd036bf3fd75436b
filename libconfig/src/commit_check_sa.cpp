// Commit check of security-association statements: manual SA shape, keys,
// SPIs (range and uniqueness per protocol), PIC and mode restrictions, and
// the dynamic stanza. The rules themselves are libpic's (validate.h).
#include <map>
#include <utility>

#include "check_context.h"

namespace picsec::config {
namespace {

using sadb::Protocol;

template <typename Algorithm>
void check_transform(CheckContext& ctx, const ManualTransform<Algorithm>& t, const std::string& what) {
    if (!t.algorithm.configured) {
        ctx.error(t.origin, what + " algorithm is missing, needs algorithm and key");
        return;
    }
    ctx.report(t.algorithm.origin, pic::check_manual_algorithm(ctx.platform, t.algorithm.value));
    if (!t.key) {
        ctx.error(t.origin, what + " key is missing, needs key ascii-text KEY or key hexadecimal KEY");
        return;
    }
    const Key& key = t.key->value;
    if (ctx.report(t.key->origin, pic::check_key_text(t.algorithm.value, key.encoding, key.characters))) return;
    ctx.report(t.key->origin, pic::check_key(t.algorithm.value, key.bytes));
}

void check_direction(CheckContext& ctx, const SecurityAssociation& sa, const ManualDirection& d) {
    if (!d.protocol.configured) {
        ctx.error(d.origin, "protocol is missing, needs protocol ah, esp or bundle");
        return;
    }
    const Protocol protocol = d.protocol.value;
    ctx.report(d.protocol.origin, pic::check_protocol_on_platform(ctx.platform, protocol));
    ctx.report(d.protocol.origin, pic::check_mode_protocol(ctx.platform, sa.mode.value, protocol));

    if (!d.spi.configured)
        ctx.error(d.origin, "spi is missing, needs spi " + std::to_string(ctx.platform.spi_min) + ".." +
                                std::to_string(ctx.platform.spi_max));
    else
        ctx.report(d.spi.origin, pic::check_spi(ctx.platform, d.spi.value, pic::SpiKind::Spi));
    const Origin& aux_at = d.auxiliary_spi.configured ? d.auxiliary_spi.origin : d.origin;
    if (!ctx.report(aux_at, pic::check_auxiliary_spi_presence(protocol, d.auxiliary_spi.configured)) &&
        d.auxiliary_spi.configured)
        ctx.report(aux_at, pic::check_spi(ctx.platform, d.auxiliary_spi.value, pic::SpiKind::AuxiliarySpi));

    if (d.encryption) ctx.report(d.encryption->origin, pic::check_encryption_with_protocol(protocol, true));
    switch (protocol) {
        case Protocol::Ah:
            if (!d.authentication) ctx.error(d.origin, "protocol ah needs authentication { algorithm A; key K; }");
            break;
        case Protocol::Esp:
            if (!d.authentication && !d.encryption)
                ctx.error(d.origin, "protocol esp needs encryption, authentication or both");
            break;
        case Protocol::Bundle:
            if (!d.authentication)
                ctx.error(d.origin, "protocol bundle needs authentication { algorithm A; key K; } for its AH SA");
            if (!d.encryption)
                ctx.error(d.origin, "protocol bundle needs encryption { algorithm A; key K; } for its ESP SA");
            break;
    }
    if (d.authentication) check_transform(ctx, *d.authentication, "authentication");
    if (d.encryption && protocol != Protocol::Ah) check_transform(ctx, *d.encryption, "encryption");
}

// RFC 4303 2.2.1: the high half of an extended sequence number is only
// carried in the ICV, so an ESN SA needs one (and no bundle, see sadb::validate).
void check_manual_esn(CheckContext& ctx, const SecurityAssociation& sa, const ManualDirection& d) {
    if (!d.protocol.configured) return;
    if (d.protocol.value == Protocol::Bundle)
        ctx.error(sa.extended_sequence_number.origin,
                  "extended-sequence-number is not supported with protocol bundle, needs esp or ah");
    else if (d.protocol.value == Protocol::Esp && !d.authentication)
        ctx.error(sa.extended_sequence_number.origin,
                  "extended-sequence-number needs authentication { algorithm A; key K; } (the ICV covers the "
                  "sequence number's high half, RFC 4303 2.2.1)");
}

void check_manual(CheckContext& ctx, const SecurityAssociation& sa) {
    if (sa.directions.empty()) {
        ctx.error(*sa.manual, "manual SA needs a direction (inbound, outbound or bidirectional)");
        return;
    }
    const ManualDirection* bidirectional = nullptr;
    const ManualDirection* one_way = nullptr;
    for (const auto& d : sa.directions) {
        (d.direction == sadb::Direction::Bidirectional ? bidirectional : one_way) = &d;
        check_direction(ctx, sa, d);
        if (sa.extended_sequence_number.value) check_manual_esn(ctx, sa, d);
    }
    if (bidirectional && one_way)
        ctx.error(one_way->origin, "direction " + std::string(sadb::to_string(one_way->direction)) +
                                       " cannot be combined with direction bidirectional (at " +
                                       where(bidirectional->origin) + ")");
}

void check_dynamic(CheckContext& ctx, const SecurityAssociation& sa) {
    const DynamicSa& d = *sa.dynamic;
    if (d.replay_window_size.configured)
        ctx.report(d.replay_window_size.origin, pic::check_replay_window(ctx.platform, d.replay_window_size.value));
    if (!d.ipsec_policy.configured) {
        ctx.error(d.origin, "dynamic SA needs ipsec-policy NAME");
        return;
    }
    const IpsecPolicy* policy = ctx.find_ipsec_policy(d.ipsec_policy.value);
    if (!policy) {
        ctx.error(d.ipsec_policy.origin, "ipsec-policy " + d.ipsec_policy.value +
                                             " does not exist, needs a security ipsec policy " + d.ipsec_policy.value);
        return;
    }
    for (const auto& ref : policy->proposals)
        if (const IpsecProposal* p = ctx.find_ipsec_proposal(ref.name))
            if (auto e = pic::check_mode_protocol(ctx.platform, sa.mode.value, p->protocol.value))
                ctx.error(d.ipsec_policy.origin, "ipsec-policy " + policy->name + " proposal " + p->name + ": " + e->message);
}

// RFC 4301 4.1: an inbound SA is found by SPI and protocol, so two manual SAs
// may not share an SPI for the same protocol (a bundle uses its SPI for AH and
// its auxiliary SPI for ESP).
void check_spi_uniqueness(CheckContext& ctx) {
    struct First {
        const SecurityAssociation* sa;
        Origin origin;
    };
    std::map<std::pair<Protocol, std::uint32_t>, First> seen;
    auto claim = [&](const SecurityAssociation& sa, Protocol p, const Setting<std::uint32_t>& spi, const char* what) {
        if (!spi.configured) return;
        auto [it, inserted] = seen.emplace(std::make_pair(p, spi.value), First{&sa, spi.origin});
        if (inserted || it->second.sa == &sa) return;
        ctx.error(spi.origin, std::string(what) + " " + std::to_string(spi.value) + " for " +
                                  std::string(sadb::to_string(p)) + " is already used by security-association " +
                                  it->second.sa->name + " at " + where(it->second.origin) +
                                  "; two manual SAs need different SPIs for the same protocol");
    };
    for (const auto& sa : ctx.model.security_associations)
        for (const auto& d : sa.directions) {
            if (!d.protocol.configured) continue;
            switch (d.protocol.value) {
                case Protocol::Ah: claim(sa, Protocol::Ah, d.spi, "spi"); break;
                case Protocol::Esp: claim(sa, Protocol::Esp, d.spi, "spi"); break;
                case Protocol::Bundle:
                    claim(sa, Protocol::Ah, d.spi, "spi");
                    claim(sa, Protocol::Esp, d.auxiliary_spi, "auxiliary-spi");
                    break;
            }
        }
}

}  // namespace

void check_security_associations(CheckContext& ctx) {
    for (const auto& sa : ctx.model.security_associations) {
        if (!sa.manual && !sa.dynamic) {
            ctx.error(sa.origin, "security-association " + sa.name + " is neither manual nor dynamic, needs one of them");
            continue;
        }
        if (sa.manual && sa.dynamic) {
            ctx.error(sa.dynamic->origin, "security-association " + sa.name +
                                              " is both manual (at " + where(*sa.manual) + ") and dynamic, needs one of them");
            continue;
        }
        // Each PIC whose interface names the SA must be able to install it.
        for (const pic::PlatformModel* m : ctx.models_for_sa(sa.name)) {
            CheckContext on_pic = ctx.with(*m);
            if (sa.extended_sequence_number.value)
                on_pic.report(sa.extended_sequence_number.origin,
                              pic::check_extended_sequence_numbers(on_pic.platform, true));
            if (sa.manual) check_manual(on_pic, sa);
            if (sa.dynamic) check_dynamic(on_pic, sa);
        }
    }
    check_spi_uniqueness(ctx);
}

}  // namespace picsec::config
