#!/usr/bin/env bash
# The picsec CLI says what happened: --help on every command prints its usage,
# exits 0 and does nothing else; numbers are checked; protect refuses to
# overwrite its input; and against a running daemon (loopback, no root),
# show/clear of an SA that does not exist exit 1, request ipsec initiate
# waits for the outcome and does not add a second pair to an SA that is up.
#   cli_honest_test.sh PICSEC_BINARY IKE_PEER_BINARY
set -uo pipefail
PICSEC=$(readlink -f "${1:?picsec binary}")
PEER=$(readlink -f "${2:?ike-peer binary}")
HERE=$(cd "$(dirname "$0")" && pwd)
command -v python3 >/dev/null || { echo "SKIP: needs python3"; exit 77; }
WORK=$(mktemp -d /tmp/cli-honest.XXXXXX)
PORT=$((24000 + ($$ % 2000) * 2)); NATT=$((PORT + 1))
PSK=honest-cli-secret-0123456789
. "$HERE/loopback_lib.sh"
trap 'stop; rm -rf "$WORK"' EXIT

# expect RC PATTERN WHAT CMD...: CMD exits RC and its output matches PATTERN.
expect() {
  local want=$1 pattern=$2 what=$3; shift 3
  "$@" > "$WORK/out" 2>&1; local rc=$?
  if [[ $rc == "$want" ]] && grep -qE -- "$pattern" "$WORK/out"; then pass "$what: $(head -1 "$WORK/out")"
  else fail "$what: exit $rc (want $want), output:"; cat "$WORK/out"; fi
}

echo "=== --help on every command, with no side effect"
mkdir "$WORK/cwd" && cd "$WORK/cwd" || exit 1
mapfile -t commands < <("$PICSEC" --help | sed -n 's/^  picsec \([a-z -]*[a-z]\)\( .*\)\{0,1\}$/\1/p' | sed 's/ [A-Z(\[|-].*//')
(( ${#commands[@]} >= 15 )) || fail "only ${#commands[@]} commands listed by picsec --help"
for c in "${commands[@]}"; do
  for h in --help -h; do
    # shellcheck disable=SC2086
    expect 0 "^usage: picsec $c" "picsec $c $h" "$PICSEC" $c $h --socket "$WORK/none.sock"
  done
done
[[ -z $(ls -A "$WORK/cwd") ]] && pass "no file written by --help" || fail "--help wrote: $(ls -A "$WORK/cwd")"
expect 0 "picsec show ike security-associations" "picsec show --help lists the show commands" "$PICSEC" show --help
expect 2 "picsec request security key-pair" "picsec request alone is a usage error listing its commands" "$PICSEC" request
expect 0 "^usage: ike-peer" "ike-peer --help" "$PEER" --help
expect 0 "^picsec [0-9]+\.[0-9]+\.[0-9]+, Botan 2\.[0-9]+\.[0-9]+$" "version names whose version is whose" "$PICSEC" version
cd "$WORK" || exit 1

echo "=== numbers are checked"
loopback_config > "$WORK/picsec.conf"
for bad in 70000 0 abc 80x -1; do
  expect 2 "--port $bad: not a port" "run --port $bad" "$PICSEC" run -c "$WORK/picsec.conf" --port "$bad"
  expect 2 "--port $bad: not a port" "demo --port $bad" "$PICSEC" demo --port "$bad"
done
expect 2 "--nat-t-port 65536: not a port" "run --nat-t-port 65536" "$PICSEC" run -c "$WORK/picsec.conf" --nat-t-port 65536
for bad in 575 65536 abc -1; do
  expect 2 "--fragment-size $bad: not 0 or a datagram size \\(576-65535\\)" "run --fragment-size $bad" \
    "$PICSEC" run -c "$WORK/picsec.conf" --fragment-size "$bad"
done
expect 2 "--peer 127.0.0.1:70000: not ADDR" "ike-peer --peer with port 70000" "$PEER" --local 127.0.0.2 --peer 127.0.0.1:70000 --psk x

echo "=== protect does not overwrite its input"
python3 "$HERE/pcap_tool.py" gen "$WORK/in.pcap" --count 2
cp "$WORK/in.pcap" "$WORK/in.copy"
DATA=$HERE/data
expect 2 "is the input file" "protect --out = --in" "$PICSEC" protect -c "$DATA/lab.conf" --sa sa-3des-transport --in "$WORK/in.pcap" --out "$WORK/in.pcap"
expect 2 "is the input file" "protect --out = --in by another path" "$PICSEC" protect -c "$DATA/lab.conf" --sa sa-3des-transport --in "$WORK/in.pcap" --out "$WORK/../$(basename "$WORK")/in.pcap"
cmp -s "$WORK/in.pcap" "$WORK/in.copy" && pass "the input is unchanged" || fail "the input was changed"
expect 1 "directory .* does not exist" "protect into a missing directory" "$PICSEC" protect -c "$DATA/lab.conf" --sa sa-3des-transport --in "$WORK/in.pcap" --out "$WORK/nodir/out.pcap"
expect 1 "is a directory" "protect into a directory" "$PICSEC" protect -c "$DATA/lab.conf" --sa sa-3des-transport --in "$WORK/in.pcap" --out "$WORK"

echo "=== against a running daemon"
# sa2 is not bound to an interface yet: JUNOS commits that, and so does picsec.
sed 's/security-association sa1 {/security-association sa2 { dynamic { ipsec-policy pol; } }\n        &/' \
    "$WORK/picsec.conf" > "$WORK/daemon.conf"
"$PICSEC" run -c "$WORK/daemon.conf" --local 127.0.0.1 --port $PORT --nat-t-port $NATT --passive \
    --socket "$WORK/picsec.sock" --log-level info > "$WORK/picsec.log" 2>&1 &
pid=$!
for _ in $(seq 50); do [[ -S $WORK/picsec.sock ]] && break; sleep 0.1; done
grep -q "dynamic SA sa2: not used, no es- interface or BGP neighbor names it yet" "$WORK/picsec.log" \
  && pass "an SA not bound yet is left out with a log line" || { fail "no log line for unbound sa2"; cat "$WORK/picsec.log"; }
S=(--socket "$WORK/picsec.sock")
echo "=== a second daemon leaves the first alone"
expect 1 "already running with control socket" "second daemon, same control socket" \
    "$PICSEC" run -c "$WORK/picsec.conf" --local 127.0.0.1 --port $((PORT + 10)) --nat-t-port $((PORT + 11)) --passive --socket "$WORK/picsec.sock"
expect 1 "cannot bind UDP 127.0.0.1:$PORT" "second daemon, same IKE port" \
    "$PICSEC" run -c "$WORK/picsec.conf" --local 127.0.0.1 --port $PORT --nat-t-port $((PORT + 11)) --passive --socket "$WORK/second.sock"
[[ -S $WORK/picsec.sock && ! -e $WORK/second.sock ]] && pass "the first daemon's control socket is still there" \
    || fail "control sockets after the second daemon: $(ls "$WORK")"
expect 0 "^Index +Remote Address" "the first daemon still answers" "$PICSEC" show ike security-associations "${S[@]}"
expect 1 "no IKE security association with peer 127.0.0.9" "show ike of an unknown peer" "$PICSEC" show ike security-associations 127.0.0.9 "${S[@]}"
expect 1 "no IPsec security association named nosuch" "show ipsec of an unknown SA" "$PICSEC" show ipsec security-associations nosuch "${S[@]}"
expect 1 "no IKE security association with peer 127.0.0.9" "clear ike of an unknown peer" "$PICSEC" clear ike security-associations 127.0.0.9 "${S[@]}"
expect 2 "not an IPv4 address" "clear ike of a non-address" "$PICSEC" clear ike security-associations nosuch "${S[@]}"
expect 1 "no dynamic IPsec security association named nosuch" "clear ipsec of an unknown SA" "$PICSEC" clear ipsec security-associations nosuch "${S[@]}"
expect 1 "no dynamic security-association nosuch" "initiate an unknown SA" "$PICSEC" request ipsec initiate nosuch "${S[@]}"

"$PEER" --respond --local 127.0.0.2:$PORT --peer 127.0.0.1 --psk "$PSK" --pfs group2 --timeout 10 > "$WORK/respond.txt" 2>&1 &
rpid=$!
sleep 0.3
expect 0 "ipsec SA sa1 is up \(SPI in 0x[0-9a-f]{8} out 0x[0-9a-f]{8}\)" "initiate waits and reports the SA up" \
    "$PICSEC" request ipsec initiate sa1 --wait 15 "${S[@]}"
wait $rpid
expect 0 "ipsec SA sa1 is already up" "initiate of an SA that is up says so" "$PICSEC" request ipsec initiate sa1 "${S[@]}"
"$PICSEC" show ipsec security-associations sa1 --json "${S[@]}" > "$WORK/show.json"
pairs=$(json "$WORK/show.json" 'len([x for sa in d["security-associations"] for x in sa["directions"] if x["direction"] == "inbound"])')
[[ $pairs == 1 ]] && pass "one inbound SA after the second initiate" || fail "$pairs inbound SAs after the second initiate"
# Lifetimes count down; the initiator's soft lifetime is its rekey time.
"$PICSEC" show ipsec security-associations sa1 detail "${S[@]}" > "$WORK/detail1.txt"
sleep 2.2
"$PICSEC" show ipsec security-associations sa1 detail "${S[@]}" > "$WORK/detail2.txt"
hard1=$(sed -n 's/.*Hard lifetime: Expires in \([0-9]*\) seconds.*/\1/p' "$WORK/detail1.txt" | head -1)
hard2=$(sed -n 's/.*Hard lifetime: Expires in \([0-9]*\) seconds.*/\1/p' "$WORK/detail2.txt" | head -1)
soft=$(sed -n 's/.*Soft lifetime: Expires in \([0-9]*\) seconds.*/\1/p' "$WORK/detail2.txt" | head -1)
if [[ -n $hard1 && -n $hard2 && -n $soft ]] && ((hard1 <= 28800 && hard2 < hard1 && soft < hard2)); then
  pass "hard lifetime $hard1 then $hard2 seconds, rekey (soft) in $soft"
else
  fail "lifetimes do not count down"; cat "$WORK/detail1.txt" "$WORK/detail2.txt"
fi
expect 0 "cleared 1 IPsec security associations" "clear ipsec sa1" "$PICSEC" clear ipsec security-associations sa1 "${S[@]}"
expect 1 "no dynamic IPsec security association named sa1" "clear ipsec sa1 again" "$PICSEC" clear ipsec security-associations sa1 "${S[@]}"
expect 0 "cleared 1 IKE security associations" "clear ike 127.0.0.2" "$PICSEC" clear ike security-associations 127.0.0.2 "${S[@]}"
# Nobody answers now: the wait ends and says so.
expect 1 "ipsec SA sa1 still negotiating after 2 s" "initiate toward a silent peer" \
    "$PICSEC" request ipsec initiate sa1 --wait 2 "${S[@]}"
expect 0 "^initiating sa1" "initiate --no-wait returns at once" "$PICSEC" request ipsec initiate sa1 --no-wait "${S[@]}"
expect 2 "not a number of seconds" "initiate --wait abc" "$PICSEC" request ipsec initiate sa1 --wait abc "${S[@]}"
stop

if ((failures)); then echo "$failures check(s) failed"; exit 1; fi
echo "all honest-CLI checks passed"
