// SA payload <-> negotiation offer mapping (see sa_payload.h).
#include "picsec/ike/negotiation/sa_payload.h"

#include "picsec/ike/codec/attributes.h"
#include "picsec/ike/codec/sa_attributes.h"

#include <algorithm>

namespace picsec::ike::negotiation {

namespace {

codec::DataAttribute basic(std::uint16_t type, std::uint16_t v) { return codec::DataAttribute{type, v}; }

template <class E>
std::uint16_t raw(E e)
{
    return static_cast<std::uint16_t>(e);
}

codec::DecodeError bad(std::string what)
{
    return codec::DecodeError{codec::NotifyType::BadProposalSyntax, "SA", "attribute", std::move(what)};
}

// A phase 1 or IPsec transform's lifetimes as life pairs (seconds first).
template <class T>
std::vector<codec::Lifetime> lifetimes(const T& t)
{
    std::vector<codec::Lifetime> out;
    if (t.life_seconds)
        out.push_back({codec::LifeType::Seconds, *t.life_seconds});
    if (t.life_kilobytes)
        out.push_back({codec::LifeType::Kilobytes, *t.life_kilobytes});
    return out;
}

// Reads one transform's attributes into `t`: the life pairs through the
// codec's decoder, every other class through `set`, which returns false for a
// class we never send (kept in other_attributes so it cannot match).
template <class T, class Set>
std::optional<codec::DecodeError> read_attributes(const codec::Transform& ct, codec::LifeClasses classes, T& t,
                                                  Set set)
{
    auto life = codec::decode_lifetimes(ct.attributes, classes);
    if (!life)
        return life.error();
    if (auto s = codec::lifetime_of(*life, codec::LifeType::Seconds))
        t.life_seconds = static_cast<std::uint32_t>(std::min<std::uint64_t>(*s, 0xffffffffu));
    t.life_kilobytes = codec::lifetime_of(*life, codec::LifeType::Kilobytes);
    for (const auto& a : ct.attributes) {
        if (!a.is_basic() && std::get<1>(a.value).size() > 8)
            return bad("SA attribute: value too long (got " + std::to_string(std::get<1>(a.value).size()) +
                       " bytes, need at most 8)");
        std::uint64_t v = 0;
        if (a.is_basic())
            v = std::get<0>(a.value);
        else
            for (auto x : std::get<1>(a.value))
                v = (v << 8) | x;
        if (!set(a.type, static_cast<std::uint16_t>(v)))
            t.other_attributes.push_back(a.type);
    }
    return std::nullopt;
}

}  // namespace

codec::SaPayload to_sa_payload(const Phase1Offer& offer)
{
    using A = codec::IkeAttribute;
    codec::Proposal p;
    p.number = offer.proposal_number;
    p.protocol = codec::ProtocolId::Isakmp;
    for (const auto& t : offer.transforms) {
        codec::Transform ct;
        ct.number = t.number;
        ct.id = codec::key_ike;
        ct.attributes.push_back(basic(raw(A::EncryptionAlgorithm), t.encryption));
        if (t.key_length)
            ct.attributes.push_back(basic(raw(A::KeyLength), *t.key_length));
        ct.attributes.push_back(basic(raw(A::HashAlgorithm), t.hash));
        ct.attributes.push_back(basic(raw(A::AuthenticationMethod), t.auth_method));
        ct.attributes.push_back(basic(raw(A::GroupDescription), t.group));
        for (auto& a : codec::encode_lifetimes(lifetimes(t), codec::LifeClasses::Phase1))
            ct.attributes.push_back(std::move(a));
        p.transforms.push_back(std::move(ct));
    }
    codec::SaPayload sa;
    sa.proposals.push_back(std::move(p));
    return sa;
}

codec::SaPayload to_sa_payload(const Phase2Offer& offer)
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
                ct.attributes = codec::encode_lifetimes(lifetimes(t), codec::LifeClasses::Ipsec);
                if (t.group)
                    ct.attributes.push_back(basic(raw(A::GroupDescription), *t.group));
                if (t.encapsulation)
                    ct.attributes.push_back(basic(raw(A::EncapsulationMode), *t.encapsulation));
                if (t.authentication)
                    ct.attributes.push_back(basic(raw(A::AuthenticationAlgorithm), *t.authentication));
                if (t.key_length)
                    ct.attributes.push_back(basic(raw(A::KeyLength), *t.key_length));
                if (t.esn)
                    ct.attributes.push_back(basic(raw(A::ExtendedSequenceNumber), *t.esn));
                p.transforms.push_back(std::move(ct));
            }
            sa.proposals.push_back(std::move(p));
        }
    }
    return sa;
}

codec::DecodeResult<Phase1Offer> to_phase1_offer(const codec::SaPayload& sa)
{
    using A = codec::IkeAttribute;
    if (sa.proposals.size() != 1 || sa.proposals[0].protocol != codec::ProtocolId::Isakmp)
        return bad("SA: phase 1 needs exactly one PROTO_ISAKMP proposal (got " + std::to_string(sa.proposals.size()) +
                   ", need 1)");
    Phase1Offer offer;
    offer.proposal_number = sa.proposals[0].number;
    for (const auto& ct : sa.proposals[0].transforms) {
        Phase1Transform t;
        t.number = ct.number;
        auto err = read_attributes(ct, codec::LifeClasses::Phase1, t, [&](std::uint16_t type, std::uint16_t v) {
            switch (static_cast<A>(type)) {
            case A::EncryptionAlgorithm: t.encryption = v; return true;
            case A::HashAlgorithm: t.hash = v; return true;
            case A::AuthenticationMethod: t.auth_method = v; return true;
            case A::GroupDescription: t.group = v; return true;
            case A::KeyLength: t.key_length = v; return true;
            case A::LifeType:
            case A::LifeDuration: return true;  // read by the codec
            case A::GroupType:
            case A::GroupPrime:
            case A::GroupGeneratorOne:
            case A::GroupGeneratorTwo:
            case A::GroupCurveA:
            case A::GroupCurveB:
            case A::Prf:
            case A::FieldSize:
            case A::GroupOrder: return false;
            }
            return false;  // a class outside RFC 2409 Appendix A
        });
        if (err)
            return *err;
        offer.transforms.push_back(std::move(t));
    }
    return offer;
}

codec::DecodeResult<Phase2Offer> to_phase2_offer(const codec::SaPayload& sa)
{
    using A = codec::IpsecAttribute;
    Phase2Offer offer;
    for (const auto& p : sa.proposals) {
        if (p.spi.size() != 4)
            return codec::DecodeError{codec::NotifyType::InvalidSpi, "Proposal", "SPI size",
                                      "Proposal SPI size: not 4 (got " + std::to_string(p.spi.size()) + ", need 4)"};
        OfferedProtocol proto;
        proto.protocol = static_cast<std::uint8_t>(p.protocol);
        proto.spi = (std::uint32_t{p.spi[0]} << 24) | (std::uint32_t{p.spi[1]} << 16) |
                    (std::uint32_t{p.spi[2]} << 8) | p.spi[3];
        for (const auto& ct : p.transforms) {
            IpsecTransform t;
            t.number = ct.number;
            t.transform_id = ct.id;
            auto err = read_attributes(ct, codec::LifeClasses::Ipsec, t, [&](std::uint16_t type, std::uint16_t v) {
                switch (static_cast<A>(type)) {
                case A::GroupDescription: t.group = v; return true;
                case A::EncapsulationMode: t.encapsulation = v; return true;
                case A::AuthenticationAlgorithm: t.authentication = v; return true;
                case A::KeyLength: t.key_length = v; return true;
                case A::ExtendedSequenceNumber: t.esn = v; return true;
                case A::SaLifeType:
                case A::SaLifeDuration: return true;  // read by the codec
                case A::KeyRounds:
                case A::CompressDictionarySize:
                case A::CompressPrivateAlgorithm: return false;
                }
                return false;  // a class outside RFC 2407 4.5
            });
            if (err)
                return *err;
            proto.transforms.push_back(std::move(t));
        }
        if (!offer.proposals.empty() && offer.proposals.back().number == p.number)
            offer.proposals.back().protocols.push_back(std::move(proto));
        else
            offer.proposals.push_back(OfferedProposal{p.number, {std::move(proto)}});
    }
    return offer;
}

}  // namespace picsec::ike::negotiation
