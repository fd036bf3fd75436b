#!/usr/bin/env bash
# A burst of IKE SAs from one peer address, each with its own identity and
# INITIAL-CONTACT (ike-peer --load --identity-per-sa --initial-contact),
# against picsec run on loopback (no root needed). RFC 2407 4.6.3.3: the
# notify says the sender has no other SAs with us, so a responder may remove
# that sender's earlier SAs; SAs of other identities at the same address are
# not the sender's. Every negotiation must complete and picsec must still
# hold every IKE SA (one per identity) and IPsec SA afterwards.
#   ike_peer_initial_contact_test.sh PICSEC_BINARY IKE_PEER_BINARY [N]
set -uo pipefail
PICSEC=$(readlink -f "${1:?picsec binary}")
PEER=$(readlink -f "${2:?ike-peer binary}")
N=${3:-40}
command -v python3 >/dev/null || { echo "SKIP: needs python3"; exit 77; }
WORK=$(mktemp -d /tmp/ike-peer-ic.XXXXXX)
PORT=$((26000 + ($$ % 2000) * 4)); NATT=$((PORT + 1))
PSK=loopback-secret-0123456789
. "$(dirname "$0")/loopback_lib.sh"
trap 'stop; rm -rf "$WORK"' EXIT

loopback_config > "$WORK/picsec.conf"
"$PICSEC" run -c "$WORK/picsec.conf" --local 127.0.0.1 --port $PORT --nat-t-port $NATT --passive \
    --socket "$WORK/picsec.sock" --log-level info > "$WORK/picsec.log" 2>&1 &
pid=$!
for _ in $(seq 50); do [[ -S $WORK/picsec.sock ]] && break; sleep 0.1; done
[[ -S $WORK/picsec.sock ]] || { echo "picsec did not start:"; cat "$WORK/picsec.log"; exit 1; }

echo "=== $N SAs from 127.0.0.2, identities load-1.ike-peer.test .. load-$N.ike-peer.test, each with INITIAL-CONTACT"
"$PEER" --local 127.0.0.2 --peer 127.0.0.1:$PORT --psk "$PSK" --pfs group2 --load "$N" --concurrency 8 \
    --identity-per-sa --initial-contact --timeout 5 --time-limit 60 --json > "$WORK/load.json"; rc=$?
[[ $(json "$WORK/load.json" 'd["initial_contact"]') == True ]] || fail "ike-peer did not send INITIAL-CONTACT"
established=$(json "$WORK/load.json" 'd["established"]')
[[ $rc == 0 && $established == "$N" ]] \
  && pass "$N of $N Quick Modes completed in $(json "$WORK/load.json" 'd["elapsed_s"]') s" \
  || fail "$established of $N Quick Modes completed (rc $rc): $(json "$WORK/load.json" 'd["failure_reasons"]')"
sleep 1
"$PICSEC" show ike security-associations --json --socket "$WORK/picsec.sock" > "$WORK/ike.json"
"$PICSEC" show ipsec security-associations --json --socket "$WORK/picsec.sock" > "$WORK/ipsec.json"
ids=$(json "$WORK/ike.json" 'len({s.get("remote-identity") for s in d["ike-security-associations"] if s["state"] == "Matured"})')
ipsec=$(json "$WORK/ipsec.json" 'sum(x["direction"] == "inbound" for sa in d["security-associations"] for x in sa["directions"])')
[[ $ids == "$N" ]] && pass "picsec holds $N IKE SAs, one per identity" \
  || fail "picsec holds IKE SAs of $ids identities, not $N"
[[ $ipsec == "$N" ]] && pass "picsec holds $N IPsec SA pairs" || fail "picsec holds $ipsec IPsec SA pairs, not $N"
echo "  picsec: $(grep -c 'INITIAL-CONTACT' "$WORK/picsec.log") INITIAL-CONTACT notifies logged"
kill -0 "$pid" 2>/dev/null || fail "picsec died"

if ((failures)); then echo "$failures check(s) failed"; exit 1; fi
echo "all INITIAL-CONTACT burst checks passed"
