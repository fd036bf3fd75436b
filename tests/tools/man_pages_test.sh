#!/usr/bin/env bash
# The manual pages picsec(1) and ike-peer(1) render without groff warnings and
# cover what the programs' own --help lists: every picsec command and every
# option of both programs.
#   man_pages_test.sh PICSEC_BINARY IKE_PEER_BINARY MAN_DIR
set -uo pipefail
PICSEC=${1:?picsec binary} PEER=${2:?ike-peer binary} MAN=${3:?directory of the .1 files}
command -v groff >/dev/null || { echo "SKIP: needs groff"; exit 77; }
FAILURES=0
fail() { echo "FAIL: $*"; FAILURES=$((FAILURES + 1)); }

# render PAGE: plain text, one space between words, no hyphenation breaks.
render() { groff -man -Tutf8 -rLL=400n -P-cbou "$1" 2>/dev/null | tr -s ' ' ; }

for page in "$MAN/picsec.1" "$MAN/ike-peer.1"; do
  warnings=$(groff -man -Tutf8 -ww -z "$page" 2>&1)
  [[ -z $warnings ]] || fail "$(basename "$page"): groff warns: $warnings"
  render "$page" | grep -q "EXIT STATUS" || fail "$(basename "$page") has no EXIT STATUS section"
done

picsec_page=$(render "$MAN/picsec.1")
mapfile -t commands < <("$PICSEC" --help | sed -n 's/^  picsec \([a-z -]*[a-z]\)\( .*\)\{0,1\}$/\1/p' | sed 's/ [A-Z(\[|-].*//')
(( ${#commands[@]} >= 15 )) || fail "only ${#commands[@]} commands listed by picsec --help"
for c in "${commands[@]}"; do
  grep -qF "picsec $c" <<< "$picsec_page" && echo "ok: picsec(1) has picsec $c" || fail "picsec(1) does not describe 'picsec $c'"
done

# check_options PAGE_TEXT NAME HELP_TEXT: every --option of HELP_TEXT is in the page.
check_options() {
  local page=$1 name=$2 help=$3 opt
  for opt in $(grep -oE -- '--[a-z][a-z0-9-]*' <<< "$help" | sort -u); do
    grep -qF -- "$opt" <<< "$page" || fail "$name does not describe $opt"
  done
}
check_options "$picsec_page" "picsec(1)" "$("$PICSEC" --help)"
check_options "$(render "$MAN/ike-peer.1")" "ike-peer(1)" "$("$PEER" --help)"

if (( FAILURES )); then echo "$FAILURES check(s) failed"; exit 1; fi
echo "all checks passed"
