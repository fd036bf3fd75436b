#!/usr/bin/env bash
# Scale benchmark: one `picsec run --passive` with PICS PICs (half es-, half
# ms- interfaces, one dynamic SA and one IKE policy per PIC, each for its own
# peer address) grows to N established IKE SAs with their IPsec SA pairs, for
# each N in SIZES, driven by ike-peer --load from PICS addresses (N/PICS SAs
# per address and PIC). At each N, with the SAs idle, it reports:
#   - RSS (VmRSS) and its growth per SA since the first size;
#   - the responder's CPU per negotiation while growing to N (schedstat, all threads);
#   - idle CPU: the responder's CPU per second over IDLE seconds with nothing to do;
#   - the mean CPU of one engine tick and one SADB tick over those seconds
#     (`picsec show engine statistics`: the daemon thread's CPU time around each);
#   - `show ike security-associations` and `show ipsec security-associations`
#     over the control socket: wall time to the last byte (median of 3), the
#     daemon's CPU for it and the reply's size; the SAs shown are counted.
# Root only (network namespaces of tests/interop/lab.sh; no strongSwan needed).
#   scale_bench.sh BUILD_DIR [SIZES] [CONCURRENCY]
#   e.g. scale_bench.sh build "500 1000 2000 5000 10000" 8
# Environment: LAB_NAME (namespaces LAB_NAMEA/B, default ps), PICS (default 20),
# IKE_VERSION (1: Main + Quick Mode, the default; 2: IKE_SA_INIT + IKE_AUTH),
# IDLE (seconds, default 5). Suite: IKE 3des-cbc/sha1/group2 with PSK, ESP
# 3des-cbc/hmac-sha1-96, no PFS; responder pinned to CPU 1, ike-peer to CPU 0.
set -uo pipefail
[[ ${1:-} == -h || ${1:-} == --help ]] && { sed -n '2,/^set /p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0; }
BUILD=$(readlink -f "${1:?build dir}"); SIZES=${2:-500 1000 2000 5000 10000}; C=${3:-8}
PICS=${PICS:-20}; IKE_VERSION=${IKE_VERSION:-1}; IDLE=${IDLE:-5}
PICSEC=$BUILD/tools/picsec; PEER=$BUILD/tools/ike-peer
HERE=$(cd "$(dirname "$0")/../../tests/interop" && pwd)
source "$HERE/lab.sh"
[[ $(id -u) == 0 ]] || { echo "needs root (network namespaces)"; exit 77; }
((PICS >= 2 && PICS <= 32 && PICS % 2 == 0)) || { echo "PICS: an even number, 2..32"; exit 2; }
for n in $SIZES; do
  ((n % PICS == 0 && n / PICS <= 512)) || { echo "N=$n: needs a multiple of PICS=$PICS and at most 512 SAs per PIC (the ES PIC's limit)"; exit 2; }
done
WORK=$LAB_RUN/scale; mkdir -p "$WORK"
trap 'picsec_stop; lab_down' EXIT
picsec_stop() {
  [[ -f $WORK/picsec.pid ]] || return 0
  kill "$(cat "$WORK/picsec.pid")" 2>/dev/null; wait "$(cat "$WORK/picsec.pid")" 2>/dev/null; rm -f "$WORK/picsec.pid"
}
cpu_ns() { cat /proc/"$1"/task/*/schedstat | awk '{s += $1} END {printf "%.0f", s}'; }
peer_ip() { echo "10.99.0.$((101 + $1))"; }
# PIC i: es-FPC/PIC/0 for the first half, ms- for the second, four PICs per FPC.
pic_name() {
  local half=$((PICS / 2))
  if (($1 < half)); then echo "es-$(($1 / 4))/$(($1 % 4))/0"; else local j=$(($1 - half)); echo "ms-$((4 + j / 4))/$((j % 4))/0"; fi
}

conf() {
  local i
  echo "security {"
  echo "  ike {"
  echo "    proposal p1 { authentication-method pre-shared-keys; encryption-algorithm 3des-cbc; authentication-algorithm sha1; dh-group group2; }"
  for ((i = 0; i < PICS; i++)); do
    echo "    policy $(peer_ip $i) { version $IKE_VERSION; mode main; proposals p1; pre-shared-key ascii-text \"$PSK\"; }"
  done
  echo "  }"
  echo "  ipsec {"
  echo "    proposal p2 { protocol esp; encryption-algorithm 3des-cbc; authentication-algorithm hmac-sha1-96; }"
  echo "    policy pol { proposals p2; }"
  for ((i = 0; i < PICS; i++)); do
    echo "    security-association sa$i { mode tunnel; dynamic { ipsec-policy pol; replay-window-size 64; } }"
  done
  echo "  }"
  echo "}"
  echo "interfaces {"
  for ((i = 0; i < PICS; i++)); do
    echo "  $(pic_name $i) { unit 0 { tunnel { source $IP_P; destination $(peer_ip $i); } family inet { ipsec-sa sa$i; } } }"
  done
  echo "}"
}

# grow COUNT_PER_PEER: COUNT_PER_PEER more SAs from every peer address, one ike-peer after the other.
grow() {
  local i
  for ((i = 0; i < PICS; i++)); do
    ip netns exec "$NS_S" taskset -c 0 "$PEER" --local "$(peer_ip $i)" --peer "$IP_P" --ike-version "$IKE_VERSION" \
        --ike 3des-cbc/sha1/group2 --esp esp:3des-cbc/hmac-sha1-96 --pfs none --psk "$PSK" \
        --load "$1" --concurrency "$C" --timeout 20 --time-limit 600 --json > "$WORK/load-$i.json"
  done
  python3 -c 'import json, sys; print(sum(json.load(open(f))["established"] for f in sys.argv[1:]))' "$WORK"/load-*.json
}

lab_up
for ((i = 0; i < PICS; i++)); do ip -n "$NS_S" addr add "$(peer_ip $i)/24" dev "v$NS_S" 2>/dev/null; done
conf > "$WORK/picsec.conf"
"$PICSEC" check "$WORK/picsec.conf" > "$WORK/check.out" 2>&1 || { cat "$WORK/check.out"; exit 1; }
ip netns exec "$NS_P" taskset -c 1 "$PICSEC" run -c "$WORK/picsec.conf" --local "$IP_P" --passive \
    --socket "$WORK/picsec.sock" --max-ike-sas 16384 --log-level warn > "$WORK/picsec.log" 2>&1 &
echo $! > "$WORK/picsec.pid"
PID=$(cat "$WORK/picsec.pid")
for _ in $(seq 50); do [[ -S $WORK/picsec.sock ]] && break; sleep 0.1; done
[[ -S $WORK/picsec.sock ]] || { cat "$WORK/picsec.log"; exit 1; }

echo "# $(date -u +%F\ %T) $(uname -r), $(nproc) CPUs:$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2); load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# $PICSEC ($(git -C "$(dirname "$0")" rev-parse --short HEAD 2>/dev/null)), $PICS PICs ($(pic_name 0) .. $(pic_name $((PICS - 1)))), IKEv$IKE_VERSION, concurrency $C per address, idle $IDLE s"
have=0; established=0; first_rss=""; first_n=""
for n in $SIZES; do
  per=$(((n - have) / PICS))
  cpu0=$(cpu_ns "$PID"); t0=$(date +%s.%N)
  got=$(grow "$per")
  cpu1=$(cpu_ns "$PID"); t1=$(date +%s.%N)
  established=$((established + got)); have=$n
  sleep 2
  python3 - "$PID" "$WORK/picsec.sock" "$IDLE" "$n" "$established" "$got" "$cpu0" "$cpu1" "$t0" "$t1" \
      "${first_rss:-0}" "${first_n:-0}" <<'PY' | tee "$WORK/row"
import re, socket, statistics, sys, time
pid, sock, idle, n, est, got, cpu0, cpu1, t0, t1, rss_first, n_first = sys.argv[1:]
idle, n, est, got = float(idle), int(n), int(est), int(got)

def cpu_ns():
    import glob
    return sum(int(open(f).read().split()[0]) for f in glob.glob(f"/proc/{pid}/task/*/schedstat"))

def rss_kb():
    return int(re.search(r"VmRSS:\s+(\d+)", open(f"/proc/{pid}/status").read()).group(1))

def control(*words):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(sock)
    start = time.monotonic()
    s.sendall(("\n".join(words) + "\n\n").encode())
    chunks = []
    while True:
        b = s.recv(1 << 20)
        if not b:
            break
        chunks.append(b)
    wall = time.monotonic() - start
    s.close()
    return b"".join(chunks).decode(errors="replace"), wall

def stats():
    text, _ = control("show", "engine", "statistics")
    ticks = int(re.search(r"ticks: (\d+)", text).group(1))
    eng = float(re.search(r"engine tick CPU: total ([0-9.]+)", text).group(1))
    sadb = float(re.search(r"SADB tick CPU: total ([0-9.]+)", text).group(1))
    return ticks, eng, sadb

rss = rss_kb()
s0, c0 = stats(), cpu_ns()
time.sleep(idle)
s1, c1 = stats(), cpu_ns()
ticks = max(s1[0] - s0[0], 1)
idle_ms_per_s = (c1 - c0) / 1e6 / idle
engine_us = (s1[1] - s0[1]) / ticks
sadb_us = (s1[2] - s0[2]) / ticks

def show(*words):
    walls, cpus, text = [], [], ""
    for _ in range(3):
        c = cpu_ns()
        text, wall = control(*words)
        cpus.append((cpu_ns() - c) / 1e6)
        walls.append(wall * 1000)
    return statistics.median(walls), statistics.median(cpus), len(text.encode()), text

ike_wall, ike_cpu, ike_bytes, ike_text = show("show", "ike", "security-associations")
ipsec_wall, ipsec_cpu, ipsec_bytes, ipsec_text = show("show", "ipsec", "security-associations")
ike_shown = len(re.findall(r"^\s*\d+\s+10\.99\.0\.\d+\s", ike_text, re.M)) or len(re.findall(r"10\.99\.0\.1\d\d", ike_text))
ipsec_shown = len(re.findall(r"^\s+inbound\s", ipsec_text, re.M))
setup_ms = (int(cpu1) - int(cpu0)) / 1e6 / max(got, 1)
wall_rate = got / max(float(t1) - float(t0), 1e-9)
per_sa = ""
if int(rss_first) and n > int(n_first):
    per_sa = f" ({(rss - int(rss_first)) * 1024 / (n - int(n_first)):.0f} B/SA since N={n_first})"
print(f"N={n} established {est} (this step {got}, {wall_rate:.0f}/s, responder {setup_ms:.3f} ms CPU/neg); "
      f"RSS {rss} kB{per_sa}; idle CPU {idle_ms_per_s:.2f} ms/s; engine tick {engine_us:.1f} us, SADB tick {sadb_us:.1f} us "
      f"({ticks} ticks); show ike {ike_wall:.1f} ms wall, {ike_cpu:.1f} ms daemon CPU, {ike_bytes} B, {ike_shown} SAs; "
      f"show ipsec {ipsec_wall:.1f} ms wall, {ipsec_cpu:.1f} ms daemon CPU, {ipsec_bytes} B, {ipsec_shown} inbound SAs")
PY
  if [[ -z $first_rss ]]; then
    first_rss=$(sed -n 's/.*; RSS \([0-9]*\) kB.*/\1/p' "$WORK/row"); first_n=$n
  fi
  ((established < n)) && echo "# only $established of $n established: stopping"
  ((established < n)) && break
done
echo "# load average $(cut -d' ' -f1-3 /proc/loadavg)"
