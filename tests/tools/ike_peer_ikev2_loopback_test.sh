#!/usr/bin/env bash
# IKEv2 on loopback, no root: picsec run (`version 2;`) against ike-peer
# --ike-version 2. Checks the negotiation (IKE_SA_INIT + IKE_AUTH), picsec's
# `show ike security-associations` (IKEv2, SPIs, the Child SA in detail and
# JSON), the message list in RFC 7296 notation, the ikev2_decryption_table
# of `export wireshark --socket`, a mismatch with --expect-fail, --load 10,
# `clear ike security-associations`, --mutate (malformed IKE_SA_INIT and
# IKE_AUTH variants, then a fresh negotiation), --flood past picsec's COOKIE
# threshold, and ike-peer --respond with picsec initiating, then `request
# ipsec initiate` bringing the SA back after a clear.
#   ike_peer_ikev2_loopback_test.sh PICSEC_BINARY IKE_PEER_BINARY
set -uo pipefail
PICSEC=$(readlink -f "${1:?picsec binary}")
PEER=$(readlink -f "${2:?ike-peer binary}")
command -v python3 >/dev/null || { echo "SKIP: needs python3"; exit 77; }
WORK=$(mktemp -d /tmp/ike-peer-ikev2.XXXXXX)
PORT=$((24000 + ($$ % 2000) * 4)); NATT=$((PORT + 1))
PSK=loopback-secret-0123456789
. "$(dirname "$0")/loopback_lib.sh"
trap 'stop; rm -rf "$WORK"' EXIT

cat > "$WORK/picsec.conf" <<CONF
security {
    ike {
        proposal p1 { authentication-method pre-shared-keys; encryption-algorithm aes-256-cbc; authentication-algorithm sha-256; dh-group group14; }
        policy 127.0.0.2 { version 2; proposals p1; pre-shared-key ascii-text "$PSK"; }
    }
    ipsec {
        proposal p2 { protocol esp; encryption-algorithm 3des-cbc; authentication-algorithm hmac-sha1-96; }
        policy pol { proposals p2; }
        security-association sa1 { mode tunnel; dynamic { ipsec-policy pol; replay-window-size 64; } }
    }
}
interfaces es-0/0/0 { unit 0 { tunnel { source 127.0.0.1; destination 127.0.0.2; } family inet { ipsec-sa sa1; } } }
CONF

start_picsec() {  # start_picsec [--passive]
  rm -f "$WORK/picsec.sock"
  "$PICSEC" run -c "$WORK/picsec.conf" --local 127.0.0.1 --port $PORT --nat-t-port $NATT \
      --socket "$WORK/picsec.sock" --log-level info --log-keys "$@" > "$WORK/picsec.log" 2>&1 &
  pid=$!
  for _ in $(seq 50); do [[ -S $WORK/picsec.sock ]] && return 0; sleep 0.1; done
  echo "picsec did not start:"; cat "$WORK/picsec.log"; exit 1
}
S=(--socket "$WORK/picsec.sock")
OPTS=(--ike-version 2 --local 127.0.0.2 --peer 127.0.0.1:$PORT --ike aes-256-cbc/sha-256/group14
      --esp esp:3des-cbc/hmac-sha1-96 --psk "$PSK" --timeout 5)

echo "=== usage errors exit 2"
"$PEER" "${OPTS[@]}" --ike-version 3 >/dev/null 2>"$WORK/err"; rc=$?
[[ $rc == 2 ]] && grep -q "ike-version must be 1 or 2" "$WORK/err" && pass "$(cat "$WORK/err")" || fail "--ike-version 3 (rc $rc)"

start_picsec --passive
echo "=== IKE_SA_INIT + IKE_AUTH"
"$PEER" "${OPTS[@]}" --json > "$WORK/ok.json"; rc=$?
if [[ $rc == 0 && $(json "$WORK/ok.json" 'd["result"]') == established ]]; then
  [[ $(json "$WORK/ok.json" 'd["phase1"]["mode"]') == IKEv2 ]] \
    && pass "$(json "$WORK/ok.json" '"%s %s/%s/%s [%s:%s], Child SA %s" % (d["phase1"]["mode"], d["phase1"]["encryption"], d["phase1"]["hash"], d["phase1"]["dh_group"], d["phase1"]["initiator_cookie"], d["phase1"]["responder_cookie"], d["phase2"][0]["encryption"])')" \
    || fail "ike-peer's report does not say IKEv2"
else
  fail "negotiation failed (rc $rc)"; cat "$WORK/ok.json"; tail "$WORK/picsec.log"
fi

echo "=== the message list (RFC 7296 notation)"
msgs=$(json "$WORK/ok.json" '"|".join("%s %s %d %s" % (m["direction"], m["exchange"], m["message_id"], m["payloads"]) for m in d["messages"])')
want="sent IKE_SA_INIT 0 HDR, SAi1, KEi, Ni, N(NAT_DETECTION_SOURCE_IP), N(NAT_DETECTION_DESTINATION_IP), N(IKEV2_FRAGMENTATION_SUPPORTED)"
want+="|received IKE_SA_INIT 0 HDR, SAr1, KEr, Nr, N(NAT_DETECTION_SOURCE_IP), N(NAT_DETECTION_DESTINATION_IP), N(IKEV2_FRAGMENTATION_SUPPORTED)"
want+="|sent IKE_AUTH 1 HDR, SK {IDi, AUTH, SAi2, TSi, TSr}|received IKE_AUTH 1 HDR, SK {IDr, AUTH, SAr2, TSi, TSr}"
[[ $msgs == "$want" ]] && pass "4 messages: ${msgs//|/; }" || fail "messages are '$msgs', want '$want'"
[[ $(json "$WORK/ok.json" '[m["encrypted"] for m in d["messages"]]') == "[False, False, True, True]" ]] \
  && pass "IKE_AUTH encrypted, IKE_SA_INIT not" || fail "encrypted flags"

echo "=== show ike security-associations"
"$PICSEC" show ike security-associations --json "${S[@]}" > "$WORK/ike.json"
spi_i=$(json "$WORK/ok.json" 'd["phase1"]["initiator_cookie"]')
out_spi=0x$(json "$WORK/ok.json" 'd["phase2"][0]["outbound_spi"]')
got=$(json "$WORK/ike.json" '" ".join("%s %s %s %s" % (s["ike-version"], s["exchange-type"], s["initiator-spi"], ",".join(c["name"] + "=" + c["inbound-spi"] for c in s["child-sas"])) for s in d["ike-security-associations"])')
[[ $got == "2 IKEv2 $spi_i sa1=$out_spi" ]] && pass "JSON: $got" || { fail "JSON is '$got', want '2 IKEv2 $spi_i sa1=$out_spi'"; cat "$WORK/ike.json"; }
"$PICSEC" show ike security-associations "${S[@]}" > "$WORK/brief.txt"
grep -Eq "^1 +127\.0\.0\.2 +Matured +$spi_i +[0-9a-f]{16} +IKEv2$" "$WORK/brief.txt" && pass "$(tail -1 "$WORK/brief.txt")" \
  || { fail "brief table"; cat "$WORK/brief.txt"; }
"$PICSEC" show ike security-associations detail 127.0.0.2 "${S[@]}" > "$WORK/detail.txt"
grep -q "Exchange type: IKEv2, Authentication method: pre-shared-keys" "$WORK/detail.txt" &&
  grep -q "^   sa1: SPI in $out_spi, out 0x" "$WORK/detail.txt" && pass "detail: $(grep -A1 'IPSec security' "$WORK/detail.txt" | tr -s ' \n' ' ')" \
  || { fail "detail"; cat "$WORK/detail.txt"; }

echo "=== export wireshark: ikev2_decryption_table"
"$PICSEC" export wireshark "${S[@]}" --out "$WORK/ws" > "$WORK/export.txt"; rc=$?
rec=$(grep -v '^#' "$WORK/ws/ikev2_decryption_table" 2>/dev/null)
sk_pattern="[0-9a-f]{16},[0-9a-f]{16},[0-9a-f]{64},[0-9a-f]{64},\"AES-CBC-256 \[RFC3602\]\",[0-9a-f]{64},[0-9a-f]{64},\"HMAC_SHA2_256_128 \[RFC4868\]\""
[[ $rc == 0 && $rec == "$spi_i,"* ]] && grep -Eq "^$sk_pattern$" <<<"$rec" && pass "record ${rec:0:34}... $(grep -o '"[^"]*"' <<<"$rec" | tr '\n' ' ')" \
  || { fail "ikev2_decryption_table (rc $rc): $rec"; cat "$WORK/export.txt"; }
[[ $(stat -c %a "$WORK/ws/ikev2_decryption_table") == 600 ]] || fail "ikev2_decryption_table is not owner-only"

echo "=== the text report lists the messages"
"$PEER" "${OPTS[@]}" > "$WORK/ok.txt" && grep -q -- "--> IKE_AUTH M-ID .*: HDR, SK {IDi, AUTH, SAi2, TSi, TSr} (" "$WORK/ok.txt" \
  && pass "text report: $(grep -m1 -- '<-- IKE_AUTH' "$WORK/ok.txt")" || { fail "text report lists no IKE_AUTH"; cat "$WORK/ok.txt"; }

# The engine drops an unprotected NO_PROPOSAL_CHOSEN (it changes no state),
# so ike-peer's IKEv2 initiator ends in a timeout rather than a notify.
echo "=== mismatch and --expect-fail"
"$PEER" "${OPTS[@]}" --ike aes-128-cbc/sha1/group2 --expect-fail --json > "$WORK/mm.json"; rc=$?
[[ $rc == 0 && $(json "$WORK/mm.json" 'd["result"]') != established ]] \
  && pass "$(json "$WORK/mm.json" 'd["result"] + ": " + str((d["failure"] or {}).get("line", ""))')" \
  || { fail "mismatch not reported (rc $rc)"; cat "$WORK/mm.json"; }
grep -q "encryption-algorithm theirs aes-128-cbc ours aes-256-cbc" "$WORK/picsec.log" \
  && pass "picsec: $(grep -m1 -o 'IKE_SA_INIT refused.*' "$WORK/picsec.log")" || fail "picsec did not name the attribute"
"$PEER" "${OPTS[@]}" --expect-fail > /dev/null; [[ $? == 1 ]] && pass "--expect-fail exits 1 when established" \
  || fail "--expect-fail did not exit 1 on success"

echo "=== --load 10"
"$PEER" "${OPTS[@]}" --load 10 --concurrency 4 --time-limit 60 --json > "$WORK/load.json"; rc=$?
[[ $rc == 0 && $(json "$WORK/load.json" 'd["established"]') == 10 ]] \
  && pass "$(json "$WORK/load.json" '"%d established, %.1f/s p50 %.1f ms" % (d["established"], d["setups_per_second"], d["latency_ms"]["p50"])')" \
  || { fail "load (rc $rc)"; cat "$WORK/load.json"; }

echo "=== clear ike security-associations"
n=$(json <("$PICSEC" show ike security-associations --json "${S[@]}") 'len(d["ike-security-associations"])')
"$PICSEC" clear ike security-associations 127.0.0.2 "${S[@]}" > "$WORK/clear.txt"; rc=$?
[[ $rc == 0 ]] && grep -q "cleared $n IKE security associations" "$WORK/clear.txt" && pass "$(cat "$WORK/clear.txt")" \
  || { fail "clear (rc $rc, $n SAs)"; cat "$WORK/clear.txt"; }
sleep 0.3
left=$(json <("$PICSEC" show ike security-associations --json "${S[@]}") 'len(d["ike-security-associations"])')
[[ $left == 0 ]] && pass "no IKE SA left" || fail "$left IKE SAs left after clear"

echo "=== --mutate"
"$PEER" "${OPTS[@]}" --mutate --json > "$WORK/mutate.json"; rc=$?
if [[ $rc == 0 && $(json "$WORK/mutate.json" 'd["peer_alive"]') == True ]]; then
  pass "$(json "$WORK/mutate.json" '"; ".join("%s (%s): %d variants, %d answered, then %s" % (p["exchange"], p["payloads"][:24], p["variants"], p["answers"], p["negotiation"]) for p in d["positions"]) + "; fresh negotiation " + d["fresh_negotiation"]')"
else
  fail "--mutate (rc $rc)"; cat "$WORK/mutate.json"; tail "$WORK/picsec.log"
fi
[[ $(json "$WORK/mutate.json" '",".join(p["exchange"] for p in d["positions"])') == "IKE_SA_INIT,IKE_AUTH" ]] \
  && (( $(json "$WORK/mutate.json" 'd["positions"][0]["variants"]') > 100 )) \
  && (( $(json "$WORK/mutate.json" 'd["positions"][1]["variants"]') > 20 )) \
  && pass "variants of IKE_SA_INIT and IKE_AUTH" || fail "mutate positions: $(cat "$WORK/mutate.json")"
# RFC 7296 2.5: the unknown critical payload is refused by name; the unknown non-critical one skipped.
answer_to() { json "$WORK/mutate.json" "next((a['answer'] for a in d['positions'][0]['answered_variants'] if a['variant'].startswith('$1')), 'none')"; }
[[ $(answer_to "unknown critical payload") == "HDR, N(UNSUPPORTED_CRITICAL_PAYLOAD)" ]] \
  && [[ $(answer_to "unknown non-critical payload type 200 at the end") == "HDR, SAr1, KEr, Nr, "* ]] \
  && [[ $(answer_to "KE of group 0") == "HDR, N(INVALID_KE_PAYLOAD)" ]] \
  && pass "unknown critical payload: $(answer_to "unknown critical payload"); KE of group 0: $(answer_to "KE of group 0")" \
  || fail "answers to the variants: $(json "$WORK/mutate.json" 'd["positions"][0]["answered_variants"]')"
grep -q "ICV" "$WORK/picsec.log" && pass "picsec: $(grep -m1 -o 'IKE_AUTH request: .*ICV.*' "$WORK/picsec.log")" \
  || fail "picsec logged no ICV failure"
"$PICSEC" show ike security-associations --json "${S[@]}" > /dev/null || fail "picsec stopped answering after --mutate"

echo "=== --flood past the COOKIE threshold"
"$PEER" "${OPTS[@]}" --flood 400 --flood-rate 400 --json > "$WORK/flood.json"; rc=$?
if [[ $rc == 0 && $(json "$WORK/flood.json" 'd["flood"]["sent"]') == 400 ]] && (( $(json "$WORK/flood.json" 'd["flood"]["cookies"]') > 0 )); then
  pass "$(json "$WORK/flood.json" '"%d sent, %d answers, %d of them N(COOKIE)" % (d["flood"]["sent"], d["flood"]["answers"], d["flood"]["cookies"])')"
else
  fail "flood (rc $rc)"; cat "$WORK/flood.json"
fi
grep -q "answered with a COOKIE" "$WORK/picsec.log" && pass "picsec: $(grep -m1 -o 'IKE_SA_INIT answered with a COOKIE' "$WORK/picsec.log")" \
  || fail "picsec never answered with a COOKIE"
"$PEER" "${OPTS[@]}" --json > "$WORK/after.json"; rc=$?
[[ $rc == 0 ]] && pass "a negotiation after the flood: $(json "$WORK/after.json" '"; ".join(m["exchange"] + " " + m["payloads"][:14] for m in d["messages"] if m["direction"] == "received")')" \
  || { fail "no negotiation after the flood (rc $rc)"; cat "$WORK/after.json"; }
stop

echo "=== ike-peer --respond, picsec initiates; clear, then request ipsec initiate"
respond() {
  "$PEER" --respond --ike-version 2 --local 127.0.0.2:$PORT --peer 127.0.0.1 --psk "$PSK" \
      --ike aes-256-cbc/sha-256/group14 --timeout 10 --json > "$WORK/$1.json" &
  rpid=$!
  sleep 0.3
}
check_respond() {
  wait $rpid; rc=$?
  [[ $rc == 0 && $(json "$WORK/$1.json" 'd["role"]') == responder && $(json "$WORK/$1.json" 'd["result"]') == established ]] \
    && pass "$1: $(json "$WORK/$1.json" '"%s %s/%s/%s, Child SA %s" % (d["phase1"]["mode"], d["phase1"]["encryption"], d["phase1"]["hash"], d["phase1"]["dh_group"], d["phase2"][0]["encryption"])')" \
    || { fail "$1 (rc $rc)"; cat "$WORK/$1.json"; tail "$WORK/picsec.log"; }
}
respond respond
start_picsec
check_respond respond
"$PICSEC" clear ike security-associations 127.0.0.2 "${S[@]}" > "$WORK/clear2.txt" || fail "clear after --respond"
sleep 0.3
respond again
"$PICSEC" request ipsec initiate sa1 "${S[@]}" > "$WORK/initiate.txt"; rc=$?
[[ $rc == 0 ]] && grep -q "is up" "$WORK/initiate.txt" && pass "$(cat "$WORK/initiate.txt")" \
  || { fail "request ipsec initiate (rc $rc)"; cat "$WORK/initiate.txt"; tail "$WORK/picsec.log"; }
check_respond again
[[ $(json <("$PICSEC" show ike security-associations --json "${S[@]}") '[s["state"] for s in d["ike-security-associations"]]') == "['Matured']" ]] \
  && pass "one IKEv2 SA Matured again" || fail "not exactly one IKE SA Matured after initiate"
stop

if ((failures)); then echo "$failures check(s) failed"; exit 1; fi
echo "all IKEv2 loopback checks passed"
