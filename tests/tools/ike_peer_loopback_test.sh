#!/usr/bin/env bash
# ike-peer against picsec run on loopback (no root needed): picsec answers on
# 127.0.0.1 with unprivileged ports, ike-peer speaks from 127.0.0.2. Checks a
# successful negotiation (JSON report), a phase-1 mismatch reported as
# NO-PROPOSAL-CHOSEN with picsec naming the attribute, --identity with
# --initial-contact (an FQDN ID picsec admits with a pre-shared key), --mutate
# followed by a fresh negotiation, --load 20, a small flood during a load, and
# ike-peer --respond with picsec initiating.
#   ike_peer_loopback_test.sh PICSEC_BINARY IKE_PEER_BINARY
set -uo pipefail
PICSEC=$(readlink -f "${1:?picsec binary}")
PEER=$(readlink -f "${2:?ike-peer binary}")
command -v python3 >/dev/null || { echo "SKIP: needs python3"; exit 77; }
WORK=$(mktemp -d /tmp/ike-peer-loopback.XXXXXX)
PORT=$((20000 + ($$ % 2000) * 4)); NATT=$((PORT + 1))
PSK=loopback-secret-0123456789
. "$(dirname "$0")/loopback_lib.sh"
trap 'stop; rm -rf "$WORK"' EXIT

loopback_config > "$WORK/picsec.conf"

start_picsec() {  # start_picsec [--passive]
  "$PICSEC" run -c "$WORK/picsec.conf" --local 127.0.0.1 --port $PORT --nat-t-port $NATT \
      --socket "$WORK/picsec.sock" --log-level info "$@" > "$WORK/picsec.log" 2>&1 &
  pid=$!
  for _ in $(seq 50); do [[ -S $WORK/picsec.sock ]] && return 0; sleep 0.1; done
  echo "picsec did not start:"; cat "$WORK/picsec.log"; exit 1
}

OPTS=(--local 127.0.0.2 --peer 127.0.0.1:$PORT --ike 3des-cbc/sha1/group2 --esp esp:3des-cbc/hmac-sha1-96 --pfs group2
      --psk "$PSK" --timeout 5)

echo "=== usage errors exit 2"
"$PEER" --peer 127.0.0.1 --psk x >/dev/null 2>&1; [[ $? == 2 ]] && pass "missing --local" || fail "missing --local did not exit 2"
"$PEER" "${OPTS[@]}" --ike 3des-cbc/sha1/group99 >/dev/null 2>"$WORK/err"; rc=$?
[[ $rc == 2 ]] && grep -q "unknown dh-group 'group99'" "$WORK/err" && pass "$(cat "$WORK/err")" || fail "bad group not named (rc $rc)"

start_picsec --passive
echo "=== successful negotiation"
"$PEER" "${OPTS[@]}" --json > "$WORK/ok.json"; rc=$?
if [[ $rc == 0 && $(json "$WORK/ok.json" 'd["result"]') == established ]]; then
  pass "$(json "$WORK/ok.json" '" | ".join("%s %s" % (m["direction"], m["payloads"]) for m in d["messages"])')"
  [[ $(json "$WORK/ok.json" 'd["phase2"][0]["pfs_group"]') == group2 ]] || fail "phase 2 without PFS group2"
  [[ $(json "$WORK/ok.json" 'len(d["messages"])') == 9 ]] || fail "not 9 messages for Main Mode + Quick Mode"
  # ike-peer's outbound SPI is picsec's inbound one (show prints SPIs in decimal).
  spi=$(json "$WORK/ok.json" 'int(d["phase2"][0]["outbound_spi"], 16)')
  "$PICSEC" show ipsec security-associations --json --socket "$WORK/picsec.sock" > "$WORK/show.json"
  [[ $(json "$WORK/show.json" '[x["spi"] for sa in d["security-associations"] for x in sa["directions"] if x["direction"] == "inbound"]') == "[$spi]" ]] \
    && pass "picsec's inbound SPI is $spi" || { fail "picsec does not list inbound SPI $spi"; cat "$WORK/show.json"; }
else
  fail "negotiation failed (rc $rc)"; cat "$WORK/ok.json"; tail "$WORK/picsec.log"
fi

echo "=== --identity and --initial-contact"
"$PEER" "${OPTS[@]}" --identity one.ike-peer.test --initial-contact --json > "$WORK/ic.json"; rc=$?
if [[ $rc == 0 && $(json "$WORK/ic.json" 'd["result"]') == established ]]; then
  m5=$(json "$WORK/ic.json" '[m["payloads"] for m in d["messages"] if m["direction"] == "sent"][2]')
  [[ $m5 == *"N(INITIAL-CONTACT)"* && $m5 == *ID* ]] && pass "main mode 5: $m5" || fail "no INITIAL-CONTACT in main mode 5: $m5"
  [[ $(json "$WORK/ic.json" 'd["offered"]["identity"], d["offered"]["initial_contact"]') == "one.ike-peer.test True" ]] \
    || fail "the report does not show our identity and INITIAL-CONTACT"
  "$PICSEC" show ike security-associations --json --socket "$WORK/picsec.sock" > "$WORK/ike.json"
  [[ $(json "$WORK/ike.json" '"one.ike-peer.test" in [s.get("remote-identity") for s in d["ike-security-associations"] if s["state"] == "Matured"]') == True ]] \
    && pass "picsec (pre-shared key) admitted remote identity one.ike-peer.test" || { fail "picsec does not show the FQDN identity"; cat "$WORK/ike.json"; }
else
  fail "--identity --initial-contact negotiation (rc $rc)"; cat "$WORK/ic.json"
fi
"$PEER" "${OPTS[@]}" --identity-per-sa > /dev/null 2>"$WORK/err"; rc=$?
[[ $rc == 2 ]] && pass "$(cat "$WORK/err")" || fail "--identity-per-sa without --load did not exit 2 (rc $rc)"
"$PEER" "${OPTS[@]}" --load 2 --identity-per-sa --identity "CN=r1, O=Example" > /dev/null 2>"$WORK/err"; rc=$?
[[ $rc == 2 ]] && pass "$(cat "$WORK/err")" || fail "--identity-per-sa with a DN did not exit 2 (rc $rc)"

echo "=== -c FILE: our side from a JUNOS configuration"
sed 's/policy 127.0.0.2/policy 127.0.0.1/; s/source 127.0.0.1; destination 127.0.0.2/source 127.0.0.2; destination 127.0.0.1/' \
    "$WORK/picsec.conf" > "$WORK/peer.conf"
"$PEER" -c "$WORK/peer.conf" --local 127.0.0.2 --peer 127.0.0.1:$PORT --timeout 5 > "$WORK/conf.txt"; rc=$?
[[ $rc == 0 ]] && grep -q "^phase 2: sa1 tunnel, chosen esp 3des-cbc/hmac-sha1-96.*PFS group2" "$WORK/conf.txt" \
  && pass "$(grep '^phase 2' "$WORK/conf.txt")" || { fail "-c FILE (rc $rc)"; cat "$WORK/conf.txt"; }

echo "=== mismatch"
"$PEER" "${OPTS[@]}" --ike aes-128-cbc/sha1/group2 --expect-fail --json > "$WORK/mm.json"; rc=$?
[[ $rc == 0 && $(json "$WORK/mm.json" 'd["failure"]["notify"]') == NO-PROPOSAL-CHOSEN ]] \
  && pass "$(json "$WORK/mm.json" 'd["failure"]["line"] + "; we offered " + ", ".join(d["offered"]["phase1"])')" \
  || { fail "mismatch not reported (rc $rc)"; cat "$WORK/mm.json"; }
grep -q "encryption-algorithm theirs aes-128-cbc ours 3des-cbc" "$WORK/picsec.log" \
  && pass "picsec: $(grep -m1 -o 'phase 1 refused.*' "$WORK/picsec.log")" || fail "picsec did not name the attribute"
"$PEER" "${OPTS[@]}" --expect-fail > /dev/null; [[ $? == 1 ]] && pass "--expect-fail exits 1 when established" \
  || fail "--expect-fail did not exit 1 on success"

echo "=== --mutate"
"$PEER" "${OPTS[@]}" --mutate --json > "$WORK/mutate.json"; rc=$?
if [[ $rc == 0 && $(json "$WORK/mutate.json" 'd["peer_alive"]') == True ]]; then
  pass "$(json "$WORK/mutate.json" '"%d variants of %d messages, %d answered; fresh negotiation %s" % (d["variants_sent"], len(d["positions"]), d["answers"], d["fresh_negotiation"])')"
else
  fail "peer not alive after --mutate (rc $rc)"; cat "$WORK/mutate.json"
fi
kill -0 "$pid" || fail "picsec died"

echo "=== --load 20"
"$PEER" "${OPTS[@]}" --load 20 --concurrency 4 --time-limit 60 --json > "$WORK/load.json"; rc=$?
[[ $rc == 0 && $(json "$WORK/load.json" 'd["established"]') == 20 ]] \
  && pass "$(json "$WORK/load.json" '"%.1f/s p50 %.1f ms p99 %.1f ms" % (d["setups_per_second"], d["latency_ms"]["p50"], d["latency_ms"]["p99"])')" \
  || { fail "load (rc $rc)"; cat "$WORK/load.json"; }

echo "=== flood of 1000 during a load of 10"
"$PEER" "${OPTS[@]}" --load 10 --concurrency 2 --rate 20 --flood 1000 --flood-rate 2000 --time-limit 60 --json > "$WORK/flood.json"; rc=$?
[[ $rc == 0 && $(json "$WORK/flood.json" 'd["established"]') == 10 ]] \
  && pass "$(json "$WORK/flood.json" '"10 of 10 during %d bogus datagrams, %d answers (%d of %d bytes)" % (d["flood"]["sent"], d["flood"]["answers"], d["flood"]["answer_bytes"], d["flood"]["bytes"])')" \
  || { fail "flood (rc $rc)"; cat "$WORK/flood.json"; }
[[ $(json "$WORK/flood.json" 'd["flood"]["answer_bytes"] <= d["flood"]["bytes"]') == True ]] || fail "picsec amplified the flood"
stop

echo "=== ike-peer --respond, picsec initiates"
"$PEER" --respond --local 127.0.0.2:$PORT --peer 127.0.0.1 --psk "$PSK" --pfs group2 --timeout 10 --json > "$WORK/respond.json" &
rpid=$!
sleep 0.3
rm -f "$WORK/picsec.sock"
start_picsec
wait $rpid; rc=$?
[[ $rc == 0 && $(json "$WORK/respond.json" 'd["role"]') == responder && $(json "$WORK/respond.json" 'd["result"]') == established ]] \
  && pass "responder: $(json "$WORK/respond.json" '"%s/%s/%s, %s" % (d["phase1"]["encryption"], d["phase1"]["hash"], d["phase1"]["dh_group"], d["phase2"][0]["encryption"])')" \
  || { fail "--respond (rc $rc)"; cat "$WORK/respond.json"; tail "$WORK/picsec.log"; }
stop

if ((failures)); then echo "$failures check(s) failed"; exit 1; fi
echo "all ike-peer loopback checks passed"
