// Classic pcap (not pcapng) reader and writer with every length checked.
#include "pcap.h"

#include <fstream>
#include <iterator>
#include <sstream>

namespace picsec::tools {
namespace {

constexpr std::uint32_t k_magic_us = 0xa1b2c3d4;
constexpr std::uint32_t k_magic_ns = 0xa1b23c4d;
constexpr std::size_t k_global_header = 24;
constexpr std::size_t k_record_header = 16;
constexpr std::uint32_t k_max_record = 262144;

std::uint32_t load32(const std::uint8_t* p, bool swap) {
    std::uint32_t v = std::uint32_t(p[0]) | std::uint32_t(p[1]) << 8 | std::uint32_t(p[2]) << 16 |
                      std::uint32_t(p[3]) << 24;
    if (swap) v = __builtin_bswap32(v);
    return v;
}

void store32(std::vector<std::uint8_t>& out, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

void store16(std::vector<std::uint8_t>& out, std::uint16_t v) {
    out.push_back(static_cast<std::uint8_t>(v));
    out.push_back(static_cast<std::uint8_t>(v >> 8));
}

// Splits a frame into link header and IPv4 packet, or says why it cannot.
void split_frame(std::uint32_t link_type, const std::uint8_t* p, std::size_t n, PcapPacket& pkt) {
    std::size_t offset = 0;
    if (link_type == k_link_ethernet) {
        if (n < 14) {
            pkt.skipped_reason = "frame shorter than an Ethernet header (got " + std::to_string(n) + " bytes, need 14)";
            pkt.link_header.assign(p, p + n);
            return;
        }
        offset = 14;
        std::uint16_t ethertype = std::uint16_t(p[12] << 8 | p[13]);
        if (ethertype == 0x8100 && n >= 18) {
            offset = 18;
            ethertype = std::uint16_t(p[16] << 8 | p[17]);
        }
        if (ethertype != 0x0800) {
            std::ostringstream why;
            why << "ethertype 0x" << std::hex << ethertype << " is not IPv4";
            pkt.skipped_reason = why.str();
            pkt.link_header.assign(p, p + n);
            return;
        }
    }
    pkt.link_header.assign(p, p + offset);
    if (n - offset < 1 || (p[offset] >> 4) != 4) {
        pkt.skipped_reason = "not an IPv4 packet";
        pkt.link_header.assign(p, p + n);
        return;
    }
    pkt.ip.assign(p + offset, p + n);
}

}  // namespace

PcapReadResult parse_pcap(const std::vector<std::uint8_t>& bytes, const std::string& name) {
    PcapReadResult result;
    if (bytes.size() < k_global_header) {
        result.error = name + ": pcap global header truncated (got " + std::to_string(bytes.size()) +
                       " bytes, need 24)";
        return result;
    }
    const std::uint32_t magic = load32(bytes.data(), false);
    bool swap = false;
    PcapFile file;
    if (magic == k_magic_us || magic == k_magic_ns) {
        file.nanosecond = magic == k_magic_ns;
    } else if (__builtin_bswap32(magic) == k_magic_us || __builtin_bswap32(magic) == k_magic_ns) {
        swap = true;
        file.nanosecond = __builtin_bswap32(magic) == k_magic_ns;
    } else {
        std::ostringstream why;
        why << name << ": not a pcap file: magic number 0x" << std::hex << magic
            << " (pcapng is not supported; convert with editcap -F pcap)";
        result.error = why.str();
        return result;
    }
    file.snaplen = load32(bytes.data() + 16, swap);
    file.link_type = load32(bytes.data() + 20, swap) & 0x0fffffff;
    if (file.link_type != k_link_ethernet && file.link_type != k_link_raw && file.link_type != k_link_ipv4) {
        result.error = name + ": link type " + std::to_string(file.link_type) +
                       " is not supported (need 1 Ethernet, 101 raw IP or 228 IPv4)";
        return result;
    }
    std::size_t pos = k_global_header;
    std::size_t index = 0;
    while (pos < bytes.size()) {
        ++index;
        if (bytes.size() - pos < k_record_header) {
            result.error = name + ": record " + std::to_string(index) + ": header truncated (got " +
                           std::to_string(bytes.size() - pos) + " bytes, need 16)";
            return result;
        }
        const std::uint8_t* h = bytes.data() + pos;
        PcapPacket pkt;
        pkt.ts_sec = load32(h, swap);
        pkt.ts_frac = load32(h + 4, swap);
        const std::uint32_t incl = load32(h + 8, swap);
        const std::uint32_t orig = load32(h + 12, swap);
        if (incl > k_max_record) {
            result.error = name + ": record " + std::to_string(index) + ": captured length " +
                           std::to_string(incl) + " exceeds the maximum of " + std::to_string(k_max_record);
            return result;
        }
        pos += k_record_header;
        if (bytes.size() - pos < incl) {
            result.error = name + ": record " + std::to_string(index) + ": data truncated (got " +
                           std::to_string(bytes.size() - pos) + " bytes, need " + std::to_string(incl) + ")";
            return result;
        }
        if (orig != incl) {
            result.error = name + ": record " + std::to_string(index) + ": packet was cut by the snapshot length (" +
                           std::to_string(incl) + " of " + std::to_string(orig) + " bytes captured)";
            return result;
        }
        split_frame(file.link_type, bytes.data() + pos, incl, pkt);
        pos += incl;
        file.packets.push_back(std::move(pkt));
    }
    result.file = std::move(file);
    return result;
}

PcapReadResult read_pcap(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return {std::nullopt, path.string() + ": cannot open for reading"};
    std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return parse_pcap(bytes, path.string());
}

std::vector<std::uint8_t> serialize_pcap(const PcapFile& file) {
    std::vector<std::uint8_t> out;
    store32(out, file.nanosecond ? k_magic_ns : k_magic_us);
    store16(out, 2);
    store16(out, 4);
    store32(out, 0);
    store32(out, 0);
    store32(out, file.snaplen < 65535 ? 65535 : file.snaplen);
    store32(out, file.link_type);
    for (const auto& pkt : file.packets) {
        const auto len = static_cast<std::uint32_t>(pkt.link_header.size() + pkt.ip.size());
        store32(out, pkt.ts_sec);
        store32(out, pkt.ts_frac);
        store32(out, len);
        store32(out, len);
        out.insert(out.end(), pkt.link_header.begin(), pkt.link_header.end());
        out.insert(out.end(), pkt.ip.begin(), pkt.ip.end());
    }
    return out;
}

std::string write_pcap(const std::filesystem::path& path, const PcapFile& file) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) return path.string() + ": cannot open for writing";
    const auto bytes = serialize_pcap(file);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (!out) return path.string() + ": write failed";
    return {};
}

}  // namespace picsec::tools
