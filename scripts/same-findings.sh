#!/usr/bin/env bash
# Same findings, byte for byte, before and after a change to how policylint matches text.
#
#   scripts/same-findings.sh save  DIR   # before the change: writes DIR/<target>.json
#   scripts/same-findings.sh check DIR   # after it: runs again and compares with cmp
#
# Targets: $SHARED/corpus, $SHARED/platforms (SHARED defaults to ../shared) and examples/;
# TARGETS="a b" overrides them.
# Runs `policylint check PATH --format json --no-cache --today 2026-12-06` from the repository root.
set -euo pipefail
mode=${1:?save or check}
dir=${2:?a folder for the outputs}
cd "$(dirname "$0")/.."
shared=${SHARED:-../shared}
targets=${TARGETS:-"$shared/corpus $shared/platforms examples"}
mkdir -p "$dir"
status=0
for target in $targets; do
  name=$(echo "$target" | tr -c 'A-Za-z0-9\n' '_')
  out="$dir/$name.json"
  [ "$mode" = check ] && out="$dir/$name.after.json"
  # exit 1 means findings were reported: only 2 and above are failures here
  policylint check "$target" --format json --no-cache --today 2026-12-06 >"$out" || [ $? -eq 1 ]
  if [ "$mode" = check ]; then
    if cmp "$dir/$name.json" "$out"; then echo "same: $target"; else echo "DIFFERENT: $target"; status=1; fi
  fi
done
exit $status
