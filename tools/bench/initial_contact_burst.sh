#!/usr/bin/env bash
# INITIAL-CONTACT burst: N IKE SAs from one peer address, each with INITIAL-
# CONTACT, against a fresh `picsec run` responder on loopback (no root). Case
# "distinct" gives every SA its own identity (ike-peer --identity-per-sa:
# load-1.ike-peer.test .. load-N.ike-peer.test), case "single" gives them all
# ike-peer.test, case "no-ic" is the distinct identities without INITIAL-
# CONTACT (the responder's capacity with nothing removed). Per case it prints
# how many of the N Quick Modes completed (ike-peer's count), the elapsed
# time, the responder's CPU per completed set-up (on-CPU time of all its
# threads from /proc/PID/task/*/schedstat, in ns, as responder_bench.sh) and
# the IKE and IPsec SAs the responder still holds 1 s after the load.
# RFC 2407 4.6.3.3 lets INITIAL-CONTACT remove the SAs of the sender's earlier
# incarnation; SAs of other identities from the same address are not that.
#   initial_contact_burst.sh BUILD_DIR [N] [CONCURRENCY] [TIME_LIMIT_S] [CASES]
# N defaults to 480 (the ES PIC admits 512 dynamic SAs), CONCURRENCY to 8,
# TIME_LIMIT_S to 120, CASES to "distinct single no-ic". The responder runs
# on CPU 1 and ike-peer on CPU 0 when the machine has two. LAB=1 in the
# environment (root) runs them in the namespaces of tests/interop/lab.sh
# (LAB_NAME, default ib) instead: picsec on 10.99.0.1:500, ike-peer from
# 10.99.0.2.
set -uo pipefail
if [[ ${1:-} == -h || ${1:-} == --help ]]; then
  sed -n '2,/^set -uo/{/^set -uo/d;s/^# \{0,1\}//;p}' "$0"
  exit 0
fi
BUILD=$(readlink -f "${1:?build dir}"); N=${2:-480}; C=${3:-8}; LIMIT=${4:-120}
CASES=${5:-distinct single no-ic}
PICSEC=$BUILD/tools/picsec; PEER=$BUILD/tools/ike-peer
[[ -x $PICSEC && -x $PEER ]] || { echo "no picsec or ike-peer in $BUILD/tools"; exit 2; }
command -v python3 >/dev/null || { echo "needs python3"; exit 77; }
((N >= 1 && N <= 500)) || { echo "1 <= N <= 500: the ES PIC admits 512 dynamic SAs"; exit 2; }
WORK=$(mktemp -d /tmp/ic-burst.XXXXXX)
PSK=burst-secret-0123456789
PIN_R=(); PIN_P=()
if (($(nproc) >= 2)) && command -v taskset >/dev/null; then PIN_R=(taskset -c 1); PIN_P=(taskset -c 0); fi
pid=""
stop() { [[ -n $pid ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; pid=""; }
if [[ ${LAB:-0} == 1 ]]; then
  LAB_NAME=${LAB_NAME:-ib}
  source "$(cd "$(dirname "$0")/../../tests/interop" && pwd)/lab.sh"
  [[ $(id -u) == 0 ]] || { echo "LAB=1 needs root"; exit 77; }
  R_ADDR=$IP_P; I_ADDR=$IP_S; PORT=500; NATT=4500; WHERE="namespaces $NS_P/$NS_S"
  PIN_R+=(ip netns exec "$NS_P"); PIN_P+=(ip netns exec "$NS_S")
  lab_up
  trap 'stop; lab_down; rm -rf "$WORK"' EXIT
else
  R_ADDR=127.0.0.1; I_ADDR=127.0.0.2; PORT=$((22000 + ($$ % 2000) * 4)); NATT=$((PORT + 1)); WHERE=loopback
  trap 'stop; rm -rf "$WORK"' EXIT
fi
# CPU time in ns of every thread of PID (schedstat: nanosecond accounting, not 10 ms ticks).
cpu_ns() { cat /proc/"$1"/task/*/schedstat | awk '{s += $1} END {printf "%.0f", s}'; }

cat > "$WORK/picsec.conf" <<CONF
security {
    ike {
        proposal p1 { authentication-method pre-shared-keys; encryption-algorithm 3des-cbc; authentication-algorithm sha1; dh-group group2; }
        policy $I_ADDR { mode main; proposals p1; pre-shared-key ascii-text "$PSK"; }
    }
    ipsec {
        proposal p2 { protocol esp; encryption-algorithm 3des-cbc; authentication-algorithm hmac-sha1-96; }
        policy pol { perfect-forward-secrecy { keys group2; } proposals p2; }
        security-association sa1 { mode tunnel; dynamic { ipsec-policy pol; replay-window-size 64; } }
    }
}
interfaces es-0/0/0 { unit 0 { tunnel { source $R_ADDR; destination $I_ADDR; } family inet { ipsec-sa sa1; } } }
CONF

run_case() {  # NAME IKE-PEER-OPTIONS...
  local name=$1; shift
  rm -f "$WORK/picsec.sock"
  "${PIN_R[@]}" "$PICSEC" run -c "$WORK/picsec.conf" --local $R_ADDR --port $PORT --nat-t-port $NATT --passive \
      --socket "$WORK/picsec.sock" --log-level warn > "$WORK/picsec-$name.log" 2>&1 &
  pid=$!
  for _ in $(seq 50); do [[ -S $WORK/picsec.sock ]] && break; sleep 0.1; done
  [[ -S $WORK/picsec.sock ]] || { echo "picsec did not start:"; cat "$WORK/picsec-$name.log"; exit 1; }
  local cpu0 cpu1 t0 t1
  cpu0=$(cpu_ns "$pid"); t0=$(date +%s.%N)
  "${PIN_P[@]}" "$PEER" --local $I_ADDR --peer $R_ADDR:$PORT --ike 3des-cbc/sha1/group2 \
      --esp esp:3des-cbc/hmac-sha1-96 --pfs group2 --psk "$PSK" --load "$N" --concurrency "$C" --timeout 10 \
      --time-limit "$LIMIT" --json "$@" > "$WORK/load-$name.json"
  t1=$(date +%s.%N); cpu1=$(cpu_ns "$pid")
  sleep 1
  "$PICSEC" show ike security-associations --json --socket "$WORK/picsec.sock" > "$WORK/ike-$name.json"
  "$PICSEC" show ipsec security-associations --json --socket "$WORK/picsec.sock" > "$WORK/ipsec-$name.json"
  stop
  python3 - "$name" "$N" "$cpu0" "$cpu1" "$t0" "$t1" "$WORK/load-$name.json" "$WORK/ike-$name.json" \
      "$WORK/ipsec-$name.json" <<'PY'
import json, sys
name, n = sys.argv[1], int(sys.argv[2])
cpu = (int(sys.argv[4]) - int(sys.argv[3])) / 1e9
wall = float(sys.argv[6]) - float(sys.argv[5])
d = json.load(open(sys.argv[7]))
ike = json.load(open(sys.argv[8]))["ike-security-associations"]
# One entry per SA name; each installed pair is an inbound and an outbound direction.
ipsec = [x for sa in json.load(open(sys.argv[9]))["security-associations"] for x in sa["directions"]
         if x["direction"] == "inbound"]
up = [s for s in ike if s["state"] == "Matured"]
ok = d["established"]
reasons = ", ".join(f"{v} x {k}" for k, v in d["failure_reasons"].items()) or "none"
print(f"{name:9s} {ok:3d}/{n} Quick Modes in {d['elapsed_s']:7.1f} s (wall {wall:.1f} s)  "
      f"responder CPU {cpu:6.2f} s = {cpu * 1000 / max(ok, 1):6.2f} ms per set-up  "
      f"held after: {len(up)} IKE SAs Matured ({len({s.get('remote-identity') for s in up})} identities), "
      f"{len(ipsec)} IPsec SA pairs  [identities {d['identities'] or 'our address'}, "
      f"INITIAL-CONTACT {'yes' if d['initial_contact'] else 'no'}; failures: {reasons}]")
PY
}

echo "# $(date -u +%F\ %T) $(git -C "$(dirname "$0")" rev-parse --short HEAD 2>/dev/null) $(uname -r), $(nproc) CPUs:$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
echo "# ike-peer --load $N --concurrency $C --timeout 10 --time-limit $LIMIT, IKE 3des-cbc/sha1/group2, ESP 3des-cbc/hmac-sha1-96 PFS group2, $WHERE"
for c in $CASES; do
  case $c in
    distinct) run_case distinct --identity-per-sa --initial-contact ;;
    single) run_case single --identity ike-peer.test --initial-contact ;;
    no-ic) run_case no-ic --identity-per-sa ;;
    *) echo "unknown case $c (distinct, single, no-ic)"; exit 2 ;;
  esac
done
