// Phase 1 proposal negotiation: offer layout, responder selection, mismatch
// reports and the initiator's check of the reply (RFC 2409 5, App. A).
#include "picsec/ike/negotiation/phase1.h"

#include <catch2/catch.hpp>

#include <functional>
#include <string>

using namespace picsec::ike::negotiation;
using Enc = picsec::sadb::EncryptionAlgorithm;

namespace {

IkeProposal ike(std::string name, Enc enc, HashAlgorithm hash, AuthMethod auth, DhGroup group,
                std::uint32_t life = 3600) {
    return IkeProposal{std::move(name), enc, hash, auth, group, life};
}

const IkeProposal k_p1 = ike("p1", Enc::Aes128Cbc, HashAlgorithm::Sha1, AuthMethod::PreSharedKeys, DhGroup::Modp2048);
const IkeProposal k_p2 = ike("p2", Enc::TripleDesCbc, HashAlgorithm::Md5, AuthMethod::RsaSignatures, DhGroup::Modp1024);

std::string report_line(const std::variant<Phase1Choice, MismatchReport>& r) {
    REQUIRE(std::holds_alternative<MismatchReport>(r));
    return std::get<MismatchReport>(r).to_string();
}

Phase1Choice chosen(const std::variant<Phase1Choice, MismatchReport>& r) {
    if (auto* m = std::get_if<MismatchReport>(&r)) FAIL("unexpected mismatch: " << m->to_string());
    return std::get<Phase1Choice>(r);
}

}  // namespace

TEST_CASE("phase 1 offer is one proposal whose transforms are our proposals in preference order",
          "[ike][negotiation][phase1]") {
    const auto offer = build_phase1_offer({k_p2, k_p1});
    CHECK(offer.proposal_number == 1);
    REQUIRE(offer.transforms.size() == 2);
    const auto& t1 = offer.transforms[0];
    CHECK(t1.number == 1);
    CHECK(t1.encryption == 5);  // 3DES-CBC
    CHECK_FALSE(t1.key_length);
    CHECK(t1.hash == 1);         // MD5
    CHECK(t1.auth_method == 3);  // RSA signatures
    CHECK(t1.group == 2);
    CHECK(t1.life_seconds == std::optional<std::uint32_t>(3600));
    const auto& t2 = offer.transforms[1];
    CHECK(t2.number == 2);
    CHECK(t2.encryption == 7);  // AES-CBC
    CHECK(t2.key_length == std::optional<std::uint16_t>(128));
    CHECK(t2.hash == 2);
    CHECK(t2.auth_method == 1);
    CHECK(t2.group == 14);
}

TEST_CASE("phase 1 responder accepts an identical proposal", "[ike][negotiation][phase1]") {
    const auto r = select_phase1(build_phase1_offer({k_p1}), {k_p1});
    const auto c = chosen(r);
    CHECK(c.transform_number == 1);
    CHECK(c.our_index == 0);
    CHECK(c.proposal == k_p1);
    CHECK(c.lifetime_seconds == 3600);
    CHECK_FALSE(c.send_responder_lifetime);
    CHECK(c.reply == Phase1Offer{1, {build_phase1_offer({k_p1}).transforms[0]}});
}

TEST_CASE("phase 1 responder takes the initiator's first acceptable transform, not its own first",
          "[ike][negotiation][phase1]") {
    const auto third = ike("p3", Enc::DesCbc, HashAlgorithm::Md5, AuthMethod::PreSharedKeys, DhGroup::Modp768);
    const auto r = select_phase1(build_phase1_offer({third, k_p2, k_p1}), {k_p1, k_p2});
    const auto c = chosen(r);
    CHECK(c.transform_number == 2);
    CHECK(c.our_index == 1);
    CHECK(c.proposal.name == "p2");
    REQUIRE(c.reply.transforms.size() == 1);
    CHECK(c.reply.transforms[0].number == 2);
}

TEST_CASE("phase 1 mismatch names the first attribute that differed", "[ike][negotiation][phase1][mismatch]") {
    struct Case {
        const char* what;
        std::function<void(IkeProposal&)> change;
        const char* line;
    };
    const auto c = GENERATE(values<Case>({
        {"encryption", [](IkeProposal& p) { p.encryption = Enc::TripleDesCbc; },
         "proposal 1 transform 1: encryption-algorithm theirs 3des-cbc ours aes-128-cbc (p1)"},
        {"AES key length", [](IkeProposal& p) { p.encryption = Enc::Aes256Cbc; },
         "proposal 1 transform 1: key-length theirs 256 ours 128 (p1)"},
        {"hash", [](IkeProposal& p) { p.hash = HashAlgorithm::Md5; },
         "proposal 1 transform 1: authentication-algorithm theirs md5 ours sha1 (p1)"},
        {"authentication method", [](IkeProposal& p) { p.auth_method = AuthMethod::RsaSignatures; },
         "proposal 1 transform 1: authentication-method theirs rsa-signatures ours pre-shared-keys (p1)"},
        {"DH group", [](IkeProposal& p) { p.group = DhGroup::Modp1024; },
         "proposal 1 transform 1: dh-group theirs group2 ours group14 (p1)"},
        {"encryption before group", [](IkeProposal& p) { p.encryption = Enc::DesCbc; p.group = DhGroup::Modp768; },
         "proposal 1 transform 1: encryption-algorithm theirs des-cbc ours aes-128-cbc (p1)"},
    }));
    INFO(c.what);
    IkeProposal theirs = k_p1;
    c.change(theirs);
    CHECK(report_line(select_phase1(build_phase1_offer({theirs}), {k_p1})) ==
          std::string("no proposal chosen: ") + c.line);
}

TEST_CASE("phase 1 mismatch renders values we do not know", "[ike][negotiation][phase1][mismatch]") {
    struct Case {
        const char* what;
        std::function<void(Phase1Transform&)> change;
        const char* line;
    };
    const auto c = GENERATE(values<Case>({
        {"unknown cipher", [](Phase1Transform& t) { t.encryption = 3; t.key_length.reset(); },
         "proposal 1 transform 1: encryption-algorithm theirs unknown(3) ours aes-128-cbc (p1)"},
        {"AES without key length", [](Phase1Transform& t) { t.key_length.reset(); },
         "proposal 1 transform 1: key-length theirs none ours 128 (p1)"},
        {"odd AES key length", [](Phase1Transform& t) { t.key_length = 512; },
         "proposal 1 transform 1: key-length theirs 512 ours 128 (p1)"},
        {"unknown group", [](Phase1Transform& t) { t.group = 15; },
         "proposal 1 transform 1: dh-group theirs unknown(15) ours group14 (p1)"},
        {"unknown hash", [](Phase1Transform& t) { t.hash = 3; },
         "proposal 1 transform 1: authentication-algorithm theirs unknown(3) ours sha1 (p1)"},
        {"extra attribute", [](Phase1Transform& t) { t.other_attributes = {16}; },
         "proposal 1 transform 1: attribute 16 theirs present ours none (p1)"},
    }));
    INFO(c.what);
    auto offer = build_phase1_offer({k_p1});
    c.change(offer.transforms[0]);
    CHECK(report_line(select_phase1(offer, {k_p1})) == std::string("no proposal chosen: ") + c.line);
}

TEST_CASE("phase 1 mismatch lists every transform in one line", "[ike][negotiation][phase1][mismatch]") {
    auto a = k_p1;
    a.encryption = Enc::TripleDesCbc;
    auto b = k_p1;
    b.group = DhGroup::Modp1024;
    CHECK(report_line(select_phase1(build_phase1_offer({a, b}), {k_p1})) ==
          "no proposal chosen: proposal 1 transform 1: encryption-algorithm theirs 3des-cbc ours aes-128-cbc (p1); "
          "transform 2: dh-group theirs group2 ours group14 (p1)");
}

TEST_CASE("phase 1 mismatch compares each transform with our closest proposal", "[ike][negotiation][phase1][mismatch]") {
    const auto far = ike("far", Enc::DesCbc, HashAlgorithm::Md5, AuthMethod::RsaSignatures, DhGroup::Modp768);
    auto near = k_p1;
    near.name = "near";
    near.group = DhGroup::Modp1536;
    const auto r = select_phase1(build_phase1_offer({k_p1}), {far, near});
    CHECK(report_line(r) == "no proposal chosen: proposal 1 transform 1: dh-group theirs group14 ours group5 (near)");
    const auto& e = std::get<MismatchReport>(r).entries.at(0);
    CHECK(e == MismatchEntry{1, "", 1, "dh-group", "group14", "group5", "near"});
}

TEST_CASE("phase 1 lifetime: the shorter wins and RESPONDER-LIFETIME follows a shorter own one",
          "[ike][negotiation][phase1][lifetime]") {
    struct Case {
        std::optional<std::uint32_t> theirs;
        std::uint32_t ours;
        std::uint32_t agreed;
        bool responder_lifetime;
    };
    const auto c = GENERATE(values<Case>({
        {28800, 3600, 3600, true},
        {3600, 86400, 3600, false},
        {7200, 7200, 7200, false},
        {std::nullopt, 3600, 3600, true},     // absent: RFC 2407 4.5 default 28800
        {std::nullopt, 86400, 28800, false},
    }));
    auto ours = k_p1;
    ours.lifetime_seconds = c.ours;
    auto offer = build_phase1_offer({k_p1});
    offer.transforms[0].life_seconds = c.theirs;
    const auto choice = chosen(select_phase1(offer, {ours}));
    CHECK(choice.lifetime_seconds == c.agreed);
    CHECK(choice.send_responder_lifetime == c.responder_lifetime);
    CHECK(choice.reply.transforms.at(0).life_seconds == c.theirs);  // reply transform stays unchanged
}

TEST_CASE("phase 1 finds the one match among many proposals", "[ike][negotiation][phase1]") {
    std::vector<IkeProposal> ours, theirs;
    for (int i = 0; i < 20; ++i) {
        auto p = k_p1;
        p.name = "ours" + std::to_string(i);
        p.lifetime_seconds = 1000 + i;
        p.group = DhGroup::Modp768;
        p.hash = i == 13 ? HashAlgorithm::Sha256 : HashAlgorithm::Md5;
        ours.push_back(p);
    }
    for (int i = 0; i < 30; ++i) {
        auto p = k_p1;
        p.group = DhGroup::Modp768;
        p.hash = i == 26 ? HashAlgorithm::Sha256 : HashAlgorithm::Sha1;
        theirs.push_back(p);
    }
    const auto c = chosen(select_phase1(build_phase1_offer(theirs), ours));
    CHECK(c.transform_number == 27);
    CHECK(c.our_index == 13);
    CHECK(c.lifetime_seconds == 1013);
}

TEST_CASE("phase 1 reports an empty offer and an empty configuration", "[ike][negotiation][phase1][mismatch]") {
    CHECK(report_line(select_phase1(Phase1Offer{1, {}}, {k_p1})) == "no proposal chosen: peer offered no proposals");
    CHECK(report_line(select_phase1(build_phase1_offer({k_p1}), {})) ==
          "no proposal chosen: no local proposals configured");
}

TEST_CASE("phase 1 initiator accepts the responder's unchanged choice", "[ike][negotiation][phase1][reply]") {
    const std::vector<IkeProposal> ours{k_p2, k_p1};
    // HDR, SA -->  <-- HDR, SA (the responder picks our transform 2)
    const auto responder = chosen(select_phase1(build_phase1_offer(ours), {k_p1}));
    const auto r = accept_phase1_reply(ours, responder.reply);
    REQUIRE(std::holds_alternative<Phase1Choice>(r));
    const auto& c = std::get<Phase1Choice>(r);
    CHECK(c.transform_number == 2);
    CHECK(c.our_index == 1);
    CHECK(c.proposal == k_p1);
    CHECK(c.lifetime_seconds == 3600);
}

TEST_CASE("phase 1 initiator applies a shorter lifetime from the reply or RESPONDER-LIFETIME",
          "[ike][negotiation][phase1][reply][lifetime]") {
    auto reply = Phase1Offer{1, {build_phase1_offer({k_p1}).transforms[0]}};
    reply.transforms[0].life_seconds = 1800;
    auto r = accept_phase1_reply({k_p1}, reply);
    REQUIRE(std::holds_alternative<Phase1Choice>(r));
    CHECK(std::get<Phase1Choice>(r).lifetime_seconds == 1800);

    r = accept_phase1_reply({k_p1}, reply, 600);
    REQUIRE(std::holds_alternative<Phase1Choice>(r));
    CHECK(std::get<Phase1Choice>(r).lifetime_seconds == 600);

    r = accept_phase1_reply({k_p1}, reply, 99999);  // a longer notify never lengthens it
    REQUIRE(std::holds_alternative<Phase1Choice>(r));
    CHECK(std::get<Phase1Choice>(r).lifetime_seconds == 1800);
}

TEST_CASE("phase 1 initiator rejects a reply that is not what it offered", "[ike][negotiation][phase1][reply]") {
    struct Case {
        const char* what;
        std::function<void(Phase1Offer&)> change;
        const char* line;
    };
    const auto c = GENERATE(values<Case>({
        {"altered group", [](Phase1Offer& r) { r.transforms[0].group = 2; },
         "invalid proposal reply: reply changed proposal 1: transform 2: dh-group theirs group2 ours group14 (p1)"},
        {"altered cipher", [](Phase1Offer& r) { r.transforms[0].encryption = 5; r.transforms[0].key_length.reset(); },
         "invalid proposal reply: reply changed proposal 1: transform 2: encryption-algorithm theirs 3des-cbc ours aes-128-cbc (p1)"},
        {"longer lifetime", [](Phase1Offer& r) { r.transforms[0].life_seconds = 7200; },
         "invalid proposal reply: reply changed proposal 1: transform 2: lifetime-seconds theirs 7200 ours 3600 (p1)"},
        {"transform never offered", [](Phase1Offer& r) { r.transforms[0].number = 3; },
         "invalid proposal reply: reply names transform 3, we offered 1..2"},
        {"two transforms", [](Phase1Offer& r) { r.transforms.push_back(r.transforms[0]); },
         "invalid proposal reply: SA carries 2 transforms, need exactly 1"},
        {"no transform", [](Phase1Offer& r) { r.transforms.clear(); },
         "invalid proposal reply: SA carries 0 transforms, need exactly 1"},
        {"other proposal number", [](Phase1Offer& r) { r.proposal_number = 4; },
         "invalid proposal reply: reply names proposal 4, we offered proposal 1"},
    }));
    INFO(c.what);
    const std::vector<IkeProposal> ours{k_p2, k_p1};
    Phase1Offer reply{1, {build_phase1_offer(ours).transforms[1]}};
    c.change(reply);
    const auto r = accept_phase1_reply(ours, reply);
    REQUIRE(std::holds_alternative<ReplyError>(r));
    CHECK(std::get<ReplyError>(r).to_string() == c.line);
}

TEST_CASE("phase 1 responder without a certificate never chooses an rsa-signatures proposal",
          "[ike][negotiation][phase1][cert]") {
    const auto offer = build_phase1_offer({k_p2, k_p1});
    // With a certificate, the initiator's first transform (rsa-signatures) wins.
    CHECK(chosen(select_phase1(offer, {k_p2, k_p1}, LocalAuthentication{true})).proposal.name == "p2");
    // Without one, its pre-shared-key transform is the first that matches.
    CHECK(chosen(select_phase1(offer, {k_p2, k_p1}, LocalAuthentication{false})).proposal.name == "p1");
    // Nothing else offered: the report names authentication-method.
    const auto line = report_line(select_phase1(build_phase1_offer({k_p2}), {k_p2}, LocalAuthentication{false}));
    CHECK(line == "no proposal chosen: proposal 1 transform 1: authentication-method theirs rsa-signatures ours "
                  "rsa-signatures without a local certificate (p2)");
}
