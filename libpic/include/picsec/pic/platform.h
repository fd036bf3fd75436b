// The PIC models as data: for each kind of PIC that does IPsec, one row per
// router platform listing what that PIC supports there and its limits.
//
// - The Encryption Services (ES) PIC, interfaces es-FPC/PIC/0: DES and 3DES
//   with HMAC-MD5-96 / HMAC-SHA1-96.
// - The services PIC (a Multiservices PIC, MS-MPC or MS-MIC), interfaces
//   ms-FPC/PIC/0: AES-CBC, AES-GCM for IKE-negotiated SAs, the SHA-2 HMACs,
//   and the ECP and Curve25519 DH groups for IKE.
//   Sources and picsec's own choices: docs/services-pic.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "picsec/sadb/algorithms.h"

namespace picsec::pic {

/// Router families that carry an ES PIC. AH is only offered on M-series.
enum class Platform { MSeries, TSeries, MxSeries };

/// The kinds of PIC that do IPsec, each named by its interface prefix.
enum class PicKind {
    EncryptionServices,  ///< the ES PIC, es-FPC/PIC/0
    Services,            ///< a Multiservices PIC (MS-MPC, MS-MIC), ms-FPC/PIC/0
};

/// Everything one kind of PIC on one platform supports and allows. Validation
/// functions (validate.h) and the Pic admission logic read this table only.
struct PlatformModel {
    Platform id;
    std::string_view keyword;  ///< the platform's config keyword, e.g. "m-series"
    bool ah_supported;         ///< AH (and so the AH+ESP bundle) available
    std::span<const sadb::EncryptionAlgorithm> manual_encryption;  ///< allowed in manual SAs
    std::span<const sadb::AuthenticationAlgorithm> manual_authentication;
    std::span<const sadb::EncryptionAlgorithm> ike_encryption;      ///< phase 2 (dynamic SAs)
    std::span<const sadb::AuthenticationAlgorithm> ike_authentication;
    std::uint32_t spi_min;     ///< lowest SPI (and auxiliary SPI) of a manual SA
    std::uint32_t spi_max;     ///< highest SPI (and auxiliary SPI) of a manual SA
    bool tunnel_esp_only;      ///< tunnel mode carries ESP only (no AH, no bundle)
    std::size_t dynamic_sa_limit;  ///< dynamic SAs per PIC (vendor recommendation)
    std::uint32_t max_fpc;     ///< highest FPC slot number in es-FPC/PIC/PORT
    std::uint32_t max_pic;     ///< highest PIC slot number
    PicKind kind = PicKind::EncryptionServices;
    std::string_view pic_label = "the ES PIC";   ///< in messages: "the ES PIC", "the services PIC"
    std::string_view interface_prefix = "es-";   ///< "es-" or "ms-"
    std::span<const unsigned> replay_windows = {};  ///< anti-replay window sizes of a dynamic SA
    std::span<const algo::DhGroup> dh_groups = {};  ///< IKE SA dh-group and Quick Mode / Child SA PFS groups
    /// When not 0, any window from 64 up to this size is allowed too.
    unsigned replay_window_max = 0;
    /// Extended sequence numbers (RFC 4303 2.2.1, RFC 4304) on its SAs.
    bool extended_sequence_numbers = false;
};

/// Every ES PIC row, M-series first (the default): the platforms.
std::span<const PlatformModel> platforms();
/// Every row of every PIC kind.
std::span<const PlatformModel> pic_models();

/// The ES PIC row for one platform.
const PlatformModel& model(Platform p);
/// The row of one kind of PIC on one platform.
const PlatformModel& model(Platform p, PicKind kind);

std::string_view to_string(PicKind k);  ///< "es" / "ms"

/// The default platform row (M-series).
const PlatformModel& default_model();

std::optional<Platform> platform_from_keyword(std::string_view keyword);
std::string_view to_string(Platform p);

/// True when the platform's PIC accepts this algorithm in a manual SA.
bool supports_manual(const PlatformModel& m, sadb::EncryptionAlgorithm a);
bool supports_manual(const PlatformModel& m, sadb::AuthenticationAlgorithm a);
/// True when IKE may negotiate this algorithm for a dynamic SA on this PIC.
bool supports_ike(const PlatformModel& m, sadb::EncryptionAlgorithm a);
bool supports_ike(const PlatformModel& m, sadb::AuthenticationAlgorithm a);
/// True when IKE may use this DH group (IKE SA or PFS) for this PIC's SAs.
bool supports_ike(const PlatformModel& m, algo::DhGroup g);
/// True when a dynamic SA may have this anti-replay window on this PIC.
bool supports_replay_window(const PlatformModel& m, std::uint64_t packets);

}  // namespace picsec::pic
