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
constexpr std::array<unsigned, 2> k_es_replay_windows{32, 64};
// The ES PIC's IKE does the MODP groups only.
constexpr std::array<algo::DhGroup, 4> k_es_dh_groups{algo::DhGroup::Modp768, algo::DhGroup::Modp1024,
                                                      algo::DhGroup::Modp1536, algo::DhGroup::Modp2048};

const std::array<PlatformModel, 3> k_platforms{{
    {Platform::MSeries, "m-series", true, k_es_encryption, k_es_authentication, k_es_encryption,
     k_es_authentication, 256, 16639, true, 512, 7, 3, PicKind::EncryptionServices, "the ES PIC", "es-",
     k_es_replay_windows, k_es_dh_groups},
    {Platform::TSeries, "t-series", false, k_es_encryption, k_es_authentication, k_es_encryption,
     k_es_authentication, 256, 16639, true, 512, 7, 3, PicKind::EncryptionServices, "the ES PIC", "es-",
     k_es_replay_windows, k_es_dh_groups},
    {Platform::MxSeries, "mx-series", false, k_es_encryption, k_es_authentication, k_es_encryption,
     k_es_authentication, 256, 16639, true, 512, 11, 3, PicKind::EncryptionServices, "the ES PIC", "es-",
     k_es_replay_windows, k_es_dh_groups},
}};

// The services PIC (docs/services-pic.md has the sources). Juniper's
// [edit services ipsec-vpn] reference lists des-cbc, 3des-cbc and AES-CBC
// ciphers and hmac-md5-96, hmac-sha1-96, hmac-sha-256-128; AES-GCM and
// HMAC-SHA-384/512 are issue 11's additions. Manual SAs get no AES-GCM:
// RFC 4106 2 requires automated key management for it (a static key and a
// sequence-number nonce repeat nonces after a restart).
constexpr std::array<EncryptionAlgorithm, 5> k_ms_manual_encryption{
    EncryptionAlgorithm::DesCbc, EncryptionAlgorithm::TripleDesCbc, EncryptionAlgorithm::Aes128Cbc,
    EncryptionAlgorithm::Aes192Cbc, EncryptionAlgorithm::Aes256Cbc};
constexpr std::array<EncryptionAlgorithm, 7> k_ms_ike_encryption{
    EncryptionAlgorithm::DesCbc,    EncryptionAlgorithm::TripleDesCbc, EncryptionAlgorithm::Aes128Cbc,
    EncryptionAlgorithm::Aes192Cbc, EncryptionAlgorithm::Aes256Cbc,    EncryptionAlgorithm::Aes128Gcm16,
    EncryptionAlgorithm::Aes256Gcm16};
constexpr std::array<AuthenticationAlgorithm, 5> k_ms_authentication{
    AuthenticationAlgorithm::HmacMd5_96, AuthenticationAlgorithm::HmacSha1_96,
    AuthenticationAlgorithm::HmacSha256_128, AuthenticationAlgorithm::HmacSha384_192,
    AuthenticationAlgorithm::HmacSha512_256};
// Juniper's anti-replay-window-size (services ipsec-vpn) ranges over 64 to
// 4096; the ES PIC's 32 stays allowed. Extended sequence numbers are on.
// picsec's choices where Juniper publishes no figure: the ES PIC's SPI range,
// 4000 dynamic SAs per PIC, AH and tunnel-mode AH allowed, the platform's slots.
constexpr std::array<unsigned, 1> k_ms_replay_windows{32};
constexpr unsigned k_ms_replay_window_max = 4096;
// The MODP groups, ECP-256 and ECP-384 (RFC 5903; JUNOS group19 and group20)
// and Curve25519 (RFC 8031; group31 is picsec's keyword).
constexpr std::array<algo::DhGroup, 7> k_ms_dh_groups{
    algo::DhGroup::Modp768, algo::DhGroup::Modp1024, algo::DhGroup::Modp1536, algo::DhGroup::Modp2048,
    algo::DhGroup::Ecp256,  algo::DhGroup::Ecp384,   algo::DhGroup::Curve25519};

const std::array<PlatformModel, 3> k_services{{
    {Platform::MSeries, "m-series", true, k_ms_manual_encryption, k_ms_authentication, k_ms_ike_encryption,
     k_ms_authentication, 256, 16639, false, 4000, 7, 3, PicKind::Services, "the services PIC", "ms-",
     k_ms_replay_windows, k_ms_dh_groups, k_ms_replay_window_max, true},
    {Platform::TSeries, "t-series", true, k_ms_manual_encryption, k_ms_authentication, k_ms_ike_encryption,
     k_ms_authentication, 256, 16639, false, 4000, 7, 3, PicKind::Services, "the services PIC", "ms-",
     k_ms_replay_windows, k_ms_dh_groups, k_ms_replay_window_max, true},
    {Platform::MxSeries, "mx-series", true, k_ms_manual_encryption, k_ms_authentication, k_ms_ike_encryption,
     k_ms_authentication, 256, 16639, false, 4000, 11, 3, PicKind::Services, "the services PIC", "ms-",
     k_ms_replay_windows, k_ms_dh_groups, k_ms_replay_window_max, true},
}};

const std::array<PlatformModel, 6> k_all{{k_platforms[0], k_platforms[1], k_platforms[2], k_services[0],
                                          k_services[1], k_services[2]}};

template <typename T>
bool contains(std::span<const T> list, T value) {
    return std::find(list.begin(), list.end(), value) != list.end();
}

}  // namespace

std::span<const PlatformModel> platforms() { return k_platforms; }
std::span<const PlatformModel> pic_models() { return k_all; }

const PlatformModel& model(Platform p, PicKind kind) {
    switch (kind) {
        case PicKind::EncryptionServices: return model(p);
        case PicKind::Services:
            for (const auto& row : k_services)
                if (row.id == p) return row;
            throw std::logic_error("platform missing from the services PIC table");
    }
    throw std::logic_error("PIC kind missing");
}

std::string_view to_string(PicKind k) {
    switch (k) {
        case PicKind::EncryptionServices: return "es";
        case PicKind::Services: return "ms";
    }
    return "?";
}

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
bool supports_ike(const PlatformModel& m, algo::DhGroup g) { return contains(m.dh_groups, g); }
bool supports_replay_window(const PlatformModel& m, std::uint64_t packets) {
    if (m.replay_window_max != 0 && packets >= 64 && packets <= m.replay_window_max) return true;
    return std::any_of(m.replay_windows.begin(), m.replay_windows.end(),
                       [&](unsigned w) { return w == packets; });
}

}  // namespace picsec::pic
