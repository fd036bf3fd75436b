#!/usr/bin/env bash
# A hostile third party replays captured datagrams at `picsec run` on
# loopback; nothing may change. ike-peer negotiates from 127.0.0.2 (and sends
# Aggressive Mode first messages from 127.0.0.2 and 127.0.0.3 to a port
# nobody answers) while dumpcap captures; ike_replay.py then resends what it
# captured from the peer's address and compares `picsec show ipsec|ike
# security-associations --json` before and after:
#   (a) Quick Mode message 1 of a completed negotiation (RFC 2409 5.5),
#       replayed from the peer's port and from another port, while its SA
#       pair is installed and after the peer deleted that pair: no new SA
#       pair, no answer but the cached Quick Mode 2.
#   (b) the peer's protected Informationals (RFC 2409 5.7: R-U-THERE of RFC
#       3706 and a Delete, sent for the peer with the keys `--log-keys` logs)
#       replayed after its next message: no new answer, no SA change.
#   (c) the peer's encrypted messages replayed to the NAT-T port with the
#       non-ESP marker from a new port: the IKE SA stays on the peer's port
#       without NAT-T (RFC 3947 4 floats on an authenticated, fresh message
#       only); the peer's next R-U-THERE is answered at its port and a new
#       negotiation works.
#   (d) one Aggressive Mode message 1 to a `mode main` policy gets no answer;
#       to a `mode aggressive` policy, with no message 3, exactly one answer
#       in 10 s (no retransmission before the peer is authenticated).
# Needs root (capture on lo), dumpcap, python3 and openssl; else exit 77.
#   replay_attack_test.sh PICSEC_BINARY IKE_PEER_BINARY
set -uo pipefail
PICSEC=$(readlink -f "${1:?picsec binary}")
PEER=$(readlink -f "${2:?ike-peer binary}")
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
[[ $(id -u) == 0 ]] || { echo "SKIP: capturing on lo needs root"; exit 77; }
for tool in python3 dumpcap openssl; do
  command -v $tool >/dev/null || { echo "SKIP: needs $tool"; exit 77; }
done
WORK=$(mktemp -d /tmp/replay-attack.XXXXXX)
PORT=$((12000 + ($$ % 2000) * 4)); NATT=$((PORT + 1)); DEAD=$((PORT + 2))
PSK=replay-secret-0123456789
pid="" cap="" dpid=""
stop() {
  [[ -n $pid ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; pid=""
  [[ -n $cap ]] && kill -INT "$cap" 2>/dev/null && wait "$cap" 2>/dev/null; cap=""
  [[ -n $dpid ]] && kill "$dpid" 2>/dev/null && wait "$dpid" 2>/dev/null; dpid=""
}
trap 'stop; [[ -n ${KEEP_WORK:-} ]] && echo "kept $WORK" || rm -rf "$WORK"' EXIT
. "$(dirname "$0")/loopback_lib.sh"

loopback_config 'policy 127.0.0.3 { mode aggressive; proposals p1; pre-shared-key ascii-text "'"$PSK"'"; }' > "$WORK/picsec.conf"

# --log-keys: the harness speaks for the peer in (b) and (c) with the keys it negotiated.
"$PICSEC" run -c "$WORK/picsec.conf" --local 127.0.0.1 --port $PORT --nat-t-port $NATT --passive \
    --socket "$WORK/picsec.sock" --log-level debug --log-keys > "$WORK/picsec.log" 2>&1 &
pid=$!
for _ in $(seq 50); do [[ -S $WORK/picsec.sock ]] && break; sleep 0.1; done
[[ -S $WORK/picsec.sock ]] || { echo "picsec did not start:"; cat "$WORK/picsec.log"; exit 1; }

dumpcap -i lo -P -q -w "$WORK/capture.pcap" -f "udp port $PORT or udp port $NATT or udp port $DEAD" \
    > /dev/null 2> "$WORK/dumpcap.err" &
cap=$!
for _ in $(seq 100); do grep -q "^File:" "$WORK/dumpcap.err" && break; sleep 0.05; done
grep -q "^File:" "$WORK/dumpcap.err" || { echo "SKIP: dumpcap cannot capture on lo:"; cat "$WORK/dumpcap.err"; exit 77; }

echo "=== capture: five negotiations from 127.0.0.2, Aggressive Mode message 1 from 127.0.0.2 and 127.0.0.3"
OPTS=(--peer 127.0.0.1:$PORT --ike 3des-cbc/sha1/group2 --esp esp:3des-cbc/hmac-sha1-96 --pfs group2 --psk "$PSK")
# Aggressive Mode to a port nobody answers: only message 1 (and its retransmissions) is sent.
am=()
for addr in 127.0.0.2 127.0.0.3; do
  "$PEER" "${OPTS[@]}" --peer 127.0.0.1:$DEAD --local $addr --mode aggressive --timeout 1 --expect-fail \
      > "$WORK/am-$addr.txt" 2>&1 &
  am+=($!)
done
for n in n1 n2 n3 n4 n5; do
  "$PEER" "${OPTS[@]}" --local 127.0.0.2 --timeout 5 --json > "$WORK/$n.json"; rc=$?
  [[ $rc == 0 ]] || { echo "FAIL: negotiation $n did not establish (rc $rc)"; cat "$WORK/$n.json"; tail "$WORK/picsec.log"; exit 1; }
  echo "  $n: $(json "$WORK/$n.json" '"%s [%s:%s], SPI in %s out %s" % (d["local"], d["phase1"]["initiator_cookie"], d["phase1"]["responder_cookie"], d["phase2"][0]["inbound_spi"], d["phase2"][0]["outbound_spi"])')"
done
wait "${am[@]}"
sleep 0.2
kill -INT $cap; wait $cap 2>/dev/null; cap=""

# (d) listens 10 s for answers; it runs while (a) to (c) do.
python3 "$HERE/ike_replay.py" aggressive --pcap "$WORK/capture.pcap" --daemon 127.0.0.1:$PORT \
    --main-peer 127.0.0.2 --aggressive-peer 127.0.0.3 --wait 10 > "$WORK/d.txt" 2>&1 &
dpid=$!

echo "=== replays"
python3 "$HERE/ike_replay.py" cases --pcap "$WORK/capture.pcap" --picsec "$PICSEC" --socket "$WORK/picsec.sock" \
    --log "$WORK/picsec.log" --peer-bin "$PEER" --daemon 127.0.0.1:$PORT --natt $NATT --peer 127.0.0.2 --psk "$PSK" \
    --n1 "$WORK/n1.json" --n2 "$WORK/n2.json" --n3 "$WORK/n3.json" --n4 "$WORK/n4.json" --n5 "$WORK/n5.json" \
    > "$WORK/abc.txt" 2>&1
wait $dpid; dpid=""
cat "$WORK/abc.txt" "$WORK/d.txt"

declare -A title=([a]="Quick Mode message 1 replayed" [b]="protected Informational replayed"
                  [c]="encrypted message replayed to the NAT-T port" [d]="unauthenticated Aggressive Mode message 1")
failed=()
echo "=== summary"
for c in a b c d; do
  if grep -q "^FAIL ($c)" "$WORK/abc.txt" "$WORK/d.txt"; then verdict=FAIL
  elif grep -q "^PASS ($c)" "$WORK/abc.txt" "$WORK/d.txt"; then verdict=PASS
  else verdict="FAIL (no verdict from ike_replay.py)"
  fi
  echo "($c) ${title[$c]}: $verdict"
  [[ $verdict == PASS ]] || failed+=($c)
done
kill -0 "$pid" 2>/dev/null || { echo "FAIL: picsec run died"; failed+=(daemon); }
if ((${#failed[@]})); then
  echo "=== picsec's log (info and up, last lines)"
  grep -v " debug " "$WORK/picsec.log" | tail -n 15
  echo "${#failed[@]} case(s) failed: ${failed[*]}"
  exit 1
fi
echo "all replay cases passed"
