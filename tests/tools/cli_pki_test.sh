#!/bin/bash
# picsec's certificate commands (request security key-pair / certificate
# enroll / certificate-authority, show security certificates), checked with
# OpenSSL as the independent judge: keys are owner-only, requests carry valid
# self-signatures, certificates verify against the CA, the CRL lists what was
# revoked, and bad input gets a clear error and a non-zero exit.
. "$(dirname "$0")/test_lib.sh" "$@"
command -v openssl >/dev/null || { echo "SKIP: openssl missing"; exit 77; }
cd "$WORK" || exit 1
umask 022

run_picsec request security key-pair ca.key size 2048
expect_eq "key-pair: exit 0" 0 "$RC"
expect_eq "key-pair: owner-only despite umask 022" 600 "$(stat -c %a ca.key)"
expect_eq "key-pair: umask left alone (a later file)" 644 "$(touch later; stat -c %a later)"
expect_eq "key-pair: OpenSSL reads a 2048-bit RSA key" "2048" \
    "$(openssl pkey -in ca.key -noout -text 2>/dev/null | sed -n 's/.*Private-Key: (\([0-9]*\) bit.*/\1/p')"
touch r1.key; chmod 644 r1.key
run_picsec request security key-pair r1.key size 1024
expect_eq "key-pair over an existing 644 file: owner-only" 600 "$(stat -c %a r1.key)"

run_picsec request security certificate-authority create key-pair ca.key subject "C=US, O=Example, CN=Example CA" days 10 output ca.crt
expect_eq "CA create: exit 0" 0 "$RC"
expect_eq "CA: self-signed, verifies against itself" "ca.crt: OK" "$(openssl verify -CAfile ca.crt ca.crt 2>&1)"
grep -q "CA:TRUE" <<<"$(openssl x509 -in ca.crt -noout -text)" && pass "CA: basicConstraints CA:TRUE" || fail "CA: no CA:TRUE"

run_picsec request security certificate enroll key-pair r1.key subject "C=US, O=Example, CN=r1" \
    domain-name r1.example.net ip-address 10.0.0.1 output r1.csr
expect_eq "enroll: exit 0" 0 "$RC"
grep -q "verify OK\|Certificate request self-signature verify OK" <<<"$(openssl req -in r1.csr -noout -verify 2>&1)" &&
    pass "enroll: PKCS#10 self-signature verifies" || fail "enroll: request does not verify"
san=$(openssl req -in r1.csr -noout -text | grep -A1 "Subject Alternative Name" | tail -1 | tr -d ' ')
expect_eq "enroll: subjectAltName" "DNS:r1.example.net,IPAddress:10.0.0.1" "$san"

run_picsec request security certificate-authority sign ca-certificate ca.crt ca-key-pair ca.key request r1.csr days 5 output r1.crt
expect_eq "sign: exit 0" 0 "$RC"
expect_eq "sign: r1 verifies against the CA" "r1.crt: OK" "$(openssl verify -CAfile ca.crt r1.crt 2>&1)"
expect_eq "sign: certificate holds r1's key" "$(openssl pkey -in r1.key -pubout 2>/dev/null)" \
    "$(openssl x509 -in r1.crt -noout -pubkey 2>/dev/null)"

run_picsec request security certificate-authority crl ca-certificate ca.crt ca-key-pair ca.key revoke r1.crt output crl.pem
expect_eq "crl: exit 0" 0 "$RC"
serial=$(openssl x509 -in r1.crt -noout -serial | cut -d= -f2)
grep -qi "Serial Number: $serial" <<<"$(openssl crl -in crl.pem -noout -text)" &&
    pass "crl: lists r1's serial" || fail "crl: r1's serial $serial missing"
grep -q "OK" <<<"$(openssl crl -in crl.pem -CAfile ca.crt -noout 2>&1)" && pass "crl: signed by the CA" || fail "crl: signature"
openssl verify -crl_check -CAfile ca.crt -CRLfile crl.pem r1.crt >/dev/null 2>&1 &&
    fail "crl: OpenSSL still accepts r1" || pass "crl: OpenSSL refuses the revoked r1"

cat > r1.conf <<CONF
security {
    certificates { certification-authority lab { ca-name "Example CA"; file $WORK/ca.crt; } }
    ike {
        proposal rsa { authentication-method rsa-signatures; encryption-algorithm 3des-cbc; authentication-algorithm sha1; dh-group group2; }
        policy 10.0.0.2 { proposals rsa; local-certificate $WORK/r1.crt; local-key-pair $WORK/r1.key; }
    }
}
CONF
run_picsec show security certificates -c r1.conf
expect_eq "show certificates: exit 0" 0 "$RC"
grep -q "CN=r1" <<<"$OUT" && grep -q "Example CA" <<<"$OUT" && pass "show certificates: local and CA listed" ||
    { fail "show certificates"; echo "$OUT"; }

# Bad input: clear errors, non-zero exits, nothing written.
run_picsec request security key-pair bad.key size 1000
[ "$RC" -ne 0 ] && grep -q "size 1000: need 1024, 2048, 3072 or 4096" <<<"$ERR" && [ ! -e bad.key ] &&
    pass "key-pair: size 1000 refused" || fail "key-pair size 1000: rc=$RC err=$ERR"
run_picsec request security key-pair bad.key size many
[ "$RC" -ne 0 ] && grep -q "size" <<<"$ERR" && [ ! -e bad.key ] && pass "key-pair: size 'many' refused" ||
    fail "key-pair size many: rc=$RC err=$ERR"
run_picsec request security certificate enroll key-pair r1.key subject "C=US, XX=bad, CN=r1" output bad.csr
[ "$RC" -ne 0 ] && grep -q "unknown attribute XX" <<<"$ERR" && [ ! -e bad.csr ] &&
    pass "enroll: unknown subject attribute refused" || fail "enroll bad subject: rc=$RC err=$ERR"
run_picsec request security certificate-authority sign ca-certificate ca.crt ca-key-pair r1.key request r1.csr output bad.crt
[ "$RC" -ne 0 ] && [ ! -e bad.crt ] && pass "sign: a key that is not the CA's refused ($ERR)" ||
    fail "sign with the wrong key: rc=$RC err=$ERR"
run_picsec request security certificate-authority sign ca-certificate missing.crt ca-key-pair ca.key request r1.csr output bad.crt
[ "$RC" -ne 0 ] && grep -q "missing.crt" <<<"$ERR" && pass "sign: missing CA file named" || fail "sign missing CA: rc=$RC err=$ERR"
finish
