#!/usr/bin/env bash
# tshark, an independent decoder, reads picsec's IKEv2 SK{} payloads: with the
# ikev2_decryption_table record picsec exports (SPIi, SPIr, SK_ei, SK_er,
# SK_ai, SK_ar, algorithms) it checks the ICV of IKE_AUTH and decrypts it,
# showing both identities and the Child SA's ESP proposal (RFC 7296 1.2),
# with aes-256-cbc/sha-256 and with 3des-cbc/sha1.
#   tshark_ikev2_test.sh PATH/TO/pcap_ikev2_capture
set -euo pipefail
gen=${1:?pcap_ikev2_capture binary}
command -v tshark >/dev/null || { echo "FAIL: tshark is required (CI installs it)"; exit 1; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
for suite in aes 3des; do
  rm -rf "$work"/*
  "$gen" "$work/v2.pcap" "$work/v2.uat" "$suite"
  uat=$(cat "$work/v2.uat")
  echo "record: ${uat%%,*},... $(grep -o '"[^"]*"' <<<"$uat" | tr '\n' ' ')"
  export WIRESHARK_CONFIG_DIR="$work/wsconf"; mkdir -p "$WIRESHARK_CONFIG_DIR"

  # Without keys IKE_AUTH stays encrypted: the checks below can fail.
  tshark -n -r "$work/v2.pcap" -V > "$work/plain.txt" 2>/dev/null
  if grep -q 'Identification Data' "$work/plain.txt"; then
    echo "FAIL: IKE_AUTH decoded without the key table"; exit 1
  fi

  tshark -n -r "$work/v2.pcap" -o "uat:ikev2_decryption_table:$uat" -V > "$work/dec.txt" 2>/dev/null
  # IKE_AUTH (exchange type 35): request and response, each with its ID payload.
  auth=$(grep -c 'Exchange type: IKE_AUTH (35)' "$work/dec.txt" || true)
  [[ $auth -eq 2 ]] || { echo "FAIL: expected 2 IKE_AUTH messages, got $auth"; exit 1; }
  grep -q 'Identification Data:10.0.0.1' "$work/dec.txt" || { echo "FAIL: IDi not decrypted"; exit 1; }
  grep -q 'Identification Data:10.0.0.2' "$work/dec.txt" || { echo "FAIL: IDr not decrypted"; exit 1; }
  esp=$(grep -c 'Protocol ID: ESP (3)' "$work/dec.txt" || true)
  [[ $esp -ge 2 ]] || { echo "FAIL: expected the ESP proposal in both IKE_AUTH messages, got $esp"; exit 1; }
  # Every SK payload's ICV checks with SK_ai/SK_ar.
  bad=$(grep -c 'Integrity Checksum Data:.*\[incorrect' "$work/dec.txt" || true)
  good=$(grep -c 'Integrity Checksum Data:.*\[correct\]' "$work/dec.txt" || true)
  [[ $bad -eq 0 && $good -ge 4 ]] || { echo "FAIL: ICVs: $good correct, $bad incorrect"; exit 1; }
  grep -q 'Payload: Delete' "$work/dec.txt" || { echo "FAIL: the INFORMATIONAL Delete was not decrypted"; exit 1; }
  echo "PASS $suite: tshark checks $good ICVs and decrypts IKE_AUTH (IDi, IDr, $esp ESP proposals) and the Delete"
done
