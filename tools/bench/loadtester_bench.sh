#!/usr/bin/env bash
# Responder benchmark with strongSwan as the load: a charon initiator running
# the load-tester plugin (namespace A, CPU 0, fake kernel) sets up N IKE SAs,
# each with its Child SA, against a strongSwan charon responder (namespace B,
# fake kernel) and then against a picsec run responder (namespace B), round by
# round in one run. Per responder it reports negotiations per responder CPU
# second (on-CPU time of all its threads from /proc/PID/task/*/schedstat) and
# resident memory per established IKE SA with its IPsec SAs (VmRSS after a
# 20-SA ike-peer warm-up and after the N, divided by N). The counterpart of
# responder_bench.sh, whose load is ike-peer: a figure holds only if it holds
# for both initiators. Root only.
#   loadtester_bench.sh BUILD_DIR [N] [ROUNDS] [IKE_VERSION]
# N <= 480 (the ES PIC admits 512 dynamic SAs; 20 go to the warm-up).
# Suite: IKE aes128-sha256-modp2048 (PSK), ESP 3des-sha1 without PFS, the
# ES PIC's algorithms. LAB_NAME=pl keeps the lab apart from interop tests.
set -uo pipefail
[[ ${1:-} == -h || ${1:-} == --help ]] && { sed -n '2,/^set /p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0; }
BUILD=$(readlink -f "${1:?build dir}"); N=${2:-480}; ROUNDS=${3:-3}; VERSION=${4:-2}; WARM=20
INITIATORS=8
PICSEC=$BUILD/tools/picsec; PEER=$BUILD/tools/ike-peer
HERE=$(cd "$(dirname "$0")/../../tests/interop" && pwd)
source "$HERE/lab.sh"
[[ $(id -u) == 0 && -x $CHARON ]] || { echo "needs root and strongSwan charon"; exit 77; }
[[ -f /usr/lib/ipsec/plugins/libstrongswan-load-tester.so ]] ||
  { echo "needs strongSwan's load-tester plugin (tests/interop/build-load-tester.sh)"; exit 77; }
((N + WARM <= 500 && N % INITIATORS == 0)) || { echo "N <= 480 and a multiple of $INITIATORS"; exit 2; }
[[ $VERSION == 1 || $VERSION == 2 ]] || { echo "IKE_VERSION is 1 or 2"; exit 2; }
WORK=$LAB_RUN/ltbench; LT=$LAB_RUN/lt; mkdir -p "$WORK"
trap 'lt_stop; picsec_stop; lab_down' EXIT

cpu_ns() { cat /proc/"$1"/task/*/schedstat | awk '{s += $1} END {printf "%.0f", s}'; }
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
picsec_stop() {
  [[ -f $WORK/picsec.pid ]] || return 0
  kill "$(cat "$WORK/picsec.pid")" 2>/dev/null; wait "$(cat "$WORK/picsec.pid")" 2>/dev/null; rm -f "$WORK/picsec.pid"
}
lt_stop() {
  [[ -f $LT/charon.pid ]] || return 0
  local pid; pid=$(cat "$LT/charon.pid"); kill "$pid" 2>/dev/null
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null; rm -f "$LT/charon.pid"
}

# The initiator: charon with the load-tester plugin in namespace A. INITIATORS
# threads start N/INITIATORS IKE SAs each, at most INITIATORS half-open at a
# time (init_limit; ike-peer --concurrency 8 in responder_bench.sh), every SA
# with its own IDi (so INITIAL_CONTACT never applies), no rekeying. Without
# init_limit all N IKE_SA_INITs arrive at once, and a picsec responder admits
# 64 half-open SAs per peer address (EngineConfig::max_half_open_per_peer):
# the rest wait for their retransmissions.
lt_start() {
  lt_stop; rm -rf "$LT"; mkdir -p "$LT"
  cat > "$LT/strongswan.conf" <<CONF
charon {
  load_modular = no
  load = random nonce openssl aes sha1 sha2 md5 hmac gmp kdf load-tester kernel-netlink socket-default
  port = 500
  port_nat_t = 4500
  ikesa_table_size = 4096
  ikesa_table_segments = 16
  retransmit_tries = 3
  retransmit_timeout = 2.0
  plugins {
    load-tester {
      enable = yes
      fake_kernel = yes
      initiators = $INITIATORS
      iterations = $((N / INITIATORS))
      delay = 0
      init_limit = $INITIATORS
      version = $VERSION
      proposal = aes128-sha256-modp2048
      esp = 3des-sha1
      initiator = $IP_P
      responder = $IP_S
      initiator_auth = psk
      responder_auth = psk
      initiator_id = c%d-r%d.load.test
      responder_id = $IP_S
      initiator_tsi = 0.0.0.0/0
      initiator_tsr = 0.0.0.0/0
      ike_rekey = 0
      child_rekey = 0
      preshared_key = $PSK
    }
  }
  filelog {
    lt {
      path = $LT/charon.log
      append = no
      flush_line = yes
      default = 0
      ike = 1
    }
    stderr { default = -1 }
  }
  syslog { daemon { default = -1 } }
}
CONF
  ip netns exec "$NS_P" taskset -c 0 sh -c "mount --bind $LT /run && exec env STRONGSWAN_CONF=$LT/strongswan.conf $CHARON" \
    > "$LT/charon.stdout" 2>&1 &
}

# measure NAME PID: the warm-up by ike-peer, then the load-tester's N.
measure() {
  local name=$1 pid=$2 rss0 cpu0 cpu1 rss1 up failed t0 t1
  taskset -apc 1 "$pid" >/dev/null
  sleep 1
  ip netns exec "$NS_P" taskset -c 0 "$PEER" --local "$IP_P:5000" --peer "$IP_S" --ike-version "$VERSION" \
      --ike aes-128-cbc/sha-256/group14 --esp esp:3des-cbc/hmac-sha1-96 --psk "$PSK" --load "$WARM" \
      --concurrency 8 --timeout 20 --time-limit 60 > /dev/null
  sleep 1
  rss0=$(rss_kb "$pid"); cpu0=$(cpu_ns "$pid"); t0=$(date +%s%N)
  lt_start
  local ltpid="" ilt0=0 ilt1=0
  for _ in $(seq 50); do [[ -s $LT/charon.pid ]] && break; sleep 0.1; done
  ltpid=$(cat "$LT/charon.pid"); ilt0=$(cpu_ns "$ltpid")
  # Until N are up or failed, or nothing moved for 30 s (the time of charon's retransmissions).
  local last=-1 still=0
  while ((still < 300)); do
    up=$(grep -c "CHILD_SA .* established" "$LT/charon.log" 2>/dev/null); up=${up:-0}
    failed=$(grep -c "giving up after" "$LT/charon.log" 2>/dev/null); failed=${failed:-0}
    if ((up + failed == last)); then
      still=$((still + 1))
    else  # the figures at the last progress: idle waiting is not negotiation work
      still=0; last=$((up + failed)); cpu1=$(cpu_ns "$pid"); ilt1=$(cpu_ns "$ltpid"); t1=$(date +%s%N)
    fi
    ((up + failed >= N)) && break
    sleep 0.1
  done
  lt_stop
  sleep 1
  rss1=$(rss_kb "$pid")
  python3 - "$name" "$N" "$up" "${failed:-0}" "$cpu0" "$cpu1" "$rss0" "$rss1" "$t0" "$t1" "$ilt0" "$ilt1" <<'PY'
import sys
name, n, up, failed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
cpu = (int(sys.argv[6]) - int(sys.argv[5])) / 1e9
rss0, rss1 = int(sys.argv[7]), int(sys.argv[8])
wall = (int(sys.argv[10]) - int(sys.argv[9])) / 1e9
icpu = (int(sys.argv[12]) - int(sys.argv[11])) / 1e9
print(f"{name:10s} established {up}/{n} (failed {failed})  wall {up/max(wall,1e-9):7.1f}/s  "
      f"responder CPU {cpu*1000/max(up,1):6.3f} ms/neg  {up/max(cpu,1e-9):7.1f} neg/CPU-s  "
      f"RSS {rss0} -> {rss1} kB = {(rss1-rss0)*1024/max(up,1):6.0f} B/SA  initiator CPU {icpu*1000/max(up,1):6.3f} ms/neg")
PY
}

picsec_conf() {
  cat <<CONF
security {
    ike {
        proposal p1 { authentication-method pre-shared-keys; encryption-algorithm aes-128-cbc;
                      authentication-algorithm sha-256; dh-group group14; }
        policy $IP_P { version $VERSION; mode main; proposals p1; pre-shared-key ascii-text "$PSK"; }
    }
    ipsec {
        proposal p2 { protocol esp; encryption-algorithm 3des-cbc; authentication-algorithm hmac-sha1-96; }
        policy pol { proposals p2; }
        security-association sa1 { mode tunnel; dynamic { ipsec-policy pol; replay-window-size 64; } }
    }
}
interfaces es-0/0/0 { unit 0 { tunnel { source $IP_S; destination $IP_P; } family inet { ipsec-sa sa1; } } }
CONF
}

charon_conf() {
  cat <<CONF
connections { peer { version = $VERSION
    local_addrs = $IP_S
    remote_addrs = %any
    proposals = aes128-sha256-modp2048
    encap = no
    local { auth = psk
      id = $IP_S }
    remote { auth = psk }
    children { sa1 { mode = tunnel
        local_ts = 0.0.0.0/0
        remote_ts = 0.0.0.0/0
        esp_proposals = 3des-sha1 } } } }
secrets { ike-any { secret = "$PSK" } }
CONF
}

lab_up
echo "# $(date -u +%F\ %T) $(uname -r), $(nproc) CPUs: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
echo "### load-tester initiator, IKEv$VERSION aes128-sha256-modp2048 PSK, ESP 3des-sha1, N=$N, $INITIATORS initiators, $ROUNDS rounds"
for r in $(seq "$ROUNDS"); do
  CHARON_LOGLEVEL=0 charon_start fake "$(charon_conf)" "dos_protection = no
  uniqueids = no
  ikesa_table_size = 4096
  ikesa_table_segments = 16" || { echo "charon did not start"; exit 1; }
  measure strongswan "$(cat "$LAB_RUN/charon/charon.pid")"
  charon_stop
  picsec_conf > "$WORK/picsec.conf"
  ip netns exec "$NS_S" "$PICSEC" run -c "$WORK/picsec.conf" --local "$IP_S" --passive --socket "$WORK/picsec.sock" \
      --log-level "${PICSEC_LOG_LEVEL:-warn}" > "$WORK/picsec.log" 2>&1 &
  echo $! > "$WORK/picsec.pid"
  for _ in $(seq 50); do [[ -S $WORK/picsec.sock ]] && break; sleep 0.1; done
  measure picsec "$(cat "$WORK/picsec.pid")"
  picsec_stop
done
