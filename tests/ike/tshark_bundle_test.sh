#!/usr/bin/env bash
# tshark, an independent decoder, reads picsec's Quick Mode: with the exported
# ikev1_decryption_table record it decrypts QM1 and shows one proposal that
# carries both AH and ESP under the same number (tshark 4 names the protocol
# IDs "IPSEC_AH (2)" and "IPSEC_ESP (3)", RFC 2407 4.4.1 PROTO_IPSEC_AH/ESP).
#   tshark_bundle_test.sh PATH/TO/pcap_bundle_capture
set -euo pipefail
gen=${1:?pcap_bundle_capture binary}
command -v tshark >/dev/null || { echo "FAIL: tshark is required (CI installs it)"; exit 1; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
"$gen" "$work/bundle.pcap" "$work/bundle.uat"
uat=$(cat "$work/bundle.uat")
export WIRESHARK_CONFIG_DIR="$work/wsconf"; mkdir -p "$WIRESHARK_CONFIG_DIR"

# Without keys the Quick Mode SA stays encrypted: the check below can fail.
tshark -n -r "$work/bundle.pcap" -Y 'isakmp.exchangetype == 32' -V > "$work/plain.txt" 2>/dev/null
if grep -q 'Protocol ID: IPSEC_AH (2)' "$work/plain.txt"; then
  echo "FAIL: Quick Mode decoded without the key table"; exit 1
fi

# QM1 (the initiator's offer) decrypted with icookie + Ka.
tshark -n -r "$work/bundle.pcap" -o "uat:ikev1_decryption_table:$uat" -Y 'isakmp.exchangetype == 32' -V \
  > "$work/qm.txt" 2>/dev/null
frames=$(grep -c '^Frame ' "$work/qm.txt" || true)
[[ $frames -eq 3 ]] || { echo "FAIL: expected 3 Quick Mode frames, got $frames"; exit 1; }
# The first Quick Mode frame only: QM1's SA payload.
awk '/^Frame /{n++} n==1' "$work/qm.txt" > "$work/qm1.txt"
grep -q 'Decrypted Data' "$work/qm1.txt" || grep -q 'Payload: Security Association' "$work/qm1.txt" || {
  echo "FAIL: QM1 not decrypted"; cat "$work/qm1.txt"; exit 1; }
# Pairs "number protocol" of every Proposal payload in QM1.
pairs=$(awk '/Proposal number:/{n=$NF; want=1; next} want && /Protocol ID:/{print n, $3, $4; want=0}' "$work/qm1.txt")
echo "QM1 proposals (number protocol):"; echo "$pairs"
ah=$(awk '$2=="IPSEC_AH" && $3=="(2)"{print $1}' <<<"$pairs")
esp=$(awk '$2=="IPSEC_ESP" && $3=="(3)"{print $1}' <<<"$pairs")
[[ $(wc -l <<<"$pairs") -eq 2 ]] || { echo "FAIL: expected exactly 2 proposal payloads in QM1"; exit 1; }
[[ -n $ah && -n $esp ]] || { echo "FAIL: QM1 SA lacks the AH (2) or ESP (3) protocol ID"; exit 1; }
[[ $ah == "$esp" ]] || { echo "FAIL: AH under proposal $ah, ESP under $esp: not one bundle"; exit 1; }
# The responder's QM2 answers with the same bundle.
awk '/^Frame /{n++} n==2' "$work/qm.txt" > "$work/qm2.txt"
grep -q 'Protocol ID: IPSEC_AH (2)' "$work/qm2.txt" && grep -q 'Protocol ID: IPSEC_ESP (3)' "$work/qm2.txt" || {
  echo "FAIL: QM2 does not carry the AH+ESP bundle"; exit 1; }
grep -E 'Transform ID|Authentication-Algorithm' "$work/qm1.txt" | sed 's/^ */  /' | head -6
echo "PASS: tshark decrypts Quick Mode and shows AH and ESP under proposal $ah"
