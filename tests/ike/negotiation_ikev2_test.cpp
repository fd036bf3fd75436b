// IKEv2 proposal negotiation (RFC 7296 2.7, 3.3): our proposals as transform
// sets, the responder's choice and mismatch report, the initiator's check.
#include <catch2/catch.hpp>

#include "picsec/ike/v2/negotiation.h"

#include <algorithm>

using namespace picsec;
using namespace picsec::ike;
namespace n2 = picsec::ike::v2::negotiation;
namespace c2 = picsec::ike::v2;

namespace {

negotiation::IkeProposal ike(std::string name, sadb::EncryptionAlgorithm e, crypto::HashAlgorithm h,
                             crypto::DhGroup g) {
    negotiation::IkeProposal p;
    p.name = std::move(name);
    p.encryption = e;
    p.hash = h;
    p.group = g;
    return p;
}

negotiation::IpsecProposal esp(std::string name, sadb::EncryptionAlgorithm e, sadb::AuthenticationAlgorithm a) {
    negotiation::IpsecProposal p;
    p.name = std::move(name);
    p.protocol = sadb::Protocol::Esp;
    p.encryption = e;
    p.authentication = a;
    return p;
}

const auto k_3des = ike("p3des", sadb::EncryptionAlgorithm::TripleDesCbc, crypto::HashAlgorithm::Sha1,
                        crypto::DhGroup::Modp1024);
const auto k_aes = ike("paes", sadb::EncryptionAlgorithm::Aes256Cbc, crypto::HashAlgorithm::Sha256,
                       crypto::DhGroup::Modp2048);

}  // namespace

TEST_CASE("an IKEv2 IKE proposal carries ENCR, PRF, INTEG and D-H with their IANA numbers", "[negotiation][ikev2]") {
    const auto p = n2::ike_proposal(k_aes, 1);
    REQUIRE(p.transforms.size() == 4);
    CHECK(p.protocol == c2::ProtocolId::Ike);
    CHECK(p.spi.empty());
    CHECK(p.transforms[0].type == c2::TransformType::Encr);
    CHECK(p.transforms[0].id == 12);  // ENCR_AES_CBC
    CHECK(p.transforms[0].key_length == 256);
    CHECK(p.transforms[1].type == c2::TransformType::Prf);
    CHECK(p.transforms[1].id == 5);  // PRF_HMAC_SHA2_256
    CHECK(p.transforms[2].type == c2::TransformType::Integ);
    CHECK(p.transforms[2].id == 12);  // AUTH_HMAC_SHA2_256_128
    CHECK(p.transforms[3].type == c2::TransformType::Dh);
    CHECK(p.transforms[3].id == 14);
    const auto q = n2::ike_proposal(k_3des, 2);
    CHECK(q.transforms[0].id == 3);  // ENCR_3DES
    CHECK_FALSE(q.transforms[0].key_length);
    CHECK(q.transforms[1].id == 2);  // PRF_HMAC_SHA1
    CHECK(q.transforms[2].id == 2);  // AUTH_HMAC_SHA1_96
    CHECK(q.transforms[3].id == 2);  // MODP-1024
}

TEST_CASE("the IKEv2 responder picks the first of the initiator's proposals that one of ours matches",
          "[negotiation][ikev2]") {
    const std::vector<negotiation::IkeProposal> theirs{k_aes, k_3des};
    const std::vector<negotiation::IkeProposal> ours{k_3des, k_aes};
    auto r = n2::select_ike(n2::ike_offer(theirs), ours);
    REQUIRE(std::holds_alternative<n2::IkeChoice>(r));
    const auto& c = std::get<n2::IkeChoice>(r);
    CHECK(c.number == 1);
    CHECK(c.proposal.name == "paes");
    // The reply is that proposal alone, and the initiator accepts it.
    const auto reply = n2::ike_reply(c);
    auto back = n2::accept_ike_reply(reply, theirs);
    REQUIRE(std::holds_alternative<n2::IkeChoice>(back));
    CHECK(std::get<n2::IkeChoice>(back).proposal.name == "paes");
}

TEST_CASE("an IKEv2 proposal with several transforms of a type matches on any of them", "[negotiation][ikev2]") {
    auto offer = n2::ike_offer(std::vector{k_aes});
    offer.proposals[0].transforms.insert(offer.proposals[0].transforms.begin(),
                                         c2::Transform{c2::TransformType::Encr, 3, std::nullopt});
    auto r = n2::select_ike(offer, std::vector{k_aes});
    CHECK(std::holds_alternative<n2::IkeChoice>(r));
}

TEST_CASE("an IKEv2 IKE mismatch names each differing transform type", "[negotiation][ikev2]") {
    auto r = n2::select_ike(n2::ike_offer(std::vector{k_3des}), std::vector{k_aes});
    REQUIRE(std::holds_alternative<n2::MismatchReport>(r));
    const auto line = std::get<n2::MismatchReport>(r).to_string();
    CHECK(line.find("encryption-algorithm theirs 3des-cbc ours aes-256-cbc (paes)") != std::string::npos);
    CHECK(line.find("dh-group theirs group2 ours group14") != std::string::npos);
}

TEST_CASE("an IKEv2 Child SA offer in IKE_AUTH ignores D-H and carries ESN none", "[negotiation][ikev2]") {
    const std::vector ours{esp("e1", sadb::EncryptionAlgorithm::Aes128Cbc, sadb::AuthenticationAlgorithm::HmacSha1_96)};
    auto offer = n2::child_offer(ours, 0x12345678);
    REQUIRE(offer.proposals.size() == 1);
    CHECK(offer.proposals[0].protocol == c2::ProtocolId::Esp);
    CHECK(offer.proposals[0].spi == std::vector<std::uint8_t>{0x12, 0x34, 0x56, 0x78});
    CHECK(offer.proposals[0].transforms.back().type == c2::TransformType::Esn);
    CHECK(offer.proposals[0].transforms.back().id == 0);
    // strongSwan may leave a D-H transform in its IKE_AUTH offer: ignored there.
    offer.proposals[0].transforms.push_back(c2::Transform{c2::TransformType::Dh, 14, std::nullopt});
    auto r = n2::select_child(offer, ours);
    REQUIRE(std::holds_alternative<n2::ChildChoice>(r));
    CHECK(std::get<n2::ChildChoice>(r).peer_spi == 0x12345678);
    const auto reply = n2::child_reply(std::get<n2::ChildChoice>(r), 0xabcdef01);
    auto back = n2::accept_child_reply(reply, ours);
    REQUIRE(std::holds_alternative<n2::ChildChoice>(back));
    CHECK(std::get<n2::ChildChoice>(back).peer_spi == 0xabcdef01);
}

TEST_CASE("an IKEv2 Child SA mismatch names the integrity algorithm", "[negotiation][ikev2]") {
    const std::vector theirs{esp("t", sadb::EncryptionAlgorithm::TripleDesCbc, sadb::AuthenticationAlgorithm::HmacMd5_96)};
    const std::vector ours{esp("o", sadb::EncryptionAlgorithm::TripleDesCbc, sadb::AuthenticationAlgorithm::HmacSha1_96)};
    auto r = n2::select_child(n2::child_offer(theirs, 0x10000), ours);
    REQUIRE(std::holds_alternative<n2::MismatchReport>(r));
    CHECK(std::get<n2::MismatchReport>(r).to_string().find("integrity-algorithm theirs hmac-md5-96 ours hmac-sha1-96") !=
          std::string::npos);
}

TEST_CASE("an IKEv2 reply that changes a transform or carries two proposals is refused", "[negotiation][ikev2]") {
    const std::vector ours{k_3des};
    auto reply = n2::ike_offer(ours);
    reply.proposals[0].transforms[0].id = 12;
    reply.proposals[0].transforms[0].key_length = 128;
    auto r = n2::accept_ike_reply(reply, ours);
    REQUIRE(std::holds_alternative<n2::ReplyError>(r));
    CHECK(std::get<n2::ReplyError>(r).to_string().find("encryption-algorithm") != std::string::npos);
    auto two = n2::ike_offer(std::vector{k_3des, k_3des});
    CHECK(std::holds_alternative<n2::ReplyError>(n2::accept_ike_reply(two, ours)));
}

TEST_CASE("an IKEv2 AES-GCM Child SA offers ENCR 20 with a key length and no INTEG, and accepts INTEG NONE",
          "[negotiation][ikev2][gcm]") {
    negotiation::IpsecProposal gcm;
    gcm.name = "gcm";
    gcm.protocol = sadb::Protocol::Esp;
    gcm.encryption = sadb::EncryptionAlgorithm::Aes256Gcm16;
    const std::vector ours{gcm};
    auto offer = n2::child_offer(ours, 0x01020304, crypto::DhGroup::Curve25519);
    REQUIRE(offer.proposals.size() == 1);
    const auto& t = offer.proposals[0].transforms;
    CHECK(t[0].type == c2::TransformType::Encr);
    CHECK(t[0].id == 20);
    CHECK(t[0].key_length == 256);
    CHECK(std::none_of(t.begin(), t.end(), [](const c2::Transform& x) { return x.type == c2::TransformType::Integ; }));
    CHECK(std::any_of(t.begin(), t.end(),
                      [](const c2::Transform& x) { return x.type == c2::TransformType::Dh && x.id == 31; }));
    // RFC 7296 3.3.3: a peer may add INTEG NONE to a combined-mode proposal,
    // in its offer and in its reply.
    offer.proposals[0].transforms.push_back(c2::Transform{c2::TransformType::Integ, 0, std::nullopt});
    auto r = n2::select_child(offer, ours, crypto::DhGroup::Curve25519);
    REQUIRE(std::holds_alternative<n2::ChildChoice>(r));
    auto reply = n2::child_reply(std::get<n2::ChildChoice>(r), 0xabcdef01);
    reply.proposals[0].transforms.push_back(c2::Transform{c2::TransformType::Integ, 0, std::nullopt});
    auto back = n2::accept_child_reply(reply, ours, crypto::DhGroup::Curve25519);
    REQUIRE(std::holds_alternative<n2::ChildChoice>(back));
    // A real integrity transform beside GCM is not ours.
    reply.proposals[0].transforms.back().id = 12;
    CHECK(std::holds_alternative<n2::ReplyError>(n2::accept_child_reply(reply, ours, crypto::DhGroup::Curve25519)));
}

TEST_CASE("an IKEv2 IKE proposal carries the ECP and Curve25519 D-H ids", "[negotiation][ikev2][ecp]") {
    for (const auto& [group, number] : {std::pair{crypto::DhGroup::Ecp256, 19}, std::pair{crypto::DhGroup::Ecp384, 20},
                                       std::pair{crypto::DhGroup::Curve25519, 31}}) {
        const int id = number;  // a copy: clang 14 cannot capture a structured binding
        auto mine = k_aes;
        mine.group = group;
        const std::vector ours{mine};
        const auto offer = n2::ike_offer(ours);
        const auto& t = offer.proposals[0].transforms;
        CHECK(std::any_of(t.begin(), t.end(),
                          [&](const c2::Transform& x) { return x.type == c2::TransformType::Dh && x.id == id; }));
        CHECK(std::holds_alternative<n2::IkeChoice>(n2::select_ike(offer, ours)));
    }
}
