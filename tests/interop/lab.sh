#!/usr/bin/env bash
# The interop lab: picsec in namespace psA (10.99.0.1) and Debian's strongSwan
# charon in namespace psB (10.99.0.2), joined by a veth pair. Sourced by the
# interop tests; every function is idempotent.
#   lab_up / lab_down                      namespaces and addresses
#   charon_start BACKEND SWANCTL_CONF       run charon in psB (BACKEND fake|libipsec)
#   charon_stop ; swan ARGS...              stop it / run swanctl against it
set -uo pipefail
# LAB_NAME keeps two labs (e.g. a benchmark and a test) apart on one machine.
LAB_NAME=${LAB_NAME:-ps}
LAB_RUN=${LAB_RUN:-/tmp/picsec-interop${LAB_NAME#ps}}
NS_P=${LAB_NAME}A; IP_P=10.99.0.1
NS_S=${LAB_NAME}B; IP_S=10.99.0.2
PSK=${PSK:-interop-secret-0123456789}
CHARON=/usr/lib/ipsec/charon

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
  local p="random nonce x509 revocation constraints pubkey pkcs1 pkcs8 pem openssl aes sha1 sha2 md5 hmac gmp kdf"
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
