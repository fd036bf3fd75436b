// Text and JSON reports of ike-peer runs (see report.h).
#include "report.h"

#include "json.h"

#include "picsec/ike/codec/constants.h"
#include "picsec/ike/v2/constants.h"

#include <cmath>
#include <cstdio>
#include <sstream>

namespace picsec::tools::peer {
namespace {

std::string ms(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", v);
    return buf;
}

std::string notify_name(std::uint16_t n, bool ikev2) {
    if (n == 0) return "none";
    // IKEv1 (RFC 2408 3.14.1) and IKEv2 (RFC 7296 3.10.1) number their notifies differently.
    return ikev2 ? ike::v2::name(static_cast<ike::v2::NotifyType>(n))
                 : ike::codec::to_string(static_cast<ike::codec::NotifyType>(n));
}

std::string spi(std::uint32_t v) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%08x", v);
    return buf;
}

// Our side's offer: the IKE policy for the peer and the SA's phase-2 policy.
struct Offer {
    const ike::IkePolicy* ike = nullptr;
    const ike::IpsecSaPolicy* ipsec = nullptr;
};

Offer offer_of(const PeerSetup& setup) {
    Offer o;
    for (const auto& p : setup.engine.ike_policies)
        if (p.peer == setup.peer.address) o.ike = &p;
    for (const auto& p : setup.engine.ipsec_policies)
        if (p.name == setup.sa_name || (setup.role == ike::Role::Responder && p.peer == setup.peer.address)) {
            o.ipsec = &p;
            break;
        }
    return o;
}

}  // namespace

std::string failure_line(const SessionResult& r) {
    if (r.phase1_failure) {
        const auto& f = *r.phase1_failure;
        return "phase 1: " + std::string(ike::to_string(f.reason)) + ": " + f.detail +
               (f.notify ? " (notify " + notify_name(f.notify, r.ikev2) + ")" : "");
    }
    if (r.phase2_failure) {
        const auto& f = *r.phase2_failure;
        return "phase 2 " + f.name + ": " + std::string(ike::to_string(f.reason)) + ": " + f.detail +
               (f.notify ? " (notify " + notify_name(f.notify, r.ikev2) + ")" : "");
    }
    if (r.outcome == Outcome::Timeout) return "timeout: the peer did not complete the negotiation";
    if (r.outcome == Outcome::Failed) return "failed before the first message (no such SA configured?)";
    return {};
}

std::string report_text(const PeerSetup& setup, const SessionResult& r) {
    std::ostringstream o;
    o << "ike-peer " << ike::to_string(setup.role) << " " << setup.engine.local.to_string() << " <-> "
      << setup.peer.to_string() << "\n";
    const auto offer = offer_of(setup);
    if (offer.ike) {
        for (const auto& p : offer.ike->proposals) o << "  ours phase 1: " << describe(p) << "\n";
        if (!offer.ike->local_id.empty()) o << "  ours identity: " << offer.ike->local_id << "\n";
    }
    if (setup.engine.send_initial_contact) o << "  ours INITIAL-CONTACT in phase 1\n";
    if (offer.ipsec) {
        for (const auto& p : offer.ipsec->proposals)
            o << "  ours phase 2: " << describe(p)
              << (offer.ipsec->pfs_group ? ", PFS " + std::string(ike::crypto::info(*offer.ipsec->pfs_group).keyword) : "")
              << "\n";
    }
    for (const auto& m : r.messages) {
        o << "  +" << ms(m.at_ms) << " ms " << (m.sent ? "-->" : "<--") << " " << m.event.exchange;
        if (m.event.message_id) o << " M-ID " << spi(m.event.message_id);
        o << ": " << m.event.summary << " (" << m.event.length << " bytes)\n";
    }
    if (r.ike_sa) {
        const auto& s = *r.ike_sa;
        if (s.version == ike::IkeVersion::V2) o << "IKE SA: IKEv2 established [";
        else o << "phase 1: " << ike::to_string(s.mode) << " mode established [";
        o << ike::to_hex(s.initiator_cookie) << ":" << ike::to_hex(s.responder_cookie) << "]";
        if (s.proposal) o << ", chosen " << describe(*s.proposal);
        if (s.nat_traversal) o << ", NAT-T";
        o << "\n";
    }
    for (const auto& sa : r.ipsec_sas) {
        o << "phase 2: " << sa.name << " " << sadb::to_string(sa.mode) << ", chosen " << describe(sa.proposal)
          << (sa.pfs_group ? ", PFS " + std::string(ike::crypto::info(*sa.pfs_group).keyword) : ", no PFS")
          << ", SPI in " << spi(sa.inbound_spi) << " out " << spi(sa.outbound_spi) << "\n";
    }
    if (auto f = failure_line(r); !f.empty()) o << "failure: " << f << "\n";
    o << "result: " << to_string(r.outcome) << " after " << ms(r.elapsed_ms) << " ms\n";
    return o.str();
}

std::string report_json(const PeerSetup& setup, const SessionResult& r, bool expect_fail, bool as_expected) {
    JsonWriter j;
    j.begin_object();
    j.field("role", ike::to_string(setup.role));
    j.field("local", setup.engine.local.to_string());
    j.field("peer", setup.peer.to_string());
    j.field("result", to_string(r.outcome));
    j.key("elapsed_ms").raw(ms(r.elapsed_ms));
    j.field("expect_fail", expect_fail);
    j.field("as_expected", as_expected);
    const auto offer = offer_of(setup);
    j.key("offered").begin_object();
    j.key("phase1").begin_array();
    if (offer.ike)
        for (const auto& p : offer.ike->proposals) j.value(describe(p));
    j.end_array();
    j.key("phase2").begin_array();
    if (offer.ipsec)
        for (const auto& p : offer.ipsec->proposals) j.value(describe(p));
    j.end_array();
    j.key("pfs_group");
    if (offer.ipsec && offer.ipsec->pfs_group) j.value(ike::crypto::info(*offer.ipsec->pfs_group).keyword);
    else j.null();
    j.key("identity");
    if (offer.ike && !offer.ike->local_id.empty()) j.value(offer.ike->local_id);
    else j.null();
    j.field("initial_contact", setup.engine.send_initial_contact);
    j.end_object();
    j.key("messages").begin_array();
    for (const auto& m : r.messages) {
        j.begin_object();
        j.key("at_ms").raw(ms(m.at_ms));
        j.field("direction", m.sent ? "sent" : "received");
        j.field("exchange", m.event.exchange);
        j.field("message_id", m.event.message_id);
        j.field("encrypted", m.event.encrypted);
        j.field("payloads", m.event.summary);
        j.field("length", m.event.length);
        j.end_object();
    }
    j.end_array();
    j.key("phase1");
    if (r.ike_sa) {
        const auto& s = *r.ike_sa;
        j.begin_object();
        j.field("mode", s.version == ike::IkeVersion::V2 ? std::string_view("IKEv2") : ike::to_string(s.mode));
        j.field("initiator_cookie", ike::to_hex(s.initiator_cookie));
        j.field("responder_cookie", ike::to_hex(s.responder_cookie));
        if (s.proposal) {
            j.field("encryption", sadb::info(s.proposal->encryption).keyword);
            j.field("hash", ike::crypto::info(s.proposal->hash).keyword);
            j.field("dh_group", ike::crypto::info(s.proposal->group).keyword);
            j.field("authentication_method", ike::crypto::info(s.proposal->auth_method).keyword);
            j.field("lifetime_seconds", s.proposal->lifetime_seconds);
        }
        j.field("nat_traversal", s.nat_traversal);
        j.end_object();
    } else {
        j.null();
    }
    j.key("phase2").begin_array();
    for (const auto& sa : r.ipsec_sas) {
        j.begin_object();
        j.field("name", sa.name);
        j.field("protocol", sadb::to_string(sa.proposal.protocol));
        j.field("mode", sadb::to_string(sa.mode));
        if (sa.proposal.encryption) j.field("encryption", sadb::info(*sa.proposal.encryption).keyword);
        if (sa.proposal.authentication) j.field("authentication", sadb::info(*sa.proposal.authentication).keyword);
        j.key("pfs_group");
        if (sa.pfs_group) j.value(ike::crypto::info(*sa.pfs_group).keyword);
        else j.null();
        j.field("lifetime_seconds", sa.proposal.lifetime_seconds);
        j.field("inbound_spi", spi(sa.inbound_spi));
        j.field("outbound_spi", spi(sa.outbound_spi));
        j.end_object();
    }
    j.end_array();
    j.key("failure");
    if (auto f = failure_line(r); !f.empty()) {
        j.begin_object();
        if (r.phase1_failure) {
            j.field("phase", 1);
            j.field("reason", ike::to_string(r.phase1_failure->reason));
            j.field("detail", r.phase1_failure->detail);
            j.field("notify", notify_name(r.phase1_failure->notify, r.ikev2));
        } else if (r.phase2_failure) {
            j.field("phase", 2);
            j.field("reason", ike::to_string(r.phase2_failure->reason));
            j.field("detail", r.phase2_failure->detail);
            j.field("notify", notify_name(r.phase2_failure->notify, r.ikev2));
        } else {
            j.field("reason", to_string(r.outcome));
        }
        j.field("line", f);
        j.end_object();
    } else {
        j.null();
    }
    j.end_object();
    return j.str() + "\n";
}

double percentile(const std::vector<double>& sorted, double p) {
    if (sorted.empty()) return 0;
    const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
    return sorted[rank == 0 ? 0 : std::min(rank, sorted.size()) - 1];
}

std::string load_text(const LoadSummary& s) {
    std::ostringstream o;
    char rate[32];
    std::snprintf(rate, sizeof rate, "%.1f", s.setups_per_second);
    o << "load: " << s.established << " of " << s.requested << " established, " << s.failed << " failed, "
      << s.timed_out << " timed out, " << s.not_started << " not started, in " << ms(s.elapsed_s) << " s\n";
    if (!s.identities.empty() || s.initial_contact)
        o << "identities: " << (s.identities.empty() ? "our address" : s.identities)
          << (s.initial_contact ? ", INITIAL-CONTACT on each phase 1" : "") << "\n";
    o << "rate: " << rate << " setups/s\n";
    o << "latency ms: p50 " << ms(percentile(s.latencies_ms, 50)) << " p90 " << ms(percentile(s.latencies_ms, 90))
      << " p99 " << ms(percentile(s.latencies_ms, 99)) << " max "
      << ms(s.latencies_ms.empty() ? 0 : s.latencies_ms.back()) << "\n";
    for (const auto& [why, n] : s.failure_reasons) o << "  " << n << " x " << why << "\n";
    if (s.flood_sent)
        o << "flood: " << s.flood_sent << " bogus datagrams (" << s.flood_bytes << " bytes) sent, " << s.flood_answers
          << " answers (" << s.flood_answer_bytes << " bytes) received"
          << (s.flood_cookies ? ", " + std::to_string(s.flood_cookies) + " of them N(COOKIE)" : std::string()) << "\n";
    return o.str();
}

std::string load_json(const LoadSummary& s) {
    JsonWriter j;
    j.begin_object();
    j.field("requested", s.requested);
    j.field("established", s.established);
    j.field("failed", s.failed);
    j.field("timed_out", s.timed_out);
    j.field("not_started", s.not_started);
    j.key("identities");
    if (s.identities.empty()) j.null();
    else j.value(s.identities);
    j.field("initial_contact", s.initial_contact);
    j.key("elapsed_s").raw(ms(s.elapsed_s));
    j.key("setups_per_second").raw(ms(s.setups_per_second));
    j.key("latency_ms").begin_object();
    j.key("p50").raw(ms(percentile(s.latencies_ms, 50)));
    j.key("p90").raw(ms(percentile(s.latencies_ms, 90)));
    j.key("p99").raw(ms(percentile(s.latencies_ms, 99)));
    j.key("max").raw(ms(s.latencies_ms.empty() ? 0 : s.latencies_ms.back()));
    j.end_object();
    j.key("failure_reasons").begin_object();
    for (const auto& [why, n] : s.failure_reasons) j.field(why, n);
    j.end_object();
    j.key("flood").begin_object();
    j.field("sent", s.flood_sent);
    j.field("bytes", s.flood_bytes);
    j.field("answers", s.flood_answers);
    j.field("answer_bytes", s.flood_answer_bytes);
    j.field("cookies", s.flood_cookies);
    j.end_object();
    j.end_object();
    return j.str() + "\n";
}

}  // namespace picsec::tools::peer
