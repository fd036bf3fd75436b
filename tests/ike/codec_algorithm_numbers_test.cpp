// The IANA numbers of the algorithm table (libbase) against the codec's
// registries: every number picsec puts on the wire is one the codec names.
#include <picsec/base/algorithms.h>
#include <picsec/ike/codec/attributes.h>
#include <picsec/ike/codec/constants.h>

#include <catch2/catch.hpp>

#include <string>

using namespace picsec::ike::codec;
namespace algo = picsec::algo;

namespace {

// Every row's IKE attribute value, read as the codec's registry enum Code, is known.
template <class Code, class Rows>
void check_known(const Rows& rows) {
    for (const auto& row : rows) {
        INFO(row.keyword);
        if constexpr (requires { row.ike_phase1(); })
            if (!row.ike_phase1()) continue;  // an ESP-only cipher (AES-GCM) has no phase-1 number
        CHECK(is_known(static_cast<Code>(row.ike_attribute)));
    }
}

}  // namespace

TEST_CASE("every IKE attribute value in the algorithm table is a known RFC 2409 Appendix A value",
          "[ike][codec][algorithms]") {
    check_known<IkeEncryption>(algo::encryption_algorithms());
    check_known<IkeHash>(algo::hash_algorithms());
    check_known<AuthMethod>(algo::auth_methods());
    check_known<GroupDescription>(algo::dh_groups());
    CHECK(static_cast<ExchangeType>(algo::info(algo::ExchangeMode::Main).exchange_type) ==
          ExchangeType::IdentityProtection);
    CHECK(static_cast<ExchangeType>(algo::info(algo::ExchangeMode::Aggressive).exchange_type) ==
          ExchangeType::Aggressive);
}

TEST_CASE("every IPsec number in the algorithm table names an RFC 2407 transform or attribute value",
          "[ike][codec][algorithms]") {
    for (const auto& row : algo::encryption_algorithms()) {
        INFO(row.keyword);
        CHECK(transform_id_name(ProtocolId::IpsecEsp, static_cast<std::uint8_t>(row.esp_transform_id)).rfind("ESP_", 0) == 0);
    }
    for (const auto& row : algo::authentication_algorithms()) {
        INFO(row.keyword);
        CHECK(transform_id_name(ProtocolId::IpsecAh, static_cast<std::uint8_t>(row.ah_transform_id)).rfind("AH_", 0) == 0);
        CHECK(is_known(static_cast<IpsecAuthAlgorithm>(row.ipsec_auth_attribute)));
    }
}
