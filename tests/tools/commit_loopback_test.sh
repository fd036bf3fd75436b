#!/usr/bin/env bash
# picsec commit and SIGHUP on a running daemon (no root): two picsec daemons
# on loopback, A at 127.0.0.1 initiating sa1 to B at 127.0.0.2 (passive).
# A commit of the same file changes nothing; one that fails its check changes
# nothing and says why; one that changes sa1's proposals renegotiates sa1
# only (same IKE SA); SIGHUP commits the file A started with; removing the
# policy deletes the SAs at both ends.
#   commit_loopback_test.sh PICSEC_BINARY
set -uo pipefail
PICSEC=$(readlink -f "${1:?picsec binary}")
command -v python3 >/dev/null || { echo "SKIP: needs python3"; exit 77; }
WORK=$(mktemp -d /tmp/picsec-commit.XXXXXX)
PORT=$((24000 + ($$ % 2000) * 2)); NATT=$((PORT + 1))
PSK=commit-secret-0123456789
. "$(dirname "$0")/loopback_lib.sh"
pid_b=""
trap 'stop; [[ -n $pid_b ]] && kill "$pid_b" 2>/dev/null; rm -rf "$WORK"' EXIT

# conf SELF PEER ESP-PROPOSALS [IPSEC-LINE]: one Main Mode PSK policy, dynamic sa1, the line.
conf() {
  cat <<CONF
security {
    ike {
        proposal p1 { authentication-method pre-shared-keys; encryption-algorithm 3des-cbc; authentication-algorithm sha1; dh-group group2; }
        policy $2 { mode main; proposals p1; pre-shared-key ascii-text "$PSK"; }
    }
    ipsec {
        proposal p2 { protocol esp; encryption-algorithm 3des-cbc; authentication-algorithm hmac-sha1-96; }
        proposal p3 { protocol esp; encryption-algorithm 3des-cbc; authentication-algorithm hmac-md5-96; }
        policy pol { proposals [ $3 ]; }
        security-association sa1 { mode tunnel; dynamic { ipsec-policy pol; } }
        ${4:-}
    }
}
interfaces es-0/0/0 { unit 0 { tunnel { source $1; destination $2; } family inet { ipsec-sa sa1; } } }
CONF
}

SOCK_A=$WORK/a.sock; SOCK_B=$WORK/b.sock
conf 127.0.0.1 127.0.0.2 p2 > "$WORK/a.conf"
conf 127.0.0.2 127.0.0.1 "p2 p3" > "$WORK/b.conf"
start() {  # start NAME SOCKET LOCAL [OPTIONS...]
  local name=$1 sock=$2 local=$3; shift 3
  "$PICSEC" run -c "$WORK/$name.conf" --local "$local" --port $PORT --nat-t-port $NATT --socket "$sock" "$@" \
      > "$WORK/$name.log" 2>&1 &
  for _ in $(seq 50); do [[ -S $sock ]] && return 0; sleep 0.1; done
  echo "picsec $name did not start:"; cat "$WORK/$name.log"; exit 1
}
start b "$SOCK_B" 127.0.0.2 --passive; pid_b=$!
start a "$SOCK_A" 127.0.0.1; pid=$!

# inbound SOCKET: the inbound SPIs of dynamic sa1, or nothing.
inbound() {
  "$PICSEC" show ipsec security-associations --json --socket "$1" > "$WORK/show.json" 2>/dev/null || { echo; return; }
  json "$WORK/show.json" '" ".join(str(x["spi"]) for sa in d["security-associations"] if sa["name"] == "sa1" for x in sa["directions"] if x["direction"] == "inbound")'
}
cookies() {
  "$PICSEC" show ike security-associations --json --socket "$SOCK_A" > "$WORK/ike.json"
  json "$WORK/ike.json" '" ".join(s["initiator-cookie"] + ":" + s["responder-cookie"] for s in d["ike-security-associations"] if s["state"] == "Matured")'
}
# wait_for CMD...: up to 10 s for CMD to succeed.
wait_for() { for _ in $(seq 100); do "$@" && return 0; sleep 0.1; done; return 1; }
# commit_expect RC LINE-PATTERN FILE: picsec commit -c FILE exits RC and its reply ($WORK/out) has the line.
commit_expect() {
  "$PICSEC" commit -c "$3" --socket "$SOCK_A" > "$WORK/out" 2>&1; local rc=$?
  if [[ $rc == "$1" ]] && grep -q "$2" "$WORK/out"; then pass "$(tr '\n' '|' < "$WORK/out")"; return 0; fi
  fail "commit -c $3 (rc $rc): $(cat "$WORK/out")"; return 1
}
# kept: A's SPI and IKE SA are the ones recorded.
kept() { [[ $(inbound "$SOCK_A") == "$spi_a" && $(cookies) == "$ike" ]] && pass "SPI and IKE SA kept" || fail "the SAs changed"; }
one_spi() { local s; s=$(inbound "$1"); [[ -n $s && $s != *" "* && $s != "$2" ]]; }

echo "=== sa1 comes up"
wait_for one_spi "$SOCK_A" "" && wait_for one_spi "$SOCK_B" "" || { fail "sa1 did not come up"; cat "$WORK/a.log"; exit 1; }
spi_a=$(inbound "$SOCK_A"); spi_b=$(inbound "$SOCK_B"); ike=$(cookies)
pass "sa1 up: A inbound SPI $spi_a, B inbound SPI $spi_b, IKE SA $ike"

echo "=== --help and usage"
"$PICSEC" commit --help > "$WORK/out" 2>&1; rc=$?
[[ $rc == 0 ]] && grep -q "commit -c FILE" "$WORK/out" && pass "commit --help" || fail "commit --help (rc $rc)"
"$PICSEC" commit --socket "$SOCK_A" > /dev/null 2>&1; rc=$?
[[ $rc == 2 ]] && pass "commit without -c exits 2" || fail "commit without -c exited $rc"
"$PICSEC" commit -c "$WORK/a.conf" --socket "$WORK/nobody.sock" > /dev/null 2>&1; rc=$?
[[ $rc == 1 ]] && pass "commit with no daemon exits 1" || fail "commit with no daemon exited $rc"

echo "=== the same configuration changes nothing"
commit_expect 0 "^unchanged: 1 policy, 1 security-association$" "$WORK/a.conf" && grep -q "^commit complete$" "$WORK/out" \
  || fail "no 'commit complete'"
kept

echo "=== a configuration that fails its check changes nothing"
sed 's/proposals \[ p2 \]/proposals [ p9 ]/' "$WORK/a.conf" > "$WORK/bad.conf"
commit_expect 1 "bad.conf:.*p9" "$WORK/bad.conf" && grep -q "commit failed: .*nothing changed" "$WORK/out" \
  || fail "no 'commit failed: ... nothing changed'"
kept

echo "=== an SA moved to a PIC the daemon did not start with changes nothing"
sed 's/es-0\/0\/0/es-1\/2\/0/' "$WORK/a.conf" > "$WORK/newpic.conf"
commit_expect 1 "^commit failed: security-association sa1: es-1/2/0 is not in the running chassis (adding a PIC needs a restart); nothing changed$" \
  "$WORK/newpic.conf"
kept

echo "=== changed proposals renegotiate sa1 under the same IKE SA"
manual='security-association m1 { mode transport; manual { direction bidirectional { protocol esp; spi 1000; encryption { algorithm des-cbc; key ascii-text "des8key!"; } } } }'
conf 127.0.0.1 127.0.0.2 p3 "$manual" > "$WORK/md5.conf"
commit_expect 0 "^security-association sa1: changed (proposals), 1 IPsec SA deleted, renegotiating$" "$WORK/md5.conf"
wait_for one_spi "$SOCK_A" "$spi_a" && wait_for one_spi "$SOCK_B" "$spi_b" \
  && pass "new SPIs: A $(inbound "$SOCK_A"), B $(inbound "$SOCK_B")" || fail "sa1 not renegotiated at both ends: A '$(inbound "$SOCK_A")' B '$(inbound "$SOCK_B")'"
[[ $(cookies) == "$ike" ]] && pass "same IKE SA $ike" || fail "the IKE SA changed: $(cookies)"
inbound "$SOCK_A" > /dev/null  # show.json: A's SADB
json "$WORK/show.json" '[x["authentication"] for sa in d["security-associations"] for x in sa["directions"]]' | grep -qi md5 \
  && pass "sa1 now uses HMAC-MD5" || fail "sa1 is not HMAC-MD5: $(cat "$WORK/show.json")"
grep -q "^manual security-association m1: added$" "$WORK/out" && json "$WORK/show.json" '[sa["name"] for sa in d["security-associations"]]' | grep -q m1 \
  && pass "manual SA m1 added to the SADB" || fail "manual SA m1 not added: $(cat "$WORK/out")"

echo "=== SIGHUP commits the file the daemon started with"
spi_a=$(inbound "$SOCK_A")
# First a file that fails its check (sa1's peer has no IKE policy): nothing changes.
sed 's/policy 127.0.0.2 .*/policy 127.0.0.9 { mode main; proposals p1; pre-shared-key ascii-text "x"; }/' "$WORK/md5.conf" > "$WORK/a.conf"
kill -HUP "$pid"
wait_for grep -q "commit failed: $WORK/a.conf" "$WORK/a.log" && pass "$(grep -o 'error: .*needs an IKE policy.*' "$WORK/a.log" | head -1)" \
  || { fail "no failed commit after SIGHUP"; tail "$WORK/a.log"; }
kept
# Then the policy and sa1 removed: deleted at both ends.
cat > "$WORK/a.conf" <<CONF
security {
    ike {
        proposal p1 { authentication-method pre-shared-keys; encryption-algorithm 3des-cbc; authentication-algorithm sha1; dh-group group2; }
        policy 127.0.0.9 { mode main; proposals p1; pre-shared-key ascii-text "x"; }
    }
}
CONF
kill -HUP "$pid"
wait_for grep -q "reconfigure: policy 127.0.0.2: removed, 1 IKE SA deleted, 1 IPsec SA deleted" "$WORK/a.log" \
  && pass "$(grep -o 'policy 127.0.0.2: .*' "$WORK/a.log" | head -1)" || { fail "the SIGHUP commit does not say policy 127.0.0.2 was removed"; tail "$WORK/a.log"; }
grep -q "reconfigure: policy 127.0.0.9: added" "$WORK/a.log" || fail "the SIGHUP commit does not say policy 127.0.0.9 was added"
n=$(grep -c "security-association sa1: removed" "$WORK/a.log")
[[ $n == 1 ]] && pass "the log says once that sa1 was removed" || fail "the log says $n times that sa1 was removed"
grep -q "manual security-association m1: removed" "$WORK/a.log" || fail "the SIGHUP commit does not say manual SA m1 was removed"
empty() { [[ -z $(inbound "$1") ]]; }
wait_for empty "$SOCK_A" && wait_for empty "$SOCK_B" && pass "sa1 deleted at both ends (B was told)" \
  || fail "sa1 still up: A '$(inbound "$SOCK_A")' B '$(inbound "$SOCK_B")'"
kill -0 "$pid" 2>/dev/null && pass "daemon still running after SIGHUP" || fail "daemon exited on SIGHUP"

stop
kill "$pid_b" 2>/dev/null; wait "$pid_b" 2>/dev/null; pid_b=""
echo "failures: $failures"
[[ $failures == 0 ]]
