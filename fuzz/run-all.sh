#!/usr/bin/env bash
# Runs every libFuzzer target in BUILD_DIR/fuzz for SECONDS each, seeded from
# fuzz/corpus/<target>/, and fails on the first crash, leak or timeout.
set -euo pipefail
build=${1:?build dir}; seconds=${2:-30}
here=$(cd "$(dirname "$0")" && pwd)
shopt -s nullglob
for bin in "$build"/fuzz/fuzz_*; do
  [[ -x "$bin" && -f "$bin" ]] || continue
  name=$(basename "$bin")
  work=$(mktemp -d)
  seeds=()
  [[ -d "$here/corpus/$name" ]] && seeds=("$here/corpus/$name")
  echo "fuzz: $name for ${seconds}s"
  "$bin" -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$work/" "$work" "${seeds[@]}" 2>&1 | tail -n 12
  rm -rf "$work"
done
