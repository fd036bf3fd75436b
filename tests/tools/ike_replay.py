#!/usr/bin/env python3
"""Test helper for replay_attack_test.sh: plays a hostile third party against
`picsec run` on loopback. It reads the datagrams of real negotiations from a
classic pcap, resends them from the peer's address (the engine checks the
peer's address, not its port) and watches what the daemon answers and what
`picsec show ... --json` says before and after. Plain Python; 3DES through
the openssl command, to speak for the peer (its Deletes and R-U-THEREs, with
the SKEYID_a and Ka `picsec run --log-keys` logs; the PRF is HMAC-SHA1, as
the test's proposal says) and to read the daemon's answers.

  ike_replay.py cases   --pcap P --picsec BIN --socket S --log LOG --peer-bin IKE_PEER --daemon A:PORT
                        --natt PORT --peer ADDR --psk PSK --n1 J .. --n5 J   # cases a, b, c
  ike_replay.py aggressive --pcap P --daemon A:PORT --main-peer ADDR --aggressive-peer ADDR --wait S  # case d

Each case prints "PASS (x) ..." or "FAIL (x) ..." lines; the exit code is the
number of failed cases.
"""
import argparse
import hashlib
import hmac
import json
import select
import socket
import struct
import subprocess
import sys
import time

EXCHANGES = {2: "Main Mode", 4: "Aggressive Mode", 5: "Informational", 32: "Quick Mode"}
PAYLOAD_NAMES = {1: "SA", 4: "KE", 5: "ID", 8: "HASH", 10: "Nonce", 11: "N", 12: "D", 13: "VID", 20: "NAT-D"}
R_U_THERE, R_U_THERE_ACK = 36136, 36137
NOTIFY_NAMES = {R_U_THERE: "R-U-THERE", R_U_THERE_ACK: "R-U-THERE-ACK", 14: "NO-PROPOSAL-CHOSEN",
                24: "AUTHENTICATION-FAILED", 18: "INVALID-HASH-INFORMATION", 24578: "INITIAL-CONTACT"}


# --- capture ------------------------------------------------------------------

class Datagram:
    """One UDP datagram carrying ISAKMP (the RFC 3948 non-ESP marker removed)."""

    def __init__(self, index, src, sport, dst, dport, payload, natt_port):
        self.index, self.src, self.sport, self.dst, self.dport = index, src, sport, dst, dport
        self.udp = payload
        self.marker = natt_port in (sport, dport) and payload[:4] == b"\0\0\0\0"
        self.ike = payload[4:] if self.marker else payload
        h = self.ike
        self.valid = len(h) >= 28 and struct.unpack("!I", h[24:28])[0] == len(h)
        if self.valid:
            self.cky_i, self.cky_r = h[0:8].hex(), h[8:16].hex()
            self.next_payload, self.exchange, self.flags = h[16], h[18], h[19]
            self.msgid = struct.unpack("!I", h[20:24])[0]
            self.encrypted = bool(self.flags & 1)

    def describe(self):
        if not self.valid:
            return "%d bytes, not ISAKMP" % len(self.ike)
        return "%s%s M-ID %08x, %d bytes" % (EXCHANGES.get(self.exchange, "exchange %d" % self.exchange),
                                              " (encrypted)" if self.encrypted else "", self.msgid, len(self.ike))


def read_pcap(path, natt_port):
    data = open(path, "rb").read()
    magic = struct.unpack("<I", data[:4])[0]
    if magic in (0xA1B2C3D4, 0xA1B23C4D):
        endian = "<"
    elif magic in (0xD4C3B2A1, 0x4D3CB2A1):
        endian = ">"
    else:
        raise SystemExit("%s: not a classic pcap file (magic %08x)" % (path, magic))
    link = struct.unpack(endian + "I", data[20:24])[0]
    # Ethernet, BSD loopback, raw IP, Linux cooked v1 and v2: bytes before the IPv4 header.
    skip = {1: 14, 0: 4, 101: 0, 228: 0, 113: 16, 276: 20}.get(link)
    if skip is None:
        raise SystemExit("%s: link type %d not handled" % (path, link))
    out, at, index = [], 24, 0
    while at + 16 <= len(data):
        incl = struct.unpack(endian + "I", data[at + 8:at + 12])[0]
        frame = data[at + 16:at + 16 + incl]
        at += 16 + incl
        index += 1
        if link == 1 and frame[12:14] != b"\x08\x00":
            continue
        ip = frame[skip:]
        if len(ip) < 20 or ip[0] >> 4 != 4 or ip[9] != 17:
            continue
        ihl = (ip[0] & 15) * 4
        total = struct.unpack("!H", ip[2:4])[0]
        udp = ip[ihl:total]
        sport, dport, ulen = struct.unpack("!HHH", udp[:6])
        d = Datagram(index, socket.inet_ntoa(ip[12:16]), sport, socket.inet_ntoa(ip[16:20]), dport, udp[8:ulen],
                     natt_port)
        if d.valid:
            out.append(d)
    return out


# --- the daemon's view ----------------------------------------------------------

class Daemon:
    def __init__(self, picsec, sock):
        self.picsec, self.sock = picsec, sock

    def show(self, what):
        r = subprocess.run([self.picsec, "show", what, "security-associations", "--json", "--socket", self.sock],
                           capture_output=True, text=True, timeout=10)
        if r.returncode != 0:
            raise RuntimeError("picsec show %s security-associations: %s" % (what, r.stderr.strip()))
        return json.loads(r.stdout)

    def ipsec_rows(self):
        """Every SA direction the daemon holds: sorted (name, direction, SPI, protocol)."""
        return sorted((sa["name"], d["direction"], d["spi"], d["protocol"])
                      for sa in self.show("ipsec")["security-associations"] for d in sa["directions"])

    def ike_sas(self):
        return self.show("ike")["ike-security-associations"]

    def ike_sa(self, cky_i):
        for sa in self.ike_sas():
            if sa["initiator-cookie"] == cky_i:
                return sa
        return None


def multiset_minus(a, b):
    rest = list(b)
    out = []
    for x in a:
        if x in rest:
            rest.remove(x)
        else:
            out.append(x)
    return out


def rows_text(rows):
    return ", ".join("%s %s SPI %08x (%s)" % (n, d, spi, p) for n, d, spi, p in rows) or "none"


def ike_where(sa):
    return "remote %s:%d, local port %d, NAT-T %s" % (sa["remote-address"], sa["remote-port"], sa["local-port"],
                                                       "yes" if sa["nat-traversal"] else "no")


# --- sockets ----------------------------------------------------------------------

class Peer:
    """UDP sockets on the peer's address: send from one, hear on all."""

    def __init__(self):
        self.socks = {}

    def sock(self, addr, port=0):
        key = (addr, port)
        if port and key in self.socks:
            return self.socks[key]
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((addr, port))
        self.socks[(addr, s.getsockname()[1])] = s
        return s

    def listen(self, seconds, until=None):
        """Datagrams that arrive within `seconds` as (local port, (addr, port), bytes, time);
        stops early when until(list) says so."""
        got, start = [], time.monotonic()
        deadline = start + seconds
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or (until and until(got)):
                return got
            ready, _, _ = select.select(list(self.socks.values()), [], [], left)
            for s in ready:
                data, frm = s.recvfrom(65535)
                got.append((s.getsockname()[1], frm, data, time.monotonic() - start))

    def close(self):
        for s in self.socks.values():
            s.close()
        self.socks = {}


# --- speaking for the peer (RFC 2409 5.7, Appendix B) ----------------------------------

def cbc(key, iv, data, decrypt=False):
    cipher = {24: "des-ede3-cbc", 16: "aes-128-cbc", 32: "aes-256-cbc"}[len(key)]
    r = subprocess.run(["openssl", "enc", "-" + cipher, "-d" if decrypt else "-e", "-nopad", "-K", key.hex(),
                        "-iv", iv.hex()], input=data, capture_output=True, timeout=10)
    if r.returncode != 0:
        raise RuntimeError("openssl %s: %s" % (cipher, r.stderr.decode(errors="replace").strip()))
    return r.stdout


def chain(payloads):
    """[(type, body)] -> the generic-header chain (RFC 2408 3.2); the first type goes in the header."""
    out = b""
    for i, (_, body) in enumerate(payloads):
        nxt = payloads[i + 1][0] if i + 1 < len(payloads) else 0
        out += struct.pack("!BBH", nxt, 0, 4 + len(body)) + body
    return out


def split_chain(first, data):
    out, at, t = [], 0, first
    while t != 0 and at + 4 <= len(data):
        nxt, _, length = struct.unpack("!BBH", data[at:at + 4])
        if length < 4 or at + length > len(data):
            break
        out.append((t, data[at + 4:at + length]))
        at += length
        t = nxt
    return out


class IkeKeys:
    """What the peer of one IKE SA knows: SKEYID_a, Ka and the last phase-1 CBC block."""

    def __init__(self, log_path, cky_i, cky_r, datagrams):
        self.cky_i, self.cky_r = cky_i, cky_r
        self.skeyid_a = self.ka = None
        for line in open(log_path, errors="replace"):
            if "[key logging]" in line and "[%s:%s]" % (cky_i, cky_r) in line.lower():
                words = line.split()
                self.skeyid_a = bytes.fromhex(words[words.index("SKEYID_a") + 1])
                self.ka = bytes.fromhex(words[words.index("Ka") + 1])
        if self.ka is None:
            raise RuntimeError("no [key logging] line for [%s:%s] in %s" % (cky_i, cky_r, log_path))
        self.block = 8 if len(self.ka) == 24 else 16
        phase1 = [d for d in datagrams if d.cky_i == cky_i and d.msgid == 0 and d.encrypted and d.exchange in (2, 4)]
        if not phase1:
            raise RuntimeError("no encrypted phase-1 message of [%s] in the capture" % cky_i)
        # RFC 2409 Appendix B: phase 2 IVs start from the last phase-1 CBC output block.
        self.last_phase1_block = phase1[-1].ike[-self.block:]
        # M-ID -> IV of the next message of an exchange under way (RFC 2409 Appendix B: the
        # last CBC block of the previous message), e.g. Quick Mode 2 after a replayed Quick Mode 1.
        self.chain = {}

    def iv(self, msgid):
        if msgid in self.chain:
            return self.chain[msgid]
        return hashlib.sha1(self.last_phase1_block + struct.pack("!I", msgid)).digest()[:self.block]

    def informational(self, msgid, payloads):
        """HDR*, HASH(1), N/D with HASH(1) = prf(SKEYID_a, M-ID | N/D)."""
        body = chain(payloads)
        h = hmac.new(self.skeyid_a, struct.pack("!I", msgid) + body, hashlib.sha1).digest()
        plain = chain([(8, h)] + payloads)
        plain += b"\0" * (-len(plain) % self.block)
        enc = cbc(self.ka, self.iv(msgid), plain)
        hdr = bytes.fromhex(self.cky_i + self.cky_r) + struct.pack("!BBBBII", 8, 0x10, 5, 1, msgid, 28 + len(enc))
        return hdr + enc

    def r_u_there(self, msgid, seq):
        spi = bytes.fromhex(self.cky_i + self.cky_r)
        return self.informational(msgid, [(11, struct.pack("!IBBH", 1, 1, 16, R_U_THERE) + spi +
                                           struct.pack("!I", seq))])

    def delete_esp(self, msgid, spi):
        return self.informational(msgid, [(12, struct.pack("!IBBHI", 1, 3, 4, 1, spi))])

    def decode(self, ike):
        """A one-line description of a datagram of this SA, decrypted when it is protected."""
        if len(ike) < 28:
            return "%d bytes, not ISAKMP" % len(ike)
        exch, flags, msgid = ike[18], ike[19], struct.unpack("!I", ike[20:24])[0]
        body = ike[28:]
        if flags & 1:
            try:
                body = cbc(self.ka, self.iv(msgid), body, decrypt=True)
            except Exception:  # noqa: BLE001 - a reply we cannot read is still described
                return "%s M-ID %08x (does not decrypt)" % (EXCHANGES.get(exch, exch), msgid)
        parts = []
        for t, b in split_chain(ike[16], body):
            name = PAYLOAD_NAMES.get(t, str(t))
            if t == 11 and len(b) >= 8:
                ntype, spisize = struct.unpack("!H", b[6:8])[0], b[5]
                data = b[8 + spisize:]
                name = "N(%s%s)" % (NOTIFY_NAMES.get(ntype, ntype),
                                    " seq %d" % struct.unpack("!I", data[:4])[0] if len(data) == 4 else "")
            elif t == 12 and len(b) >= 12:
                name = "D(SPI %s)" % b[8:].hex()
            parts.append(name)
        return "%s M-ID %08x: %s%s" % (EXCHANGES.get(exch, "exchange %d" % exch), msgid, "HDR*" if flags & 1 else "HDR",
                                       "".join(", " + p for p in parts))


# --- cases a, b, c ------------------------------------------------------------------

class Run:
    def __init__(self, a):
        self.a = a
        self.daemon_addr, port = a.daemon.rsplit(":", 1)
        self.port = int(port)
        self.daemon = Daemon(a.picsec, a.socket)
        self.datagrams = read_pcap(a.pcap, a.natt)
        self.failed = 0
        self.negotiations = {k: json.load(open(getattr(a, k))) for k in ("n1", "n2", "n3", "n4", "n5")}

    def messages(self, key):
        """The datagrams of negotiation `key` in capture order, and the peer's source port."""
        n = self.negotiations[key]
        if n.get("result") != "established":
            raise RuntimeError("negotiation %s did not establish: %s" % (key, n.get("failure")))
        cky = n["phase1"]["initiator_cookie"]
        ds = [d for d in self.datagrams if d.cky_i == cky]
        sent = [d for d in ds if d.src == self.a.peer and d.dport == self.port]
        if not sent:
            raise RuntimeError("negotiation %s [%s] is not in the capture" % (key, cky))
        return ds, sent[0].sport

    def verdict(self, case, problems, ok_line):
        if problems:
            self.failed += 1
            for p in problems:
                print("FAIL (%s) %s" % (case, p))
        else:
            print("PASS (%s) %s" % (case, ok_line))
        sys.stdout.flush()

    def replies_text(self, replies, keys=None):
        out = []
        for lport, frm, data, at in replies:
            ike = data[4:] if frm[1] == self.a.natt and data[:4] == b"\0\0\0\0" else data
            what = keys.decode(ike) if keys else Datagram(0, "", 0, "", 0, ike, -1).describe()
            out.append("+%.2f s %s:%d -> %s:%d %s" % (at, frm[0], frm[1], self.a.peer, lport, what))
        return "; ".join(out)

    # (a) Quick Mode message 1 of a completed negotiation, replayed while its SA
    # pair is installed (n1, n2) and after the peer deleted that pair (n4, n5);
    # from the peer's port (n1, n4) and from another port (n2, n5). One replay
    # per IKE SA: a replay that the daemon processes leaves that M-ID's IV
    # chain moved on, so a second one would not even decrypt.
    def case_a(self):
        problems, notes = [], []
        for key, other_port, deleted in (("n1", False, False), ("n2", True, False), ("n4", False, True),
                                         ("n5", True, True)):
            ds, peer_port = self.messages(key)
            keys = self.keys_for(key)
            qm1 = next(d for d in ds if d.src == self.a.peer and d.exchange == 32 and d.encrypted)
            qm2 = [d.udp for d in ds if d.src == self.daemon_addr and d.exchange == 32 and d.msgid == qm1.msgid]
            peer_in_spi = int(self.negotiations[key]["phase2"][0]["inbound_spi"], 16)
            peer = Peer()
            home = peer.sock(self.a.peer, peer_port)
            s = peer.sock(self.a.peer) if other_port else home
            src = "%s:%d%s" % (self.a.peer, s.getsockname()[1], ", not the peer's port %d" % peer_port
                               if other_port else "")
            when = "after the peer deleted its SA pair" if deleted else "while its SA pair is installed"
            if deleted:
                problems += self.peer_delete(peer, home, keys, 0x5EED00A1, peer_in_spi)
            before = self.daemon.ipsec_rows()
            s.sendto(qm1.udp, (self.daemon_addr, self.port))
            replies = peer.listen(0.8)
            peer.close()
            after = self.daemon.ipsec_rows()
            new, gone = multiset_minus(after, before), multiset_minus(before, after)
            what = "replayed Quick Mode 1 (M-ID %08x, %d bytes, from %s) %s" % (qm1.msgid, len(qm1.ike), src, when)
            if new:
                spis = {d: ",".join("%08x" % spi for _, dd, spi, _ in new if dd == d) or "-"
                        for d in ("inbound", "outbound")}
                problems.append("%s installed a new SA pair: SPIs in %s out %s (out is the peer's SPI %08x of "
                                "the original negotiation); the daemon now holds %d SA directions, was %d" % (
                                    what, spis["inbound"], spis["outbound"], peer_in_spi, len(after), len(before)))
            if gone:
                problems.append("%s removed SAs: %s" % (what, rows_text(gone)))
            fresh = [r for r in replies if r[2] not in qm2]
            keys.chain[qm1.msgid] = qm1.ike[-keys.block:]
            if fresh:
                problems.append("%s was answered with %d datagram(s) that are not the cached Quick Mode 2: %s" % (
                    what, len(fresh), self.replies_text(fresh, keys)))
            cached = len(replies) - len(fresh)
            notes.append("%s: no SA change, %s" % (what, "%d cached Quick Mode 2 resent" % cached if cached
                                                    else "no answer"))
        self.verdict("a", problems, "; ".join(notes))

    def peer_delete(self, peer, s, keys, msgid, spi):
        """The peer, legitimately, deletes its inbound ESP SA `spi` (the daemon's outbound one)."""
        rows = self.daemon.ipsec_rows()
        s.sendto(keys.delete_esp(msgid, spi), (self.daemon_addr, self.port))
        peer.listen(0.3)
        deleted = multiset_minus(rows, self.daemon.ipsec_rows())
        if any(x == spi and d == "outbound" for _, d, x, _ in deleted):
            return []
        return ["the peer's own Delete of ESP SPI %08x was not honoured (removed: %s); the replay after it proves "
                "less" % (spi, rows_text(deleted))]

    def keys_for(self, key):
        n = self.negotiations[key]["phase1"]
        return IkeKeys(self.a.log, n["initiator_cookie"], n["responder_cookie"], self.datagrams)

    def legit(self, peer, s, data, keys, want, what):
        """Sends `data` as the real peer would and waits for the daemon's answer naming `want`."""
        s.sendto(data, (self.daemon_addr, self.port))
        got = peer.listen(2.0, until=lambda g: any(want in keys.decode(x[2]) for x in g))
        if not any(want in keys.decode(x[2]) for x in got):
            raise RuntimeError("the daemon did not answer %s with %s (answers: %s); the harness cannot speak "
                               "for the peer" % (what, want, self.replies_text(got, keys) or "none"))
        return got

    # (b) Protected Informationals of the peer (R-U-THERE, Delete), replayed.
    def case_b(self):
        problems = []
        ds, peer_port = self.messages("n3")
        keys = self.keys_for("n3")
        peer = Peer()
        home = peer.sock(self.a.peer, peer_port)
        # The peer, legitimately: R-U-THERE seq 1, a Delete of its inbound ESP SA, R-U-THERE seq 2.
        peer_in_spi = int(self.negotiations["n3"]["phase2"][0]["inbound_spi"], 16)
        rut1 = keys.r_u_there(0x5EED0001, 1)
        ack1 = [x[2] for x in self.legit(peer, home, rut1, keys, "R-U-THERE-ACK seq 1", "R-U-THERE seq 1")]
        problems += self.peer_delete(peer, home, keys, 0x5EED0002, peer_in_spi)
        delete = keys.delete_esp(0x5EED0002, peer_in_spi)
        self.legit(peer, home, keys.r_u_there(0x5EED0003, 2), keys, "R-U-THERE-ACK seq 2", "R-U-THERE seq 2")
        self.rut1 = rut1
        before_ipsec, before_ike = self.daemon.ipsec_rows(), self.daemon.ike_sas()
        other = peer.sock(self.a.peer)
        # At most the very answer the original got may come back (a cached reply), nothing new.
        for data, what, s, allowed in ((rut1, "R-U-THERE seq 1 (M-ID 5eed0001)", home, ack1),
                                       (delete, "Delete ESP SPI %08x (M-ID 5eed0002)" % peer_in_spi, home, []),
                                       (rut1, "R-U-THERE seq 1 (M-ID 5eed0001) from another port", other, ack1)):
            s.sendto(data, (self.daemon_addr, self.port))
            fresh = [r for r in peer.listen(0.7) if r[2] not in allowed]
            if fresh:
                problems.append("replayed %s was answered with %d new datagram(s): %s" % (
                    what, len(fresh), self.replies_text(fresh, keys)))
        peer.close()
        after_ipsec = self.daemon.ipsec_rows()
        if after_ipsec != before_ipsec:
            problems.append("replayed Informationals changed the IPsec SAs: removed %s, added %s" % (
                rows_text(multiset_minus(before_ipsec, after_ipsec)), rows_text(multiset_minus(after_ipsec,
                                                                                                before_ipsec))))
        after_ike = self.daemon.ike_sas()
        strip = lambda sas: sorted((s["initiator-cookie"], s["state"], s["remote-port"], s["local-port"])  # noqa: E731
                                   for s in sas)
        if strip(after_ike) != strip(before_ike):
            problems.append("replayed Informationals changed the IKE SAs: %s -> %s" % (strip(before_ike),
                                                                                      strip(after_ike)))
        self.verdict("b", problems, "R-U-THERE seq 1 and a Delete, sent by the peer and replayed after its next "
                                    "message (also from another port): no answer, no SA change")

    # (c) The peer's encrypted messages replayed to the NAT-T port from a new source port.
    def case_c(self):
        problems = []
        ds, peer_port = self.messages("n3")
        cky = self.negotiations["n3"]["phase1"]["initiator_cookie"]
        start = self.daemon.ike_sa(cky)
        if not start or start["remote-port"] != peer_port or start["nat-traversal"]:
            raise RuntimeError("IKE SA [%s] is not as negotiated before the replay: %s" % (cky, start))
        peer = Peer()
        home = peer.sock(self.a.peer, peer_port)
        attacker = peer.sock(self.a.peer)
        aport = attacker.getsockname()[1]
        candidates, quick = [], 0
        for d in ds:
            if d.src != self.a.peer or not d.encrypted or d.udp in [c[0] for c in candidates]:
                continue
            if d.exchange == 32:
                quick += 1
            name = "Main Mode message 5" if d.exchange == 2 else "Quick Mode message %d" % (2 * quick - 1)
            candidates.append((d.udp, "%s (M-ID %08x, %d bytes)" % (name, d.msgid, len(d.ike))))
        if getattr(self, "rut1", None):
            candidates.append((self.rut1, "the peer's R-U-THERE seq 1 (Informational M-ID 5eed0001)"))
        for data, what in candidates:
            attacker.sendto(b"\0\0\0\0" + data, (self.daemon_addr, self.a.natt))
            replies = peer.listen(0.5)
            now = self.daemon.ike_sa(cky)
            if not now or now["remote-port"] != peer_port or now["local-port"] != self.port or now["nat-traversal"]:
                problems.append("replayed %s, sent to NAT-T port %d from %s:%d with the non-ESP marker, moved IKE "
                                "SA [%s]: show ike security-associations says %s (was %s)%s" % (
                                    what, self.a.natt, self.a.peer, aport, cky,
                                    ike_where(now) if now else "no such SA", ike_where(start),
                                    "; answers: " + self.replies_text(replies, self.keys_for("n3")) if replies else ""))
                break
        # The real peer carries on from its own port: its next R-U-THERE must be answered there.
        try:
            keys = self.keys_for("n3")
            home.sendto(keys.r_u_there(0x5EED0004, 3), (self.daemon_addr, self.port))
            got = peer.listen(2.0, until=lambda g: any("R-U-THERE-ACK seq 3" in keys.decode(
                x[2][4:] if x[1][1] == self.a.natt else x[2]) for x in g))
            at_home = [g for g in got if g[0] == peer_port and g[1] == (self.daemon_addr, self.port)]
            if not at_home:
                problems.append("the peer's next R-U-THERE (seq 3) from %s:%d was not answered there%s" % (
                    self.a.peer, peer_port, ": answers went to " + self.replies_text(got, keys) if got else
                    " (no answer at all)"))
        except RuntimeError as e:
            problems.append("cannot check the peer's next exchange: %s" % e)
        peer.close()
        # And a new negotiation still works.
        r = subprocess.run([self.a.peer_bin, "--local", self.a.peer, "--peer", "%s:%d" % (self.daemon_addr, self.port),
                            "--pfs", "group2", "--psk", self.a.psk, "--timeout", "5"], capture_output=True, text=True,
                           timeout=20)
        if r.returncode != 0:
            problems.append("a new negotiation after the replays failed: %s" % (
                r.stdout.strip().splitlines() or ["(no output)"])[-1])
        self.verdict("c", problems, "%d encrypted messages replayed to NAT-T port %d from %s:%d: IKE SA [%s] stays "
                                    "at %s; the peer's next R-U-THERE answered at its port; a new negotiation "
                                    "works" % (len(candidates), self.a.natt, self.a.peer, aport, cky,
                                               ike_where(start)))


def cases(a):
    run = Run(a)
    for name, case in (("a", run.case_a), ("b", run.case_b), ("c", run.case_c)):
        try:
            case()
        except Exception as e:  # noqa: BLE001 - any harness error is this case's failure, the others still run
            run.failed += 1
            print("FAIL (%s) the case could not run: %s: %s" % (name, type(e).__name__, e))
            sys.stdout.flush()
    return run.failed


# --- case d -------------------------------------------------------------------------

def aggressive(a):
    daemon_addr, port = a.daemon.rsplit(":", 1)
    port = int(port)
    datagrams = read_pcap(a.pcap, -1)
    failed = 0
    first = {}
    for d in datagrams:
        if d.exchange == 4 and d.msgid == 0 and d.cky_r == "0" * 16 and d.src not in first:
            first[d.src] = d
    missing = [p for p in (a.main_peer, a.aggressive_peer) if p not in first]
    if missing:
        print("FAIL (d) the case could not run: no Aggressive Mode message 1 from %s in the capture" %
              ", ".join(missing))
        return 1
    peer = Peer()
    socks = {}
    for addr in (a.main_peer, a.aggressive_peer):
        socks[addr] = peer.sock(addr)
        socks[addr].sendto(first[addr].udp, (daemon_addr, port))
    ports = {addr: s.getsockname()[1] for addr, s in socks.items()}
    got = peer.listen(a.wait)
    peer.close()
    by = {addr: [g for g in got if g[0] == ports[addr]] for addr in socks}

    def text(replies):
        return "; ".join("+%.2f s %s" % (at, Datagram(0, "", 0, "", 0, data, -1).describe())
                         for _, _, data, at in replies)
    main = by[a.main_peer]
    if main:
        failed += 1
        print("FAIL (d) Aggressive Mode message 1 from %s (the IKE policy says mode main) was answered with %d "
              "datagram(s) within %.0f s: %s; an answer carries HASH_R, enough for an offline dictionary attack on "
              "the pre-shared key" % (a.main_peer, len(main), a.wait, text(main)))
    else:
        print("PASS (d) Aggressive Mode message 1 from %s to a mode main policy: no answer in %.0f s" % (
            a.main_peer, a.wait))
    aggr = by[a.aggressive_peer]
    if len(aggr) != 1:
        failed += 1
        print("FAIL (d) one Aggressive Mode message 1 from %s (mode aggressive policy, no message 3 follows) got %d "
              "datagrams within %.0f s, need exactly 1 (no retransmission before the peer is authenticated): %s" % (
                  a.aggressive_peer, len(aggr), a.wait, text(aggr) or "none"))
    else:
        print("PASS (d) one Aggressive Mode message 1 from %s to a mode aggressive policy: exactly one answer "
              "(%s), no retransmission in %.0f s" % (a.aggressive_peer, text(aggr), a.wait))
    sys.stdout.flush()
    return failed


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("cases")
    for opt in ("--pcap", "--picsec", "--socket", "--log", "--peer-bin", "--daemon", "--peer", "--psk", "--n1",
                "--n2", "--n3", "--n4", "--n5"):
        c.add_argument(opt, required=True)
    c.add_argument("--natt", type=int, required=True)
    d = sub.add_parser("aggressive")
    for opt in ("--pcap", "--daemon", "--main-peer", "--aggressive-peer"):
        d.add_argument(opt, required=True)
    d.add_argument("--wait", type=float, default=10)
    a = p.parse_args()
    sys.exit(min(cases(a) if a.cmd == "cases" else aggressive(a), 100))


if __name__ == "__main__":
    main()
