#!/usr/bin/env bash
# Interop with a real strongSwan (Debian's charon 5.9.8): picsec runs in
# namespace psA, charon in psB. Each scenario configures both sides the same
# way, negotiates with picsec as initiator or as responder, and asserts that
# the SAs charon lists (SPIs, algorithms) are the ones picsec installed.
#   strongswan_test.sh PICSEC_BINARY [SCENARIO...]
set -uo pipefail
PICSEC=$(readlink -f "${1:?picsec binary}"); shift
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/lab.sh"

lab_require load-tester kernel-libipsec gcm curve25519
lab_prepare $LAB_RUN/picsec

# picsec_config IKE_PROPOSAL_BODY MODE IPSEC_PROPOSAL_BODY PFS SA_MODE
# ($PICSEC_IF: the PIC interface, es-0/0/0 unless set; $PICSEC_SA_EXTRA:
# more statements for security-association sa1.)
picsec_config() {
  local ike=$1 mode=$2 ipsec=$3 pfs=$4 sa_mode=$5 pfs_stmt="" bind
  [[ $pfs != none ]] && pfs_stmt="perfect-forward-secrecy { keys $pfs; }"
  if [[ $sa_mode == tunnel ]]; then
    # 10.98.1.1 is the es- unit's own address: picsec answers pings to it through the tunnel.
    bind="interfaces ${PICSEC_IF:-es-0/0/0} { unit 0 { tunnel { source $IP_P; destination $IP_S; }
        family inet { ipsec-sa sa1; address 10.98.1.1/32 { destination 10.98.2.1; } } } }"
  else
    bind="protocols bgp group ibgp neighbor $IP_S { ipsec-sa sa1; }"
  fi
  cat <<CONF
security {
    ike {
        proposal p1 { authentication-method pre-shared-keys; $ike }
        policy $IP_S { mode $mode; proposals p1; pre-shared-key ascii-text "$PSK"; }
    }
    ipsec {
        proposal p2 { $ipsec }
        policy pol { $pfs_stmt proposals p2; }
        security-association sa1 { mode $sa_mode; ${PICSEC_SA_EXTRA:-} dynamic { ipsec-policy pol; replay-window-size 64; } }
    }
}
$bind
CONF
}

# charon_config AGGRESSIVE(yes|no) IKE_PROPOSALS CHILD_PROPOSAL_LINE SA_MODE [LOCAL_TS REMOTE_TS]
charon_config() {
  local ts_l=${5:-0.0.0.0/0} ts_r=${6:-0.0.0.0/0}
  [[ $4 == transport ]] && ts_l=$IP_S/32 ts_r=$IP_P/32
  cat <<CONF
connections { pic { version = 1
    aggressive = $1
    local_addrs = $IP_S
    remote_addrs = $IP_P
    proposals = $2
    encap = no
    local { auth = psk
      id = $IP_S }
    remote { auth = psk
      id = $IP_P }
    children { sa1 { mode = $4
        local_ts = $ts_l
        remote_ts = $ts_r
        $3 } } } }
secrets { ike-pic { id-a = $IP_P
    id-b = $IP_S
    secret = "$PSK" } }
CONF
}

# scenario NAME ROLE MODE BACKEND IKE_PICSEC IKE_CHARON IPSEC_PICSEC CHILD_CHARON PFS SA_MODE CHARON_ALGS PROTOCOL
scenario() {
  scenario=$1
  local role=$2 mode=$3 backend=$4 aggressive=no
  [[ $mode == aggressive ]] && aggressive=yes
  echo "=== $scenario (picsec $role, $mode mode, charon backend $backend)"
  picsec_config "$5" "$mode" "$7" "$9" "${10}" > "$WORK/$scenario.conf"
  charon_start "$backend" "$(charon_config $aggressive "$6" "$8" "${10}")" || { fail "charon did not start"; return; }
  if negotiate "$role" "$WORK/$scenario.conf"; then
    compare_sas "${11}" "${12}"
    "$PICSEC" show ike security-associations --socket "$WORK/picsec.sock" | grep -q " Matured " || fail "picsec IKE SA not Matured"
  fi
  scenario_end
}

lab_up
IKE_3DES="encryption-algorithm 3des-cbc; authentication-algorithm sha1; dh-group group2;"
ESP_3DES="protocol esp; encryption-algorithm 3des-cbc; authentication-algorithm hmac-sha1-96;"
want() { [[ $# -eq 0 ]] && return 0; local s; for s in "${selected[@]}"; do [[ $s == "$1" ]] && return 0; done; return 1; }
selected=("$@")
run() { if [[ ${#selected[@]} -eq 0 ]] || want "$1"; then scenario "$@"; fi; }

run main-3des-initiator initiator main fake "$IKE_3DES" 3des-sha1-modp1024 "$ESP_3DES" \
    "esp_proposals = 3des-sha1-modp1024" group2 tunnel "ESP:3DES_CBC/HMAC_SHA1_96/MODP_1024" ESP
run main-3des-responder responder main fake "$IKE_3DES" 3des-sha1-modp1024 "$ESP_3DES" \
    "esp_proposals = 3des-sha1-modp1024" group2 tunnel "ESP:3DES_CBC/HMAC_SHA1_96/MODP_1024" ESP
run aggressive-initiator initiator aggressive fake "$IKE_3DES" 3des-sha1-modp1024 "$ESP_3DES" \
    "esp_proposals = 3des-sha1-modp1024" group2 tunnel "ESP:3DES_CBC/HMAC_SHA1_96/MODP_1024" ESP
run aggressive-responder responder aggressive fake "$IKE_3DES" 3des-sha1-modp1024 "$ESP_3DES" \
    "esp_proposals = 3des-sha1-modp1024" group2 tunnel "ESP:3DES_CBC/HMAC_SHA1_96/MODP_1024" ESP
run des-md5-group1 initiator main fake \
    "encryption-algorithm des-cbc; authentication-algorithm md5; dh-group group1;" des-md5-modp768 \
    "protocol esp; encryption-algorithm des-cbc; authentication-algorithm hmac-md5-96;" \
    "esp_proposals = des-md5" none tunnel "ESP:DES_CBC/HMAC_MD5_96" ESP
run aes128-sha256-group14 responder main fake \
    "encryption-algorithm aes-128-cbc; authentication-algorithm sha-256; dh-group group14;" aes128-sha256-modp2048 \
    "$ESP_3DES" "esp_proposals = 3des-sha1-modp2048" group14 tunnel "ESP:3DES_CBC/HMAC_SHA1_96/MODP_2048" ESP
run ah-transport initiator main fake "$IKE_3DES" 3des-sha1-modp1024 \
    "protocol ah; authentication-algorithm hmac-sha1-96;" "ah_proposals = sha1-modp1024" group2 transport \
    "AH:HMAC_SHA1_96/MODP_1024" AH

# Extended sequence numbers (RFC 4304 attribute 11) on the services PIC,
# charon asking for ESN only.
for role in initiator responder; do
  PICSEC_IF=ms-0/0/0 PICSEC_SA_EXTRA="extended-sequence-number;" PICSEC_EXPECT_JSON='"extended-sequence-numbers":true' \
    run esn-$role $role main fake "$IKE_3DES" 3des-sha1-modp1024 \
    "protocol esp; encryption-algorithm aes-128-cbc; authentication-algorithm hmac-sha-256-128;" \
    "esp_proposals = aes128-sha256-esn" none tunnel "ESP:AES_CBC-128/HMAC_SHA2_256_128/ESN" ESP
done
# Real ESP with charon's userspace backend (kernel-libipsec), which always
# behaves as if behind a NAT: IKE floats to 4500 and ESP goes in UDP (RFC
# 3947/3948). A ping from charon's side to picsec's es- address crosses the
# tunnel both ways; picsec answers it. Both sides count the same packets.
#   esp_scenario NAME ROLE IKE_PICSEC IKE_CHARON ESP_PICSEC ESP_CHARON CHARON_ALGS [PFS [CHARON_IKE_ALGS]]
# (PFS defaults to group2; CHARON_IKE_ALGS, when given, is checked in charon's IKE SA.)
esp_scenario() {
  scenario=$1
  local role=$2
  echo "=== $scenario (picsec $role, charon kernel-libipsec, ESP in UDP 4500, ping through the tunnel)"
  picsec_config "$3" main "$5" "${8:-group2}" tunnel > "$WORK/$scenario.conf"
  if [[ $role == initiator ]]; then
    # picsec offers the route-based 0.0.0.0/0 client IDs.
    CHARON_INSTALL_ROUTES=no charon_start libipsec "$(charon_config no "$4" "esp_proposals = $6" tunnel)" ||
      { fail "charon did not start"; return; }
  else
    # charon offers its inner host addresses, inside picsec's 0.0.0.0/0.
    CHARON_INSTALL_ROUTES=yes charon_start libipsec \
      "$(charon_config no "$4" "esp_proposals = $6" tunnel 10.98.2.1/32 10.98.1.1/32)" ||
      { fail "charon did not start"; return; }
  fi
  # The ESP in UDP 4500 is captured and handed to tshark with the keys picsec exports.
  capture_start "$WORK/$scenario.pcap"
  if negotiate "$role" "$WORK/$scenario.conf" --log-keys; then
    compare_sas "TUNNEL-in-UDP, $7" ESP
    [[ -n ${9:-} ]] && check_ike_algorithms "$9"
    ping_through
    capture_stop
    rm -rf "$WORK/wireshark"
    "$PICSEC" export wireshark --socket "$WORK/picsec.sock" --out "$WORK/wireshark" >/dev/null || fail "export failed"
    local decoded requests replies
    decoded=$(WIRESHARK_CONFIG_DIR="$WORK/wireshark" tshark -r "$WORK/$scenario.pcap" \
      -o esp.enable_encryption_decode:TRUE -o esp.enable_authentication_check:TRUE -Y "esp && icmp" \
      -T fields -e icmp.type -e esp.icv_good 2>/dev/null)
    # icmp.type, then esp.icv_good (1 when the ICV verifies with the exported key)
    requests=$(grep -cP "^8\t1$" <<<"$decoded"); replies=$(grep -cP "^0\t1$" <<<"$decoded")
    echo "  tshark decrypts the ESP in UDP, ICV good: $requests echo requests, $replies echo replies"
    [[ $requests == 4 && $replies == 4 ]] || fail "tshark did not decrypt and authenticate 4 requests and 4 replies: $decoded"
  fi
  capture_stop
  scenario_end
}
esp_run() { if [[ ${#selected[@]} -eq 0 ]] || want "$1"; then esp_scenario "$@"; fi; }
esp_run esp-libipsec-initiator initiator "$IKE_3DES" 3des-sha1-modp1024 "$ESP_3DES" 3des-sha1-modp1024 \
    "ESP:3DES_CBC/HMAC_SHA1_96/MODP_1024"
esp_run esp-libipsec-responder responder \
    "encryption-algorithm aes-128-cbc; authentication-algorithm sha-256; dh-group group2;" aes128-sha256-modp1024 \
    "protocol esp; encryption-algorithm 3des-cbc; authentication-algorithm hmac-md5-96;" 3des-md5-modp1024 \
    "ESP:3DES_CBC/HMAC_MD5_96/MODP_1024"

# The services PIC (ms-0/0/0): ECP-256 for the ISAKMP SA and as Quick Mode
# PFS, ESP AES-128-GCM (RFC 4106 8.4: transform 20, Key Length 128, no
# authentication attribute), both roles; Curve25519 (RFC 8031) with
# AES-256-GCM, picsec responding.
IKE_ECP256="encryption-algorithm aes-256-cbc; authentication-algorithm sha-256; dh-group group19;"
ESP_GCM128="protocol esp; encryption-algorithm aes-128-gcm;"
ESP_GCM256="protocol esp; encryption-algorithm aes-256-gcm;"
ALGS_ECP256="AES_CBC-256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/ECP_256"
PICSEC_IF=ms-0/0/0 esp_run gcm-ecp256-initiator initiator "$IKE_ECP256" aes256-sha256-ecp256 "$ESP_GCM128" \
    aes128gcm16-ecp256 "ESP:AES_GCM_16-128/ECP_256" group19 "$ALGS_ECP256"
PICSEC_IF=ms-0/0/0 esp_run gcm-ecp256-responder responder "$IKE_ECP256" aes256-sha256-ecp256 "$ESP_GCM128" \
    aes128gcm16-ecp256 "ESP:AES_GCM_16-128/ECP_256" group19 "$ALGS_ECP256"
PICSEC_IF=ms-0/0/0 esp_run gcm-x25519-responder responder \
    "encryption-algorithm aes-256-cbc; authentication-algorithm sha-256; dh-group group31;" \
    aes256-sha256-curve25519 "$ESP_GCM256" aes256gcm16-curve25519 "ESP:AES_GCM_16-256/CURVE_25519" group31 \
    "AES_CBC-256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/CURVE_25519"

# A mismatch: charon offers AES-128 in phase 1, picsec has only 3DES. picsec
# (responder) must name the differing attribute in one log line.
if [[ ${#selected[@]} -eq 0 ]] || want mismatch; then
  scenario=mismatch
  echo "=== mismatch (charon initiates aes128-sha1-modp1024, picsec has 3des-cbc)"
  picsec_config "$IKE_3DES" main "$ESP_3DES" group2 tunnel > "$WORK/mismatch.conf"
  charon_start fake "$(charon_config no aes128-sha1-modp1024 "esp_proposals = 3des-sha1" tunnel)"
  picsec_start "$WORK/mismatch.conf" --passive
  swan --initiate --child sa1 --timeout 5 > "$WORK/mismatch.initiate" 2>&1
  sleep 0.5
  line=$(grep -m1 "no proposal chosen" "$WORK/picsec.log")
  echo "  picsec: $line"
  grep -q "encryption-algorithm theirs aes-128-cbc ours 3des-cbc" <<<"$line" || fail "mismatch report does not name the encryption algorithm"
  grep -q "NO_PROPOSAL_CHOSEN" "$LAB_RUN/charon/charon.log" || fail "charon was not told NO-PROPOSAL-CHOSEN"
  swan --list-sas | grep -q INSTALLED && fail "an SA was installed despite the mismatch"
  picsec_stop; charon_stop
fi

# tshark decrypts a captured picsec exchange with the keys picsec exports
# (`picsec run --log-keys`, `picsec export wireshark --socket`).
if [[ ${#selected[@]} -eq 0 ]] || want tshark-decrypt; then
  scenario=tshark-decrypt
  echo "=== tshark-decrypt (Main Mode + Quick Mode captured, decrypted with picsec's ikev1_decryption_table)"
  picsec_config "$IKE_3DES" main "$ESP_3DES" group2 tunnel > "$WORK/decrypt.conf"
  charon_start fake "$(charon_config no 3des-sha1-modp1024 "esp_proposals = 3des-sha1-modp1024" tunnel)"
  capture_start "$WORK/ike.pcap"
  picsec_start "$WORK/decrypt.conf" --local $IP_P --log-keys
  wait_installed || fail "no CHILD_SA installed"
  sleep 0.5
  rm -rf "$WORK/wireshark"
  "$PICSEC" export wireshark --socket "$WORK/picsec.sock" --out "$WORK/wireshark" >/dev/null || fail "export failed"
  capture_stop
  decoded=$(WIRESHARK_CONFIG_DIR="$WORK/wireshark" tshark -r "$WORK/ike.pcap" -V 2>/dev/null)
  # Main Mode 5 and 6 carry the encrypted IDs; Quick Mode the ESP proposal.
  grep -q "Identification Data:$IP_P" <<<"$decoded" || fail "tshark did not decrypt Main Mode 5 (IDii)"
  grep -q "Identification Data:$IP_S" <<<"$decoded" || fail "tshark did not decrypt Main Mode 6 (IDir)"
  [[ $(grep -c "Protocol ID: IPSEC_ESP" <<<"$decoded") -ge 2 ]] || fail "tshark did not decrypt both Quick Mode SA payloads"
  echo "  tshark: $(grep -c "Identification Data" <<<"$decoded") ID payloads and $(grep -c "Protocol ID: IPSEC_ESP" <<<"$decoded") ESP proposals decrypted"
  picsec_stop; charon_stop
fi

if ((failures)); then echo "$failures interop check(s) failed"; exit 1; fi
echo "all interop scenarios passed"
