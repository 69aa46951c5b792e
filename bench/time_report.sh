#!/usr/bin/env bash
# Times a full re-execution of every chapter at the report profile from a cold
# run cache (a fresh GANUTILS_RUNS), chapter by chapter. Nothing committed is
# touched: outputs go to a temporary folder and publish=False.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export GANUTILS_RUNS="$tmp/runs"
echo "report profile from a cold run cache: commit $(git rev-parse --short HEAD), $(nproc) CPU threads, $(date -u +%F)"
total=0
for nb in "$@"; do
  $BIN/jupytext --quiet --to ipynb notebooks/$nb.py -o "$tmp/$nb.ipynb"
  start=$(date +%s)
  $BIN/papermill "$tmp/$nb.ipynb" "$tmp/$nb-out.ipynb" -p profile report -p publish False \
    --cwd notebooks --no-progress-bar --log-level WARNING
  took=$(( $(date +%s) - start ))
  total=$(( total + took ))
  echo "chapter $nb: ${took} s ($(( took / 60 )) min)"
done
echo "report profile from a cold cache: ${total} s ($(( total / 60 )) min)"
