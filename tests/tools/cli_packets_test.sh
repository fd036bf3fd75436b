#!/bin/bash
# picsec protect / unprotect through the CLI: a round trip gives back the
# original capture byte for byte; a replayed packet, a tampered packet and an
# SPI the SA does not have are each dropped with the reason, and exit 1.
. "$(dirname "$0")/test_lib.sh" "$@"
CONF=$DATA/lab.conf

for case in "sa-3des-transport ethernet" "sa-des-transport raw" "sa-3des-tunnel raw" "sa-des-tunnel ethernet" \
    "sa-bundle ethernet"; do
    set -- $case
    sa=$1 link=$2
    $PCAP_TOOL gen "$WORK/plain.pcap" --link "$link" --count 6
    run_picsec protect -c "$CONF" --sa "$sa" --in "$WORK/plain.pcap" --out "$WORK/prot.pcap"
    expect_eq "$sa/$link: protect exits 0" 0 "$RC"
    expect_eq "$sa/$link: protect summary" "6 packets: 6 protected, 0 dropped, 0 not IPv4 (copied)" \
        "$(tail -1 <<<"$OUT")"
    if cmp -s "$WORK/plain.pcap" "$WORK/prot.pcap"; then fail "$sa/$link: protect changed nothing"; fi
    run_picsec unprotect -c "$CONF" --sa "$sa" --in "$WORK/prot.pcap" --out "$WORK/back.pcap"
    expect_eq "$sa/$link: unprotect exits 0" 0 "$RC"
    expect_eq "$sa/$link: unprotect summary" "6 packets: 6 accepted, 0 dropped, 0 not IPv4 (copied)" \
        "$(tail -1 <<<"$OUT")"
    if cmp -s "$WORK/plain.pcap" "$WORK/back.pcap"; then
        pass "$sa/$link: round trip gives back the original capture byte for byte"
    else
        fail "$sa/$link: round trip differs from the original"
    fi
done

# Two runs of protect use fresh random IVs: the ciphertexts differ.
$PCAP_TOOL gen "$WORK/plain.pcap" --count 2
"$PICSEC" protect -c "$CONF" --sa sa-3des-transport --in "$WORK/plain.pcap" --out "$WORK/a.pcap" >/dev/null
"$PICSEC" protect -c "$CONF" --sa sa-3des-transport --in "$WORK/plain.pcap" --out "$WORK/b.pcap" >/dev/null
if cmp -s "$WORK/a.pcap" "$WORK/b.pcap"; then fail "two protect runs gave identical ciphertext (IV not random)"
else pass "two protect runs use different IVs"; fi

# Replay: packet 2 sent again after packet 3.
"$PICSEC" protect -c "$CONF" --sa sa-3des-transport --in "$WORK/plain.pcap" --out "$WORK/prot.pcap" >/dev/null
$PCAP_TOOL dup "$WORK/prot.pcap" "$WORK/replayed.pcap" 2
run_picsec unprotect -c "$CONF" --sa sa-3des-transport --in "$WORK/replayed.pcap" --out "$WORK/out.pcap"
expect_eq "replay: exit 1" 1 "$RC"
expect_eq "replay: the duplicate is dropped as a replay" \
    "packet 3: dropped (replay): ESP sequence number: duplicate (got 2, highest received 2, window 64)" \
    "$(sed -n 3p <<<"$OUT")"
expect_eq "replay: summary" "3 packets: 2 accepted, 1 dropped, 0 not IPv4 (copied)" "$(tail -1 <<<"$OUT")"
expect_eq "replay: output keeps the accepted packets" "2" "$($PCAP_TOOL ip-hex "$WORK/out.pcap" | wc -l)"

# Tamper: one ciphertext bit of packet 1 flipped.
$PCAP_TOOL tamper "$WORK/prot.pcap" "$WORK/tampered.pcap" 1 40
run_picsec unprotect -c "$CONF" --sa sa-3des-transport --in "$WORK/tampered.pcap" --out "$WORK/out.pcap"
expect_eq "tamper: exit 1" 1 "$RC"
expect_eq "tamper: dropped with a bad ICV" \
    "packet 1: dropped (bad-icv): ESP ICV: does not verify (SPI 0x000003e8, sequence 1)" "$(sed -n 1p <<<"$OUT")"
expect_eq "tamper: the untouched packet is accepted" "accepted" "$(sed -n 2p <<<"$OUT" | cut -d' ' -f3 | tr -d :)"

# Unknown SPI: packets of sa-3des-transport offered to sa-des-transport.
run_picsec unprotect -c "$CONF" --sa sa-des-transport --in "$WORK/prot.pcap" --out "$WORK/out.pcap"
expect_eq "unknown SPI: exit 1" 1 "$RC"
expect_eq "unknown SPI: reported" "packet 1: dropped (unknown-spi): ESP SPI 0x000003e8: no inbound SA" \
    "$(sed -n 1p <<<"$OUT")"

# An outbound-only direction cannot unprotect, an inbound-only one cannot protect.
$PCAP_TOOL gen "$WORK/plain.pcap" --count 1 --dst 192.168.20.4
"$PICSEC" protect -c "$CONF" --sa sa-split --in "$WORK/plain.pcap" --out "$WORK/split.pcap" >/dev/null
run_picsec unprotect -c "$CONF" --sa sa-split --in "$WORK/split.pcap" --out "$WORK/out.pcap"
expect_eq "split SA: its own outbound SPI 4001 is not an inbound SPI" \
    "packet 1: dropped (unknown-spi): ESP SPI 0x00000fa1: no inbound SA" "$(sed -n 1p <<<"$OUT")"
finish
