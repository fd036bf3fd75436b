// Phase 2 proposal negotiation: AH, ESP and bundle offers, responder
// selection, mismatch reports, lifetimes and the initiator's reply check
// (RFC 2407 4.4-4.6, RFC 2408 4.2, RFC 2409 5.5).
#include "picsec/ike/negotiation/phase2.h"

#include <catch2/catch.hpp>

#include <functional>
#include <string>

using namespace picsec::ike::negotiation;
namespace sadb = picsec::sadb;
using Enc = sadb::EncryptionAlgorithm;
using Auth = sadb::AuthenticationAlgorithm;

namespace {

IpsecProposal ipsec(std::string name, sadb::Protocol protocol, std::optional<Enc> enc, std::optional<Auth> auth,
                    std::uint32_t seconds = 28800, std::uint64_t kilobytes = 0) {
    return IpsecProposal{std::move(name), protocol, enc, auth, seconds, kilobytes};
}

const IpsecProposal k_esp = ipsec("esp1", sadb::Protocol::Esp, Enc::Aes128Cbc, Auth::HmacSha1_96);
const IpsecProposal k_ah = ipsec("ah1", sadb::Protocol::Ah, std::nullopt, Auth::HmacMd5_96);
const IpsecProposal k_bundle = ipsec("bundle1", sadb::Protocol::Bundle, Enc::TripleDesCbc, Auth::HmacSha1_96);

Phase2Policy policy(std::vector<IpsecProposal> proposals, std::optional<DhGroup> pfs = DhGroup::Modp2048,
                    sadb::Mode mode = sadb::Mode::Tunnel) {
    return Phase2Policy{std::move(proposals), pfs, mode, false};
}

std::string report_line(const std::variant<Phase2Choice, MismatchReport>& r) {
    REQUIRE(std::holds_alternative<MismatchReport>(r));
    return std::get<MismatchReport>(r).to_string();
}

Phase2Choice chosen(const std::variant<Phase2Choice, MismatchReport>& r) {
    if (auto* m = std::get_if<MismatchReport>(&r)) FAIL("unexpected mismatch: " << m->to_string());
    return std::get<Phase2Choice>(r);
}

}  // namespace

TEST_CASE("phase 2 offer numbers our proposals in order and puts a bundle's AH and ESP under one number",
          "[ike][negotiation][phase2]") {
    auto esp = k_esp;
    esp.lifetime_kilobytes = 5000;
    const auto offer = build_phase2_offer(policy({esp, k_ah, k_bundle}, DhGroup::Modp1024));
    REQUIRE(offer.proposals.size() == 3);

    const auto& p1 = offer.proposals[0];
    CHECK(p1.number == 1);
    REQUIRE(p1.protocols.size() == 1);
    CHECK(p1.protocols[0].protocol == protocol_id::Esp);
    REQUIRE(p1.protocols[0].transforms.size() == 1);
    const auto& t = p1.protocols[0].transforms[0];
    CHECK(t.transform_id == 12);  // ESP_AES
    CHECK(t.key_length == std::optional<std::uint16_t>(128));
    CHECK(t.authentication == std::optional<std::uint16_t>(2));  // HMAC-SHA
    CHECK(t.encapsulation == std::optional<std::uint16_t>(encapsulation::Tunnel));
    CHECK(t.group == std::optional<std::uint16_t>(2));
    CHECK(t.life_seconds == std::optional<std::uint32_t>(28800));
    CHECK(t.life_kilobytes == std::optional<std::uint64_t>(5000));

    const auto& p2 = offer.proposals[1];
    CHECK(p2.number == 2);
    REQUIRE(p2.protocols.size() == 1);
    CHECK(p2.protocols[0].protocol == protocol_id::Ah);
    CHECK(p2.protocols[0].transforms.at(0).transform_id == 2);  // AH_MD5
    CHECK(p2.protocols[0].transforms.at(0).authentication == std::optional<std::uint16_t>(1));
    CHECK_FALSE(p2.protocols[0].transforms.at(0).life_kilobytes);

    const auto& p3 = offer.proposals[2];
    CHECK(p3.number == 3);
    REQUIRE(p3.protocols.size() == 2);
    CHECK(p3.protocols[0].protocol == protocol_id::Ah);
    CHECK(p3.protocols[0].transforms.at(0).transform_id == 3);  // AH_SHA
    CHECK(p3.protocols[1].protocol == protocol_id::Esp);
    CHECK(p3.protocols[1].transforms.at(0).transform_id == 3);  // ESP_3DES
    CHECK_FALSE(p3.protocols[1].transforms.at(0).authentication);  // AH authenticates the bundle
}

TEST_CASE("phase 2 encapsulation mode follows the SA mode and NAT-T", "[ike][negotiation][phase2]") {
    struct Case {
        sadb::Mode mode;
        bool udp;
        std::uint16_t wire;
    };
    const auto c = GENERATE(values<Case>({
        {sadb::Mode::Tunnel, false, 1},
        {sadb::Mode::Transport, false, 2},
        {sadb::Mode::Tunnel, true, 3},
        {sadb::Mode::Transport, true, 4},
    }));
    auto pol = policy({k_esp}, std::nullopt, c.mode);
    pol.udp_encapsulated = c.udp;
    const auto t = to_ipsec_transform(k_esp, protocol_id::Esp, pol);
    CHECK(t.encapsulation == std::optional<std::uint16_t>(c.wire));
    CHECK_FALSE(t.group);
}

TEST_CASE("phase 2 responder accepts identical ESP, AH and bundle proposals", "[ike][negotiation][phase2]") {
    const auto which = GENERATE(0, 1, 2);
    const std::vector<IpsecProposal> all{k_esp, k_ah, k_bundle};
    auto offer = build_phase2_offer(policy({all[which]}));
    for (auto& proto : offer.proposals[0].protocols) proto.spi = 0x1000u + proto.protocol;
    const auto c = chosen(select_phase2(offer, policy(all)));
    CHECK(c.proposal_number == 1);
    CHECK(c.our_index == static_cast<std::size_t>(which));
    CHECK(c.proposal == all[which]);
    CHECK(c.pfs_group == std::optional<DhGroup>(DhGroup::Modp2048));
    CHECK(c.mode == sadb::Mode::Tunnel);
    REQUIRE(c.protocols.size() == offer.proposals[0].protocols.size());
    for (std::size_t i = 0; i < c.protocols.size(); ++i) {
        CHECK(c.protocols[i].protocol == offer.proposals[0].protocols[i].protocol);
        CHECK(c.protocols[i].spi == 0x1000u + c.protocols[i].protocol);
        CHECK(c.reply.protocols[i].transforms == offer.proposals[0].protocols[i].transforms);
        CHECK(c.reply.protocols[i].spi == 0);
    }
    CHECK_FALSE(c.send_responder_lifetime);
}

TEST_CASE("phase 2 responder takes the initiator's first acceptable proposal, not its own first",
          "[ike][negotiation][phase2]") {
    auto other = k_esp;
    other.encryption = Enc::DesCbc;
    const auto offer = build_phase2_offer(policy({other, k_bundle, k_esp}));
    const auto c = chosen(select_phase2(offer, policy({k_esp, k_bundle})));
    CHECK(c.proposal_number == 2);
    CHECK(c.our_index == 1);
    CHECK(c.reply.number == 2);
    CHECK(c.reply.protocols.size() == 2);
}

TEST_CASE("phase 2 responder picks the initiator's first matching transform within a protocol",
          "[ike][negotiation][phase2]") {
    auto pol = policy({k_esp});
    auto offer = build_phase2_offer(pol);
    auto& transforms = offer.proposals[0].protocols[0].transforms;
    auto des = transforms[0];
    des.transform_id = 2;  // ESP_DES
    des.key_length.reset();
    transforms.insert(transforms.begin(), des);
    transforms[0].number = 1;
    transforms[1].number = 2;
    transforms.push_back(transforms[1]);
    transforms[2].number = 3;
    const auto c = chosen(select_phase2(offer, pol));
    REQUIRE(c.reply.protocols.at(0).transforms.size() == 1);
    CHECK(c.reply.protocols[0].transforms[0].number == 2);
    CHECK(c.protocols.at(0).transform.number == 2);
}

TEST_CASE("phase 2 mismatch names the first attribute that differed", "[ike][negotiation][phase2][mismatch]") {
    struct Case {
        const char* what;
        std::function<void(Phase2Policy&)> change;
        const char* line;
    };
    const auto c = GENERATE(values<Case>({
        {"encryption", [](Phase2Policy& p) { p.proposals[0].encryption = Enc::TripleDesCbc; },
         "proposal 1 esp transform 1: encryption-algorithm theirs 3des-cbc ours aes-128-cbc (esp1)"},
        {"AES key length", [](Phase2Policy& p) { p.proposals[0].encryption = Enc::Aes256Cbc; },
         "proposal 1 esp transform 1: key-length theirs 256 ours 128 (esp1)"},
        {"no encryption", [](Phase2Policy& p) { p.proposals[0].encryption.reset(); },
         "proposal 1 esp transform 1: encryption-algorithm theirs null ours aes-128-cbc (esp1)"},
        {"authentication", [](Phase2Policy& p) { p.proposals[0].authentication = Auth::HmacMd5_96; },
         "proposal 1 esp transform 1: authentication-algorithm theirs hmac-md5-96 ours hmac-sha1-96 (esp1)"},
        {"no authentication", [](Phase2Policy& p) { p.proposals[0].authentication.reset(); },
         "proposal 1 esp transform 1: authentication-algorithm theirs none ours hmac-sha1-96 (esp1)"},
        {"transport mode", [](Phase2Policy& p) { p.mode = sadb::Mode::Transport; },
         "proposal 1 esp transform 1: encapsulation-mode theirs transport ours tunnel (esp1)"},
        {"UDP encapsulation", [](Phase2Policy& p) { p.udp_encapsulated = true; },
         "proposal 1 esp transform 1: encapsulation-mode theirs udp-tunnel ours tunnel (esp1)"},
        {"PFS off", [](Phase2Policy& p) { p.pfs_group.reset(); },
         "proposal 1 esp transform 1: pfs-group theirs none ours group14 (esp1)"},
        {"PFS group", [](Phase2Policy& p) { p.pfs_group = DhGroup::Modp1024; },
         "proposal 1 esp transform 1: pfs-group theirs group2 ours group14 (esp1)"},
        {"AH instead of ESP", [](Phase2Policy& p) { p.proposals[0] = k_ah; },
         "proposal 1: protocol theirs ah ours esp (esp1)"},
        {"bundle instead of ESP", [](Phase2Policy& p) { p.proposals[0] = k_bundle; },
         "proposal 1: protocol theirs bundle ours esp (esp1)"},
    }));
    INFO(c.what);
    auto theirs = policy({k_esp});
    c.change(theirs);
    CHECK(report_line(select_phase2(build_phase2_offer(theirs), policy({k_esp}))) ==
          std::string("no proposal chosen: ") + c.line);
}

TEST_CASE("phase 2 without PFS rejects an offer with PFS", "[ike][negotiation][phase2][mismatch]") {
    CHECK(report_line(select_phase2(build_phase2_offer(policy({k_esp})), policy({k_esp}, std::nullopt))) ==
          "no proposal chosen: proposal 1 esp transform 1: pfs-group theirs group14 ours none (esp1)");
}

TEST_CASE("phase 2 bundle matches only a bundle", "[ike][negotiation][phase2][mismatch]") {
    const auto ah_sha = ipsec("ah-sha", sadb::Protocol::Ah, std::nullopt, Auth::HmacSha1_96);
    const auto esp_3des = ipsec("esp-3des", sadb::Protocol::Esp, Enc::TripleDesCbc, std::nullopt);
    CHECK(report_line(select_phase2(build_phase2_offer(policy({k_bundle})), policy({ah_sha, esp_3des}))) ==
          "no proposal chosen: proposal 1: protocol theirs bundle ours ah (ah-sha)");
    CHECK(report_line(select_phase2(build_phase2_offer(policy({esp_3des})), policy({k_bundle}))) ==
          "no proposal chosen: proposal 1: protocol theirs esp ours bundle (bundle1)");
}

TEST_CASE("phase 2 bundle mismatch names the protocol whose transform differed",
          "[ike][negotiation][phase2][mismatch]") {
    auto des = k_bundle;
    des.encryption = Enc::DesCbc;
    auto md5 = k_bundle;
    md5.authentication = Auth::HmacMd5_96;
    CHECK(report_line(select_phase2(build_phase2_offer(policy({des})), policy({k_esp, k_bundle}))) ==
          "no proposal chosen: proposal 1 esp transform 1: encryption-algorithm theirs des-cbc ours 3des-cbc (bundle1)");
    CHECK(report_line(select_phase2(build_phase2_offer(policy({md5})), policy({k_bundle}))) ==
          "no proposal chosen: proposal 1 ah transform 1: authentication-algorithm theirs hmac-md5-96 ours "
          "hmac-sha1-96 (bundle1)");
    // The AH half of the ESP-less AH proposal matches ours, the bundle is still refused.
    const auto ah_sha = ipsec("ah-sha", sadb::Protocol::Ah, std::nullopt, Auth::HmacSha1_96);
    CHECK(std::holds_alternative<MismatchReport>(
        select_phase2(build_phase2_offer(policy({ah_sha})), policy({k_bundle}))));
}

TEST_CASE("phase 2 mismatch spans every proposal and transform in one line", "[ike][negotiation][phase2][mismatch]") {
    auto pol = policy({k_esp, k_ah});
    pol.pfs_group = DhGroup::Modp1024;
    auto offer = build_phase2_offer(pol);
    auto second = offer.proposals[0].protocols[0].transforms[0];
    second.number = 2;
    second.transform_id = 99;
    offer.proposals[0].protocols[0].transforms.push_back(second);
    offer.proposals.push_back(OfferedProposal{3, {OfferedProtocol{protocol_id::Esp, 1, {}}}});
    offer.proposals.push_back(OfferedProposal{4, {OfferedProtocol{protocol_id::Ipcomp, 1, {}}}});
    CHECK(report_line(select_phase2(offer, policy({k_esp}))) ==
          "no proposal chosen: proposal 1 esp transform 1: pfs-group theirs group2 ours group14 (esp1); "
          "transform 2: encryption-algorithm theirs unknown(99) ours aes-128-cbc (esp1); "
          "proposal 2: protocol theirs ah ours esp (esp1); "
          "proposal 3 esp: transforms theirs 0 ours 1 or more (esp1); "
          "proposal 4: protocol theirs ipcomp ours esp (esp1)");
}

TEST_CASE("phase 2 lifetime: the shorter wins in seconds and kilobytes, RESPONDER-LIFETIME when ours is shorter",
          "[ike][negotiation][phase2][lifetime]") {
    struct Case {
        std::optional<std::uint32_t> their_seconds;
        std::optional<std::uint64_t> their_kilobytes;
        std::uint32_t our_seconds;
        std::uint64_t our_kilobytes;
        std::uint32_t seconds;
        std::uint64_t kilobytes;
        bool responder_lifetime;
    };
    const auto c = GENERATE(values<Case>({
        {3600, std::nullopt, 3600, 0, 3600, 0, false},
        {28800, std::nullopt, 3600, 0, 3600, 0, true},
        {3600, std::nullopt, 28800, 0, 3600, 0, false},
        {std::nullopt, std::nullopt, 3600, 0, 3600, 0, true},  // absent: 28800 (RFC 2407 4.5)
        {3600, 100000, 3600, 50000, 3600, 50000, true},
        {3600, 50000, 3600, 100000, 3600, 50000, false},
        {3600, std::nullopt, 3600, 50000, 3600, 50000, true},  // none offered: ours limits
        {3600, 50000, 3600, 0, 3600, 50000, false},
    }));
    auto ours = k_esp;
    ours.lifetime_seconds = c.our_seconds;
    ours.lifetime_kilobytes = c.our_kilobytes;
    auto offer = build_phase2_offer(policy({k_esp}));
    auto& t = offer.proposals[0].protocols[0].transforms[0];
    t.life_seconds = c.their_seconds;
    t.life_kilobytes = c.their_kilobytes;
    const auto choice = chosen(select_phase2(offer, policy({ours})));
    CHECK(choice.lifetime_seconds == c.seconds);
    CHECK(choice.lifetime_kilobytes == c.kilobytes);
    CHECK(choice.send_responder_lifetime == c.responder_lifetime);
}

TEST_CASE("phase 2 bundle lifetime is the shortest of its transforms", "[ike][negotiation][phase2][lifetime]") {
    auto offer = build_phase2_offer(policy({k_bundle}));
    offer.proposals[0].protocols[1].transforms[0].life_seconds = 1200;
    const auto c = chosen(select_phase2(offer, policy({k_bundle})));
    CHECK(c.lifetime_seconds == 1200);
    CHECK_FALSE(c.send_responder_lifetime);
}

TEST_CASE("phase 2 finds the one match among many proposals", "[ike][negotiation][phase2]") {
    std::vector<IpsecProposal> ours, theirs;
    for (int i = 0; i < 40; ++i) {
        auto p = k_esp;
        p.name = "p" + std::to_string(i);
        p.encryption = i == 31 ? Enc::Aes256Cbc : Enc::DesCbc;
        theirs.push_back(p);
        if (i < 25) {
            p.encryption = i == 17 ? Enc::Aes256Cbc : Enc::TripleDesCbc;
            ours.push_back(p);
        }
    }
    const auto c = chosen(select_phase2(build_phase2_offer(policy(theirs)), policy(ours)));
    CHECK(c.proposal_number == 32);
    CHECK(c.our_index == 17);
}

TEST_CASE("phase 2 reports an empty offer and an empty policy", "[ike][negotiation][phase2][mismatch]") {
    CHECK(report_line(select_phase2(Phase2Offer{}, policy({k_esp}))) == "no proposal chosen: peer offered no proposals");
    CHECK(report_line(select_phase2(build_phase2_offer(policy({k_esp})), policy({}))) ==
          "no proposal chosen: no local proposals configured");
}

TEST_CASE("phase 2 initiator accepts the responder's unchanged choice with its SPIs",
          "[ike][negotiation][phase2][reply]") {
    const auto ours = policy({k_esp, k_bundle});
    // HDR*, HASH(1), SA, Ni, KE -->  <-- HDR*, HASH(2), SA, Nr, KE
    const auto responder = chosen(select_phase2(build_phase2_offer(ours), policy({k_bundle})));
    auto reply = responder.reply;
    reply.protocols[0].spi = 0xaaaa;
    reply.protocols[1].spi = 0xbbbb;
    const auto r = accept_phase2_reply(ours, reply);
    REQUIRE(std::holds_alternative<Phase2Choice>(r));
    const auto& c = std::get<Phase2Choice>(r);
    CHECK(c.proposal_number == 2);
    CHECK(c.our_index == 1);
    CHECK(c.proposal == k_bundle);
    REQUIRE(c.protocols.size() == 2);
    CHECK(c.protocols[0].spi == 0xaaaa);
    CHECK(c.protocols[1].spi == 0xbbbb);
    CHECK(c.lifetime_seconds == 28800);
    CHECK(c.pfs_group == std::optional<DhGroup>(DhGroup::Modp2048));
}

TEST_CASE("phase 2 initiator applies shorter lifetimes from the reply and RESPONDER-LIFETIME",
          "[ike][negotiation][phase2][reply][lifetime]") {
    const auto ours = policy({k_esp});
    auto reply = build_phase2_offer(ours).proposals[0];
    reply.protocols[0].transforms[0].life_seconds = 7200;
    auto r = accept_phase2_reply(ours, reply, ResponderLifetime{3600, 20000});
    REQUIRE(std::holds_alternative<Phase2Choice>(r));
    CHECK(std::get<Phase2Choice>(r).lifetime_seconds == 3600);
    CHECK(std::get<Phase2Choice>(r).lifetime_kilobytes == 20000);
    r = accept_phase2_reply(ours, reply, ResponderLifetime{99999, std::nullopt});
    REQUIRE(std::holds_alternative<Phase2Choice>(r));
    CHECK(std::get<Phase2Choice>(r).lifetime_seconds == 7200);
    CHECK(std::get<Phase2Choice>(r).lifetime_kilobytes == 0);
}

TEST_CASE("phase 2 initiator rejects a reply that is not what it offered", "[ike][negotiation][phase2][reply]") {
    struct Case {
        const char* what;
        std::function<void(OfferedProposal&)> change;
        const char* line;
    };
    const auto c = GENERATE(values<Case>({
        {"altered mode", [](OfferedProposal& r) { r.protocols[1].transforms[0].encapsulation = encapsulation::Transport; },
         "invalid proposal reply: reply changed proposal 2: esp transform 1: encapsulation-mode theirs transport ours "
         "tunnel (bundle1)"},
        {"PFS dropped", [](OfferedProposal& r) { r.protocols[0].transforms[0].group.reset(); },
         "invalid proposal reply: reply changed proposal 2: ah transform 1: pfs-group theirs none ours group14 (bundle1)"},
        {"longer lifetime", [](OfferedProposal& r) { r.protocols[1].transforms[0].life_seconds = 86400; },
         "invalid proposal reply: reply changed proposal 2: esp transform 1: lifetime-seconds theirs 86400 ours 28800 "
         "(bundle1)"},
        {"half a bundle", [](OfferedProposal& r) { r.protocols.pop_back(); },
         "invalid proposal reply: reply changed proposal 2: protocol theirs ah ours bundle (bundle1)"},
        {"two transforms", [](OfferedProposal& r) { r.protocols[1].transforms.push_back(r.protocols[1].transforms[0]); },
         "invalid proposal reply: reply carries 2 esp transforms, need exactly 1"},
        {"other transform number", [](OfferedProposal& r) { r.protocols[1].transforms[0].number = 2; },
         "invalid proposal reply: reply names esp transform 2, we offered 1"},
        {"proposal never offered", [](OfferedProposal& r) { r.number = 5; },
         "invalid proposal reply: reply names proposal 5, we offered 1..2"},
    }));
    INFO(c.what);
    const auto ours = policy({k_esp, k_bundle});
    auto reply = build_phase2_offer(ours).proposals[1];
    c.change(reply);
    const auto r = accept_phase2_reply(ours, reply);
    REQUIRE(std::holds_alternative<ReplyError>(r));
    CHECK(std::get<ReplyError>(r).to_string() == c.line);
}

TEST_CASE("phase 2 initiator rejects a longer kilobyte lifetime", "[ike][negotiation][phase2][reply][lifetime]") {
    auto esp = k_esp;
    esp.lifetime_kilobytes = 1000;
    const auto ours = policy({esp});
    auto reply = build_phase2_offer(ours).proposals[0];
    reply.protocols[0].transforms[0].life_kilobytes = 2000;
    const auto r = accept_phase2_reply(ours, reply);
    REQUIRE(std::holds_alternative<ReplyError>(r));
    const auto& e = std::get<ReplyError>(r);
    REQUIRE(e.difference);
    CHECK(*e.difference == MismatchEntry{1, "esp", 1, "lifetime-kilobytes", "2000", "1000", "esp1"});
}

TEST_CASE("an ESP AES-GCM proposal is ESP_AES_GCM_16 with a Key Length and no Authentication Algorithm",
          "[ike][negotiation][phase2][gcm]") {
    // RFC 4106 8.4: transform 20, Key Length 128 or 256, no authentication attribute.
    for (const auto& [enc, bits] : {std::pair{Enc::Aes128Gcm16, 128}, std::pair{Enc::Aes256Gcm16, 256}}) {
        const auto q = ipsec("gcm", sadb::Protocol::Esp, enc, std::nullopt);
        const auto offer = build_phase2_offer(policy({q}, DhGroup::Ecp256));
        REQUIRE(offer.proposals.size() == 1);
        const auto& t = offer.proposals[0].protocols[0].transforms[0];
        CHECK(t.transform_id == 20);
        CHECK(t.key_length == bits);
        CHECK_FALSE(t.authentication.has_value());
        CHECK(t.group == 19);
        const auto c = chosen(select_phase2(offer, policy({q}, DhGroup::Ecp256)));
        CHECK(c.proposal.encryption == enc);
        CHECK_FALSE(c.proposal.authentication.has_value());
        auto back = accept_phase2_reply(policy({q}, DhGroup::Ecp256), c.reply);
        CHECK(std::holds_alternative<Phase2Choice>(back));
    }
}

TEST_CASE("an AES-GCM mismatch names the key length, and GCM offered with an HMAC does not match",
          "[ike][negotiation][phase2][gcm][mismatch]") {
    const auto ours = policy({ipsec("gcm", sadb::Protocol::Esp, Enc::Aes256Gcm16, std::nullopt)}, std::nullopt);
    const auto theirs128 = build_phase2_offer(policy({ipsec("t", sadb::Protocol::Esp, Enc::Aes128Gcm16, std::nullopt)}, std::nullopt));
    CHECK(report_line(select_phase2(theirs128, ours)).find("key-length theirs 128 ours 256") != std::string::npos);
    auto with_hmac = build_phase2_offer(ours);
    with_hmac.proposals[0].protocols[0].transforms[0].authentication = 2;
    CHECK(report_line(select_phase2(with_hmac, ours)).find("authentication-algorithm theirs hmac-sha1-96 ours none") !=
          std::string::npos);
}
