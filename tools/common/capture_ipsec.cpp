// Protecting and unprotecting whole captures with an SADB.
#include "capture_ipsec.h"

#include <algorithm>
#include <cstdio>

namespace picsec::tools {

namespace {

std::string spi_text(std::uint32_t spi) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%u (0x%08x)", spi, spi);
    return buf;
}

/// The SPI and sequence number of the outermost IPsec header of a packet
/// produced by Sadb::protect (IPv4 header, then AH or ESP).
std::string ipsec_header_text(const std::vector<std::uint8_t>& p) {
    if (p.size() < 20) return {};
    const std::size_t ihl = static_cast<std::size_t>(p[0] & 0x0f) * 4;
    const std::uint8_t proto = p[9];
    std::size_t at = ihl;
    std::string name;
    if (proto == 50) {
        name = "ESP";
    } else if (proto == 51) {
        name = "AH";
        at += 4;  // RFC 4302 2: next header, payload length, reserved precede the SPI
    } else {
        return {};
    }
    if (p.size() < at + 8) return {};
    auto load32 = [&](std::size_t i) {
        return (std::uint32_t{p[i]} << 24) | (std::uint32_t{p[i + 1]} << 16) | (std::uint32_t{p[i + 2]} << 8) |
               std::uint32_t{p[i + 3]};
    };
    return name + " SPI " + spi_text(load32(at)) + " seq " + std::to_string(load32(at + 4));
}

void pass_through(CaptureResult& r, const PcapPacket& frame, std::size_t number) {
    r.output.packets.push_back(frame);
    FrameReport rep;
    rep.number = number;
    rep.outcome = FrameReport::Outcome::PassedThrough;
    rep.text = "not IPv4, copied unchanged (" + frame.skipped_reason + ")";
    r.frames.push_back(std::move(rep));
    ++r.passed_through;
}

void dropped(CaptureResult& r, std::size_t number, const sadb::Drop& drop) {
    FrameReport rep;
    rep.number = number;
    rep.outcome = FrameReport::Outcome::Dropped;
    rep.reason = drop.reason;
    rep.text = "dropped (" + std::string(sadb::to_string(drop.reason)) + "): " + drop.message;
    r.frames.push_back(std::move(rep));
    ++r.dropped;
}

void processed(CaptureResult& r, const PcapPacket& frame, std::size_t number, std::vector<std::uint8_t> ip,
               std::string text) {
    PcapPacket out = frame;
    out.ip = std::move(ip);
    r.output.packets.push_back(std::move(out));
    FrameReport rep;
    rep.number = number;
    rep.text = std::move(text);
    r.frames.push_back(std::move(rep));
    ++r.processed;
}

CaptureResult empty_like(const PcapFile& input) {
    CaptureResult r;
    r.output.link_type = input.link_type;
    r.output.nanosecond = input.nanosecond;
    r.output.snaplen = input.snaplen;
    return r;
}

}  // namespace

std::string FrameReport::line() const { return "packet " + std::to_string(number) + ": " + text; }

std::string CaptureResult::summary(const std::string& verb) const {
    return std::to_string(frames.size()) + " packets: " + std::to_string(processed) + " " + verb + ", " +
           std::to_string(dropped) + " dropped, " + std::to_string(passed_through) + " not IPv4 (copied)";
}

CaptureResult protect_capture(sadb::Sadb& db, sadb::SaId id, const PcapFile& input,
                              Botan::RandomNumberGenerator& rng) {
    CaptureResult r = empty_like(input);
    // The output may grow past the input's snaplen by the IPsec overhead.
    r.output.snaplen = std::max<std::uint32_t>(input.snaplen, 65535);
    std::size_t number = 0;
    for (const auto& frame : input.packets) {
        ++number;
        if (frame.ip.empty()) {
            pass_through(r, frame, number);
            continue;
        }
        auto p = db.protect(id, frame.ip, rng);
        if (!p) {
            dropped(r, number, p.error());
            continue;
        }
        std::string text = "protected: " + ipsec_header_text(*p) + ", " + std::to_string(frame.ip.size()) + " -> " +
                           std::to_string(p->size()) + " bytes";
        processed(r, frame, number, std::move(*p), std::move(text));
    }
    return r;
}

CaptureResult unprotect_capture(sadb::Sadb& db, const PcapFile& input) {
    CaptureResult r = empty_like(input);
    std::size_t number = 0;
    for (const auto& frame : input.packets) {
        ++number;
        if (frame.ip.empty()) {
            pass_through(r, frame, number);
            continue;
        }
        const std::string header = ipsec_header_text(frame.ip);
        auto u = db.unprotect(frame.ip);
        if (!u) {
            dropped(r, number, u.error());
            continue;
        }
        const auto* sa = db.get(u->sa);
        std::string text = "accepted: " + header + (sa != nullptr ? " (SA " + sa->spec.name + ")" : std::string()) +
                           ", " + std::to_string(frame.ip.size()) + " -> " + std::to_string(u->packet.size()) +
                           " bytes";
        processed(r, frame, number, std::move(u->packet), std::move(text));
    }
    return r;
}

}  // namespace picsec::tools
