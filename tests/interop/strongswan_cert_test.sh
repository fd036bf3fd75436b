#!/usr/bin/env bash
# Certificates against a real strongSwan (Debian's charon 5.9.8): RSA-signature
# phase 1 in Main and Aggressive Mode, picsec as initiator and as responder.
# Both sides' certificates come from one test CA made with picsec's own
# commands (tools/pki/make-test-pki.sh), or, in the *-swanca scenarios, from a
# CA made by strongSwan's pki tool. charon runs the kernel-libipsec
# backend (the load-tester's fake kernel brings a CA of its own, which would
# make a certificate test meaningless), so IKE floats to 4500 and real ESP in
# UDP crosses the tunnel. A negative case gives charon a certificate from a
# CA picsec does not trust: picsec refuses it and no SA exists on either side.
# IKEv2 adds picsec's own RFC 7383 fragments (a small --fragment-size: charon
# reassembles picsec's IKE_AUTH, tshark sees SKF from picsec) and RFC 7427
# RSA-PSS (charon requires rsa/pss-sha256 of picsec and signs PSS itself).
#   strongswan_cert_test.sh PICSEC_BINARY [SCENARIO...]
set -uo pipefail
PICSEC=$(readlink -f "${1:?picsec binary}"); shift
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/lab.sh"

lab_require kernel-libipsec
lab_prepare $LAB_RUN/picsec-cert
PKI=$WORK/pki

# One CA for both routers; a second CA of the same shape that picsec does not trust.
rm -rf "$PKI"
sh "$HERE/../../tools/pki/make-test-pki.sh" "$PICSEC" "$PKI/lab" r1=$IP_P r2=$IP_S >/dev/null || { echo "FAIL: test PKI"; exit 1; }
CA_CN="rogue CA" sh "$HERE/../../tools/pki/make-test-pki.sh" "$PICSEC" "$PKI/rogue" r2=$IP_S >/dev/null ||
  { echo "FAIL: rogue PKI"; exit 1; }
# A third CA made by strongSwan's pki tool, as an operator's own CA would be:
# picsec enrolls with its own key and CSR, pki issues the certificate; charon's
# key and certificate come from pki alone.
spki() { pki "$@" 2>/dev/null; }  # without its plugin-loading noise on stderr
make_swan_pki() {
  local d=$PKI/swan
  mkdir -p "$d"
  spki --gen --type rsa --size 2048 --outform pem > "$d/ca.key" &&
    spki --self --in "$d/ca.key" --dn "C=CH, O=strongSwan test, CN=strongSwan Root CA" --ca --lifetime 30 \
      --outform pem > "$d/ca.crt" &&
    "$PICSEC" request security key-pair "$d/r1.key" size 2048 >/dev/null &&
    "$PICSEC" request security certificate enroll key-pair "$d/r1.key" subject "C=CH, O=strongSwan test, CN=r1" \
      ip-address $IP_P output "$d/r1.csr" >/dev/null &&
    spki --issue --cacert "$d/ca.crt" --cakey "$d/ca.key" --type pkcs10 --in "$d/r1.csr" \
      --dn "C=CH, O=strongSwan test, CN=r1" --san $IP_P --lifetime 30 --outform pem > "$d/r1.crt" &&
    spki --gen --type rsa --size 2048 --outform pem > "$d/r2.key" &&
    spki --pub --in "$d/r2.key" | spki --issue --cacert "$d/ca.crt" --cakey "$d/ca.key" \
      --dn "C=CH, O=strongSwan test, CN=r2" --san $IP_S --lifetime 30 --outform pem > "$d/r2.crt" &&
    spki --signcrl --cacert "$d/ca.crt" --cakey "$d/ca.key" --lifetime 30 --outform pem > "$d/crl.pem"
}
make_swan_pki || { echo "FAIL: strongSwan pki CA"; exit 1; }
# The PKI of a scenario (the lab CA unless it says otherwise), and picsec's DN from it.
CA_DIR=$PKI/lab CA_NAME="picsec Test CA"
r1_dn() { openssl x509 -in "$CA_DIR/r1.crt" -noout -subject -nameopt sep_comma_plus_space,sname | sed "s/^subject=//"; }
R1_DN=$(r1_dn)

# picsec_config MODE [VERSION]: picsec (r1) with the lab CA, ID = its subject DN.
picsec_config() {
  local exchange="mode $1;"
  [[ ${2:-1} == 2 ]] && exchange="version 2;"
  cat <<CONF
interfaces {
    es-0/0/0 { unit 0 { tunnel { source $IP_P; destination $IP_S; }
        family inet { ipsec-sa sa1; address 10.98.1.1/32 { destination 10.98.2.1; } } } }
}
security {
    certificates {
        certification-authority lab { ca-name "$CA_NAME"; file $CA_DIR/ca.crt; crl $CA_DIR/crl.pem; }
    }
    ike {
        proposal rsa { authentication-method rsa-signatures; encryption-algorithm aes-128-cbc;
                       authentication-algorithm sha-256; dh-group group14; }
        policy $IP_S { $exchange proposals rsa; local-certificate $CA_DIR/r1.crt; local-key-pair $CA_DIR/r1.key;
                       ${PICSEC_POLICY_EXTRA:-} }
    }
    ipsec {
        proposal p2 { protocol esp; encryption-algorithm 3des-cbc; authentication-algorithm hmac-sha1-96; }
        policy pol { perfect-forward-secrecy { keys group14; } proposals p2; }
        security-association sa1 { mode tunnel; dynamic { ipsec-policy pol; replay-window-size 64; } }
    }
}
CONF
}

# charon_cert_config AGGRESSIVE LOCAL_TS REMOTE_TS [VERSION]: charon (r2), ID =
# its IP address (in its certificate's subjectAltName); picsec is known by its DN.
charon_cert_config() {
  cat <<CONF
connections { pic { version = ${4:-1}
    aggressive = $1
    local_addrs = $IP_S
    remote_addrs = $IP_P
    proposals = aes128-sha256-modp2048
    send_certreq = yes
    local { auth = pubkey
      certs = r2.crt
      id = $IP_S }
    remote { auth = ${CHARON_REMOTE_AUTH:-pubkey}
      id = "$R1_DN" }
    children { sa1 { mode = tunnel
        local_ts = $2
        remote_ts = $3
        esp_proposals = 3des-sha1-modp2048 } } } }
CONF
}

# charon_certs_lab / charon_certs_rogue SWANCTL_DIR: charon's credentials, the
# lab CA and r2's certificate and key from the lab PKI or from the rogue one.
charon_certs() {
  mkdir -p "$2/x509ocsp" "$2/x509aa" "$2/x509ac" "$2/ecdsa" "$2/bliss" "$2/pkcs8" "$2/pkcs12"
  cp "$CA_DIR/ca.crt" "$2/x509ca/lab-ca.crt" && cp "$1/r2.crt" "$2/x509/r2.crt" && cp "$1/r2.key" "$2/private/r2.key"
}
charon_certs_lab() { charon_certs "$CA_DIR" "$1"; }
charon_certs_rogue() { charon_certs "$PKI/rogue" "$1"; }

# cert_scenario NAME ROLE MODE [VERSION]; the environment may add
#   PICSEC_POLICY_EXTRA  statements in picsec's ike policy (signature-scheme rsa-pss;)
#   PICSEC_RUN_OPTS      picsec run options (--fragment-size 576)
#   CHARON_REMOTE_AUTH   charon's remote auth (ike:rsa/pss-sha256: picsec's AUTH must be RSASSA-PSS;
#                        without "ike:" the constraint would bind the CA's certificate signatures too)
#   CHARON_EXTRA         strongswan.conf lines in charon { } (rsa_pss = yes)
#   EXPECT_FRAGMENTS=1   picsec's own IKE_AUTH goes out as SKF fragments and charon reassembles it
#   EXPECT_PSS=1         charon verified picsec's AUTH as RSASSA-PSS with SHA-256
cert_scenario() {
  scenario=$1
  local role=$2 mode=$3 version=${4:-1} aggressive=no ts_l=0.0.0.0/0 ts_r=0.0.0.0/0 routes=no
  local algs="ESP:3DES_CBC/HMAC_SHA1_96/MODP_2048"
  [[ $mode == aggressive ]] && aggressive=yes
  [[ $role == responder ]] && ts_l=10.98.2.1/32 ts_r=10.98.1.1/32 routes=yes
  # IKEv2's first Child SA comes with IKE_AUTH, without a D-H of its own.
  [[ $version == 2 ]] && algs="ESP:3DES_CBC/HMAC_SHA1_96"
  echo "=== $scenario (IKEv$version, picsec $role, $mode, rsa-signatures, charon kernel-libipsec)"
  picsec_config "$mode" "$version" > "$WORK/$scenario.conf"
  CHARON_INSTALL_ROUTES=$routes CHARON_SETUP=charon_certs_lab \
    charon_start libipsec "$(charon_cert_config $aggressive $ts_l $ts_r $version)" "${CHARON_EXTRA:-}" ||
    { fail "charon did not start"; return; }
  [[ -n ${EXPECT_FRAGMENTS:-} ]] && capture_start "$WORK/$scenario.pcap"
  # shellcheck disable=SC2086  # PICSEC_RUN_OPTS is a list of options
  if negotiate "$role" "$WORK/$scenario.conf" ${PICSEC_RUN_OPTS:-}; then
    compare_sas "TUNNEL-in-UDP, $algs" ESP
    ping_through
    local ike
    ike=$("$PICSEC" show ike security-associations detail --socket "$WORK/picsec.sock")
    grep -q "CN=r2" <<<"$ike" || fail "picsec does not show charon's certificate subject: $ike"
    grep -q "$CA_NAME" <<<"$ike" || fail "picsec does not show the CA it validated to: $ike"
    echo "  picsec: $(grep -E 'Peer certificate|Validated to CA' <<<"$ike" | sed 's/^ *//' | tr '\n' ';')"
    grep -q "authentication of '$R1_DN' with RSA.*successful\|authentication of '$R1_DN'.*successful" \
      "$LAB_RUN/charon/charon.log" || fail "charon did not log a successful RSA authentication of picsec"
    # RFC 7383: picsec announces fragmentation; charon splits its IKE_AUTH (CERT) and picsec reassembles it.
    if [[ $version == 2 ]]; then
      grep -q "splitting IKE message" "$LAB_RUN/charon/charon.log" || fail "charon sent its IKE_AUTH unfragmented"
      echo "  charon: $(grep -m1 -o "splitting IKE message.*" "$LAB_RUN/charon/charon.log"), picsec reassembled it"
    fi
    if [[ -n ${EXPECT_FRAGMENTS:-} ]]; then capture_stop; check_picsec_fragments; fi
    if [[ -n ${EXPECT_PSS:-} ]]; then check_pss; fi
  elif [[ -n ${EXPECT_FRAGMENTS:-} ]]; then
    capture_stop
  fi
  scenario_end
}

# RFC 7383: charon received picsec's IKE_AUTH as N > 1 fragments and reassembled
# it; tshark on picsec's side sees the SKF payloads (type 53) leave picsec.
check_picsec_fragments() {
  local log=$LAB_RUN/charon/charon.log total skf big
  total=$(sed -n 's/.*received fragment #1 of \([0-9]*\).*/\1/p' "$log" | head -1)
  [[ ${total:-0} -ge 2 ]] || { fail "charon received no fragmented IKE message from picsec"; return; }
  # charon's worker threads may take the fragments in any order: the one that completes the set reassembles.
  grep -q "received fragment #[0-9]* of $total, reassembled fragmented IKE message" "$log" ||
    fail "charon did not reassemble picsec's $total fragments"
  echo "  charon: $(grep -m1 -o "received fragment #[0-9]* of $total, reassembled.*" "$log")"
  skf=$(tshark -r "$WORK/$scenario.pcap" -Y "ip.src == $IP_P && isakmp.nextpayload == 53" 2>/dev/null | wc -l)
  echo "  tshark: $skf datagrams from picsec with an SKF payload"
  [[ $skf -ge $total ]] || fail "tshark saw $skf SKF datagrams from picsec, fewer than $total"
  # --fragment-size counts the whole IP datagram.
  big=$(tshark -r "$WORK/$scenario.pcap" -Y "ip.src == $IP_P && isakmp.nextpayload == 53 && ip.len > 576" 2>/dev/null | wc -l)
  [[ $big == 0 ]] || fail "tshark saw $big SKF datagrams from picsec longer than 576 bytes"
}

# RFC 7427: charon (remote auth = ike:rsa/pss-sha256) verified picsec's
# RSASSA-PSS AUTH (charon names it RSA_EMSA_PSS_SHA2_256_SALT_32), and picsec
# verified charon's (rsa_pss = yes).
check_pss() {
  local log=$LAB_RUN/charon/charon.log
  grep -Eq "authentication of '$R1_DN' with RSA_EMSA_PSS_SHA2_256(_SALT_32)? successful" "$log" ||
    fail "charon did not verify picsec's AUTH as RSA_EMSA_PSS_SHA2_256"
  echo "  charon: $(grep -m1 -o "authentication of '[^']*' with RSA_EMSA_PSS[^ ]* successful" "$log")"
  grep -Eq "authentication of '$IP_S' \(myself\) with RSA_EMSA_PSS_SHA2_256" "$log" ||
    fail "charon did not sign its own AUTH with RSA-PSS"
}

lab_up
selected=("$@")
want() { local s; for s in "${selected[@]}"; do [[ $s == "$1" ]] && return 0; done; return 1; }
run() { if [[ ${#selected[@]} -eq 0 ]] || want "$1"; then cert_scenario "$@"; fi; }

run cert-main-initiator initiator main
run cert-main-responder responder main
run cert-aggressive-initiator initiator aggressive
run cert-aggressive-responder responder aggressive
run cert-ikev2-initiator initiator ikev2 2
run cert-ikev2-responder responder ikev2 2
# picsec's own IKE_AUTH (certificate, CERTREQ, AUTH) in 576-byte datagrams.
PICSEC_RUN_OPTS="--fragment-size 576" EXPECT_FRAGMENTS=1 run cert-ikev2-fragments-initiator initiator ikev2 2
PICSEC_RUN_OPTS="--fragment-size 576" EXPECT_FRAGMENTS=1 run cert-ikev2-fragments-responder responder ikev2 2
# Certificates from strongSwan's pki CA, not picsec's: IKEv2 both roles, IKEv1 Main Mode.
with_swan_ca() { local CA_DIR=$PKI/swan CA_NAME="strongSwan Root CA" R1_DN; R1_DN=$(r1_dn); "$@"; }
with_swan_ca run cert-ikev2-swanca-initiator initiator ikev2 2
with_swan_ca run cert-ikev2-swanca-responder responder ikev2 2
with_swan_ca run cert-main-swanca-responder responder main
# charon requires RSASSA-PSS SHA-256 of picsec and signs PSS itself.
PICSEC_POLICY_EXTRA="signature-scheme rsa-pss;" CHARON_REMOTE_AUTH=ike:rsa/pss-sha256 CHARON_EXTRA="rsa_pss = yes" \
  EXPECT_PSS=1 run cert-ikev2-pss-initiator initiator ikev2 2
PICSEC_POLICY_EXTRA="signature-scheme rsa-pss;" CHARON_REMOTE_AUTH=ike:rsa/pss-sha256 CHARON_EXTRA="rsa_pss = yes" \
  EXPECT_PSS=1 run cert-ikev2-pss-responder responder ikev2 2

# charon presents r2's certificate from a CA picsec does not trust: picsec
# refuses it as "unknown issuer", tells charon, and no SA exists anywhere.
if [[ ${#selected[@]} -eq 0 ]] || want cert-untrusted-ca; then
  scenario=cert-untrusted-ca
  echo "=== cert-untrusted-ca (charon's certificate from a CA picsec does not trust; charon initiates)"
  picsec_config main > "$WORK/$scenario.conf"
  CHARON_INSTALL_ROUTES=yes CHARON_SETUP=charon_certs_rogue \
    charon_start libipsec "$(charon_cert_config no 10.98.2.1/32 10.98.1.1/32)" || fail "charon did not start"
  picsec_start "$WORK/$scenario.conf" --local $IP_P --passive || fail "picsec did not start"
  swan --initiate --child sa1 --timeout 8 > "$WORK/$scenario.initiate" 2>&1
  sleep 0.5
  line=$(grep -m1 "peer certificate refused" "$WORK/picsec.log")
  echo "  picsec: ${line#* * }"
  grep -q "unknown issuer" <<<"$line" || fail "picsec did not refuse the certificate as from an unknown issuer"
  grep -Eq "received (INVALID_CERT|INVALID_CERTIFICATE|INVALID_CERT_AUTHORITY|AUTHENTICATION_FAILED)" "$LAB_RUN/charon/charon.log" ||
    grep -q "received .*error notify" "$LAB_RUN/charon/charon.log" || fail "charon was not told why"
  echo "  charon: $(grep -m1 -E "received .*(notify|INVALID)" "$LAB_RUN/charon/charon.log" | sed 's/^[0-9:]* //')"
  swan --list-sas | grep -q INSTALLED && fail "charon installed an SA"
  [[ $("$PICSEC" show ipsec security-associations --json --socket "$WORK/picsec.sock" |
       python3 -c 'import json,sys; print(len(json.load(sys.stdin)["security-associations"]))') == 0 ]] ||
    fail "picsec installed an SA"
  scenario_end
fi

# The same over IKEv2: picsec refuses the rogue certificate in IKE_AUTH with
# AUTHENTICATION_FAILED, and no SA exists anywhere.
if [[ ${#selected[@]} -eq 0 ]] || want cert-ikev2-untrusted-ca; then
  scenario=cert-ikev2-untrusted-ca
  echo "=== cert-ikev2-untrusted-ca (IKEv2, charon's certificate from a CA picsec does not trust; charon initiates)"
  picsec_config ikev2 2 > "$WORK/$scenario.conf"
  CHARON_INSTALL_ROUTES=yes CHARON_SETUP=charon_certs_rogue \
    charon_start libipsec "$(charon_cert_config no 10.98.2.1/32 10.98.1.1/32 2)" || fail "charon did not start"
  picsec_start "$WORK/$scenario.conf" --local $IP_P --passive || fail "picsec did not start"
  swan --initiate --child sa1 --timeout 8 > "$WORK/$scenario.initiate" 2>&1
  sleep 0.5
  line=$(grep -m1 "IKE SA failed" "$WORK/picsec.log")
  echo "  picsec: ${line#* * }"
  grep -q "unknown issuer" <<<"$line" || fail "picsec did not refuse the certificate as from an unknown issuer"
  grep -q "AUTHENTICATION_FAILED" "$LAB_RUN/charon/charon.log" || fail "charon was not told AUTHENTICATION_FAILED"
  swan --list-sas | grep -q INSTALLED && fail "charon installed an SA"
  scenario_end
fi

# The same charon requiring RSASSA-PSS refuses picsec's default PKCS#1 v1.5
# AUTH: the constraint the cert-ikev2-pss-* scenarios pass really binds.
if [[ ${#selected[@]} -eq 0 ]] || want cert-ikev2-pss-refused; then
  scenario=cert-ikev2-pss-refused
  echo "=== cert-ikev2-pss-refused (IKEv2, picsec signs PKCS#1 v1.5, charon requires RSASSA-PSS; picsec initiates)"
  picsec_config ikev2 2 > "$WORK/$scenario.conf"
  CHARON_REMOTE_AUTH=ike:rsa/pss-sha256
  CHARON_SETUP=charon_certs_lab charon_start libipsec "$(charon_cert_config no 0.0.0.0/0 0.0.0.0/0 2)" ||
    fail "charon did not start"
  unset CHARON_REMOTE_AUTH
  picsec_start "$WORK/$scenario.conf" --local $IP_P || fail "picsec did not start"
  for _ in $(seq 80); do grep -q "IKE SA failed" "$WORK/picsec.log" && break; sleep 0.1; done
  line=$(grep -m1 "signature scheme RSA_EMSA_PKCS1_SHA2_256 not acceptable" "$LAB_RUN/charon/charon.log")
  echo "  charon: ${line#* * }"
  [[ -n $line ]] || fail "charon did not refuse picsec's PKCS#1 v1.5 AUTH for its PSS constraint"
  grep -q "IKE SA failed" "$WORK/picsec.log" || fail "picsec did not see the IKE SA fail"
  echo "  picsec: $(grep -m1 -o "IKE SA failed.*" "$WORK/picsec.log")"
  swan --list-sas | grep -q INSTALLED && fail "charon installed an SA"
  scenario_end
fi

if ((failures)); then echo "$failures certificate interop check(s) failed"; exit 1; fi
echo "all certificate interop scenarios passed"
