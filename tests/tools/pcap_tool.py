#!/usr/bin/env python3
"""Test helper for the picsec CLI tests: writes small IPv4 captures and
edits or reads them (duplicate a packet, flip a byte, truncate, dump).

  pcap_tool.py gen OUT [--link ethernet|raw] [--count N] [--src A] [--dst B] [--size N]
  pcap_tool.py dup IN OUT INDEX         # frame INDEX (1-based) appended again
  pcap_tool.py tamper IN OUT INDEX OFF  # flip bit 0 of byte OFF of frame INDEX's IP packet (negative = from end)
  pcap_tool.py truncate IN OUT BYTES    # keep the first BYTES bytes of the file
  pcap_tool.py ip-hex IN                # one line per frame: the IPv4 packet in hex
  pcap_tool.py payload-hex IN           # one line per frame: the IPv4 payload (after the header) in hex
  pcap_tool.py ah-verify IN ALG KEYHEX  # checks each frame's AH ICV (ALG md5|sha1) independently of picsec
"""
import argparse
import hashlib
import hmac
import struct
import sys

ETH_HEADER = bytes.fromhex("020000000002" "020000000001" "0800")


def checksum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ipv4_udp(src: str, dst: str, ident: int, payload: bytes) -> bytes:
    # Source port and Identification wrap, so a capture may hold any number of packets.
    ident &= 0xFFFF
    udp = struct.pack("!HHHH", 40000 + ident % 25536, 9, 8 + len(payload), 0) + payload
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), ident, 0, 64, 17, 0,
                      bytes(map(int, src.split("."))), bytes(map(int, dst.split("."))))
    hdr = hdr[:10] + struct.pack("!H", checksum(hdr)) + hdr[12:]
    return hdr + udp


def read(path):
    data = open(path, "rb").read()
    magic, _, _, _, _, snaplen, link = struct.unpack("<IHHiIII", data[:24])
    assert magic in (0xA1B2C3D4, 0xA1B23C4D), "little-endian pcap expected"
    frames, at = [], 24
    while at < len(data):
        sec, frac, incl, orig = struct.unpack("<IIII", data[at:at + 16])
        frames.append((sec, frac, data[at + 16:at + 16 + incl]))
        at += 16 + incl
    return data[:24], link, frames


def write(path, header, frames):
    with open(path, "wb") as f:
        f.write(header)
        for sec, frac, frame in frames:
            f.write(struct.pack("<IIII", sec, frac, len(frame), len(frame)) + frame)


def ip_of(link, frame):
    return frame[14:] if link == 1 else frame


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("gen")
    g.add_argument("out")
    g.add_argument("--link", default="ethernet", choices=["ethernet", "raw"])
    g.add_argument("--count", type=int, default=4)
    g.add_argument("--src", default="192.168.10.1")
    g.add_argument("--dst", default="192.168.20.1")
    g.add_argument("--size", type=int, default=0, help="payload bytes (default varies per packet)")
    d = sub.add_parser("dup")
    d.add_argument("inp"), d.add_argument("out"), d.add_argument("index", type=int)
    t = sub.add_parser("tamper")
    t.add_argument("inp"), t.add_argument("out"), t.add_argument("index", type=int), t.add_argument("offset", type=int)
    r = sub.add_parser("truncate")
    r.add_argument("inp"), r.add_argument("out"), r.add_argument("bytes", type=int)
    v = sub.add_parser("ah-verify")
    v.add_argument("inp"), v.add_argument("alg", choices=["md5", "sha1"]), v.add_argument("key")
    for name in ("ip-hex", "payload-hex"):
        sub.add_parser(name).add_argument("inp")
    a = ap.parse_args()

    if a.cmd == "gen":
        link = 1 if a.link == "ethernet" else 101
        header = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, link)
        frames = []
        for i in range(1, a.count + 1):
            size = a.size or (11 + 17 * i)
            payload = bytes((i * 7 + j) & 0xFF for j in range(size))
            ip = ipv4_udp(a.src, a.dst, i, payload)
            frames.append((1700000000 + i, i * 1000, (ETH_HEADER if link == 1 else b"") + ip))
        write(a.out, header, frames)
    elif a.cmd == "dup":
        header, _, frames = read(a.inp)
        frames.append(frames[a.index - 1])
        write(a.out, header, frames)
    elif a.cmd == "tamper":
        header, link, frames = read(a.inp)
        sec, frac, frame = frames[a.index - 1]
        base = 14 if link == 1 else 0
        off = base + (a.offset if a.offset >= 0 else len(frame) - base + a.offset)
        frame = frame[:off] + bytes([frame[off] ^ 1]) + frame[off + 1:]
        frames[a.index - 1] = (sec, frac, frame)
        write(a.out, header, frames)
    elif a.cmd == "truncate":
        open(a.out, "wb").write(open(a.inp, "rb").read()[:a.bytes])
    elif a.cmd == "ah-verify":
        _, link, frames = read(a.inp)
        bad = 0
        for n, (_, _, frame) in enumerate(frames, 1):
            ip = bytearray(ip_of(link, frame))
            ihl = (ip[0] & 0x0F) * 4
            if ip[9] != 51:
                print("frame %d: not AH (protocol %d)" % (n, ip[9]))
                bad += 1
                continue
            # RFC 4302 3.3.3.1.1.1: TOS, flags + fragment offset, TTL and
            # header checksum are mutable and count as zero; so does the ICV.
            ip[1] = 0
            ip[6:8] = b"\0\0"
            ip[8] = 0
            ip[10:12] = b"\0\0"
            ah_len = (ip[ihl + 1] + 2) * 4
            icv = bytes(ip[ihl + 12:ihl + ah_len])
            ip[ihl + 12:ihl + ah_len] = bytes(len(icv))
            want = hmac.new(bytes.fromhex(a.key), bytes(ip), getattr(hashlib, a.alg)).digest()[:len(icv)]
            ok = hmac.compare_digest(icv, want)
            spi = int.from_bytes(ip[ihl + 4:ihl + 8], "big")
            print("frame %d: AH SPI %d ICV %s" % (n, spi, "good" if ok else "BAD"))
            bad += 0 if ok else 1
        return 1 if bad else 0
    else:
        _, link, frames = read(a.inp)
        for _, _, frame in frames:
            ip = ip_of(link, frame)
            if a.cmd == "payload-hex":
                ip = ip[(ip[0] & 0x0F) * 4:]
            print(ip.hex())


if __name__ == "__main__":
    sys.exit(main())
