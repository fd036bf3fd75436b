#!/bin/bash
# A complete M-series router configuration through the CLI: `check` exits 0
# with one note per hierarchy picsec skips; `show configuration` prints it in
# brace form with keys as $9$ and inactive: kept, and what it prints checks
# the same way.
. "$(dirname "$0")/test_lib.sh" "$@"
cd "$HERE/../config/data" || exit 1
ROUTER=m-series-router.conf

run_picsec check "$ROUTER"
expect_eq "router config: check exits 0" 0 "$RC"
expect_eq "router config: one note per skipped hierarchy" 16 \
    "$(grep -c '^m-series-router.conf:[0-9]*:[0-9]*: note: .*: not modelled by picsec, skipped$' <<<"$OUT")"
expect_eq "router config: the system note" "m-series-router.conf:27:1: note: system: not modelled by picsec, skipped" \
    "$(grep ': system:' <<<"$OUT")"
expect_eq "router config: no error or warning" 0 "$(grep -c ': error: \|: warning: ' <<<"$OUT")"
expect_eq "router config: check says it succeeds" "m-series-router.conf: configuration check succeeds (16 notes)" \
    "$(tail -1 <<<"$OUT")"

run_picsec show configuration "$ROUTER"
expect_eq "show configuration: exits 0" 0 "$RC"
expect_eq "show configuration: nothing on stderr" "" "$ERR"
expect_eq "show configuration: the inactive SA stays inactive" 1 \
    "$(grep -c '^        inactive: security-association sa-old {$' <<<"$OUT")"
expect_eq "show configuration: every key as \$9\$" 4 \
    "$(grep -c 'key \(ascii-text\|hexadecimal\) "\$9\$.*"; ## SECRET-DATA$' <<<"$OUT")"
expect_eq "show configuration: no hexadecimal key in the clear" 0 "$(grep -c '0123456789abcdef' <<<"$OUT")"
expect_eq "show configuration: skipped hierarchies annotated" 16 "$(grep -c '/\* not modelled by picsec, skipped \*/' <<<"$OUT")"
printf '%s\n' "$OUT" >"$WORK/shown.conf"
run_picsec check "$WORK/shown.conf"
expect_eq "show configuration: what it prints checks clean" 0 "$RC"
expect_eq "show configuration: with the same notes" 16 "$(grep -c ': note: ' <<<"$OUT")"
run_picsec show configuration -c "$ROUTER"
expect_eq "show configuration -c: the same text" "$(cat "$WORK/shown.conf")" "$OUT"

run_picsec show ipsec security-associations -c "$ROUTER"
expect_eq "show ipsec -c: exits 0" 0 "$RC"
expect_eq "show ipsec -c: the notes are check's, not printed here" "" "$ERR"
expect_eq "show ipsec -c: the active manual SA, not the inactive one" "Security association: sa-manual" \
    "$(grep '^Security association' <<<"$OUT")"

run_picsec show configuration --help
expect_eq "show configuration --help: exit 0" 0 "$RC"
expect_eq "show configuration --help: usage" "usage: picsec show configuration FILE | -c FILE" "$(head -1 <<<"$OUT")"
run_picsec show configuration
expect_eq "show configuration without FILE: exit 2" 2 "$RC"
printf 'security { ipsec { proposal p { protokol esp; } } }\n' >"$WORK/bad.conf"
run_picsec show configuration "$WORK/bad.conf"
expect_eq "show configuration of a broken file: exit 1" 1 "$RC"
expect_eq "show configuration of a broken file: prints nothing" "" "$OUT"
expect_eq "show configuration of a broken file: the error on stderr" 1 "$(grep -c "bad.conf:1:33: error: " <<<"$ERR")"
finish
