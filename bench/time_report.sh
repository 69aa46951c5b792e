#!/usr/bin/env bash
# Times a re-execution of every chapter at the report profile, chapter by chapter.
#   time_report.sh cold CHAPTER...  from an empty run cache (a fresh temporary GANUTILS_RUNS): hours on 2 cores
#   time_report.sh warm CHAPTER...  against the existing run cache (GANUTILS_RUNS, default runs/), in which
#                                   every run and evaluation is expected to be cached already
# Uncached runs train where GANUTILS_SCHEDULER says (default: a Dask LocalCluster when it pays, see
# ganutils/cluster.py); the plan is printed. Nothing committed is touched: outputs go to a temporary folder
# and publish=False.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
mode=$1; shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
case $mode in
  cold) export GANUTILS_RUNS="$tmp/runs" ;;
  warm) ;;
  *) echo "usage: $0 cold|warm CHAPTER..." >&2; exit 2 ;;
esac
echo "report profile, $mode run cache: commit $(git rev-parse --short HEAD), $(nproc) CPU threads, $(date -u +%F)"
$BIN/python -c "from ganutils import cluster; print(cluster.describe_plan())"
total=0
for nb in "$@"; do
  $BIN/jupytext --quiet --to ipynb notebooks/$nb.py -o "$tmp/$nb.ipynb"
  start=$(date +%s%N)
  $BIN/papermill "$tmp/$nb.ipynb" "$tmp/$nb-out.ipynb" -p profile report -p publish False \
    --cwd notebooks --no-progress-bar --log-level WARNING
  took=$(( ($(date +%s%N) - start) / 1000000 ))  # ms
  total=$(( total + took ))
  echo "chapter $nb: $(( took / 1000 )).$(( took % 1000 / 100 )) s (finished $(date -u +%FT%TZ))"
done
echo "report profile, $mode run cache, all chapters: $(( total / 1000 )) s ($(( total / 60000 )) min $(( total / 1000 % 60 )) s)"
