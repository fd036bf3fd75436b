#!/usr/bin/env bash
# Responder benchmark: the same ike-peer --load drives a strongSwan charon
# responder (fake kernel, namespace psB) and a picsec run responder (psA) for
# each suite, one after the other in one run, and reports per responder:
# negotiations per responder CPU second, responder CPU ms per negotiation
# (on-CPU time of all its threads from /proc/PID/task/*/schedstat, in ns),
# and resident memory per established IKE
# SA with its IPsec SAs (VmRSS after a 20-SA warm-up and with N more
# established, divided by N; the figure from a cold start is printed too).
# It measures the crypto floor (picsec-crypto-floor) on the responder's CPU
# right after each picsec round, so each ratio compares figures taken in the
# same minute, and prints the round's ratio to the floor as the issue defines
# it (DH + PRF) and with the payload cipher added. Root only.
#   responder_bench.sh BUILD_DIR [N] [ROUNDS] [CONCURRENCY]
# SUITES="v2-aes128-sha256-group14 ..." in the environment runs only those suites
# (default: all, IKEv1 Main+Quick Mode and IKEv2 IKE_SA_INIT+IKE_AUTH).
# LAB_NAME=pb in the environment puts the lab in namespaces pbA/pbB (see
# tests/interop/lab.sh), apart from interop tests running at the same time.
set -uo pipefail
[[ ${1:-} == -h || ${1:-} == --help ]] && { sed -n '2,/^set /p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0; }
BUILD=$(readlink -f "${1:?build dir}"); N=${2:-480}; ROUNDS=${3:-3}; C=${4:-8}; WARM=20
PICSEC=$BUILD/tools/picsec; PEER=$BUILD/tools/ike-peer; FLOOR=$BUILD/tools/picsec-crypto-floor
HERE=$(cd "$(dirname "$0")/../../tests/interop" && pwd)
source "$HERE/lab.sh"
[[ $(id -u) == 0 && -x $CHARON ]] || { echo "needs root and strongSwan charon"; exit 77; }
((N + WARM <= 500)) || { echo "N <= 480: the ES PIC admits 512 dynamic SAs (20 go to the warm-up)"; exit 2; }
WORK=$LAB_RUN/bench; mkdir -p "$WORK"
trap 'picsec_stop; lab_down' EXIT
picsec_stop() {
  [[ -f $WORK/picsec.pid ]] || return 0
  kill "$(cat "$WORK/picsec.pid")" 2>/dev/null; wait "$(cat "$WORK/picsec.pid")" 2>/dev/null; rm -f "$WORK/picsec.pid"
}
# CPU time in ns of every thread of PID (schedstat: nanosecond accounting, not 10 ms ticks).
cpu_ns() { cat /proc/"$1"/task/*/schedstat | awk '{s += $1} END {printf "%.0f", s}'; }
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

# measure NAME PID NAMESPACE LOCAL PEER IKE ESP PFS VERSION: one load against a running responder.
measure() {
  local name=$1 pid=$2 ns=$3 local=$4 peer=$5 ike=$6 esp=$7 pfs=$8 version=$9
  taskset -apc 1 "$pid" >/dev/null
  sleep 1
  local rss0 cpu0 cpu1 rss1 cold
  cold=$(rss_kb "$pid")
  # Warm-up: the first negotiations fault in code pages (about 1.3 MB of
  # Botan and picsec text) and the allocator's first arenas; that is not
  # per-SA memory, so the baseline is taken after WARM established SAs.
  ip netns exec "$ns" taskset -c 0 "$PEER" --local "$local" --peer "$peer" --ike "$ike" --esp "$esp" --pfs "$pfs" --ike-version "$version" \
      --psk "$PSK" --load "$WARM" --concurrency "$C" --timeout 20 --time-limit 60 > /dev/null
  sleep 1
  rss0=$(rss_kb "$pid"); cpu0=$(cpu_ns "$pid")
  ip netns exec "$ns" taskset -c 0 "$PEER" --local "$local" --peer "$peer" --ike "$ike" --esp "$esp" --pfs "$pfs" --ike-version "$version" \
      --psk "$PSK" --load "$N" --concurrency "$C" --timeout 20 --time-limit 300 --json > "$WORK/load.json"
  cpu1=$(cpu_ns "$pid")
  sleep 1
  rss1=$(rss_kb "$pid")
  python3 - "$WORK/load.json" "$name" "$N" "$cpu0" "$cpu1" "$rss0" "$rss1" "$cold" "$WARM" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); name = sys.argv[2]; n = int(sys.argv[3])
cpu = (int(sys.argv[5]) - int(sys.argv[4])) / 1e9
rss0, rss1, cold, warm = int(sys.argv[6]), int(sys.argv[7]), int(sys.argv[8]), int(sys.argv[9])
ok = d["established"]
print(f"{name:10s} established {ok}/{n}  wall {d['setups_per_second']:7.1f}/s  p50 {d['latency_ms']['p50']:6.1f} ms  "
      f"responder CPU {cpu*1000/max(ok,1):6.3f} ms/neg  {ok/max(cpu,1e-9):7.1f} neg/CPU-s  "
      f"RSS {rss0} -> {rss1} kB = {(rss1-rss0)*1024/max(ok,1):6.0f} B/SA  "
      f"(from cold {cold} kB: {(rss1-cold)*1024/max(ok+warm,1):6.0f} B/SA)")
PY
}

picsec_conf() {  # IKE_BODY ESP_BODY PFS VERSION
  local pfs_stmt=""; [[ $3 != none ]] && pfs_stmt="perfect-forward-secrecy { keys $3; }"
  cat <<CONF
security {
    ike {
        proposal p1 { authentication-method pre-shared-keys; $1 }
        policy $IP_S { version $4; mode main; proposals p1; pre-shared-key ascii-text "$PSK"; }
    }
    ipsec {
        proposal p2 { protocol esp; $2 }
        policy pol { $pfs_stmt proposals p2; }
        security-association sa1 { mode tunnel; dynamic { ipsec-policy pol; replay-window-size 64; } }
    }
}
interfaces es-0/0/0 { unit 0 { tunnel { source $IP_P; destination $IP_S; } family inet { ipsec-sa sa1; } } }
CONF
}

charon_conf() {  # IKE_PROPOSAL ESP_PROPOSAL VERSION
  cat <<CONF
connections { peer { version = $3
    local_addrs = $IP_S
    remote_addrs = %any
    proposals = $1
    encap = no
    local { auth = psk
      id = $IP_S }
    remote { auth = psk }
    children { sa1 { mode = tunnel
        local_ts = 0.0.0.0/0
        remote_ts = 0.0.0.0/0
        esp_proposals = $2 } } } }
secrets { ike-any { secret = "$PSK" } }
CONF
}

suite() {  # NAME IKE_PEER_IKE IKE_PICSEC ESP_PEER ESP_PICSEC PFS CHARON_IKE CHARON_ESP GROUP HASH CIPHER VERSION
  local name=$1 version=${12}
  echo "### suite $name: ike-peer --ike-version $version --ike $2 --esp $4 --pfs $6, N=$N, concurrency $C, $ROUNDS rounds"
  for r in $(seq "$ROUNDS"); do
    CHARON_LOGLEVEL=0 charon_start fake "$(charon_conf "$7" "$8" "$version")" "dos_protection = no
  uniqueids = no
  ikesa_table_size = 4096
  ikesa_table_segments = 16" || { echo "charon did not start"; return 1; }
    measure strongswan "$(cat "$LAB_RUN/charon/charon.pid")" $NS_P $IP_P $IP_S "$2" "$4" "$6" "$version"
    charon_stop
    picsec_conf "$3" "$5" "$6" "$version" > "$WORK/picsec.conf"
    ip netns exec $NS_P "$PICSEC" run -c "$WORK/picsec.conf" --local $IP_P --passive --socket "$WORK/picsec.sock" \
        --log-level warn > "$WORK/picsec.log" 2>&1 &
    echo $! > "$WORK/picsec.pid"
    for _ in $(seq 50); do [[ -S $WORK/picsec.sock ]] && break; sleep 0.1; done
    measure picsec "$(cat "$WORK/picsec.pid")" $NS_S $IP_S $IP_P "$2" "$4" "$6" "$version" | tee "$WORK/picsec.round"
    picsec_stop
    taskset -c 1 "$FLOOR" "$9" "${10}" "${11}" "$6" 300 | tee "$WORK/floor.round"
    python3 - "$WORK/picsec.round" "$WORK/floor.round" <<'PY'
import re, sys
cpu = float(re.search(r"responder CPU +([0-9.]+) ms/neg", open(sys.argv[1]).read()).group(1))
floor = open(sys.argv[2]).read()
dh_prf = float(re.search(r"Botan primitives alone.*?with PRF/hash ([0-9.]+) ms", floor).group(1))
full = float(re.search(r"with PRF/hash and payload cipher \([0-9.]+ ms\) ([0-9.]+) ms", floor).group(1))
print(f"picsec CPU / floor: {cpu / dh_prf:.2f}x of DH+PRF ({dh_prf:.3f} ms), {cpu / full:.2f}x of DH+PRF+payload cipher ({full:.3f} ms)")
PY
  done
}

lab_up
echo "# $(date -u +%F\ %T) $(uname -r), $(nproc) CPUs: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
run_suite() { [[ " ${SUITES:-v1-3des-sha1-group2-pfs2 v1-aes128-sha256-group14 v2-aes128-sha256-group14} " == *" $1 "* ]] && suite "$@"; }
run_suite v1-3des-sha1-group2-pfs2 3des-cbc/sha1/group2 \
  "encryption-algorithm 3des-cbc; authentication-algorithm sha1; dh-group group2;" \
  esp:3des-cbc/hmac-sha1-96 "encryption-algorithm 3des-cbc; authentication-algorithm hmac-sha1-96;" group2 \
  3des-sha1-modp1024 3des-sha1-modp1024 group2 sha1 3des-cbc 1
run_suite v1-aes128-sha256-group14 aes-128-cbc/sha-256/group14 \
  "encryption-algorithm aes-128-cbc; authentication-algorithm sha-256; dh-group group14;" \
  esp:3des-cbc/hmac-sha1-96 "encryption-algorithm 3des-cbc; authentication-algorithm hmac-sha1-96;" none \
  aes128-sha256-modp2048 3des-sha1 group14 sha-256 aes-128-cbc 1
# IKEv2: IKE_SA_INIT + IKE_AUTH with the first Child SA (no PFS: its KE is the IKE SA's).
run_suite v2-aes128-sha256-group14 aes-128-cbc/sha-256/group14 \
  "encryption-algorithm aes-128-cbc; authentication-algorithm sha-256; dh-group group14;" \
  esp:3des-cbc/hmac-sha1-96 "encryption-algorithm 3des-cbc; authentication-algorithm hmac-sha1-96;" none \
  aes128-sha256-modp2048 3des-sha1 group14 sha-256 aes-128-cbc 2
