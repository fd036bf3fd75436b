# Shared helpers for the picsec CLI shell tests (sourced, not run).
# Usage in a test: . "$(dirname "$0")/test_lib.sh" "$@"   (arg 1: the picsec binary)
set -u
PICSEC=${1:?usage: $0 PATH-TO-picsec}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DATA=$HERE/data
PCAP_TOOL="python3 $HERE/pcap_tool.py"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
FAILURES=0

fail() { echo "FAIL: $*"; FAILURES=$((FAILURES + 1)); }
pass() { echo "ok: $*"; }

# expect_eq WHAT EXPECTED ACTUAL
expect_eq() {
    if [ "$2" == "$3" ]; then pass "$1"; else fail "$1"; echo "  expected: $2"; echo "  actual:   $3"; fi
}

# run_picsec ARGS...: runs picsec, leaving stdout in $OUT, stderr in $ERR, exit code in $RC
run_picsec() {
    "$PICSEC" "$@" >"$WORK/out" 2>"$WORK/err"
    RC=$?
    OUT=$(cat "$WORK/out")
    ERR=$(cat "$WORK/err")
}

finish() {
    if [ "$FAILURES" -ne 0 ]; then echo "$FAILURES check(s) failed"; exit 1; fi
    echo "all checks passed"
    exit 0
}
