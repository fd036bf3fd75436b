// Classic pcap file reading and writing for the tools: IPv4 packets in and
// out of Ethernet (DLT 1) or raw-IP (DLT 101 / 228) captures.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace picsec::tools {

/// One captured frame: its timestamp, the link-layer header that preceded the
/// IPv4 packet (kept so output files mirror the input) and the IPv4 packet.
struct PcapPacket {
    std::uint32_t ts_sec = 0;
    std::uint32_t ts_frac = 0;  ///< microseconds (or nanoseconds when the file says so)
    std::vector<std::uint8_t> link_header;
    std::vector<std::uint8_t> ip;  ///< the IPv4 packet, empty when the frame carries something else
    std::string skipped_reason;    ///< why `ip` is empty (e.g. "ethertype 0x86dd is not IPv4")
};

/// A whole capture file.
struct PcapFile {
    std::uint32_t link_type = 1;
    bool nanosecond = false;
    std::uint32_t snaplen = 65535;
    std::vector<PcapPacket> packets;
};

/// Link types understood by read_pcap.
inline constexpr std::uint32_t k_link_ethernet = 1;
inline constexpr std::uint32_t k_link_raw = 101;
inline constexpr std::uint32_t k_link_ipv4 = 228;

/// Result of reading: the file, or an error naming the file, the record and
/// the field that was wrong.
struct PcapReadResult {
    std::optional<PcapFile> file;
    std::string error;
};

/// Parses pcap bytes. `name` is used in error messages only.
PcapReadResult parse_pcap(const std::vector<std::uint8_t>& bytes, const std::string& name);
PcapReadResult read_pcap(const std::filesystem::path& path);

/// Serialises a capture; each packet is written as link_header + ip.
std::vector<std::uint8_t> serialize_pcap(const PcapFile& file);
/// Writes a capture; returns an error text, empty on success.
std::string write_pcap(const std::filesystem::path& path, const PcapFile& file);

}  // namespace picsec::tools
