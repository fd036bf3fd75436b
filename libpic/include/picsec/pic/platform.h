// The ES PIC model as data: one row per router platform listing what the
// Encryption Services PIC supports there and its limits.
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

/// Everything the PIC on one platform supports and allows. Validation
/// functions (validate.h) and the Pic admission logic read this table only.
struct PlatformModel {
    Platform id;
    std::string_view keyword;  ///< config keyword, e.g. "m-series"
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
};

/// Every platform row, M-series first (the default).
std::span<const PlatformModel> platforms();

/// The row for one platform.
const PlatformModel& model(Platform p);

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

}  // namespace picsec::pic
