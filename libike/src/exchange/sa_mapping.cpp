// SA payload <-> negotiation offer mapping.
#include "sa_mapping.h"

#include "picsec/ike/codec/attributes.h"

namespace picsec::ike::detail {

namespace {

codec::DataAttribute basic(std::uint16_t type, std::uint16_t v) { return codec::DataAttribute{type, v}; }

// Life Duration as TV when it fits, else a 4- or 8-byte TLV (RFC 2408 3.3).
codec::DataAttribute duration(std::uint16_t type, std::uint64_t v)
{
    if (v <= 0xffff)
        return basic(type, static_cast<std::uint16_t>(v));
    std::vector<std::uint8_t> b;
    const int n = v > 0xffffffffULL ? 8 : 4;
    for (int i = n - 1; i >= 0; --i)
        b.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
    return codec::DataAttribute{type, b};
}

std::optional<std::uint64_t> value_of(const codec::DataAttribute& a)
{
    if (a.is_basic())
        return std::get<0>(a.value);
    const auto& b = std::get<1>(a.value);
    if (b.empty() || b.size() > 8)
        return std::nullopt;
    std::uint64_t v = 0;
    for (auto x : b)
        v = (v << 8) | x;
    return v;
}

codec::DecodeError bad(std::string what)
{
    return codec::DecodeError{codec::NotifyType::BadProposalSyntax, "SA", "attribute", std::move(what)};
}

}  // namespace

codec::SaPayload to_sa_payload(const negotiation::Phase1Offer& offer)
{
    using A = codec::IkeAttribute;
    codec::Proposal p;
    p.number = offer.proposal_number;
    p.protocol = codec::ProtocolId::Isakmp;
    for (const auto& t : offer.transforms) {
        codec::Transform ct;
        ct.number = t.number;
        ct.id = codec::key_ike;
        ct.attributes.push_back(basic(static_cast<std::uint16_t>(A::EncryptionAlgorithm), t.encryption));
        if (t.key_length)
            ct.attributes.push_back(basic(static_cast<std::uint16_t>(A::KeyLength), *t.key_length));
        ct.attributes.push_back(basic(static_cast<std::uint16_t>(A::HashAlgorithm), t.hash));
        ct.attributes.push_back(basic(static_cast<std::uint16_t>(A::AuthenticationMethod), t.auth_method));
        ct.attributes.push_back(basic(static_cast<std::uint16_t>(A::GroupDescription), t.group));
        if (t.life_seconds) {
            ct.attributes.push_back(basic(static_cast<std::uint16_t>(A::LifeType), 1));
            ct.attributes.push_back(duration(static_cast<std::uint16_t>(A::LifeDuration), *t.life_seconds));
        }
        if (t.life_kilobytes) {
            ct.attributes.push_back(basic(static_cast<std::uint16_t>(A::LifeType), 2));
            ct.attributes.push_back(duration(static_cast<std::uint16_t>(A::LifeDuration), *t.life_kilobytes));
        }
        p.transforms.push_back(std::move(ct));
    }
    codec::SaPayload sa;
    sa.proposals.push_back(std::move(p));
    return sa;
}

codec::SaPayload to_sa_payload(const negotiation::Phase2Offer& offer)
{
    using A = codec::IpsecAttribute;
    codec::SaPayload sa;
    for (const auto& op : offer.proposals) {
        for (const auto& proto : op.protocols) {
            codec::Proposal p;
            p.number = op.number;
            p.protocol = static_cast<codec::ProtocolId>(proto.protocol);
            p.spi = {static_cast<std::uint8_t>(proto.spi >> 24), static_cast<std::uint8_t>(proto.spi >> 16),
                     static_cast<std::uint8_t>(proto.spi >> 8), static_cast<std::uint8_t>(proto.spi)};
            for (const auto& t : proto.transforms) {
                codec::Transform ct;
                ct.number = t.number;
                ct.id = t.transform_id;
                if (t.life_seconds) {
                    ct.attributes.push_back(basic(static_cast<std::uint16_t>(A::SaLifeType), 1));
                    ct.attributes.push_back(duration(static_cast<std::uint16_t>(A::SaLifeDuration), *t.life_seconds));
                }
                if (t.life_kilobytes) {
                    ct.attributes.push_back(basic(static_cast<std::uint16_t>(A::SaLifeType), 2));
                    ct.attributes.push_back(
                        duration(static_cast<std::uint16_t>(A::SaLifeDuration), *t.life_kilobytes));
                }
                if (t.group)
                    ct.attributes.push_back(basic(static_cast<std::uint16_t>(A::GroupDescription), *t.group));
                if (t.encapsulation)
                    ct.attributes.push_back(basic(static_cast<std::uint16_t>(A::EncapsulationMode), *t.encapsulation));
                if (t.authentication)
                    ct.attributes.push_back(
                        basic(static_cast<std::uint16_t>(A::AuthenticationAlgorithm), *t.authentication));
                if (t.key_length)
                    ct.attributes.push_back(basic(static_cast<std::uint16_t>(A::KeyLength), *t.key_length));
                p.transforms.push_back(std::move(ct));
            }
            sa.proposals.push_back(std::move(p));
        }
    }
    return sa;
}

codec::DecodeResult<negotiation::Phase1Offer> to_phase1_offer(const codec::SaPayload& sa)
{
    using A = codec::IkeAttribute;
    if (sa.proposals.size() != 1 || sa.proposals[0].protocol != codec::ProtocolId::Isakmp)
        return bad("SA: phase 1 needs exactly one PROTO_ISAKMP proposal (got " + std::to_string(sa.proposals.size()) +
                   ", need 1)");
    negotiation::Phase1Offer offer;
    offer.proposal_number = sa.proposals[0].number;
    for (const auto& ct : sa.proposals[0].transforms) {
        negotiation::Phase1Transform t;
        t.number = ct.number;
        std::uint16_t life_type = 0;
        for (const auto& a : ct.attributes) {
            const auto v = value_of(a);
            if (!v)
                return bad("SA attribute: value too long (got more than 8 bytes, need at most 8)");
            const auto v16 = static_cast<std::uint16_t>(*v);
            switch (static_cast<A>(a.type)) {
            case A::EncryptionAlgorithm: t.encryption = v16; break;
            case A::HashAlgorithm: t.hash = v16; break;
            case A::AuthenticationMethod: t.auth_method = v16; break;
            case A::GroupDescription: t.group = v16; break;
            case A::KeyLength: t.key_length = v16; break;
            case A::LifeType: life_type = v16; break;
            case A::LifeDuration:
                if (life_type == 1)
                    t.life_seconds = static_cast<std::uint32_t>(std::min<std::uint64_t>(*v, 0xffffffffu));
                else if (life_type == 2)
                    t.life_kilobytes = *v;
                else
                    return bad("SA attribute: Life Duration without Life Type (got none, need seconds or kilobytes)");
                break;
            case A::GroupType:
            case A::GroupPrime:
            case A::GroupGeneratorOne:
            case A::GroupGeneratorTwo:
            case A::GroupCurveA:
            case A::GroupCurveB:
            case A::Prf:
            case A::FieldSize:
            case A::GroupOrder: t.other_attributes.push_back(a.type); break;
            default: t.other_attributes.push_back(a.type); break;
            }
        }
        offer.transforms.push_back(std::move(t));
    }
    return offer;
}

codec::DecodeResult<negotiation::Phase2Offer> to_phase2_offer(const codec::SaPayload& sa)
{
    using A = codec::IpsecAttribute;
    negotiation::Phase2Offer offer;
    for (const auto& p : sa.proposals) {
        if (p.spi.size() != 4)
            return codec::DecodeError{codec::NotifyType::InvalidSpi, "Proposal", "SPI size",
                                      "Proposal SPI size: not 4 (got " + std::to_string(p.spi.size()) + ", need 4)"};
        negotiation::OfferedProtocol proto;
        proto.protocol = static_cast<std::uint8_t>(p.protocol);
        proto.spi = (std::uint32_t{p.spi[0]} << 24) | (std::uint32_t{p.spi[1]} << 16) |
                    (std::uint32_t{p.spi[2]} << 8) | p.spi[3];
        for (const auto& ct : p.transforms) {
            negotiation::IpsecTransform t;
            t.number = ct.number;
            t.transform_id = ct.id;
            std::uint16_t life_type = 0;
            for (const auto& a : ct.attributes) {
                const auto v = value_of(a);
                if (!v)
                    return bad("SA attribute: value too long (got more than 8 bytes, need at most 8)");
                const auto v16 = static_cast<std::uint16_t>(*v);
                switch (static_cast<A>(a.type)) {
                case A::SaLifeType: life_type = v16; break;
                case A::SaLifeDuration:
                    if (life_type == 1)
                        t.life_seconds = static_cast<std::uint32_t>(std::min<std::uint64_t>(*v, 0xffffffffu));
                    else if (life_type == 2)
                        t.life_kilobytes = *v;
                    else
                        return bad("SA attribute: SA Life Duration without SA Life Type (got none, need one)");
                    break;
                case A::GroupDescription: t.group = v16; break;
                case A::EncapsulationMode: t.encapsulation = v16; break;
                case A::AuthenticationAlgorithm: t.authentication = v16; break;
                case A::KeyLength: t.key_length = v16; break;
                case A::KeyRounds:
                case A::CompressDictionarySize:
                case A::CompressPrivateAlgorithm: t.other_attributes.push_back(a.type); break;
                default: t.other_attributes.push_back(a.type); break;
                }
            }
            proto.transforms.push_back(std::move(t));
        }
        if (!offer.proposals.empty() && offer.proposals.back().number == p.number)
            offer.proposals.back().protocols.push_back(std::move(proto));
        else
            offer.proposals.push_back(negotiation::OfferedProposal{p.number, {std::move(proto)}});
    }
    return offer;
}

}  // namespace picsec::ike::detail
