// Install-time validation of a SaSpec against the PIC model (validate_sa.h).
#include "picsec/pic/validate_sa.h"

#include "picsec/pic/validate.h"

namespace picsec::pic {

Check check_sa(const sadb::SaSpec& spec, const PlatformModel& platform) {
    using sadb::Protocol;
    if (auto e = check_protocol_on_platform(platform, spec.protocol)) return e;
    if (auto e = check_mode_protocol(platform, spec.mode, spec.protocol)) return e;
    if (auto e = check_encryption_with_protocol(spec.protocol, spec.encryption.has_value())) return e;
    if (auto e = check_auxiliary_spi_presence(spec.protocol, spec.auxiliary_spi != 0)) return e;
    if (auto e = check_extended_sequence_numbers(platform, spec.extended_sequence_numbers)) return e;
    if (!spec.dynamic) {
        if (auto e = check_spi(platform, spec.spi, SpiKind::Spi)) return e;
        if (spec.protocol == Protocol::Bundle)
            if (auto e = check_spi(platform, spec.auxiliary_spi, SpiKind::AuxiliarySpi)) return e;
    } else {
        if (auto e = check_replay_window(platform, spec.replay_window)) return e;
    }
    switch (spec.protocol) {
        case Protocol::Ah:
            if (!spec.authentication) return Error{"authentication", "protocol ah needs an authentication algorithm"};
            break;
        case Protocol::Esp:
            if (!spec.authentication && !spec.encryption)
                return Error{"encryption", "protocol esp needs encryption, authentication or both"};
            break;
        case Protocol::Bundle:
            if (!spec.authentication) return Error{"authentication", "protocol bundle needs authentication for its AH SA"};
            if (!spec.encryption) return Error{"encryption", "protocol bundle needs encryption for its ESP SA"};
            break;
    }
    if (spec.encryption) {
        if (auto e = spec.dynamic ? check_ike_algorithm(platform, *spec.encryption)
                                  : check_manual_algorithm(platform, *spec.encryption))
            return e;
        if (auto e = check_key(*spec.encryption, spec.encryption_key)) return e;
    }
    if (spec.authentication) {
        if (auto e = spec.dynamic ? check_ike_algorithm(platform, *spec.authentication)
                                  : check_manual_algorithm(platform, *spec.authentication))
            return e;
        if (auto e = check_key(*spec.authentication, spec.authentication_key)) return e;
    }
    return std::nullopt;
}

}  // namespace picsec::pic
