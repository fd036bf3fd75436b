#!/bin/bash
# Independent check of the services PIC's SHA-2 ESP through the CLI: manual
# SAs on ms- interfaces (AES-CBC with HMAC-SHA-256-128, -384-192, -512-256)
# are protected by `picsec protect`, and tshark decrypts and authenticates
# them with the esp_sa table written by `picsec export wireshark`; the inner
# packets equal the originals byte for byte. The same SAs on an es- interface
# are refused by the commit check, naming the ES PIC. (AES-GCM SAs come only
# from IKE, RFC 4106 2: tests/tools/tshark_gcm_sha2_test.cpp checks them.)
. "$(dirname "$0")/test_lib.sh" "$@"
command -v tshark >/dev/null || { echo "tshark not installed"; exit 1; }
CONF=$DATA/services.conf
TSHARK="tshark -n"

run_picsec export wireshark -c "$CONF" --out "$WORK/ws"
expect_eq "export wireshark exits 0" 0 "$RC"
expect_eq "esp_sa names HMAC-SHA-256-128, -384-192 and -512-256 as tshark does" \
    '"HMAC-SHA-256-128 [RFC4868]" "HMAC-SHA-384-192 [RFC4868]" "HMAC-SHA-512-256 [RFC4868]"' \
    "$(grep -o '"HMAC-SHA-[0-9-]* \[RFC4868\]"' "$WORK/ws/esp_sa" | sort -u | tr '\n' ' ' | sed 's/ $//')"

check_esp() {
    local sa=$1 dst=$2
    local plain=$WORK/$sa-plain.pcap prot=$WORK/$sa-prot.pcap
    $PCAP_TOOL gen "$plain" --link ethernet --count 5 --dst "$dst"
    run_picsec protect -c "$CONF" --sa "$sa" --in "$plain" --out "$prot"
    expect_eq "$sa: protect exits 0" 0 "$RC"
    local fields
    fields=$(WIRESHARK_CONFIG_DIR=$WORK/ws $TSHARK -r "$prot" -T fields -E separator=, \
        -e esp.spi -e esp.icv_good -e esp.protocol -e esp.contained_data 2>/dev/null)
    expect_eq "$sa: tshark sees 5 ESP packets" 5 "$(grep -c . <<<"$fields")"
    expect_eq "$sa: tshark finds every ICV correct" "1 1 1 1 1" \
        "$(cut -d, -f2 <<<"$fields" | tr '\n' ' ' | sed 's/ $//')"
    expect_eq "$sa: next header IP-in-IP" 0x04 "$(cut -d, -f3 <<<"$fields" | sort -u)"
    expect_eq "$sa: decrypted data equals the original byte for byte" "$($PCAP_TOOL ip-hex "$plain")" \
        "$(cut -d, -f4 <<<"$fields")"
    # The check can fail: a flipped bit of the sequence number (IP offset 27),
    # which the ICV covers, makes tshark report the ICV wrong. (A flipped
    # ciphertext bit would garble a block of the inner packet with the random
    # IV, and tshark gives no ICV verdict when that inner packet is malformed.)
    $PCAP_TOOL tamper "$prot" "$WORK/$sa-tampered.pcap" 2 27
    expect_eq "$sa: tshark flags the tampered packet's ICV" "1 0 1 1 1" \
        "$(WIRESHARK_CONFIG_DIR=$WORK/ws $TSHARK -r "$WORK/$sa-tampered.pcap" -T fields -e esp.icv_good 2>/dev/null |
            tr '\n' ' ' | sed 's/ $//')"
}

check_esp sa-aes-sha256 192.168.99.1
check_esp sa-aes-sha384 192.168.99.2
check_esp sa-aes-sha512 192.168.99.3

# The ES PIC refuses the same SAs, by name.
sed 's/ms-1\/0\/0/es-1\/0\/0/' "$CONF" >"$WORK/es.conf"
run_picsec check "$WORK/es.conf"
expect_eq "the ES PIC refuses them: check exits non-zero" 1 "$((RC != 0))"
expect_eq "the ES PIC refuses hmac-sha-256-128 by name" 1 \
    "$(grep -c 'authentication algorithm hmac-sha-256-128 is not supported by the ES PIC for manual SAs, needs hmac-md5-96 or hmac-sha1-96' <<<"$OUT$ERR")"
finish
