// `show ipsec security-associations` output in the JUNOS M-series style, and
// its --json form, over a list of SA states - whether they come from the
// configuration's manual SAs or from a running engine.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "picsec/sadb/sadb.h"

namespace picsec::tools {

enum class ShowLevel { Standard, Brief, Detail };

/// The text output. SAs with the same name are grouped under one
/// "Security association:" heading; a bidirectional SA shows an inbound and
/// an outbound row. States are printed in the order given. Lifetimes in
/// seconds count down from `now` (the SADB's clock, Sadb::now()).
std::string format_ipsec_sas(std::span<const sadb::SaState> sas, ShowLevel level, std::uint64_t now = 0);

/// {"security-associations":[{"name", "local-gateway", "remote-gateway",
///   "directions":[{"direction","spi","aux-spi","mode","type","state",
///   "protocol","authentication","encryption","replay-window",...}]}]}.
/// Lifetimes carry their configured values and, with `now`, the seconds
/// left. Never contains key material.
std::string ipsec_sas_json(std::span<const sadb::SaState> sas, std::uint64_t now = 0);

}  // namespace picsec::tools
