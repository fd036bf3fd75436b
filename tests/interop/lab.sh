#!/usr/bin/env bash
# The interop lab: picsec in namespace psA (10.99.0.1) and Debian's strongSwan
# charon in namespace psB (10.99.0.2), joined by a veth pair. Sourced by the
# interop tests; every function is idempotent.
#   lab_require PLUGIN... / lab_prepare WORKDIR   skip (exit 77) without root, charon or a
#                                          plugin; make WORKDIR and clean up on exit
#   lab_up / lab_down                      namespaces and addresses
#   charon_start BACKEND SWANCTL_CONF       run charon in psB (BACKEND fake|libipsec)
#   charon_stop ; swan ARGS...              stop it / run swanctl against it
#   picsec_start CONF [OPTS] / picsec_stop  run picsec in psA ($PICSEC, $WORK)
#   negotiate ROLE CONF / scenario_end      run one negotiation / keep its logs, stop both
#   wait_installed, compare_sas, ping_through, fail   checks shared by the tests
set -uo pipefail
# LAB_NAME keeps two labs (e.g. a benchmark and a test) apart on one machine.
LAB_NAME=${LAB_NAME:-ps}
LAB_RUN=${LAB_RUN:-/tmp/picsec-interop${LAB_NAME#ps}}
NS_P=${LAB_NAME}A; IP_P=10.99.0.1
NS_S=${LAB_NAME}B; IP_S=10.99.0.2
PSK=${PSK:-interop-secret-0123456789}
CHARON=/usr/lib/ipsec/charon

lab_require() {
  if [[ $(id -u) != 0 || ! -x $CHARON ]] || ! command -v swanctl >/dev/null || ! command -v python3 >/dev/null; then
    echo "SKIP: needs root, strongSwan charon, swanctl and python3 (scripts/install-deps.sh --test)"; exit 77
  fi
  local p
  for p in "$@"; do
    [[ -f /usr/lib/ipsec/plugins/libstrongswan-$p.so ]] ||
      { echo "SKIP: strongSwan plugin $p missing (scripts/install-deps.sh --test)"; exit 77; }
  done
}

lab_prepare() {
  WORK=$1; mkdir -p "$WORK"
  failures=0
  trap 'picsec_stop; lab_down' EXIT
}

lab_up() {
  ip netns list | grep -qw $NS_P && return 0
  ip netns add $NS_P && ip netns add $NS_S
  ip link add v$NS_P netns $NS_P type veth peer name v$NS_S netns $NS_S
  ip -n $NS_P addr add $IP_P/24 dev v$NS_P && ip -n $NS_S addr add $IP_S/24 dev v$NS_S
  for n in $NS_P $NS_S; do ip -n $n link set lo up; done
  # inner addresses for tunnel traffic selectors (kernel-libipsec wants a local one)
  ip -n $NS_P addr add 10.98.1.1/32 dev lo; ip -n $NS_S addr add 10.98.2.1/32 dev lo
  ip -n $NS_P link set v$NS_P up && ip -n $NS_S link set v$NS_S up
}

lab_down() {
  charon_stop
  ip netns del $NS_P 2>/dev/null; ip netns del $NS_S 2>/dev/null; true
}

charon_plugins() {
  local p="random nonce x509 revocation constraints pubkey pkcs1 pkcs8 pem openssl aes gcm sha1 sha2 md5 hmac gmp"
  p="$p curve25519 kdf"
  case $1 in
    fake) p="$p load-tester kernel-netlink";;
    libipsec) p="$p kernel-libipsec kernel-netlink";;
  esac
  echo "$p socket-default vici"
}

# charon_start BACKEND SWANCTL_CONF_TEXT [EXTRA strongswan.conf text]
charon_start() {
  local backend=$1 conf=$2 extra=${3:-}
  local d=$LAB_RUN/charon
  charon_stop
  rm -rf "$d"; mkdir -p "$d"/swanctl/{x509,x509ca,x509crl,private,rsa,pubkey}
  printf '%s\n' "$conf" > "$d/swanctl/swanctl.conf"
  # CHARON_SETUP: a command run with the swanctl directory before loading (credentials).
  if [[ -n ${CHARON_SETUP:-} ]]; then $CHARON_SETUP "$d/swanctl" || return 1; fi
  cat > "$d/strongswan.conf" <<CONF
charon {
  load_modular = no
  load = $(charon_plugins "$backend")
  port = 500
  port_nat_t = 4500
  install_routes = ${CHARON_INSTALL_ROUTES:-no}
  i_dont_care_about_security_and_use_aggressive_mode_psk = yes
  retransmit_tries = 2
  retransmit_timeout = 1.0
  plugins {
    vici { socket = unix://$d/charon.vici }
    load-tester {
      enable = $([ "$backend" = fake ] && echo yes || echo no)
      fake_kernel = yes
      initiators = 0
      responder = 127.0.0.2
      preshared_key = $PSK
    }
  }
  filelog {
    lab {
      path = $d/charon.log
      append = no
      flush_line = yes
      time_format = %H:%M:%S
      default = 1
      ike = ${CHARON_LOGLEVEL:-2}
      cfg = 2
      chd = ${CHARON_LOGLEVEL:-2}
      knl = 1
      enc = 1
    }
    stderr { default = -1 }
  }
  syslog { daemon { default = -1 } }
  $extra
}
CONF
  ip netns exec $NS_S sh -c "mount --bind $d /run && exec env STRONGSWAN_CONF=$d/strongswan.conf $CHARON" \
    > "$d/charon.stdout" 2>&1 &
  for _ in $(seq 100); do
    if swanctl --stats --uri "unix://$d/charon.vici" >/dev/null 2>&1; then
      swan --load-all --noprompt >"$d/load.out" 2>&1 || { cat "$d/load.out"; return 1; }
      return 0
    fi
    sleep 0.1
  done
  echo "charon failed to start:"; tail -5 "$d/charon.stdout" "$d/charon.log"; return 1
}

charon_stop() {
  local d=$LAB_RUN/charon
  [ -f "$d/charon.pid" ] || return 0
  local pid; pid=$(cat "$d/charon.pid")
  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f "$d/charon.pid"
}

# swan COMMAND [ARGS]: swanctl against the lab charon (load commands get its file)
swan() {
  local d=$LAB_RUN/charon cmd=$1; shift
  case $cmd in --load-*) set -- --file "$d/swanctl/swanctl.conf" "$@";; esac
  swanctl "$cmd" --uri "unix://$d/charon.vici" "$@"
}

# --- the picsec side: PICSEC (binary), WORK (directory), scenario (name) -------
picsec_stop() {
  [[ -f $WORK/picsec.pid ]] || return 0
  kill "$(cat "$WORK/picsec.pid")" 2>/dev/null; wait "$(cat "$WORK/picsec.pid")" 2>/dev/null
  rm -f "$WORK/picsec.pid"
}

picsec_start() {  # picsec_start CONFIG_FILE [run options]
  local conf=$1; shift
  picsec_stop
  ip netns exec $NS_P "$PICSEC" run -c "$conf" --socket "$WORK/picsec.sock" --log-level debug "$@" \
    > "$WORK/picsec.log" 2>&1 &
  echo $! > "$WORK/picsec.pid"
  for _ in $(seq 50); do [[ -S $WORK/picsec.sock ]] && return 0; sleep 0.1; done
  echo "picsec did not start:"; cat "$WORK/picsec.log"; return 1
}

fail() { echo "FAIL $scenario: $*"; failures=$((failures + 1)); }

# negotiate ROLE CONF [picsec run options]: starts picsec (initiating, or
# --passive with charon initiating sa1) and waits for charon's CHILD_SA; on
# failure says why with both logs' tails and returns 1.
negotiate() {
  local role=$1 conf=$2; shift 2
  if [[ $role == initiator ]]; then
    picsec_start "$conf" --local $IP_P "$@" || { fail "picsec did not start"; return 1; }
  else
    picsec_start "$conf" --local $IP_P --passive "$@" || { fail "picsec did not start"; return 1; }
    swan --initiate --child sa1 --timeout 15 > "$WORK/$scenario.initiate" 2>&1
  fi
  wait_installed && sleep 0.3 && return 0
  fail "no CHILD_SA installed; picsec log tail:"; tail -15 "$WORK/picsec.log"; tail -25 "$LAB_RUN/charon/charon.log"
  return 1
}

# scenario_end: keeps both logs as WORK/SCENARIO.{picsec,charon}.log, stops both daemons.
scenario_end() {
  cp "$WORK/picsec.log" "$WORK/$scenario.picsec.log" 2>/dev/null
  cp "$LAB_RUN/charon/charon.log" "$WORK/$scenario.charon.log" 2>/dev/null
  picsec_stop; charon_stop
}

# Waits until charon lists an INSTALLED child SA; prints nothing.
wait_installed() {
  for _ in $(seq 100); do swan --list-sas 2>/dev/null | grep -q INSTALLED && return 0; sleep 0.1; done
  return 1
}

# check_ike_algorithms TEXT: charon's IKE SA uses these algorithms (its
# list-sas spelling, e.g. AES_CBC-256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/ECP_256).
check_ike_algorithms() {
  local sas; sas=$(swan --list-sas)
  grep -q "$1" <<<"$sas" || fail "charon's IKE SA is not $1: $sas"
  echo "  charon IKE SA: $(grep -Eo '[A-Z0-9_]+-[0-9]+/[A-Z0-9_/]+' <<<"$sas" | head -1)"
}

# Compares picsec's view of sa1 (show ipsec ... --json) with charon's list-sas.
compare_sas() {  # compare_sas CHARON_ALGORITHM_TEXT PROTOCOL
  local sas json in out proto
  sas=$(swan --list-sas)
  json=$("$PICSEC" show ipsec security-associations sa1 --json --socket "$WORK/picsec.sock")
  read -r in out proto < <(python3 -c '
import json, sys
d = {x["direction"]: x for sa in json.load(sys.stdin)["security-associations"] for x in sa["directions"]}
print("%08x %08x %s" % (d["inbound"]["spi"], d["outbound"]["spi"], d["inbound"]["protocol"]))' <<<"$json")
  grep -q "$1" <<<"$sas" || fail "charon's SA is not $1: $sas"
  # charon's inbound SPI is picsec's outbound one and vice versa.
  grep -Eq "in  *$out[,]" <<<"$sas" || fail "charon inbound SPI is not picsec's outbound $out: $sas"
  grep -Eq "out *$in[,]" <<<"$sas" || fail "charon outbound SPI is not picsec's inbound $in: $sas"
  [[ $proto == "$2" ]] || fail "picsec protocol is $proto, not $2"
  # $PICSEC_EXPECT_JSON: text picsec's `show ipsec security-associations --json` must hold.
  [[ -z ${PICSEC_EXPECT_JSON:-} ]] || grep -qF "$PICSEC_EXPECT_JSON" <<<"$json" ||
    fail "picsec's SA lacks $PICSEC_EXPECT_JSON: $json"
  echo "  picsec: in $in out $out $proto; charon: $(grep -E '^ +(in|out) ' <<<"$sas" | awk '{print $1, $2}' | tr '\n' ' ')"
}

# capture_start FILE / capture_stop: tshark on picsec's side of the veth pair.
capture_start() {
  rm -f "$1" "$WORK/tshark.out"
  ip netns exec $NS_P tshark -q -i v$NS_P -w "$1" -f "udp port 500 or udp port 4500" >"$WORK/tshark.out" 2>&1 &
  capture_pid=$!
  for _ in $(seq 50); do grep -q Capturing "$WORK/tshark.out" 2>/dev/null && break; sleep 0.1; done
}
capture_stop() { sleep 0.3; kill "$capture_pid" 2>/dev/null; wait "$capture_pid" 2>/dev/null; }

# Pings picsec's es- address 10.98.1.1 from charon's 10.98.2.1 through the
# tunnel (kernel-libipsec) and checks both sides counted the 4 ESP packets each way.
ping_through() {
  local ping received
  # With 0.0.0.0/0 client IDs charon installs no route (it would also cover
  # the IKE traffic), so the host route into its TUN device is added here.
  ip netns exec $NS_S ip route replace 10.98.1.1/32 dev ipsec0 src 10.98.2.1
  ping=$(ip netns exec $NS_S ping -c 4 -i 0.2 -W 2 -I 10.98.2.1 10.98.1.1 2>&1)
  received=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' <<<"$ping")
  echo "  ping 10.98.2.1 -> 10.98.1.1 through the tunnel: ${received:-0}/4 answered"
  [[ $received == 4 ]] || fail "pings through the tunnel: $ping"
  local sas json counts
  sas=$(swan --list-sas)
  json=$("$PICSEC" show ipsec security-associations sa1 --json --socket "$WORK/picsec.sock")
  counts=$(python3 -c '
import json, sys
d = {x["direction"]: x for sa in json.load(sys.stdin)["security-associations"] for x in sa["directions"]}
print(d["inbound"]["packets"], d["outbound"]["packets"])' <<<"$json")
  echo "  packets picsec in/out: $counts; charon: $(grep -Eo '(in|out) +[0-9a-f]{8}, +[0-9]+ bytes, +[0-9]+ packets' <<<"$sas" | awk '{print $1, $5}' | tr '\n' ' ')"
  [[ $counts == "4 4" ]] || fail "picsec counted $counts ESP packets in/out, not 4 4"
  grep -Eq "in +[0-9a-f]{8}, +[0-9]+ bytes, +4 packets" <<<"$sas" || fail "charon did not count 4 inbound packets"
  grep -Eq "out +[0-9a-f]{8}, +[0-9]+ bytes, +4 packets" <<<"$sas" || fail "charon did not count 4 outbound packets"
}

