// ike-peer: an IKEv1 or IKEv2 initiator or responder built on libike for testing
// other implementations: one negotiation with a full report, --expect-fail,
// --mutate (malformed variants of every message, then a fresh negotiation),
// --load (N SAs, rate, latency percentiles; optionally each SA with its own
// identity and INITIAL-CONTACT) and --flood.
#include "cli_args.h"
#include "json.h"
#include "engine_config.h"
#include "load.h"
#include "manual_sas.h"
#include "mutate.h"
#include "report.h"
#include "session.h"

#include "picsec/ike/v2/header.h"

#include <botan/system_rng.h>
#include <botan/hex.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>

#include <algorithm>
#include <iostream>
#include <map>
#include <set>
#include <unistd.h>

namespace picsec::tools::peer {
namespace {

constexpr const char* k_usage =
    "usage: ike-peer --local ADDR[:PORT] --peer ADDR[:PORT] [options]\n"
    "  -c FILE [--sa NAME]     take policies from a JUNOS configuration (the SA's peer and its IKE policy)\n"
    "  --ike LIST              phase-1 proposals ENC/HASH/GROUP[/LIFETIME],... (default 3des-cbc/sha1/group2)\n"
    "  --esp LIST              phase-2 proposals [esp:|ah:|bundle:]ALG[/ALG][/LIFETIME],... (default esp:3des-cbc/hmac-sha1-96)\n"
    "  --pfs GROUP|none        Quick Mode PFS group (default none)\n"
    "  --psk TEXT | --psk-hex HEX   pre-shared key\n"
    "  --mode main|aggressive  --sa-mode tunnel|transport\n"
    "  --ike-version 1|2       IKEv1 (default) or IKEv2: IKE_SA_INIT + IKE_AUTH with the first Child SA\n"
    "                          (RFC 7296; --mode and --pfs do not apply)\n"
    "  --identity ID           our phase-1 ID: an address, user@fqdn, a DN or an FQDN (default our address)\n"
    "  --identity-per-sa       with --load: SA n sends its own ID derived from --identity (default ike-peer.test):\n"
    "                          FQDN load-n.BASE, user-n@fqdn for user@fqdn, the address plus n for an address\n"
    "  --initial-contact       send INITIAL-CONTACT in phase 1 or IKEv2 IKE_AUTH (with --load: in every SA's)\n"
    "  --respond               wait for the peer to initiate instead (local port default 500)\n"
    "  --timeout SECONDS       per negotiation (default 10)\n"
    "  --json                  machine-readable report\n"
    "  --expect-fail           succeed only when the negotiation fails (negative tests)\n"
    "  --mutate                send malformed variants of each message, then check the peer still negotiates\n"
    "                          (IKEv2: IKE_SA_INIT payloads, critical bits, proposals, KE vs group; SK ICV and lengths)\n"
    "  --load N [--rate R] [--concurrency C] [--time-limit SECONDS]   set up N SAs from N source ports\n"
    "  --flood N [--flood-rate R]   send N bogus first messages / malformed datagrams (alone or with --load;\n"
    "                          IKEv2: IKE_SA_INIT requests, the report counts N(COOKIE) answers)\n"
    "  --log-level LEVEL       engine log on stderr (default off)\n";

struct Run {
    PeerSetup setup;
    bool json = false;
    bool expect_fail = false;
    std::chrono::milliseconds timeout{10000};
};

std::optional<double> number(const ParsedArgs& a, const std::string& opt, double fallback, std::string& error) {
    auto v = a.get(opt);
    if (!v) return fallback;
    try {
        std::size_t used = 0;
        const double d = std::stod(*v, &used);
        if (used != v->size() || d < 0) throw std::invalid_argument("");
        return d;
    } catch (const std::exception&) {
        error = "bad " + opt + " value '" + *v + "'";
        return std::nullopt;
    }
}

// Builds the setup from -c FILE or the proposal options.
bool build_setup(const ParsedArgs& a, PeerSetup& s, std::string& error) {
    const bool respond = a.has("--respond");
    s.role = respond ? ike::Role::Responder : ike::Role::Initiator;
    auto version = ike::IkeVersion::V1;
    if (auto v = a.get("--ike-version")) {
        if (*v == "1") version = ike::IkeVersion::V1;
        else if (*v == "2") version = ike::IkeVersion::V2;
        else return error = "--ike-version must be 1 or 2", false;
    }
    auto local = parse_endpoint(a.get("--local").value_or(""), respond ? 500 : 0);
    if (!local)
        return error = a.get("--local") ? "--local " + *a.get("--local") + ": not ADDR[:PORT] (an IPv4 address, port 0-65535)"
                                        : "--local ADDR[:PORT] is required",
               false;
    s.engine.local = *local;
    // Off by default: many SAs with one peer must not replace each other.
    s.engine.send_initial_contact = a.has("--initial-contact");
    s.engine.timers.rekey_margin_ms = 0;
    s.engine.timers.rekey_jitter_ms = 0;
    if (auto file = a.get("-c")) {
        auto model = load_checked_config(*file, std::cerr);
        if (!model) return error = "configuration " + *file + " has errors", false;
        auto plan = plan_daemon(*model, local->address, local->port, local->port);
        if (!plan.problems.empty()) return error = plan.problems.front(), false;
        s.engine.ike_policies = plan.engine.ike_policies;
        s.engine.ipsec_policies = plan.engine.ipsec_policies;
        const auto want = a.get("--sa");
        const ike::IpsecSaPolicy* sa = nullptr;
        for (const auto& p : s.engine.ipsec_policies)
            if (!want || p.name == *want) {
                sa = &p;
                break;
            }
        if (!sa) return error = want ? "no dynamic security-association " + *want : "no dynamic security-association", false;
        s.sa_name = sa->name;
        s.peer = {sa->peer, 500};
        if (auto peer = a.get("--peer")) {
            auto e = parse_endpoint(*peer, 500);
            if (!e || e->address != sa->peer) return error = "--peer must be the SA's peer " + sa->peer.to_string(), false;
            s.peer = *e;
        }
        for (auto& p : s.engine.ike_policies) {
            p.peer_port = s.peer.port;
            if (auto id = a.get("--identity")) p.local_id = *id;
            if (a.get("--ike-version")) p.version = version;  // else the configuration's `version`
        }
        return true;
    }
    auto peer = parse_endpoint(a.get("--peer").value_or(""), 500);
    if (!peer)
        return error = a.get("--peer") ? "--peer " + *a.get("--peer") + ": not ADDR[:PORT] (an IPv4 address, port 0-65535)"
                                       : "--peer ADDR[:PORT] is required",
               false;
    s.peer = *peer;
    ike::IkePolicy ike;
    ike.peer = peer->address;
    ike.peer_port = peer->port;
    ike.local_id = a.get("--identity").value_or("");
    ike.version = version;
    const auto mode = a.get("--mode").value_or("main");
    if (mode == "main") ike.mode = ike::ExchangeMode::Main;
    else if (mode == "aggressive") ike.mode = ike::ExchangeMode::Aggressive;
    else return error = "--mode must be main or aggressive", false;
    auto ike_props = parse_ike_proposals(a.get("--ike").value_or("3des-cbc/sha1/group2"), error);
    if (!ike_props) return false;
    ike.proposals = *ike_props;
    if (auto hex = a.get("--psk-hex")) {
        try {
            ike.pre_shared_key = Botan::hex_decode_locked(*hex);
        } catch (const std::exception&) {
            return error = "--psk-hex is not hexadecimal", false;
        }
    } else {
        const auto text = a.get("--psk").value_or("");
        if (text.empty()) return error = "--psk or --psk-hex is required", false;
        ike.pre_shared_key.assign(text.begin(), text.end());
    }
    ike::IpsecSaPolicy sa;
    sa.name = "ike-peer";
    sa.peer = peer->address;
    auto esp = parse_ipsec_proposals(a.get("--esp").value_or("esp:3des-cbc/hmac-sha1-96"), error);
    if (!esp) return false;
    sa.proposals = *esp;
    const auto pfs = a.get("--pfs").value_or("none");
    if (pfs != "none") {
        auto g = ike::crypto::dh_group_from_keyword(pfs);
        if (!g) return error = "unknown --pfs group '" + pfs + "'", false;
        sa.pfs_group = *g;
    }
    const auto sa_mode = a.get("--sa-mode").value_or("tunnel");
    if (sa_mode == "tunnel") {
        sa.mode = sadb::Mode::Tunnel;
    } else if (sa_mode == "transport") {
        sa.mode = sadb::Mode::Transport;
        sa.local_client = {local->address, 32};
        sa.peer_client = {peer->address, 32};
    } else {
        return error = "--sa-mode must be tunnel or transport", false;
    }
    s.engine.ike_policies.push_back(std::move(ike));
    s.engine.ipsec_policies.push_back(std::move(sa));
    return true;
}

SessionResult negotiate(boost::asio::io_context& io, const PeerSetup& setup, Botan::RandomNumberGenerator& rng,
                        std::chrono::milliseconds timeout, std::function<void(Session&)> prepare = {}) {
    io.restart();
    Session s(io, setup, rng, timeout, [&](Session&) { io.stop(); });
    if (prepare) prepare(s);
    s.start();
    io.run();
    auto r = s.result();
    return r;
}

int single(const Run& run, Botan::RandomNumberGenerator& rng) {
    PeerSetup shown = run.setup;
    boost::asio::io_context io;
    Session s(io, run.setup, rng, run.timeout, [&](Session&) { io.stop(); });
    s.start();
    io.run();
    shown.engine.local = s.local();
    const auto& r = s.result();
    const bool ok = run.expect_fail ? r.outcome != Outcome::Established : r.outcome == Outcome::Established;
    if (run.json) std::cout << report_json(shown, r, run.expect_fail, ok);
    else std::cout << report_text(shown, r) << (run.expect_fail ? (ok ? "expected failure: yes\n" : "expected failure: NO, it was established\n") : "");
    return ok ? 0 : 1;
}

int mutate_run(const Run& run, Botan::RandomNumberGenerator& rng) {
    boost::asio::io_context clean_io;
    const auto clean = negotiate(clean_io, run.setup, rng, run.timeout);
    if (clean.outcome != Outcome::Established) {
        std::cout << "mutate: the clean negotiation did not succeed, nothing to mutate\n" << report_text(run.setup, clean);
        return 1;
    }
    std::vector<MessageRecord> ours;
    for (const auto& m : clean.messages)
        if (m.sent) ours.push_back(m);
    const bool v2 = run.setup.engine.ike_policies.front().version == ike::IkeVersion::V2;
    if (v2) {
        // Our requests only, each once: a retry of IKE_SA_INIT after a COOKIE
        // or INVALID_KE_PAYLOAD repeats exchange and message ID.
        std::vector<MessageRecord> requests;
        for (const auto& m : ours)
            if (std::none_of(requests.begin(), requests.end(), [&](const MessageRecord& r) {
                    return r.event.exchange == m.event.exchange && r.event.message_id == m.event.message_id;
                }))
                requests.push_back(m);
        ours = std::move(requests);
    }
    JsonWriter j;
    j.begin_object().key("positions").begin_array();
    std::size_t total = 0, total_answers = 0, total_answer_bytes = 0;
    for (unsigned k = 1; k <= ours.size(); ++k) {
        std::size_t sent = 0, sent_bytes = 0, answers = 0, answer_bytes = 0;
        boost::asio::io_context io;  // outlives the timer below
        std::shared_ptr<boost::asio::steady_timer> wait;
        // IKEv2 first-message variants each carry their own SPIi: the answers
        // name the variant they refuse (RFC 7296 2.5, 2.6, 1.3).
        std::map<std::vector<std::uint8_t>, std::string> variant_by_spi;
        std::vector<std::pair<std::string, std::string>> answered;
        auto r = negotiate(io, run.setup, rng, run.timeout, [&](Session& s) {
            s.incoming_hook = [&](Session&, std::span<const std::uint8_t> bytes) {
                if (bytes.size() < 8) return;
                auto it = variant_by_spi.find(std::vector<std::uint8_t>(bytes.begin(), bytes.begin() + 8));
                if (it == variant_by_spi.end()) return;
                answered.emplace_back(it->second, v2_answer_summary({bytes.begin(), bytes.end()}));
            };
            s.outgoing_hook = [&, k, done = false](Session& sess, unsigned index, const std::vector<std::uint8_t>& bytes,
                                                   const ike::Endpoint& to) mutable {
                // IKEv2: the datagram that is the clean run's message k (its
                // exchange and message ID), so that a COOKIE or
                // INVALID_KE_PAYLOAD retry in between does not shift the count.
                if (v2) {
                    auto h = ike::v2::decode_header(bytes);
                    if (done || !h || ike::v2::name(static_cast<ike::v2::ExchangeType>(h.value().exchange)) !=
                                          ours[k - 1].event.exchange ||
                        h.value().message_id != ours[k - 1].event.message_id || h.value().response)
                        return true;
                    done = true;
                } else if (index != k) {
                    return true;
                }
                auto variants = mutate(bytes);
                const auto before = sess.datagrams_received();
                const auto bytes_before = sess.bytes_received();
                for (auto& v : variants) {
                    // A first message gets its own cookie: each variant is a separate attempt.
                    if ((k == 1 || (v2 && ours[k - 1].event.exchange == "IKE_SA_INIT")) && v.bytes.size() >= 8) {
                        rng.randomize(v.bytes.data(), 8);
                        if (v2)
                            variant_by_spi[std::vector<std::uint8_t>(v.bytes.begin(), v.bytes.begin() + 8)] = v.name;
                    }
                    sess.send_raw(v.bytes, to);
                    sent_bytes += v.bytes.size();
                }
                sent = variants.size();
                // A window for answers to the variants, then the real message.
                wait = std::make_shared<boost::asio::steady_timer>(sess.io(), std::chrono::milliseconds(250));
                wait->async_wait([&, &sess = sess, bytes, to, before, bytes_before](boost::system::error_code ec) {
                    if (ec) return;
                    answers = sess.datagrams_received() - before;
                    answer_bytes = sess.bytes_received() - bytes_before;
                    sess.send_raw(bytes, to);
                });
                return false;
            };
        });
        total += sent;
        total_answers += answers;
        total_answer_bytes += answer_bytes;
        const auto& m = ours[k - 1].event;
        const auto line = failure_line(r);
        if (!run.json) {
            std::cout << "our message " << k << " (" << m.exchange << ": " << m.summary << "): " << sent
                      << " malformed variants (" << sent_bytes << " bytes), peer answered " << answers << " ("
                      << answer_bytes << " bytes); then the real message: " << to_string(r.outcome)
                      << (line.empty() ? "" : " - " + line) << "\n";
            std::size_t accepted = 0;
            for (const auto& [variant, answer] : answered) {
                if (answer.rfind("HDR, N(", 0) == 0) std::cout << "    " << variant << ": " << answer << "\n";
                else ++accepted;
            }
            if (accepted) std::cout << "    " << accepted << " variants answered as valid requests\n";
        }
        j.begin_object();
        j.field("message", k).field("exchange", m.exchange).field("payloads", m.summary);
        j.field("variants", sent).field("variant_bytes", sent_bytes);
        j.field("answers", answers).field("answer_bytes", answer_bytes);
        j.field("negotiation", to_string(r.outcome));
        j.field("failure", line);
        j.key("answered_variants").begin_array();
        for (const auto& [variant, answer] : answered)
            j.begin_object().field("variant", variant).field("answer", answer).end_object();
        j.end_array();
        j.end_object();
    }
    j.end_array();
    // The peer must still be up: a fresh negotiation from a new port.
    boost::asio::io_context fresh_io;
    const auto fresh = negotiate(fresh_io, run.setup, rng, run.timeout);
    const bool alive = fresh.outcome == Outcome::Established;
    j.field("variants_sent", total).field("answers", total_answers).field("answer_bytes", total_answer_bytes);
    j.field("fresh_negotiation", to_string(fresh.outcome)).field("peer_alive", alive);
    j.end_object();
    if (run.json) {
        std::cout << j.str() << "\n";
    } else {
        char ms[32];
        std::snprintf(ms, sizeof ms, "%.1f", fresh.elapsed_ms);
        std::cout << "after " << total << " malformed messages (" << total_answers
                  << " answered), a fresh negotiation: " << to_string(fresh.outcome) << " in " << ms << " ms"
                  << (alive ? "" : " - " + failure_line(fresh)) << "\n"
                  << (alive ? "peer is up\n" : "PEER DID NOT COMPLETE A FRESH NEGOTIATION\n");
    }
    return alive ? 0 : 1;
}

int load_run(const Run& run, const LoadOptions& o, Botan::RandomNumberGenerator& rng) {
    auto sum = run_load(run.setup, o, rng, std::cerr);
    std::cout << (run.json ? load_json(sum) : load_text(sum));
    if (o.count == 0) return 0;
    return sum.established == sum.requested ? 0 : 1;
}

// A value option given again replaces the earlier one, so a script can
// append an override ("--ike X" after a common option list).
std::vector<std::string> last_wins(const std::vector<std::string>& args, const std::set<std::string>& with_value) {
    std::map<std::string, std::size_t> last;
    for (std::size_t i = 0; i + 1 < args.size(); ++i)
        if (with_value.count(args[i])) {
            last[args[i]] = i;
            ++i;
        }
    std::vector<std::string> out;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (with_value.count(args[i]) && i + 1 < args.size() && last[args[i]] != i) {
            ++i;
            continue;
        }
        out.push_back(args[i]);
    }
    return out;
}

int main_impl(const std::vector<std::string>& raw) {
    const std::set<std::string> with_value{"--local", "--peer", "-c", "--sa", "--ike", "--esp", "--pfs", "--psk",
                                           "--psk-hex", "--mode", "--sa-mode", "--timeout", "--load", "--rate",
                                           "--concurrency", "--time-limit", "--flood", "--flood-rate", "--log-level",
                                           "--identity", "--ike-version"};
    const auto args = last_wins(raw, with_value);
    const auto a = parse_args(args, with_value,
                              {"--respond", "--json", "--expect-fail", "--mutate", "--help", "-h",
                               "--identity-per-sa", "--initial-contact"});
    if (a.has("--help") || a.has("-h")) {
        std::cout << k_usage;
        return 0;
    }
    if (!a.error.empty() || !a.positional.empty()) {
        std::cerr << "ike-peer: " << (a.error.empty() ? "unexpected '" + a.positional.front() + "'" : a.error) << "\n"
                  << k_usage;
        return 2;
    }
    Run run;
    std::string error;
    const auto timeout = number(a, "--timeout", 10, error);
    const auto count = number(a, "--load", 0, error);
    const auto rate = number(a, "--rate", 0, error);
    const auto concurrency = number(a, "--concurrency", 16, error);
    const auto time_limit = number(a, "--time-limit", 120, error);
    const auto flood = number(a, "--flood", 0, error);
    const auto flood_rate = number(a, "--flood-rate", 1000, error);
    if (!error.empty() || !build_setup(a, run.setup, error)) {
        std::cerr << "ike-peer: " << error << "\n";
        return 2;
    }
    run.json = a.has("--json");
    run.expect_fail = a.has("--expect-fail");
    run.timeout = std::chrono::milliseconds(static_cast<long>(*timeout * 1000));
    if (auto level = a.get("--log-level")) {
        auto logger = spdlog::stderr_color_mt("ike-peer");
        logger->set_level(spdlog::level::from_str(*level));
        logger->set_pattern("%H:%M:%S.%e %^%l%$ %v");
        run.setup.engine.logger = logger;
    } else {
        run.setup.engine.logger =
            std::make_shared<spdlog::logger>("ike-peer", std::make_shared<spdlog::sinks::null_sink_mt>());
    }
    Botan::System_RNG rng;  // the OS CSPRNG: no DRBG hashing per call
    const bool load = *count > 0 || *flood > 0;
    if ((load || a.has("--mutate")) && run.setup.role == ike::Role::Responder) {
        std::cerr << "ike-peer: --load, --flood and --mutate need the initiator role\n";
        return 2;
    }
    if (auto id = a.get("--identity"); id && id->empty()) {
        std::cerr << "ike-peer: --identity needs a value\n";
        return 2;
    }
    if (a.has("--identity-per-sa") && *count == 0) {
        std::cerr << "ike-peer: --identity-per-sa needs --load N\n";
        return 2;
    }
    if (load) {
        LoadOptions o;
        o.count = static_cast<std::size_t>(*count);
        o.rate = *rate;
        o.concurrency = std::max<std::size_t>(1, static_cast<std::size_t>(*concurrency));
        o.timeout = run.timeout;
        o.time_limit = std::chrono::milliseconds(static_cast<long>(*time_limit * 1000));
        o.progress = isatty(STDERR_FILENO) != 0;
        o.flood = static_cast<std::size_t>(*flood);
        o.flood_rate = std::max(1.0, *flood_rate);
        if (o.count > 100000 || o.flood > 10000000) {
            std::cerr << "ike-peer: --load is bounded to 100000 SAs and --flood to 10000000 datagrams\n";
            return 2;
        }
        o.identity_per_sa = a.has("--identity-per-sa");
        o.identity_base = a.get("--identity").value_or("ike-peer.test");
        // The last SA's identity is the longest name and the highest address.
        if (o.identity_per_sa && !identity_for_sa(o.identity_base, o.count, error)) {
            std::cerr << "ike-peer: " << error << "\n";
            return 2;
        }
        return load_run(run, o, rng);
    }
    if (a.has("--mutate")) return mutate_run(run, rng);
    return single(run, rng);
}

}  // namespace
}  // namespace picsec::tools::peer

int main(int argc, char** argv) {
    try {
        return picsec::tools::peer::main_impl(std::vector<std::string>(argv + 1, argv + argc));
    } catch (const std::exception& e) {
        std::cerr << "ike-peer: " << e.what() << "\n";
        return 1;
    }
}
