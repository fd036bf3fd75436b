#!/usr/bin/env bash
# IKEv2 interop with a real strongSwan (Debian's charon 5.9.8): picsec in
# namespace psA, charon in psB. Each scenario negotiates IKE_SA_INIT +
# IKE_AUTH with a pre-shared key and the first Child SA, picsec as initiator
# or responder, and checks that both sides installed the same SPIs and
# algorithms; over kernel-libipsec a ping crosses the tunnel (NAT-T, ESP in
# UDP 4500). Extended sequence numbers are negotiated on an ms- interface. A
# proposal mismatch must name the transform. tshark decrypts
# IKE_AUTH with picsec's exported keys; clear and initiate work on the IKEv2 SA.
#   strongswan_ikev2_test.sh PICSEC_BINARY [SCENARIO...]
set -uo pipefail
PICSEC=$(readlink -f "${1:?picsec binary}"); shift
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/lab.sh"

lab_require load-tester kernel-libipsec gcm curve25519
lab_prepare $LAB_RUN/picsec-v2

# picsec_config IKE_PROPOSAL_BODY IPSEC_PROPOSAL_BODY
# ($PICSEC_IF: the PIC interface, es-0/0/0 unless set; $PICSEC_SA_EXTRA:
# more statements for security-association sa1.)
picsec_config() {
  cat <<CONF
security {
    ike {
        proposal p1 { authentication-method pre-shared-keys; $1 }
        policy $IP_S { version 2; proposals p1; pre-shared-key ascii-text "$PSK"; }
    }
    ipsec {
        proposal p2 { $2 }
        policy pol { proposals p2; }
        security-association sa1 { mode tunnel; ${PICSEC_SA_EXTRA:-} dynamic { ipsec-policy pol; replay-window-size 64; } }
    }
}
interfaces ${PICSEC_IF:-es-0/0/0} { unit 0 { tunnel { source $IP_P; destination $IP_S; }
    family inet { ipsec-sa sa1; address 10.98.1.1/32 { destination 10.98.2.1; } } } }
CONF
}

# charon_config IKE_PROPOSALS ESP_PROPOSALS [LOCAL_TS REMOTE_TS]
# ($CHARON_REKEY: "IKE_SECONDS CHILD_SECONDS" makes charon rekey that often.)
charon_config() {
  local ike_rekey="" child_rekey=""
  if [[ -n ${CHARON_REKEY:-} ]]; then
    read -r ike_rekey child_rekey <<<"$CHARON_REKEY"
    ike_rekey="rekey_time = ${ike_rekey}s"; child_rekey="rekey_time = ${child_rekey}s"
  fi
  cat <<CONF
connections { pic { version = 2
    $ike_rekey
    local_addrs = $IP_S
    remote_addrs = $IP_P
    proposals = $1
    local { auth = psk
      id = $IP_S }
    remote { auth = psk
      id = $IP_P }
    children { sa1 { mode = tunnel
        local_ts = ${3:-0.0.0.0/0}
        remote_ts = ${4:-0.0.0.0/0}
        $child_rekey
        esp_proposals = $2 } } } }
secrets { ike-pic { id-a = $IP_P
    id-b = $IP_S
    secret = "$PSK" } }
CONF
}

# Checks charon's IKE SA is IKEv2 and ESTABLISHED and picsec shows it Matured.
check_ike() {
  local sas; sas=$(swan --list-sas)
  grep -q "IKEv2" <<<"$sas" || fail "charon's IKE SA is not IKEv2: $sas"
  grep -q "ESTABLISHED" <<<"$sas" || fail "charon's IKE SA is not ESTABLISHED: $sas"
  "$PICSEC" show ike security-associations --socket "$WORK/picsec.sock" | grep -q " Matured " || fail "picsec IKE SA not Matured"
}

# scenario NAME ROLE IKE_PICSEC ESP_PICSEC IKE_CHARON ESP_CHARON CHARON_ALGS
scenario() {
  scenario=$1
  echo "=== $scenario (IKEv2, picsec $2, charon fake kernel)"
  picsec_config "$3" "$4" > "$WORK/$scenario.conf"
  charon_start fake "$(charon_config "$5" "$6")" || { fail "charon did not start"; return; }
  if negotiate "$2" "$WORK/$scenario.conf"; then
    compare_sas "$7" ESP
    check_ike
  fi
  scenario_end
}

# esp_scenario NAME ROLE IKE_PICSEC ESP_PICSEC IKE_CHARON ESP_CHARON CHARON_ALGS [CHARON_IKE_ALGS]:
# real ESP over kernel-libipsec; CHARON_IKE_ALGS, when given, is checked in charon's IKE SA.
esp_scenario() {
  scenario=$1
  echo "=== $scenario (IKEv2, picsec $2, charon kernel-libipsec, ESP in UDP 4500, ping through the tunnel)"
  picsec_config "$3" "$4" > "$WORK/$scenario.conf"
  if [[ $2 == initiator ]]; then
    CHARON_INSTALL_ROUTES=no charon_start libipsec "$(charon_config "$5" "$6")" || { fail "charon did not start"; return; }
  else
    CHARON_INSTALL_ROUTES=yes charon_start libipsec "$(charon_config "$5" "$6" 10.98.2.1/32 10.98.1.1/32)" ||
      { fail "charon did not start"; return; }
  fi
  if negotiate "$2" "$WORK/$scenario.conf"; then
    compare_sas "TUNNEL-in-UDP, $7" ESP
    check_ike
    [[ -n ${8:-} ]] && check_ike_algorithms "$8"
    ping_through
  fi
  scenario_end
}

lab_up
IKE_3DES="encryption-algorithm 3des-cbc; authentication-algorithm sha1; dh-group group2;"
IKE_AES="encryption-algorithm aes-256-cbc; authentication-algorithm sha-256; dh-group group14;"
ESP_3DES="protocol esp; encryption-algorithm 3des-cbc; authentication-algorithm hmac-sha1-96;"
ESP_MD5="protocol esp; encryption-algorithm 3des-cbc; authentication-algorithm hmac-md5-96;"
selected=("$@")
want() { [[ ${#selected[@]} -eq 0 ]] && return 0; local s; for s in "${selected[@]}"; do [[ $s == "$1" ]] && return 0; done; return 1; }

want psk-initiator && scenario psk-initiator initiator "$IKE_3DES" "$ESP_3DES" 3des-sha1-modp1024 3des-sha1 \
  "ESP:3DES_CBC/HMAC_SHA1_96"
want psk-responder && scenario psk-responder responder "$IKE_3DES" "$ESP_3DES" 3des-sha1-modp1024 3des-sha1 \
  "ESP:3DES_CBC/HMAC_SHA1_96"
want aes-sha256-modp2048 && scenario aes-sha256-modp2048 responder "$IKE_AES" "$ESP_MD5" aes256-sha256-modp2048 \
  3des-md5 "ESP:3DES_CBC/HMAC_MD5_96"
# Extended sequence numbers (RFC 4304) on the services PIC: charon's
# proposal asks for ESN only, so the SA it lists ends in /ESN.
ESP_SHA256="protocol esp; encryption-algorithm aes-128-cbc; authentication-algorithm hmac-sha-256-128;"
for role in initiator responder; do
  want esn-$role && PICSEC_IF=ms-0/0/0 PICSEC_SA_EXTRA="extended-sequence-number;" \
    PICSEC_EXPECT_JSON='"extended-sequence-numbers":true' scenario esn-$role $role \
    "$IKE_AES" "$ESP_SHA256" aes256-sha256-modp2048 aes128-sha256-esn "ESP:AES_CBC-128/HMAC_SHA2_256_128/ESN"
done
want esp-libipsec-initiator && esp_scenario esp-libipsec-initiator initiator "$IKE_AES" "$ESP_3DES" \
  aes256-sha256-modp2048 3des-sha1 "ESP:3DES_CBC/HMAC_SHA1_96"
want esp-libipsec-responder && esp_scenario esp-libipsec-responder responder "$IKE_3DES" "$ESP_3DES" \
  3des-sha1-modp1024 3des-sha1 "ESP:3DES_CBC/HMAC_SHA1_96"

# The services PIC (ms-0/0/0): ECP-384 (RFC 5903) and Curve25519 (RFC 8031)
# for the IKE SA, an AES-256-GCM Child SA (ENCR 20, Key Length 256, no
# INTEG), both roles each.
IKE_ECP384="encryption-algorithm aes-256-cbc; authentication-algorithm sha-384; dh-group group20;"
IKE_X25519="encryption-algorithm aes-256-cbc; authentication-algorithm sha-256; dh-group group31;"
ESP_GCM256="protocol esp; encryption-algorithm aes-256-gcm;"
ALGS_ECP384="AES_CBC-256/HMAC_SHA2_384_192/PRF_HMAC_SHA2_384/ECP_384"
ALGS_X25519="AES_CBC-256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/CURVE_25519"
for role in initiator responder; do
  want gcm-ecp384-$role && PICSEC_IF=ms-0/0/0 esp_scenario gcm-ecp384-$role $role "$IKE_ECP384" "$ESP_GCM256" \
    aes256-sha384-ecp384 aes256gcm16 "ESP:AES_GCM_16-256" "$ALGS_ECP384"
  want gcm-x25519-$role && PICSEC_IF=ms-0/0/0 esp_scenario gcm-x25519-$role $role "$IKE_X25519" "$ESP_GCM256" \
    aes256-sha256-curve25519 aes256gcm16 "ESP:AES_GCM_16-256" "$ALGS_X25519"
done

# Rekeys while traffic flows: charon rekeys the Child SA every 8 s and the IKE
# SA every 14 s with CREATE_CHILD_SA; picsec answers both. After 20 s the
# tunnel still carries pings, both sides agree on the new SPIs, and picsec
# logged both kinds of rekey.
if want rekey; then
  scenario=rekey
  echo "=== rekey (IKEv2, picsec responder, charon rekeys Child SA every 8 s and IKE SA every 14 s, kernel-libipsec)"
  picsec_config "$IKE_3DES" "$ESP_3DES" > "$WORK/rekey.conf"
  CHARON_REKEY="14 8" CHARON_INSTALL_ROUTES=yes charon_start libipsec \
    "$(CHARON_REKEY="14 8" charon_config 3des-sha1-modp1024 3des-sha1 10.98.2.1/32 10.98.1.1/32)" ||
    fail "charon did not start"
  if negotiate responder "$WORK/rekey.conf"; then
    first=$(swan --list-sas | grep -Eo "in  *[0-9a-f]{8}" | head -1)
    ike_first=$(swan --list-sas | grep -Eo "[0-9a-f]{16}_i" | head -1)
    sleep 20
    compare_sas "TUNNEL-in-UDP, ESP:3DES_CBC/HMAC_SHA1_96" ESP
    ping_through
    [[ $(swan --list-sas | grep -Eo "in  *[0-9a-f]{8}" | head -1) != "$first" ]] || fail "the Child SA was not rekeyed"
    [[ $(swan --list-sas | grep -Eo "[0-9a-f]{16}_i" | head -1) != "$ike_first" ]] || fail "the IKE SA was not rekeyed"
    grep -q "IKE SA rekeyed" "$WORK/picsec.log" || fail "picsec did not log an IKE SA rekey"
    [[ $("$PICSEC" show ike security-associations --socket "$WORK/picsec.sock" | grep -c " Matured ") == 1 ]] ||
      fail "picsec does not show exactly one IKE SA Matured"
    echo "  rekeyed: Child SA $(grep -c "Child SA sa1 installed" "$WORK/picsec.log") installs, IKE SA $(grep -c "IKE SA rekeyed" "$WORK/picsec.log") rekeys"
  fi
  scenario_end
fi

# Rekeys picsec starts: its IKE SA and Child SA live 180 s (the shortest
# lifetime JUNOS allows), charon's much longer, so picsec rekeys both about
# 60 s (plus up to 10 s of jitter) before they expire, while pings cross.
if want rekey-initiator; then
  scenario=rekey-initiator
  echo "=== rekey-initiator (IKEv2, picsec initiator with 180 s lifetimes rekeys the Child SA and the IKE SA, kernel-libipsec)"
  picsec_config "$IKE_3DES lifetime-seconds 180;" "$ESP_3DES lifetime-seconds 180;" > "$WORK/rekey-initiator.conf"
  charon_start libipsec "$(charon_config 3des-sha1-modp1024 3des-sha1)" || fail "charon did not start"
  if negotiate initiator "$WORK/rekey-initiator.conf"; then
    first=$(swan --list-sas | grep -Eo "in  *[0-9a-f]{8}" | head -1)
    ike_first=$(swan --list-sas | grep -Eo "[0-9a-f]{16}_i" | head -1)
    for _ in $(seq 160); do
      grep -q "IKE SA rekeyed" "$WORK/picsec.log" && (($(grep -c "Child SA sa1 installed" "$WORK/picsec.log") >= 2)) && break
      sleep 1
    done
    sleep 7  # charon keeps a deleted Child SA listed for 5 s before it destroys it
    grep -q "IKE SA soft lifetime reached" "$WORK/picsec.log" || fail "picsec did not start the IKE SA rekey"
    grep -q "IKE SA rekeyed" "$WORK/picsec.log" || fail "picsec did not log an IKE SA rekey"
    (($(grep -c "Child SA sa1 installed" "$WORK/picsec.log") >= 2)) || fail "picsec did not rekey the Child SA"
    [[ $(swan --list-sas | grep -Eo "in  *[0-9a-f]{8}" | head -1) != "$first" ]] || fail "charon's Child SA was not rekeyed"
    [[ $(swan --list-sas | grep -Eo "[0-9a-f]{16}_i" | head -1) != "$ike_first" ]] || fail "charon's IKE SA was not rekeyed"
    compare_sas "TUNNEL-in-UDP, ESP:3DES_CBC/HMAC_SHA1_96" ESP
    ping_through
    [[ $("$PICSEC" show ike security-associations --socket "$WORK/picsec.sock" | grep -c " Matured ") == 1 ]] ||
      fail "picsec does not show exactly one IKE SA Matured"
    echo "  rekeyed by picsec: Child SA $(grep -c "Child SA sa1 installed" "$WORK/picsec.log") installs, IKE SA $(grep -c "IKE SA rekeyed" "$WORK/picsec.log") rekeys"
  fi
  scenario_end
fi

# The COOKIE exchange, forced (RFC 7296 2.6): picsec asks every IKE_SA_INIT
# for a cookie; charon echoes it and the SA comes up.
if want cookie; then
  scenario=cookie
  echo "=== cookie (IKEv2, picsec responder with --cookie-threshold 0)"
  picsec_config "$IKE_3DES" "$ESP_3DES" > "$WORK/cookie.conf"
  charon_start fake "$(charon_config 3des-sha1-modp1024 3des-sha1)" || fail "charon did not start"
  if negotiate responder "$WORK/cookie.conf" --cookie-threshold 0; then
    compare_sas "ESP:3DES_CBC/HMAC_SHA1_96" ESP
    check_ike
    grep -q "answered with a COOKIE" "$WORK/picsec.log" || fail "picsec did not ask for a cookie"
    grep -qi "COOKIE" "$LAB_RUN/charon/charon.log" || fail "charon's log shows no COOKIE"
    echo "  $(grep -ci "cookie" "$LAB_RUN/charon/charon.log") charon log lines name the COOKIE"
  fi
  scenario_end
fi

# DPD: picsec checks liveness every 3 s; charon is killed; picsec declares it
# dead and deletes the IKE SA and its Child SA.
if want dpd; then
  scenario=dpd
  echo "=== dpd (IKEv2, picsec initiator with --dpd-interval 3, charon killed)"
  picsec_config "$IKE_3DES" "$ESP_3DES" > "$WORK/dpd.conf"
  charon_start fake "$(charon_config 3des-sha1-modp1024 3des-sha1)" || fail "charon did not start"
  if negotiate initiator "$WORK/dpd.conf" --dpd-interval 3; then
    kill -KILL "$(cat "$LAB_RUN/charon/charon.pid")"
    # Five retransmissions, 0.5 s doubling: about 35 s after the last answer.
    for _ in $(seq 120); do grep -q "dead" "$WORK/picsec.log" && break; sleep 0.5; done
    grep -q "does not answer our request: dead" "$WORK/picsec.log" || fail "picsec did not declare the peer dead"
    sleep 0.5
    "$PICSEC" show ike security-associations --socket "$WORK/picsec.sock" | grep -q " Matured " && fail "the IKE SA is still Matured"
    "$PICSEC" show ipsec security-associations --socket "$WORK/picsec.sock" | grep -q "sa1" && fail "the Child SA is still installed"
    echo "  $(grep -m1 -o "peer does not answer.*" "$WORK/picsec.log")"
  fi
  rm -f "$LAB_RUN/charon/charon.pid"
  scenario_end
fi

# A mismatch: charon offers AES-128 for the IKE SA, picsec has only 3DES.
# picsec (responder) names the transform in one log line; charon receives NO_PROPOSAL_CHOSEN.
if want mismatch; then
  scenario=mismatch
  echo "=== mismatch (IKEv2, charon initiates aes128-sha1-modp1024, picsec has 3des-cbc)"
  picsec_config "$IKE_3DES" "$ESP_3DES" > "$WORK/mismatch.conf"
  charon_start fake "$(charon_config aes128-sha1-modp1024 3des-sha1)"
  picsec_start "$WORK/mismatch.conf" --local $IP_P --passive
  swan --initiate --child sa1 --timeout 5 > "$WORK/mismatch.initiate" 2>&1
  sleep 0.5
  line=$(grep -m1 "IKE_SA_INIT refused" "$WORK/picsec.log")
  echo "  picsec: $line"
  grep -q "encryption-algorithm theirs aes-128-cbc ours 3des-cbc" <<<"$line" || fail "mismatch report does not name the encryption algorithm"
  grep -q "NO_PROPOSAL_CHOSEN" "$LAB_RUN/charon/charon.log" || fail "charon was not told NO_PROPOSAL_CHOSEN"
  swan --list-sas | grep -q INSTALLED && fail "an SA was installed despite the mismatch"
  scenario_end
fi

# tshark decrypts the captured IKE_AUTH with the keys picsec exports
# (`picsec run --log-keys`, `picsec export wireshark --socket`): the
# ikev2_decryption_table's SK_ei/SK_er open both SK payloads, SK_ai/SK_ar check their ICVs.
if want tshark-decrypt; then
  scenario=tshark-decrypt
  echo "=== tshark-decrypt (IKE_SA_INIT + IKE_AUTH captured, decrypted with picsec's ikev2_decryption_table)"
  picsec_config "$IKE_AES" "$ESP_3DES" > "$WORK/decrypt.conf"
  charon_start fake "$(charon_config aes256-sha256-modp2048 3des-sha1)" || fail "charon did not start"
  capture_start "$WORK/ikev2.pcap"
  if negotiate initiator "$WORK/decrypt.conf" --log-keys; then
    rm -rf "$WORK/wireshark"
    "$PICSEC" export wireshark --socket "$WORK/picsec.sock" --out "$WORK/wireshark" >/dev/null || fail "export failed"
    capture_stop
    echo "  $(grep -v '^#' "$WORK/wireshark/ikev2_decryption_table" | grep -o '"[^"]*"' | tr '\n' ' ')"
    decoded=$(WIRESHARK_CONFIG_DIR="$WORK/wireshark" tshark -r "$WORK/ikev2.pcap" -V 2>/dev/null)
    # IKE_AUTH: IDi and the SA with the ESP proposal out, IDr and the chosen ESP proposal back.
    grep -q "Identification Data:$IP_P" <<<"$decoded" || fail "tshark did not decrypt IKE_AUTH's IDi"
    grep -q "Identification Data:$IP_S" <<<"$decoded" || fail "tshark did not decrypt IKE_AUTH's IDr"
    [[ $(grep -c "Protocol ID: ESP (3)" <<<"$decoded") -ge 2 ]] || fail "tshark did not decrypt both IKE_AUTH SA payloads"
    grep -q "Integrity Checksum Data:.*\[incorrect" <<<"$decoded" && fail "tshark finds an incorrect ICV"
    echo "  tshark: $(grep -c "Identification Data" <<<"$decoded") ID payloads, $(grep -c "Protocol ID: ESP (3)" <<<"$decoded") ESP proposals, $(grep -c "Integrity Checksum Data:.*\[correct\]" <<<"$decoded") correct ICVs"
  fi
  capture_stop
  scenario_end
fi

# `clear ike security-associations PEER` deletes the IKEv2 SA and tells
# charon (INFORMATIONAL Delete); `request ipsec initiate sa1` brings it back.
if want clear-initiate; then
  scenario=clear-initiate
  echo "=== clear-initiate (IKEv2, picsec initiator: clear, charon loses the SA, initiate, it is back)"
  picsec_config "$IKE_AES" "$ESP_3DES" > "$WORK/clear.conf"
  charon_start fake "$(charon_config aes256-sha256-modp2048 3des-sha1)" || fail "charon did not start"
  if negotiate initiator "$WORK/clear.conf"; then
    check_ike
    "$PICSEC" show ike security-associations detail --socket "$WORK/picsec.sock" | grep -q "^   sa1: SPI in 0x" ||
      fail "show ike ... detail does not list the Child SA sa1"
    old_spi=$(swan --list-sas | grep -Eo 'in +[0-9a-f]{8}' | awk '{print $2}')
    "$PICSEC" clear ike security-associations $IP_S --socket "$WORK/picsec.sock" | sed 's/^/  picsec: /'
    for _ in $(seq 50); do swan --list-sas 2>/dev/null | grep -q ESTABLISHED || break; sleep 0.1; done
    if swan --list-sas | grep -q ESTABLISHED; then fail "charon still has the IKE SA after clear"
    else echo "  charon: no IKE SA after clear"; fi
    grep -q "received DELETE for IKE_SA" "$LAB_RUN/charon/charon.log" || fail "charon did not log the DELETE"
    "$PICSEC" request ipsec initiate sa1 --socket "$WORK/picsec.sock" | sed 's/^/  picsec: /'
    if wait_installed; then
      check_ike
      compare_sas "ESP:3DES_CBC/HMAC_SHA1_96" ESP
      new_spi=$(swan --list-sas | grep -Eo 'in +[0-9a-f]{8}' | awk '{print $2}')
      [[ $new_spi != "$old_spi" ]] || fail "the Child SA after initiate has the old SPI $old_spi"
    else
      fail "no CHILD_SA after request ipsec initiate"
    fi
  fi
  scenario_end
fi

if ((failures)); then echo "$failures IKEv2 interop check(s) failed"; exit 1; fi
echo "all IKEv2 interop scenarios passed"
