// The per-platform ES PIC table (see platform.h).
#include "picsec/pic/platform.h"

#include <algorithm>
#include <array>
#include <stdexcept>

namespace picsec::pic {
namespace {

using sadb::AuthenticationAlgorithm;
using sadb::EncryptionAlgorithm;

// The ES PIC does DES and 3DES with HMAC-MD5-96 / HMAC-SHA1-96 in hardware,
// for manual SAs and for SAs negotiated by IKE alike.
constexpr std::array<EncryptionAlgorithm, 2> k_es_encryption{EncryptionAlgorithm::DesCbc,
                                                             EncryptionAlgorithm::TripleDesCbc};
constexpr std::array<AuthenticationAlgorithm, 2> k_es_authentication{
    AuthenticationAlgorithm::HmacMd5_96, AuthenticationAlgorithm::HmacSha1_96};

const std::array<PlatformModel, 3> k_platforms{{
    {Platform::MSeries, "m-series", true, k_es_encryption, k_es_authentication, k_es_encryption,
     k_es_authentication, 256, 16639, true, 512, 7, 3},
    {Platform::TSeries, "t-series", false, k_es_encryption, k_es_authentication, k_es_encryption,
     k_es_authentication, 256, 16639, true, 512, 7, 3},
    {Platform::MxSeries, "mx-series", false, k_es_encryption, k_es_authentication, k_es_encryption,
     k_es_authentication, 256, 16639, true, 512, 11, 3},
}};

template <typename T>
bool contains(std::span<const T> list, T value) {
    return std::find(list.begin(), list.end(), value) != list.end();
}

}  // namespace

std::span<const PlatformModel> platforms() { return k_platforms; }

const PlatformModel& model(Platform p) {
    for (const auto& row : k_platforms)
        if (row.id == p) return row;
    throw std::logic_error("platform missing from the ES PIC table");
}

const PlatformModel& default_model() { return model(Platform::MSeries); }

std::optional<Platform> platform_from_keyword(std::string_view keyword) {
    for (const auto& row : k_platforms)
        if (row.keyword == keyword) return row.id;
    return std::nullopt;
}

std::string_view to_string(Platform p) { return model(p).keyword; }

bool supports_manual(const PlatformModel& m, sadb::EncryptionAlgorithm a) { return contains(m.manual_encryption, a); }
bool supports_manual(const PlatformModel& m, sadb::AuthenticationAlgorithm a) {
    return contains(m.manual_authentication, a);
}
bool supports_ike(const PlatformModel& m, sadb::EncryptionAlgorithm a) { return contains(m.ike_encryption, a); }
bool supports_ike(const PlatformModel& m, sadb::AuthenticationAlgorithm a) { return contains(m.ike_authentication, a); }

}  // namespace picsec::pic
