#!/bin/bash
# Independent check of picsec's ESP and AH: packets protected by
# `picsec protect` are decrypted and authenticated by tshark using the esp_sa
# table written by `picsec export wireshark`, and the decrypted inner packets
# equal the originals byte for byte. The AH of a bundle (which tshark does not
# verify) is checked by an HMAC computed in Python per RFC 4302 3.3.3.
. "$(dirname "$0")/test_lib.sh" "$@"
command -v tshark >/dev/null || { echo "tshark not installed"; exit 1; }
CONF=$DATA/lab.conf
TSHARK="tshark -n"

run_picsec export wireshark -c "$CONF" --out "$WORK/ws"
expect_eq "export wireshark exits 0" 0 "$RC"
expect_eq "esp_sa has one record per direction of each ESP-carrying SA" 12 \
    "$(grep -c '^"IPv4"' "$WORK/ws/esp_sa")"

# check_esp SA MODE LINK DST: protect a generated capture, let tshark decrypt it.
check_esp() {
    local sa=$1 mode=$2 link=$3 dst=$4 name="$1 ($2, $3)"
    local plain=$WORK/$sa-$link-plain.pcap prot=$WORK/$sa-$link-prot.pcap
    $PCAP_TOOL gen "$plain" --link "$link" --count 5 --dst "$dst"
    run_picsec protect -c "$CONF" --sa "$sa" --in "$plain" --out "$prot"
    expect_eq "$name: protect exits 0" 0 "$RC"
    local fields
    fields=$(WIRESHARK_CONFIG_DIR=$WORK/ws $TSHARK -r "$prot" -T fields -E separator=, \
        -e esp.spi -e esp.icv_good -e esp.protocol -e esp.contained_data 2>/dev/null)
    expect_eq "$name: tshark sees 5 ESP packets" 5 "$(grep -c . <<<"$fields")"
    expect_eq "$name: tshark finds every ICV correct" "1 1 1 1 1" \
        "$(cut -d, -f2 <<<"$fields" | tr '\n' ' ' | sed 's/ $//')"
    local want_next want_data
    if [ "$mode" == tunnel ]; then
        want_next=0x04  # RFC 4303 2.6: IP-in-IP
        want_data=$($PCAP_TOOL ip-hex "$plain")
    else
        want_next=0x11  # the UDP of the original packet
        want_data=$($PCAP_TOOL payload-hex "$plain")
    fi
    expect_eq "$name: next header" "$want_next" "$(cut -d, -f3 <<<"$fields" | sort -u)"
    expect_eq "$name: decrypted data equals the original byte for byte" "$want_data" "$(cut -d, -f4 <<<"$fields")"
}

check_esp sa-3des-transport transport ethernet 192.168.20.1
check_esp sa-3des-transport transport raw 192.168.20.1
check_esp sa-des-transport transport ethernet 192.168.20.2
check_esp sa-3des-tunnel tunnel ethernet 192.168.99.9
check_esp sa-des-tunnel tunnel raw 192.168.99.9
check_esp sa-split transport ethernet 192.168.20.4

# Tunnel mode: the outer header carries the es- unit's tunnel endpoints.
outer=$(WIRESHARK_CONFIG_DIR=$WORK/ws $TSHARK -r "$WORK/sa-3des-tunnel-ethernet-prot.pcap" -T fields \
    -e ip.src -e ip.dst -c 1 2>/dev/null)
expect_eq "tunnel outer and inner addresses" "10.0.0.1,192.168.10.1	10.0.0.2,192.168.99.9" "$outer"

# Bundle: AH (SPI 3000) over ESP (auxiliary SPI 3001, encryption only).
plain=$WORK/bundle-plain.pcap prot=$WORK/bundle-prot.pcap
$PCAP_TOOL gen "$plain" --count 4 --dst 192.168.20.3
run_picsec protect -c "$CONF" --sa sa-bundle --in "$plain" --out "$prot"
expect_eq "bundle: protect exits 0" 0 "$RC"
fields=$(WIRESHARK_CONFIG_DIR=$WORK/ws $TSHARK -r "$prot" -T fields -E separator=, \
    -e ah.spi -e esp.spi -e esp.contained_data 2>/dev/null)
expect_eq "bundle: tshark sees AH 3000 over ESP 3001 in every packet" "0x00000bb8,0x00000bb9" \
    "$(cut -d, -f1,2 <<<"$fields" | sort -u)"
expect_eq "bundle: decrypted data equals the original byte for byte" "$($PCAP_TOOL payload-hex "$plain")" \
    "$(cut -d, -f3 <<<"$fields")"
ah_key=$(printf '%s' bundle-auth-key-0020 | od -An -tx1 | tr -d ' \n')
if $PCAP_TOOL ah-verify "$prot" sha1 "$ah_key" >"$WORK/ah.txt"; then
    pass "bundle: AH ICV verifies with an independent HMAC-SHA-1-96 (RFC 4302 3.3.3)"
else
    fail "bundle: AH ICV"; cat "$WORK/ah.txt"
fi

# The independent checks must be able to fail: a flipped ciphertext bit
# makes tshark report the ICV wrong, and the AH check notices a flipped byte.
$PCAP_TOOL tamper "$WORK/sa-3des-transport-ethernet-prot.pcap" "$WORK/tampered.pcap" 2 30
bad=$(WIRESHARK_CONFIG_DIR=$WORK/ws $TSHARK -r "$WORK/tampered.pcap" -T fields -e esp.icv_good 2>/dev/null |
    tr '\n' ' ' | sed 's/ $//')
expect_eq "tshark flags the tampered packet's ICV" "1 0 1 1 1" "$bad"
$PCAP_TOOL tamper "$prot" "$WORK/tampered-ah.pcap" 1 -1
if $PCAP_TOOL ah-verify "$WORK/tampered-ah.pcap" sha1 "$ah_key" >/dev/null; then
    fail "independent AH check accepted a tampered packet"
else
    pass "independent AH check rejects a tampered packet"
fi
finish
