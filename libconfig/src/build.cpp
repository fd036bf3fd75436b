// Builds the typed Model from the normalized tree (see build.h). Values were
// validated against the schema already; here they become enums, numbers,
// addresses and decoded keys.
#include "build.h"

#include "picsec/config/junos_secret.h"

#include <variant>

namespace picsec::config {
namespace {

Origin origin(const Node& n) { return Origin{n.loc, n.path}; }

template <typename T>
void assign(Setting<T>& s, T value, const Node& n) {
    s.value = std::move(value);
    s.configured = true;
    s.origin = origin(n);
}

std::uint32_t number(const std::string& text) { return static_cast<std::uint32_t>(std::stoull(text)); }

// Keywords were checked against the table's choices by the schema; the
// fallbacks only keep a value defined.
algo::AuthMethod auth_method(const std::string& v) {
    return algo::auth_method_from_keyword(v).value_or(algo::AuthMethod::PreSharedKeys);
}
algo::HashAlgorithm hash(const std::string& v) {
    return algo::hash_from_keyword(v).value_or(algo::HashAlgorithm::Sha1);
}
algo::DhGroup group(const std::string& v) { return algo::dh_group_from_keyword(v).value_or(algo::DhGroup::Modp1024); }
algo::ExchangeMode exchange_mode(const std::string& v) {
    return algo::exchange_mode_from_keyword(v).value_or(algo::ExchangeMode::Main);
}
sadb::Protocol protocol(const std::string& v) {
    if (v == "ah") return sadb::Protocol::Ah;
    if (v == "bundle") return sadb::Protocol::Bundle;
    return sadb::Protocol::Esp;
}
sadb::Direction direction(const std::string& v) {
    if (v == "inbound") return sadb::Direction::Inbound;
    if (v == "outbound") return sadb::Direction::Outbound;
    return sadb::Direction::Bidirectional;
}
CertificateEncoding encoding(const std::string& v) {
    return v == "binary" ? CertificateEncoding::Binary : CertificateEncoding::Pem;
}
algo::EncryptionAlgorithm encryption(const std::string& v) {
    return algo::encryption_from_keyword(v).value_or(algo::EncryptionAlgorithm::TripleDesCbc);
}
algo::AuthenticationAlgorithm authentication(const std::string& v) {
    return algo::authentication_from_keyword(v).value_or(algo::AuthenticationAlgorithm::HmacSha1_96);
}
Ipv4Address address(const std::string& v) { return Ipv4Address::parse(v).value_or(Ipv4Address{}); }

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

class Builder {
  public:
    explicit Builder(Diagnostics& diags) : m_diags(diags) {}

    Model run(const Node& root) {
        Model m;
        if (const Node* chassis = root.child("chassis"))
            if (const Node* p = chassis->child("platform"))
                assign(m.platform, pic::platform_from_keyword(p->value()).value_or(pic::Platform::MSeries), *p);
        if (const Node* security = root.child("security")) {
            if (const Node* ike = security->child("ike")) {
                for (const Node* n : ike->all("proposal")) m.ike_proposals.push_back(ike_proposal(*n));
                for (const Node* n : ike->all("policy")) m.ike_policies.push_back(ike_policy(*n));
            }
            if (const Node* ipsec = security->child("ipsec")) {
                for (const Node* n : ipsec->all("proposal")) m.ipsec_proposals.push_back(ipsec_proposal(*n));
                for (const Node* n : ipsec->all("policy")) m.ipsec_policies.push_back(ipsec_policy(*n));
                for (const Node* n : ipsec->all("security-association")) m.security_associations.push_back(sa(*n));
            }
            if (const Node* certs = security->child("certificates")) m.certificates = certificates(*certs);
        }
        if (const Node* interfaces = root.child("interfaces"))
            for (const auto& n : interfaces->children) m.interfaces.push_back(interface(n, m.platform_model()));
        if (const Node* protocols = root.child("protocols")) {
            if (const Node* bgp = protocols->child("bgp"))
                for (const Node* g : bgp->all("group")) m.bgp_groups.push_back(bgp_group(*g));
            if (const Node* ospf3 = protocols->child("ospf3"))
                for (const Node* a : ospf3->all("area")) m.ospf3_areas.push_back(ospf3_area(*a));
        }
        return m;
    }

  private:
    std::optional<Setting<Key>> key(const Node& n) {
        if (n.args.size() != 2) return std::nullopt;
        const Word& secret = n.args[1];
        Setting<Key> out;
        out.configured = true;
        out.origin = origin(n);
        std::string text = secret.text;
        // JUNOS writes every secret back in its $9$ form, ascii-text or
        // hexadecimal (then the $9$ holds the hex digits).
        if (is_junos_secret(text)) {
            auto decoded = decode_junos_secret(text);
            if (auto* e = std::get_if<JunosSecretError>(&decoded)) {
                m_diags.push_back(make_diagnostic(secret.loc, n.path, e->message));
                return std::nullopt;
            }
            text = std::get<std::string>(std::move(decoded));
        }
        if (n.value() == "ascii-text") {
            out.value.encoding = pic::KeyEncoding::AsciiText;
            out.value.bytes.assign(text.begin(), text.end());
            out.value.characters = text.size();
            return out;
        }
        out.value.encoding = pic::KeyEncoding::Hexadecimal;
        std::string_view digits = text;
        if (digits.size() >= 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) digits.remove_prefix(2);
        out.value.characters = digits.size();
        for (std::size_t i = 0; i < digits.size(); ++i)
            if (hex_value(digits[i]) < 0) {
                m_diags.push_back(make_diagnostic(secret.loc, n.path,
                                                  "hexadecimal key has a character that is not a hex digit at position " +
                                                      std::to_string(i + 1) + ", needs 0-9 and a-f only"));
                return std::nullopt;
            }
        // An odd count is left to the key-length rule of the commit check.
        for (std::size_t i = 0; i + 1 < digits.size(); i += 2)
            out.value.bytes.push_back(static_cast<std::uint8_t>(hex_value(digits[i]) * 16 + hex_value(digits[i + 1])));
        return out;
    }

    std::vector<NameRef> names(const Node& list) {
        std::vector<NameRef> out;
        for (const auto& a : list.args) out.push_back(NameRef{a.text, Origin{a.loc, list.path}});
        return out;
    }

    IkeProposal ike_proposal(const Node& n) {
        IkeProposal p;
        p.name = n.value();
        p.origin = origin(n);
        for (const auto& c : n.children) {
            const auto& v = c.value();
            if (c.keyword == "authentication-method") assign(p.authentication_method, auth_method(v), c);
            if (c.keyword == "authentication-algorithm") assign(p.authentication_algorithm, hash(v), c);
            if (c.keyword == "dh-group") assign(p.dh_group, group(v), c);
            if (c.keyword == "encryption-algorithm") assign(p.encryption_algorithm, encryption(v), c);
            if (c.keyword == "lifetime-seconds") assign(p.lifetime_seconds, number(v), c);
            if (c.keyword == "description") p.description = v;
        }
        return p;
    }

    IkePolicy ike_policy(const Node& n) {
        IkePolicy p;
        p.name = n.value();
        p.peer = Ipv4Address::parse(p.name);
        p.origin = origin(n);
        for (const auto& c : n.children) {
            const auto& v = c.value();
            if (c.keyword == "version") assign(p.version, static_cast<unsigned>(number(v)), c);
            if (c.keyword == "mode") assign(p.mode, exchange_mode(v), c);
            if (c.keyword == "proposals") {
                p.proposals = names(c);
                p.proposals_origin = origin(c);
            }
            if (c.keyword == "pre-shared-key") p.pre_shared_key = key(c);
            if (c.keyword == "local-certificate") assign(p.local_certificate, v, c);
            if (c.keyword == "local-key-pair") assign(p.local_key_pair, v, c);
            if (c.keyword == "encoding") assign(p.encoding, encoding(v), c);
            if (c.keyword == "identity") assign(p.identity, v, c);
            if (c.keyword == "signature-scheme") assign(p.rsa_pss, v == "rsa-pss", c);
            if (c.keyword == "description") p.description = v;
        }
        return p;
    }

    IpsecProposal ipsec_proposal(const Node& n) {
        IpsecProposal p;
        p.name = n.value();
        p.origin = origin(n);
        for (const auto& c : n.children) {
            const auto& v = c.value();
            if (c.keyword == "protocol") assign(p.protocol, protocol(v), c);
            if (c.keyword == "authentication-algorithm") assign(p.authentication_algorithm, authentication(v), c);
            if (c.keyword == "encryption-algorithm") assign(p.encryption_algorithm, encryption(v), c);
            if (c.keyword == "lifetime-seconds") assign(p.lifetime_seconds, number(v), c);
            if (c.keyword == "description") p.description = v;
        }
        return p;
    }

    IpsecPolicy ipsec_policy(const Node& n) {
        IpsecPolicy p;
        p.name = n.value();
        p.origin = origin(n);
        for (const auto& c : n.children) {
            if (c.keyword == "perfect-forward-secrecy")
                if (const Node* k = c.child("keys")) assign(p.pfs_keys, group(k->value()), *k);
            if (c.keyword == "proposals") {
                p.proposals = names(c);
                p.proposals_origin = origin(c);
            }
            if (c.keyword == "description") p.description = c.value();
        }
        return p;
    }

    template <typename Algorithm, typename Convert>
    ManualTransform<Algorithm> transform(const Node& n, Convert convert) {
        ManualTransform<Algorithm> t;
        t.origin = origin(n);
        if (const Node* a = n.child("algorithm")) assign(t.algorithm, convert(a->value()), *a);
        if (const Node* k = n.child("key")) t.key = key(*k);
        return t;
    }

    ManualDirection manual_direction(const Node& n) {
        ManualDirection d;
        d.direction = direction(n.value());
        d.origin = origin(n);
        for (const auto& c : n.children) {
            if (c.keyword == "protocol") assign(d.protocol, protocol(c.value()), c);
            if (c.keyword == "spi") assign(d.spi, number(c.value()), c);
            if (c.keyword == "auxiliary-spi") assign(d.auxiliary_spi, number(c.value()), c);
            if (c.keyword == "authentication")
                d.authentication = transform<algo::AuthenticationAlgorithm>(c, authentication);
            if (c.keyword == "encryption") d.encryption = transform<algo::EncryptionAlgorithm>(c, encryption);
        }
        return d;
    }

    SecurityAssociation sa(const Node& n) {
        SecurityAssociation s;
        s.name = n.value();
        s.origin = origin(n);
        for (const auto& c : n.children) {
            if (c.keyword == "description") s.description = c.value();
            if (c.keyword == "mode")
                assign(s.mode, c.value() == "transport" ? sadb::Mode::Transport : sadb::Mode::Tunnel, c);
            if (c.keyword == "extended-sequence-number") assign(s.extended_sequence_number, true, c);
            if (c.keyword == "manual") {
                s.manual = origin(c);
                for (const Node* d : c.all("direction")) s.directions.push_back(manual_direction(*d));
            }
            if (c.keyword == "dynamic") {
                DynamicSa d;
                d.origin = origin(c);
                if (const Node* p = c.child("ipsec-policy")) assign(d.ipsec_policy, p->value(), *p);
                if (const Node* r = c.child("replay-window-size")) assign(d.replay_window_size, number(r->value()), *r);
                s.dynamic = std::move(d);
            }
        }
        return s;
    }

    Certificates certificates(const Node& n) {
        Certificates out;
        for (const auto& c : n.children) {
            if (c.keyword == "certification-authority") {
                CertificationAuthority ca;
                ca.name = c.value();
                ca.origin = origin(c);
                for (const auto& f : c.children) {
                    if (f.keyword == "ca-name") assign(ca.ca_name, f.value(), f);
                    if (f.keyword == "file") assign(ca.file, f.value(), f);
                    if (f.keyword == "crl") assign(ca.crl, f.value(), f);
                    if (f.keyword == "encoding") assign(ca.encoding, encoding(f.value()), f);
                }
                out.authorities.push_back(std::move(ca));
            }
            if (c.keyword == "local") {
                LocalCertificate l;
                l.name = c.value();
                l.origin = origin(c);
                for (const auto& f : c.children) {
                    if (f.keyword == "file") assign(l.file, f.value(), f);
                    if (f.keyword == "key-file") assign(l.key_file, f.value(), f);
                    if (f.keyword == "encoding") assign(l.encoding, encoding(f.value()), f);
                }
                out.local.push_back(std::move(l));
            }
            if (c.keyword == "path-length") assign(out.path_length, number(c.value()), c);
        }
        return out;
    }

    Interface interface(const Node& n, const pic::PlatformModel& platform) {
        Interface i;
        i.name = n.keyword;
        i.origin = origin(n);
        if (pic::pic_kind_of(i.name)) {
            auto parsed = pic::parse_pic_name(i.name, platform);
            if (parsed)
                i.pic = *parsed;
            else
                m_diags.push_back(make_diagnostic(n.loc, n.path, parsed.error().message));
        }
        for (const Node* u : n.all("unit")) {
            InterfaceUnit unit;
            unit.number = number(u->value());
            unit.origin = origin(*u);
            if (const Node* t = u->child("tunnel")) {
                if (const Node* s = t->child("source")) assign(unit.tunnel_source, address(s->value()), *s);
                if (const Node* d = t->child("destination")) assign(unit.tunnel_destination, address(d->value()), *d);
            }
            if (const Node* family = u->child("family"))
                if (const Node* inet = family->child("inet")) {
                    if (const Node* sa = inet->child("ipsec-sa")) unit.ipsec_sa = NameRef{sa->value(), origin(*sa)};
                    for (const Node* a : inet->all("address")) {
                        InterfaceAddress addr;
                        const auto& text = a->value();
                        auto slash = text.find('/');
                        addr.address = address(text.substr(0, slash));
                        addr.prefix_length = static_cast<std::uint8_t>(number(text.substr(slash + 1)));
                        addr.origin = origin(*a);
                        if (const Node* d = a->child("destination")) assign(addr.destination, address(d->value()), *d);
                        unit.addresses.push_back(addr);
                    }
                }
            i.units.push_back(std::move(unit));
        }
        return i;
    }

    BgpGroup bgp_group(const Node& n) {
        BgpGroup g;
        g.name = n.value();
        g.origin = origin(n);
        for (const Node* nb : n.all("neighbor")) {
            BgpNeighbor b;
            b.address = address(nb->value());
            b.origin = origin(*nb);
            if (const Node* sa = nb->child("ipsec-sa")) b.ipsec_sa = NameRef{sa->value(), origin(*sa)};
            g.neighbors.push_back(std::move(b));
        }
        return g;
    }

    Ospf3Area ospf3_area(const Node& n) {
        Ospf3Area a;
        a.id = n.value();
        a.origin = origin(n);
        for (const Node* i : n.all("interface")) {
            Ospf3Interface oi;
            oi.name = i->value();
            oi.origin = origin(*i);
            if (const Node* sa = i->child("ipsec-sa")) oi.ipsec_sa = NameRef{sa->value(), origin(*sa)};
            a.interfaces.push_back(std::move(oi));
        }
        return a;
    }

    Diagnostics& m_diags;
};

}  // namespace

Model build_model(const Node& root, Diagnostics& diagnostics) { return Builder(diagnostics).run(root); }

std::vector<NameRef> inactive_sas(const Node& root) {
    std::vector<NameRef> out;
    const Node* security = root.child("security");
    const Node* ipsec = security ? security->child("ipsec") : nullptr;
    if (!ipsec) return out;
    const bool above = security->inactive || ipsec->inactive;
    for (const Node* sa : ipsec->all("security-association"))
        if (above || sa->inactive) out.push_back(NameRef{sa->value(), origin(*sa)});
    return out;
}

}  // namespace picsec::config
