// The configuration statement table (see schema.h). Algorithm, exchange mode
// and platform keywords come from the algorithm table (libbase) and libpic's; whether the PIC supports
// an algorithm is a commit-check rule, not a syntax rule.
#include "schema.h"

#include "picsec/pic/platform.h"
#include "picsec/base/algorithms.h"

namespace picsec::config::schema {
namespace {

ValueSpec choice(std::string placeholder, std::vector<std::string> choices,
                 std::vector<std::pair<std::string, std::string>> aliases = {}) {
    return ValueSpec{ValueKind::Choice, std::move(placeholder), std::move(choices), 0, 0, std::move(aliases)};
}
ValueSpec uint(std::string placeholder, std::uint64_t min, std::uint64_t max) {
    return ValueSpec{ValueKind::Uint, std::move(placeholder), {}, min, max, {}};
}
ValueSpec value(ValueKind kind, std::string placeholder) { return ValueSpec{kind, std::move(placeholder), {}, 0, 0, {}}; }

Entry leaf(std::string keyword, std::vector<ValueSpec> args) {
    return Entry{std::move(keyword), EntryKind::Leaf, std::move(args), {}};
}
Entry list(std::string keyword, ValueSpec element) { return Entry{std::move(keyword), EntryKind::List, {std::move(element)}, {}}; }
Entry container(std::string keyword, std::vector<ValueSpec> args, std::vector<Entry> children) {
    return Entry{std::move(keyword), EntryKind::Container, std::move(args), std::move(children)};
}
// A container of a hierarchy picsec models in part (interfaces, chassis,
// bgp, ospf3): what it does not know is skipped with a note.
Entry partial(std::string keyword, std::vector<ValueSpec> args, std::vector<Entry> children,
              std::vector<std::string> skipped = {}, bool joins_child = false) {
    return Entry{std::move(keyword), EntryKind::Container, std::move(args), std::move(children), std::move(skipped),
                 Unknown::Skip, joins_child};
}

Entry description() { return leaf("description", {value(ValueKind::Text, "TEXT")}); }
ValueSpec name(std::string placeholder = "NAME") { return value(ValueKind::Name, std::move(placeholder)); }
ValueSpec text(std::string placeholder) { return value(ValueKind::Text, std::move(placeholder)); }
ValueSpec ipv4(std::string placeholder = "ADDRESS") { return value(ValueKind::Ipv4, std::move(placeholder)); }

// The choices of an algorithm or platform statement: the keyword column of
// its table (picsec/base/algorithms.h, libpic's platform table).
template <class Rows>
std::vector<std::string> keywords(const Rows& rows) {
    std::vector<std::string> out;
    for (const auto& row : rows) out.emplace_back(row.keyword);
    return out;
}

// An algorithm choice whose refusal lists what the configuration's PICs support.
ValueSpec algorithm(std::vector<std::string> choices, PicList list, std::string placeholder = "ALGORITHM") {
    ValueSpec v = choice(std::move(placeholder), std::move(choices));
    v.pic_list = list;
    return v;
}

Entry key_leaf(std::string keyword) {
    return leaf(std::move(keyword), {choice("ENCODING", {"ascii-text", "hexadecimal"}), value(ValueKind::Secret, "KEY")});
}
Entry encoding_leaf() { return leaf("encoding", {choice("ENCODING", {"binary", "pem"})}); }
ValueSpec ipsec_protocol() { return choice("PROTOCOL", {"ah", "esp", "bundle"}); }
ValueSpec lifetime() { return uint("SECONDS", 180, 86400); }

Entry security() {
    Entry ike = container("ike", {}, {
        container("proposal", {name()}, {
            leaf("authentication-method", {choice("METHOD", keywords(algo::auth_methods()))}),
            leaf("authentication-algorithm", {choice("ALGORITHM", keywords(algo::hash_algorithms()))}),
            leaf("dh-group", {algorithm(keywords(algo::dh_groups()), PicList::DhGroup, "GROUP")}),
            leaf("encryption-algorithm", {algorithm(keywords(algo::encryption_algorithms()), PicList::IkeSaEncryption)}),
            leaf("lifetime-seconds", {lifetime()}),
            description(),
        }),
        container("policy", {name("PEER-ADDRESS")}, {
            leaf("version", {choice("VERSION", {"1", "2"})}),
            leaf("mode", {choice("MODE", keywords(algo::exchange_modes()))}),
            list("proposals", name("PROPOSAL")),
            key_leaf("pre-shared-key"),
            leaf("local-certificate", {text("FILE")}),
            leaf("local-key-pair", {text("FILE")}),
            encoding_leaf(),
            leaf("identity", {text("ID")}),
            // picsec's own (JUNOS has no such statement): IKEv2 RFC 7427 AUTH encoding.
            leaf("signature-scheme", {choice("SCHEME", {"rsa-pkcs1", "rsa-pss"})}),
            description(),
        }),
    });
    Entry algorithm_block_auth = container("authentication", {}, {
        leaf("algorithm", {algorithm(keywords(algo::authentication_algorithms()), PicList::ManualAuthentication)}),
        key_leaf("key"),
    });
    Entry algorithm_block_enc = container("encryption", {}, {
        leaf("algorithm", {algorithm(keywords(algo::encryption_algorithms()), PicList::ManualEncryption)}),
        key_leaf("key"),
    });
    Entry ipsec = container("ipsec", {}, {
        container("proposal", {name()}, {
            leaf("protocol", {ipsec_protocol()}),
            leaf("authentication-algorithm", {algorithm(keywords(algo::authentication_algorithms()), PicList::IkeAuthentication)}),
            leaf("encryption-algorithm", {algorithm(keywords(algo::encryption_algorithms()), PicList::IkeEncryption)}),
            leaf("lifetime-seconds", {lifetime()}),
            description(),
        }),
        container("policy", {name()}, {
            container("perfect-forward-secrecy", {}, {leaf("keys", {algorithm(keywords(algo::dh_groups()), PicList::DhGroup, "GROUP")})}),
            list("proposals", name("PROPOSAL")),
            description(),
        }),
        container("security-association", {name()}, {
            description(),
            leaf("mode", {choice("MODE", {"tunnel", "transport"})}),
            leaf("extended-sequence-number", {}),
            container("manual", {}, {
                container("direction",
                          {choice("DIRECTION", {"inbound", "outbound", "bidirectional"},
                                  {{"bi-directional", "bidirectional"}})},
                          {
                              leaf("protocol", {ipsec_protocol()}),
                              leaf("spi", {uint("SPI", 0, 0xFFFFFFFFull)}),
                              leaf("auxiliary-spi", {uint("SPI", 0, 0xFFFFFFFFull)}),
                              algorithm_block_auth,
                              algorithm_block_enc,
                          }),
            }),
            container("dynamic", {}, {
                leaf("ipsec-policy", {name("POLICY")}),
                leaf("replay-window-size", {uint("PACKETS", 0, 0xFFFFFFFFull)}),
            }),
        }),
    });
    Entry certificates = container("certificates", {}, {
        container("certification-authority", {name()}, {
            leaf("ca-name", {text("ID")}),
            leaf("file", {text("FILE")}),
            leaf("crl", {text("FILE")}),
            encoding_leaf(),
        }),
        container("local", {text("NAME")}, {
            leaf("file", {text("FILE")}),
            leaf("key-file", {text("FILE")}),
            encoding_leaf(),
        }),
        leaf("path-length", {uint("N", 1, 15)}),
    });
    // JUNOS's answer to packets with an unknown SPI (INVALID_SPI notifies):
    // picsec does not model it.
    ike.skipped = {"respond-bad-spi"};
    Entry out = container("security", {}, {std::move(ike), std::move(ipsec), std::move(certificates)});
    // JUNOS [edit security] statements other than IPsec and IKE.
    out.skipped = {"authentication-key-chains", "group-vpn", "pki", "ssh-known-hosts"};
    return out;
}

Entry interfaces() {
    Entry out = container("interfaces", {}, {
        partial("*", {}, {
            description(),
            partial("unit", {uint("UNIT", 0, 16384)}, {
                description(),
                partial("tunnel", {}, {leaf("source", {ipv4()}), leaf("destination", {ipv4()})}),
                partial("family", {}, {
                    partial("inet", {}, {
                        leaf("ipsec-sa", {name("SA")}),
                        partial("address", {value(ValueKind::Ipv4Prefix, "A.B.C.D/LEN")},
                                {leaf("destination", {ipv4()})}),
                    }),
                }, {"inet6", "iso", "mpls", "ccc", "tcc", "vpls", "bridge", "any"}, true),
            }),
        }),
    });
    out.skipped = {"interface-range", "interface-set"};
    return out;
}

Entry protocols() {
    Entry out = container("protocols", {}, {
        partial("bgp", {}, {
            partial("group", {name()}, {
                leaf("type", {choice("TYPE", {"internal", "external"})}),
                leaf("peer-as", {uint("AS", 1, 0xFFFFFFFFull)}),
                leaf("local-address", {ipv4()}),
                description(),
                partial("neighbor", {ipv4()}, {
                    leaf("ipsec-sa", {name("SA")}),
                    leaf("peer-as", {uint("AS", 1, 0xFFFFFFFFull)}),
                    description(),
                }),
            }),
        }),
        partial("ospf3", {}, {
            partial("area", {value(ValueKind::AreaId, "AREA")}, {
                partial("interface", {name("INTERFACE")}, {leaf("ipsec-sa", {name("SA")})}),
            }),
        }),
    });
    // The JUNOS routing and signalling protocols picsec does not model.
    out.skipped = {"amt", "bfd", "connections", "dot1x", "dvmrp", "esis", "evpn", "iccp", "igmp", "igmp-snooping",
                   "isis", "l2circuit", "l2vpn", "lacp", "layer2-control", "ldp", "link-management", "lldp",
                   "lldp-med", "mld", "mld-snooping", "mpls", "msdp", "mstp", "mvpn", "neighbor-discovery", "oam",
                   "ospf", "pcep", "pim", "ppp", "protection-group", "rip", "ripng", "router-advertisement",
                   "router-discovery", "rstp", "rsvp", "sap", "sflow", "stp", "vpls", "vrrp", "vstp"};
    return out;
}

Entry chassis() {
    return partial("chassis", {}, {leaf("platform", {choice("PLATFORM", keywords(pic::platforms()))})});
}

}  // namespace

const Entry& root() {
    static const Entry k_root = [] {
        Entry r = container("", {}, {security(), interfaces(), protocols(), chassis()});
        // The other JUNOS top-level hierarchies: kept and skipped with a note.
        // A word in neither list is an error, so `securty` is still caught.
        r.skipped = {"access", "access-profile", "accounting-options", "applications", "bridge-domains",
                     "class-of-service", "diameter", "dynamic-profiles", "ethernet-switching-options",
                     "event-options", "firewall", "forwarding-options", "groups", "jsrc", "logical-systems",
                     "multi-chassis", "multicast-snooping-options", "poe", "policy-options", "routing-instances",
                     "routing-options", "services", "snmp", "switch-options", "system", "version",
                     "virtual-chassis", "vlans"};
        return r;
    }();
    return k_root;
}

const Entry& unmodelled() {
    static const Entry k_unmodelled = Entry{"", EntryKind::Container, {}, {}, {}, Unknown::Skip};
    return k_unmodelled;
}

bool skipped_everywhere(const std::string& keyword) {
    return keyword == "apply-groups" || keyword == "apply-groups-except" || keyword == "apply-macro" ||
           keyword == "traceoptions";
}

}  // namespace picsec::config::schema
