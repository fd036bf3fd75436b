// Pure PIC validation rules (ES PIC and services PIC, by their model rows), shared by the commit check (libconfig) and by
// SA installation at run time. Each returns an empty Check or an Error.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "picsec/pic/error.h"
#include "picsec/pic/platform.h"
#include "picsec/sadb/algorithms.h"

namespace picsec::pic {

/// How a manual key is written in the configuration.
enum class KeyEncoding { AsciiText, Hexadecimal };

/// Which SPI of an SA a number is: the SA's SPI, or the auxiliary SPI (the
/// ESP SPI of a bundle).
enum class SpiKind { Spi, AuxiliarySpi };

/// DES key strength per RFC 2409 Appendix A (parity bits ignored).
enum class DesKeyClass { Normal, Weak, SemiWeak };

std::string_view to_string(KeyEncoding e);  ///< "ascii-text" / "hexadecimal"

/// SPI (or auxiliary SPI) within the platform's manual range (256..16639).
Check check_spi(const PlatformModel& platform, std::uint64_t spi, SpiKind kind = SpiKind::Spi);

/// A configured key's length in characters: ascii-text needs key_bytes
/// characters, hexadecimal 2 * key_bytes (an optional "0x" is not counted).
Check check_key_text(sadb::AuthenticationAlgorithm a, KeyEncoding encoding, std::size_t characters);
Check check_key_text(sadb::EncryptionAlgorithm a, KeyEncoding encoding, std::size_t characters);

/// Classifies an 8-byte DES key against the 4 weak and 12 semi-weak keys of
/// RFC 2409 Appendix A, ignoring parity (the low bit of each byte).
DesKeyClass classify_des_key(std::span<const std::uint8_t, 8> key);

/// Key bytes: length for the algorithm, then for DES no weak or semi-weak
/// key, and for 3DES no weak part and no part1 == part2 or part2 == part3.
Check check_key(sadb::EncryptionAlgorithm a, std::span<const std::uint8_t> key);
Check check_key(sadb::AuthenticationAlgorithm a, std::span<const std::uint8_t> key);

/// AH and the AH+ESP bundle exist only where the platform has AH (M-series).
Check check_protocol_on_platform(const PlatformModel& platform, sadb::Protocol protocol);

/// Tunnel mode carries ESP only on the ES PIC.
Check check_mode_protocol(const PlatformModel& platform, sadb::Mode mode, sadb::Protocol protocol);

/// AH authenticates only: no encryption may be configured with protocol ah.
Check check_encryption_with_protocol(sadb::Protocol protocol, bool encryption_configured);

/// A bundle needs an auxiliary SPI (its ESP SPI); other protocols take none.
Check check_auxiliary_spi_presence(sadb::Protocol protocol, bool auxiliary_spi_configured);

/// The algorithm is one the PIC offers for manual SAs.
Check check_manual_algorithm(const PlatformModel& platform, sadb::EncryptionAlgorithm a);
Check check_manual_algorithm(const PlatformModel& platform, sadb::AuthenticationAlgorithm a);

/// The algorithm is one IKE may negotiate for a dynamic SA on this PIC.
Check check_ike_algorithm(const PlatformModel& platform, sadb::EncryptionAlgorithm a);
Check check_ike_algorithm(const PlatformModel& platform, sadb::AuthenticationAlgorithm a);

/// The DH group is one IKE may use for this PIC's SAs; `statement` names
/// where it was configured ("dh-group" or "perfect-forward-secrecy keys").
Check check_ike_dh_group(const PlatformModel& platform, algo::DhGroup g, std::string_view statement);

/// Anti-replay window of a dynamic SA: one of the PIC's sizes (32 or 64 on
/// the ES PIC, the default; 32 or 64 to 4096 on the services PIC).
Check check_replay_window(std::uint64_t packets);
Check check_replay_window(const PlatformModel& platform, std::uint64_t packets);

/// Extended sequence numbers (RFC 4304) asked for on a PIC that has them.
Check check_extended_sequence_numbers(const PlatformModel& platform, bool esn);

/// `count` dynamic SAs on one PIC against a limit (the platform's by default).
Check check_dynamic_sa_count(std::string_view pic_name, std::size_t count, std::size_t limit);

}  // namespace picsec::pic
