#!/bin/bash
# picsec show ipsec security-associations over a configuration's manual SAs:
# the JUNOS-style table, detail, one SA by name, --json, and errors.
. "$(dirname "$0")/test_lib.sh" "$@"
cd "$DATA" || exit 1

run_picsec show ipsec security-associations sa-3des-tunnel -c lab.conf
expect_eq "show SA: exit 0" 0 "$RC"
expect_eq "show SA: table" "Security association: sa-3des-tunnel
  Direction  SPI        AUX-SPI    Mode       Type     Protocol
  inbound    2000       0          tunnel     manual   ESP
  outbound   2000       0          tunnel     manual   ESP" "$OUT"

run_picsec show ipsec security-associations detail sa-split -c lab.conf
expect_eq "show detail: exit 0" 0 "$RC"
expect_eq "show detail: gateways" "  Local gateway: none, Remote gateway: 192.168.20.4" "$(sed -n 2p <<<"$OUT")"
expect_eq "show detail: inbound block" "    Direction: inbound, SPI: 4000, AUX-SPI: 0
    Mode: transport, Type: manual, State: Installed
    Protocol: ESP, Authentication: hmac-sha1-96, Encryption: 3des-cbc" "$(sed -n 3,5p <<<"$OUT")"
expect_eq "show detail: outbound SPI" "    Direction: outbound, SPI: 4001, AUX-SPI: 0" \
    "$(grep 'Direction: outbound' <<<"$OUT")"
if grep -qi "outbnd-3des\|inbound-sha1\|6f7574626e64" <<<"$OUT"; then fail "show detail printed a key"; fi

run_picsec show ipsec security-associations brief -c lab.conf
expect_eq "show brief: every SA listed" \
    "sa-3des-transport sa-des-transport sa-3des-tunnel sa-des-tunnel sa-bundle sa-split" \
    "$(grep '^Security association:' <<<"$OUT" | cut -d' ' -f3 | tr '\n' ' ' | sed 's/ $//')"

run_picsec show ipsec security-associations sa-bundle -c lab.conf --json
expect_eq "show --json: exit 0" 0 "$RC"
if python3 -c 'import json,sys; d=json.load(sys.stdin); s=d["security-associations"][0]; \
    assert s["name"]=="sa-bundle" and [x["direction"] for x in s["directions"]]==["inbound","outbound"]; \
    assert s["directions"][0]["aux-spi"]==3001 and s["directions"][0]["protocol"]=="AH+ESP"' <<<"$OUT"; then
    pass "show --json parses and describes the bundle"
else
    fail "show --json: $OUT"
fi

run_picsec show ipsec security-associations nosuch -c lab.conf
expect_eq "show unknown SA: exit 1" 1 "$RC"
expect_eq "show unknown SA: error" "picsec: security-association nosuch: no manual SA with this name in lab.conf" "$ERR"
run_picsec show ipsec security-associations -c bad-syntax.conf
expect_eq "show with a broken config: exit 1 and the error line" \
    "1 bad-syntax.conf:5:27: error: missing ';' after 'transport'" "$RC $ERR"
finish
