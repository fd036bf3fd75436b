#!/bin/sh
# Makes a test CA, router key pairs and certificates, and a CRL with picsec's
# own commands (Botan underneath): make-test-pki.sh PICSEC OUTDIR NAME=IP ...
# e.g. make-test-pki.sh build/tools/picsec /tmp/pki r1=10.0.0.1 r2=10.0.0.2
# Writes OUTDIR/ca.key, ca.crt, crl.pem (empty) and per router NAME.key, NAME.crt.
# CA_CN names the CA (default "picsec Test CA").
set -eu
ca_cn=${CA_CN:-picsec Test CA}
picsec=$1; out=$2; shift 2
mkdir -p "$out"
"$picsec" request security key-pair "$out/ca.key" size 2048 >/dev/null
"$picsec" request security certificate-authority create key-pair "$out/ca.key" \
    subject "C=US, O=picsec test, CN=$ca_cn" days 30 output "$out/ca.crt"
for spec in "$@"; do
    name=${spec%%=*}; ip=${spec#*=}
    "$picsec" request security key-pair "$out/$name.key" size 2048 >/dev/null
    "$picsec" request security certificate enroll key-pair "$out/$name.key" \
        subject "C=US, O=picsec test, CN=$name" domain-name "$name.picsec.test" ip-address "$ip" \
        output "$out/$name.csr" >/dev/null
    "$picsec" request security certificate-authority sign ca-certificate "$out/ca.crt" ca-key-pair "$out/ca.key" \
        request "$out/$name.csr" days 30 output "$out/$name.crt"
done
"$picsec" request security certificate-authority crl ca-certificate "$out/ca.crt" ca-key-pair "$out/ca.key" \
    output "$out/crl.pem"
