#!/usr/bin/env bash
# A longer fuzz campaign: runs each libFuzzer target in BUILD_DIR/fuzz for
# MINUTES, growing a persistent corpus in WORK_DIR/<target> (seeded from
# fuzz/corpus/<target>), and prints one summary row per target: executions,
# edges and features covered, corpus size, peak RSS and what was found.
# Crash, leak and timeout inputs are kept in WORK_DIR/<target>-artifacts.
#   campaign.sh BUILD_DIR WORK_DIR MINUTES [TARGET...]
set -uo pipefail
build=${1:?build dir}; work=${2:?work dir}; minutes=${3:?minutes per target}; shift 3
here=$(cd "$(dirname "$0")" && pwd)
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
  for bin in "$build"/fuzz/fuzz_*; do [[ -x $bin && -f $bin ]] && targets+=("$(basename "$bin")"); done
fi
echo "| target | minutes | executions | edges | features | corpus | peak RSS | findings |"
echo "|---|---|---|---|---|---|---|---|"
status=0
for name in "${targets[@]}"; do
  corpus=$work/$name; artifacts=$work/$name-artifacts
  mkdir -p "$corpus" "$artifacts"
  seeds=()
  [[ -d $here/corpus/$name ]] && seeds=("$here/corpus/$name")
  log=$work/$name.log
  "$build/fuzz/$name" -max_total_time=$((minutes * 60)) -timeout=5 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$artifacts/" "$corpus" "${seeds[@]}" >"$log" 2>&1
  rc=$?
  stat() { grep -E "^stat::$1:" "$log" | tail -1 | awk '{print $2}'; }
  last=$(grep -E "^#[0-9]+" "$log" | tail -1)
  edges=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  features=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  found=$(ls "$artifacts" | wc -l)
  findings=none
  if [[ $rc -ne 0 || $found -ne 0 ]]; then findings="exit $rc, $found artifact(s) in $artifacts"; status=1; fi
  echo "| $name | $minutes | $(stat number_of_executed_units) | $edges | $features | $(ls "$corpus" | wc -l) | $(stat peak_rss_mb) MB | $findings |"
done
exit $status
