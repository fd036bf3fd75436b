# Shared by the shell tests that run `picsec run` on loopback against
# ike-peer (sourced, not run): pass/fail counting, stopping the daemon
# started in the background (its PID in $pid), the daemon's configuration
# and a JSON reader. The caller sets PSK and WORK, and sources this before
# its own trap: `trap 'stop; rm -rf "$WORK"' EXIT`.

failures=0
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
pass() { echo "  ok: $*"; }
pid=""
stop() { [[ -n $pid ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; pid=""; }

# json FILE EXPR: prints the Python expression EXPR over the JSON in FILE (as d).
json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }

# loopback_config [IKE-POLICY-LINE...]: picsec at 127.0.0.1, a Main Mode PSK
# policy for 127.0.0.2, any extra IKE policy lines given, and one dynamic SA.
loopback_config() {
  local extra="" line
  for line in "$@"; do extra+="        $line"$'\n'; done
  cat <<CONF
security {
    ike {
        proposal p1 { authentication-method pre-shared-keys; encryption-algorithm 3des-cbc; authentication-algorithm sha1; dh-group group2; }
        policy 127.0.0.2 { mode main; proposals p1; pre-shared-key ascii-text "$PSK"; }
${extra}    }
    ipsec {
        proposal p2 { protocol esp; encryption-algorithm 3des-cbc; authentication-algorithm hmac-sha1-96; }
        policy pol { perfect-forward-secrecy { keys group2; } proposals p2; }
        security-association sa1 { mode tunnel; dynamic { ipsec-policy pol; replay-window-size 64; } }
    }
}
interfaces es-0/0/0 { unit 0 { tunnel { source 127.0.0.1; destination 127.0.0.2; } family inet { ipsec-sa sa1; } } }
CONF
}
