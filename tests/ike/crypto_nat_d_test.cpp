// RFC 3947 NAT-D hashes against the NAT-D payloads strongSwan sent.
#include "crypto_sample.h"

#include "picsec/ike/crypto/nat_d.h"

#include <catch2/catch.hpp>

using namespace picsec::ike::crypto;
using namespace picsec::ike::crypto::test;

namespace {
const Bytes k_a{10, 99, 0, 1};  // side A, the initiator
const Bytes k_b{10, 99, 0, 2};
}  // namespace

TEST_CASE("NAT-D hashes equal the payloads of a Main Mode without NAT", "[ike][crypto][nat-d]") {
    for (const auto& sc : psk_scenarios()) {
        if (sc.aggressive || std::string(sc.name).find("encap") != std::string::npos) continue;
        INFO(sc.name);
        const auto t = load_transcript(sc);
        const auto& m3 = t.phase1.at(2);
        const auto& m4 = t.phase1.at(3);
        // RFC 3947 3.2: the first NAT-D is the receiver's address, then the sender's.
        CHECK(m3.first(NAT_D, 0).body == nat_d_hash(sc.hash, t.cky_i, t.cky_r, k_b, 500));
        CHECK(m3.first(NAT_D, 1).body == nat_d_hash(sc.hash, t.cky_i, t.cky_r, k_a, 500));
        CHECK(m4.first(NAT_D, 0).body == nat_d_hash(sc.hash, t.cky_i, t.cky_r, k_a, 500));
        CHECK(m4.first(NAT_D, 1).body == nat_d_hash(sc.hash, t.cky_i, t.cky_r, k_b, 500));
        CHECK(nat_d_hash(sc.hash, t.cky_i, t.cky_r, k_b, 500).size() == info(sc.hash).output_bytes);
    }
}

TEST_CASE("with forced encapsulation only the peer's NAT-D matches the real address", "[ike][crypto][nat-d]") {
    // encap = yes: both strongSwan ends fake their own (source) NAT-D so the
    // other side believes it is behind a NAT and moves to port 4500.
    const auto t = load_transcript(psk_scenarios().at(3));
    const auto h = HashAlgorithm::Sha1;
    const auto& m3 = t.phase1.at(2);
    const auto& m4 = t.phase1.at(3);
    CHECK(m3.first(NAT_D, 0).body == nat_d_hash(h, t.cky_i, t.cky_r, k_b, 500));
    CHECK(m3.first(NAT_D, 1).body != nat_d_hash(h, t.cky_i, t.cky_r, k_a, 500));
    CHECK(m4.first(NAT_D, 0).body == nat_d_hash(h, t.cky_i, t.cky_r, k_a, 500));
    CHECK(m4.first(NAT_D, 1).body != nat_d_hash(h, t.cky_i, t.cky_r, k_b, 500));
    CHECK(to_hex(nat_d_hash(h, t.cky_i, t.cky_r, k_b, 500)) == t.sample.text("log.natd_hash.1"));
    // Port and address both enter the hash.
    CHECK(nat_d_hash(h, t.cky_i, t.cky_r, k_b, 4500) != nat_d_hash(h, t.cky_i, t.cky_r, k_b, 500));
    CHECK_THROWS_AS(nat_d_hash(h, t.cky_i, t.cky_r, Bytes(5, 0), 500), CryptoError);
    CHECK(nat_d_hash(h, t.cky_i, t.cky_r, Bytes(16, 0), 500).size() == 20);
}
