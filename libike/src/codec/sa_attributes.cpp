// Life pairs of phase 1 (RFC 2409 Appendix A) and IPsec DOI (RFC 2407 4.5)
// transforms and of RESPONDER-LIFETIME (RFC 2407 4.6.3.1).
#include <picsec/ike/codec/sa_attributes.h>

#include <string>

namespace picsec::ike::codec {
namespace {

// Collects the first error with the attribute's name in it.
class AttributeDecoder {
public:
    AttributeDecoder(std::string_view payload) : m_payload(payload) {}

    bool ok() const { return !m_error.has_value(); }
    const DecodeError& error() const { return *m_error; }

    void fail(NotifyType n, const std::string& name, const std::string& why, const std::string& got,
              const std::string& need) {
        if (m_error) return;
        m_error = DecodeError{n, std::string(m_payload), name,
                              name + ": " + why + " (got " + got + ", need " + need + ")"};
    }

    // A basic (TV) value, or an error naming the class.
    std::optional<std::uint16_t> basic(const DataAttribute& a, const std::string& name) {
        if (const auto* v = std::get_if<std::uint16_t>(&a.value)) return *v;
        fail(NotifyType::BadProposalSyntax, name, "must be a basic (TV) attribute",
             "variable, " + std::to_string(std::get<1>(a.value).size()) + " bytes", "TV");
        return std::nullopt;
    }

    void life_type(std::vector<Lifetime>& lifetimes, const DataAttribute& a, const std::string& name) {
        if (m_pending_type) {
            fail(NotifyType::BadProposalSyntax, name, "life type without a duration",
                 to_string(*m_pending_type) + " then another life type", "a duration in between");
            return;
        }
        const auto v = basic(a, name);
        if (!v) return;
        const auto t = static_cast<LifeType>(*v);
        if (!is_known(t)) {
            fail(NotifyType::AttributesNotSupported, name, "unknown value", std::to_string(*v),
                 "1 (seconds) or 2 (kilobytes)");
            return;
        }
        for (const auto& l : lifetimes) {
            if (l.type == t) {
                fail(NotifyType::BadProposalSyntax, name, "duplicate life type", to_string(t), "each type once");
                return;
            }
        }
        m_pending_type = t;
    }

    void life_duration(std::vector<Lifetime>& lifetimes, const DataAttribute& a, const std::string& name) {
        if (!m_pending_type) {
            fail(NotifyType::BadProposalSyntax, name, "duration without a preceding life type", "duration",
                 "a life type first");
            return;
        }
        std::uint64_t d = 0;
        if (const auto* v = std::get_if<std::uint16_t>(&a.value)) {
            d = *v;
        } else {
            const auto& b = std::get<1>(a.value);
            if (b.empty() || b.size() > 8) {
                fail(NotifyType::BadProposalSyntax, name, "bad variable length", std::to_string(b.size()) + " bytes",
                     "1..8");
                return;
            }
            for (auto byte : b) d = (d << 8) | byte;
        }
        // A duration of 0 is what strongSwan sends when rekeying and
        // reauthentication are switched off: the initiator sets no limit. It
        // reads as no lifetime of that type, so the RFC 2407 4.5 / RFC 2409
        // App. A default applies and the responder's shorter lifetime wins
        // (with RESPONDER-LIFETIME where that is sent).
        if (d != 0) lifetimes.push_back(Lifetime{*m_pending_type, d});
        m_pending_type.reset();
    }

    void finish(const std::string& name) {
        if (m_pending_type) {
            fail(NotifyType::BadProposalSyntax, name, "life type without a duration", to_string(*m_pending_type),
                 "a duration after it");
        }
    }

    void unsupported(const DataAttribute& a, const std::string& name) {
        fail(NotifyType::AttributesNotSupported, name, "attribute class not supported",
             std::to_string(a.type), "a class picsec negotiates");
    }

private:
    std::string_view m_payload;
    std::optional<DecodeError> m_error;
    std::optional<LifeType> m_pending_type;
};

DataAttribute tv(std::uint16_t type, std::uint16_t v) { return DataAttribute{type, v}; }

DataAttribute duration_attribute(std::uint16_t type, std::uint64_t d) {
    if (d <= 0xffff) return tv(type, static_cast<std::uint16_t>(d));
    const std::size_t n = d <= 0xffffffffu ? 4 : 8;
    std::vector<std::uint8_t> b(n);
    for (std::size_t i = 0; i < n; ++i) b[n - 1 - i] = static_cast<std::uint8_t>(d >> (8 * i));
    return DataAttribute{type, std::move(b)};
}

template <class E>
std::uint16_t raw(E e) {
    return static_cast<std::uint16_t>(e);
}

}  // namespace

namespace {

struct LifeClassNumbers {
    std::uint16_t type;
    std::uint16_t duration;
    std::string type_name;
    std::string duration_name;
};

LifeClassNumbers numbers(LifeClasses c) {
    switch (c) {
    case LifeClasses::Phase1:
        return {raw(IkeAttribute::LifeType), raw(IkeAttribute::LifeDuration), to_string(IkeAttribute::LifeType),
                to_string(IkeAttribute::LifeDuration)};
    case LifeClasses::Ipsec:
        return {raw(IpsecAttribute::SaLifeType), raw(IpsecAttribute::SaLifeDuration),
                to_string(IpsecAttribute::SaLifeType), to_string(IpsecAttribute::SaLifeDuration)};
    }
    return {0, 0, "?", "?"};
}

// RFC 2407 4.6.3.1 names the SA by protocol: the ISAKMP SA or an IPsec one.
LifeClasses classes_for(ProtocolId p) { return p == ProtocolId::Isakmp ? LifeClasses::Phase1 : LifeClasses::Ipsec; }

// The life pairs of `attributes`; with `strict`, any other class is an error.
DecodeResult<std::vector<Lifetime>> life_pairs(std::span<const DataAttribute> attributes, LifeClasses classes,
                                               std::string_view payload, bool strict) {
    const auto n = numbers(classes);
    std::vector<Lifetime> out;
    AttributeDecoder d(payload);
    for (const auto& a : attributes) {
        if (a.type == n.type)
            d.life_type(out, a, n.type_name);
        else if (a.type == n.duration)
            d.life_duration(out, a, n.duration_name);
        else if (strict)
            d.unsupported(a, "attribute " + std::to_string(a.type));
        if (!d.ok()) return d.error();
    }
    d.finish(n.type_name);
    if (!d.ok()) return d.error();
    return out;
}

}  // namespace

DecodeResult<std::vector<Lifetime>> decode_lifetimes(std::span<const DataAttribute> attributes, LifeClasses classes) {
    return life_pairs(attributes, classes, "Transform", false);
}

std::vector<DataAttribute> encode_lifetimes(std::span<const Lifetime> lifetimes, LifeClasses classes) {
    const auto n = numbers(classes);
    std::vector<DataAttribute> out;
    for (const auto& l : lifetimes) {
        out.push_back(tv(n.type, raw(l.type)));
        out.push_back(duration_attribute(n.duration, l.duration));
    }
    return out;
}

std::optional<std::uint64_t> lifetime_of(std::span<const Lifetime> lifetimes, LifeType type) {
    for (const auto& l : lifetimes)
        if (l.type == type) return l.duration;
    return std::nullopt;
}

DecodeResult<std::vector<Lifetime>> decode_responder_lifetime(std::span<const std::uint8_t> data,
                                                              ProtocolId protocol) {
    Reader r(data, "RESPONDER-LIFETIME");
    std::vector<DataAttribute> attributes;
    while (r.ok() && !r.empty()) attributes.push_back(decode_attribute(r));
    if (!r.ok()) return r.error();
    return life_pairs(attributes, classes_for(protocol), "RESPONDER-LIFETIME", true);
}

std::vector<std::uint8_t> encode_responder_lifetime(std::span<const Lifetime> lifetimes, ProtocolId protocol) {
    Writer w;
    for (const auto& a : encode_lifetimes(lifetimes, classes_for(protocol))) encode_attribute(w, a);
    return w.take();
}

}  // namespace picsec::ike::codec
