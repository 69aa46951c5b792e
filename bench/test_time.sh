#!/usr/bin/env bash
# Times the test suite: the command given (the pytest part of `make test`), once on this CPU's own kernels and
# once imitating a CPU with AVX-512 but without native bf16 or AMX (ONEDNN_MAX_CPU_ISA=AVX512_CORE: chapters
# then train in fp32), each with the ten slowest tests.
#   test_time.sh .venv/bin/python -m pytest ...
set -uo pipefail
cd "$(dirname "$0")/.."
echo "test suite wall time: commit $(git rev-parse --short HEAD), $(nproc) CPU threads, $(date -u +%F)"
.venv/bin/python -c "from ganutils.device import describe_machine; print('machine:', describe_machine())"
status=0
for kind in native AVX512_CORE; do
  log=$(mktemp)
  start=$(date +%s)
  isa=(); [ "$kind" = native ] || isa=("ONEDNN_MAX_CPU_ISA=$kind")
  env "${isa[@]}" "$@" --durations=10 >"$log" 2>&1
  rc=$?
  [ $rc -ne 0 ] && status=$rc
  echo
  echo "## $kind kernels: $(( $(date +%s) - start )) s of pytest, exit status $rc"
  echo '```'
  sed -n '/slowest 10 durations/,$p' "$log"
  echo '```'
  rm -f "$log"
done
exit $status
