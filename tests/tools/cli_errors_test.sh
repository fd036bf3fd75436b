#!/bin/bash
# Bad input to the picsec CLI: each gives one clear error line, a non-zero
# exit and never a crash - broken configs (syntax, unknown statement, key of
# the wrong length), broken captures (not a pcap, truncated), bad packets,
# and usage errors (exit 2).
. "$(dirname "$0")/test_lib.sh" "$@"
cd "$DATA" || exit 1
CONF=lab.conf
$PCAP_TOOL gen "$WORK/plain.pcap" --count 2

# expect_config_error NAME FILE LINE: `check` prints exactly LINE and exits 1,
# and protect with that config prints LINE on stderr and exits 1.
expect_config_error() {
    run_picsec check "$2"
    expect_eq "$1: check exits 1" 1 "$RC"
    expect_eq "$1: check prints one error line" "$3" "$OUT"
    run_picsec protect -c "$2" --sa sa1 --in "$WORK/plain.pcap" --out "$WORK/out.pcap"
    expect_eq "$1: protect exits 1" 1 "$RC"
    expect_eq "$1: protect prints the same line" "$3" "$ERR"
    if [ -e "$WORK/out.pcap" ]; then fail "$1: protect wrote an output"; fi
}

expect_config_error "syntax error" bad-syntax.conf "bad-syntax.conf:5:27: error: missing ';' after 'transport'"
expect_config_error "unknown statement" bad-unknown.conf \
    "bad-unknown.conf:6:13: error: security ipsec security-association sa1: unknown statement 'lifetime-kilobytes', expected description, mode, extended-sequence-number, manual or dynamic"
expect_config_error "key of the wrong length" bad-key-length.conf \
    "bad-key-length.conf:6:87: error: security ipsec security-association sa1 manual direction bidirectional encryption key: encryption key for 3des-cbc has 23 characters, needs 24 (ascii-text) or 48 (hexadecimal)"

run_picsec check --json bad-key-length.conf
expect_eq "check --json exits 1" 1 "$RC"
expect_eq "check --json reports the error as JSON" \
    '{"errors":1,"warnings":0,"notes":0,"diagnostics":[{"file":"bad-key-length.conf","line":6,"column":87,"severity":"error","path":"security ipsec security-association sa1 manual direction bidirectional encryption key","message":"encryption key for 3des-cbc has 23 characters, needs 24 (ascii-text) or 48 (hexadecimal)"}]}' \
    "$OUT"
run_picsec check "$CONF"
expect_eq "a clean config: check exits 0" 0 "$RC"
expect_eq "a clean config: check says so" "lab.conf: configuration check succeeds" "$OUT"
run_picsec check --json "$CONF"
expect_eq "a clean config: check --json" '{"errors":0,"warnings":0,"notes":0,"diagnostics":[]}' "$OUT"
run_picsec check "$WORK/missing.conf"
expect_eq "a missing config file: exit 1" 1 "$RC"
expect_eq "a missing config file: one line naming it" 1 "$(grep -c "missing.conf" <<<"$OUT")"

# Broken captures.
printf 'garbage-not-a-pcap-file-at-all' >"$WORK/garbage.pcap"
run_picsec protect -c "$CONF" --sa sa-3des-transport --in "$WORK/garbage.pcap" --out "$WORK/out.pcap"
expect_eq "not a pcap: exit 1" 1 "$RC"
expect_eq "not a pcap: one error line" \
    "picsec: $WORK/garbage.pcap: not a pcap file: magic number 0x62726167 (pcapng is not supported; convert with editcap -F pcap)" \
    "$ERR"
$PCAP_TOOL truncate "$WORK/plain.pcap" "$WORK/truncated.pcap" 100
run_picsec unprotect -c "$CONF" --sa sa-3des-transport --in "$WORK/truncated.pcap" --out "$WORK/out.pcap"
expect_eq "truncated pcap: exit 1" 1 "$RC"
expect_eq "truncated pcap: one error line" \
    "picsec: $WORK/truncated.pcap: record 1: data truncated (got 60 bytes, need 70)" "$ERR"
$PCAP_TOOL truncate "$WORK/plain.pcap" "$WORK/short-header.pcap" 10
run_picsec protect -c "$CONF" --sa sa-3des-transport --in "$WORK/short-header.pcap" --out "$WORK/out.pcap"
expect_eq "truncated global header: exit 1" 1 "$RC"
expect_eq "truncated global header: one error line" 1 "$(grep -c "global header truncated" <<<"$ERR")"
run_picsec protect -c "$CONF" --sa sa-3des-transport --in "$WORK/none.pcap" --out "$WORK/out.pcap"
expect_eq "missing pcap: one error line" "picsec: $WORK/none.pcap: cannot open for reading" "$ERR"

# A packet whose IPv4 header length is broken (IHL 3) is dropped, not fatal;
# a frame that is not IPv4 at all (version 5) is copied unchanged.
cp "$WORK/plain.pcap" "$WORK/badip.pcap"
printf '\x43' | dd of="$WORK/badip.pcap" bs=1 seek=$((24 + 16 + 14)) conv=notrunc status=none
run_picsec protect -c "$CONF" --sa sa-3des-transport --in "$WORK/badip.pcap" --out "$WORK/out.pcap"
expect_eq "broken IPv4 header: exit 1" 1 "$RC"
expect_eq "broken IPv4 header: dropped as malformed" "packet 1: dropped (malformed)" \
    "$(sed -n 1p <<<"$OUT" | cut -d: -f1,2)"
expect_eq "broken IPv4 header: the other packet is protected" "packet 2: protected" \
    "$(sed -n 2p <<<"$OUT" | cut -d: -f1,2)"
cp "$WORK/plain.pcap" "$WORK/notip.pcap"
printf '\x55' | dd of="$WORK/notip.pcap" bs=1 seek=$((24 + 16 + 14)) conv=notrunc status=none
run_picsec protect -c "$CONF" --sa sa-3des-transport --in "$WORK/notip.pcap" --out "$WORK/out.pcap"
expect_eq "not IPv4: exit 0" 0 "$RC"
expect_eq "not IPv4: copied unchanged" "$($PCAP_TOOL ip-hex "$WORK/notip.pcap" | sed -n 1p)" \
    "$($PCAP_TOOL ip-hex "$WORK/out.pcap" | sed -n 1p)"

# Unknown SA, usage errors.
run_picsec protect -c "$CONF" --sa nosuch --in "$WORK/plain.pcap" --out "$WORK/out.pcap"
expect_eq "unknown SA: exit 1" 1 "$RC"
expect_eq "unknown SA: error line" "picsec: security-association nosuch: no manual SA with this name in lab.conf" "$ERR"
run_picsec check
expect_eq "check without FILE: exit 2" 2 "$RC"
run_picsec check --jsn lab.conf
expect_eq "check with an unknown option: exit 2" 2 "$RC"
expect_eq "check with an unknown option: names it" "picsec check: unknown option '--jsn'" "$(head -1 <<<"$ERR")"
run_picsec protect -c "$CONF" --sa sa-bundle --in "$WORK/plain.pcap"
expect_eq "protect without --out: exit 2" 2 "$RC"
run_picsec export wireshark -c "$CONF"
expect_eq "export without --out: exit 2" 2 "$RC"
run_picsec show ipsec security-associations --socket "$WORK/no-daemon.sock"
expect_eq "show without -c and no daemon: exit 1" 1 "$RC"
expect_eq "show without -c and no daemon: says so" 1 "$(grep -c "cannot reach the picsec daemon at $WORK/no-daemon.sock" <<<"$ERR")"
run_picsec show ipsec security-associations brief sa-bundle extra -c "$CONF"
expect_eq "show with two SA names: exit 2" 2 "$RC"
finish
